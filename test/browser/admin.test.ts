/**
 * Browser journey: an administrator adds an agency, a team and a user (through the forms' errors
 * first), changes the user, and the new user signs in. A forged form is refused and creates
 * nothing. Every page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { appUser, notification } from '../../src/db/schema/index.ts'
import { notifyUsers } from '../../src/services/multi-agency/notifications.ts'
import { demoServiceContext, demoUser, navigateBy, errorSummaryLinks, isFocused, mainText, postForm, startBrowserApp, tamperCsrf, type BrowserApp } from './support.ts'

let app: BrowserApp
let page: Page

before(async () => {
  app = await startBrowserApp()
  page = await app.newPage()
})
after(async () => {
  await app?.close()
})

const AGENCY = 'Northmoor Youth Justice Service (test)'
const TEAM = 'Northmoor out-of-hours team (test)'
const USER = { name: 'Robin Newstarter (test)', email: 'robin.newstarter@northmoor.example.org', password: 'a long enough passphrase' }
const CHANGED_NAME = 'Robin Newstarter-Changed (test)'

/** Clicks a button that submits a form and waits for the response; returns its status. */
async function submit(button: string): Promise<number> {
  const response = await postForm(page, () => page.getByRole('button', { name: button, exact: true }).click())
  return response.status()
}

async function tableRows(): Promise<string[]> {
  const rows = await page.locator('main tbody tr').allInnerTexts()
  return rows.map((r) => r.replace(/\s+/g, ' ').trim())
}

async function h1(): Promise<string> {
  return (await page.locator('h1').innerText()).trim()
}

test('the administrator reaches the administration pages from the home page', async () => {
  await app.signIn(page, demoUser('administrator').email)
  await navigateBy(page, page.getByRole('link', { name: 'Agencies and teams in the partnership' }))
  assert.equal(await h1(), 'Agencies and teams')
  assert.ok((await tableRows()).some((r) => r.startsWith('Demoshire Police Police')))
  await app.expectAccessible(page, 'directory')
  await navigateBy(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Manage agencies' }))
  assert.equal(await h1(), 'Agencies')
  // The service navigation marks the section the user is in (govuk-frontend: aria-current="true" for "active").
  const menu = page.getByRole('navigation', { name: 'Menu' })
  assert.equal(await menu.getByRole('link', { name: 'Manage agencies' }).getAttribute('aria-current'), 'true')
  assert.equal(await menu.getByRole('link', { name: 'Home' }).getAttribute('aria-current'), null)
  await app.expectAccessible(page, 'agency list')
})

test('an agency form sent empty shows errors; a valid one adds the agency', async () => {
  await navigateBy(page, page.getByRole('button', { name: 'Add an agency' }))
  assert.equal(await h1(), 'Add an agency')
  await app.expectAccessible(page, 'add agency form')

  assert.equal(await submit('Save'), 400)
  assert.deepEqual(await errorSummaryLinks(page), [
    ['Enter the agency name', '#name'],
    ['Select the type of agency', '#type'],
  ])
  assert.ok(await isFocused(page, '.govuk-error-summary'))
  assert.match(await page.title(), /^Error: Add agency/)
  await app.expectAccessible(page, 'add agency form with errors')

  await page.getByLabel('Name').fill(AGENCY)
  await page.getByLabel('Type of agency').selectOption({ label: 'Probation' })
  assert.equal(await submit('Save'), 302)
  assert.equal(new URL(page.url()).pathname, '/admin/agencies')
  assert.match(await mainText(page), /The agency was added\./)
  assert.ok((await tableRows()).includes(`${AGENCY} Probation Active`), 'the new agency is listed')
  await app.expectAccessible(page, 'agency list after adding')
})

test('a team is added to the new agency', async () => {
  await navigateBy(page, page.getByRole('link', { name: 'Manage teams' }).first())
  assert.equal(await h1(), 'Teams')
  await app.expectAccessible(page, 'team list')
  await navigateBy(page, page.getByRole('button', { name: 'Add a team' }))
  assert.equal(await h1(), 'Add a team')
  await app.expectAccessible(page, 'add team form')

  await page.getByLabel('Team name').fill(TEAM)
  assert.equal(await submit('Save'), 400)
  assert.deepEqual(await errorSummaryLinks(page), [['Select the agency the team belongs to', '#agencyId']])
  assert.equal(await page.getByLabel('Team name').inputValue(), TEAM, 'what was typed is kept')
  await app.expectAccessible(page, 'add team form with errors')

  await page.getByLabel('Agency', { exact: true }).selectOption({ label: AGENCY })
  assert.equal(await submit('Save'), 302)
  assert.match(await mainText(page), /The team was added\./)
  assert.ok((await tableRows()).includes(`${TEAM} ${AGENCY} Active`), 'the new team is listed')
})

test('a user form with errors explains each one; a valid one adds the user', async () => {
  await navigateBy(page, page.getByRole('link', { name: 'Manage users' }).first())
  assert.equal(await h1(), 'Users')
  await app.expectAccessible(page, 'user list')
  await navigateBy(page, page.getByRole('button', { name: 'Add a user' }))
  assert.equal(await h1(), 'Add a user')
  await app.expectAccessible(page, 'add user form')

  await page.getByLabel('Full name').fill(USER.name)
  await page.getByLabel('Email address').fill('not-an-email')
  await page.getByLabel('Agency', { exact: true }).selectOption({ label: AGENCY })
  await page.getByLabel('Password (optional)', { exact: true }).fill('too short')
  assert.equal(await submit('Save'), 400)
  assert.deepEqual(await errorSummaryLinks(page), [
    ['Enter an email address in the correct format, like name@example.org', '#email'],
    ['Select at least one role', '#roles'],
    ['The password must be at least 12 characters', '#password'],
  ])
  await app.expectAccessible(page, 'add user form with errors')
  // The "roles" link must lead to the first checkbox, so the focus lands in the fieldset.
  await page.locator('.govuk-error-summary a[href="#roles"]').click()
  assert.ok(await isFocused(page, 'input[name=roles]'), 'the roles error link focuses the first role')

  await page.getByLabel('Email address').fill(USER.email)
  await page.getByLabel('Team', { exact: true }).selectOption({ label: `${TEAM} (${AGENCY})` })
  await page.getByRole('checkbox', { name: 'Partner practitioner' }).check()
  await page.getByRole('checkbox', { name: 'Performance analyst' }).check()
  await page.getByLabel('Password (optional)', { exact: true }).fill(USER.password)
  assert.equal(await submit('Save'), 302)
  assert.match(await mainText(page), /The user was added\./)
  const row = (await tableRows()).find((r) => r.startsWith(USER.name))
  assert.equal(row, `${USER.name} ${USER.email} ${AGENCY} ${TEAM} Partner practitioner, Performance analyst Active`)
  await app.expectAccessible(page, 'user list after adding')
})

test('the administrator changes the user', async () => {
  await navigateBy(page, page.getByRole('link', { name: USER.name }))
  assert.equal(await h1(), 'Change user')
  assert.equal(await page.getByLabel('Full name').inputValue(), USER.name)
  assert.ok(await page.getByRole('checkbox', { name: 'Performance analyst' }).isChecked())
  await app.expectAccessible(page, 'change user form')

  await page.getByLabel('Full name').fill('')
  assert.equal(await submit('Save'), 400)
  assert.deepEqual(await errorSummaryLinks(page), [['Enter the full name', '#displayName']])
  assert.ok(await page.getByRole('checkbox', { name: 'Performance analyst' }).isChecked(), 'the ticked roles are kept')
  await app.expectAccessible(page, 'change user form with errors')

  await page.getByLabel('Full name').fill(CHANGED_NAME)
  await page.getByRole('checkbox', { name: 'Performance analyst' }).uncheck()
  assert.equal(await submit('Save'), 302)
  assert.match(await mainText(page), /Your changes to the user were saved\./)
  const row = (await tableRows()).find((r) => r.startsWith(CHANGED_NAME))
  assert.equal(row, `${CHANGED_NAME} ${USER.email} ${AGENCY} ${TEAM} Partner practitioner Active`)
})

test('a forged agency form is refused and adds nothing', async () => {
  await page.goto('/admin/agencies/new')
  await page.getByLabel('Name').fill('Forged agency (test)')
  await page.getByLabel('Type of agency').selectOption({ label: 'Housing' })
  await tamperCsrf(page, 'main form')
  assert.equal(await submit('Save'), 403)
  assert.equal(await h1(), 'Your form could not be sent')
  await app.expectAccessible(page, 'CSRF refusal page')
  await page.goto('/admin/agencies')
  const rows = await tableRows()
  assert.ok(rows.some((r) => r.startsWith(AGENCY)), 'the list loaded, still signed in')
  assert.ok(!rows.some((r) => r.startsWith('Forged agency')), 'the forged agency was not created')
})

test('a user without the administrator role cannot open the administration pages', async () => {
  const other = await app.newPage()
  await app.signIn(other, demoUser('team-manager').email)
  const response = await other.goto('/admin/users/new')
  assert.equal(response?.status(), 403)
  assert.equal((await other.locator('h1').innerText()).trim(), 'You cannot see this page')
  await app.expectAccessible(other, '403 page')
  await other.close()
})

test('every link in the administrator’s service navigation and the footer’s reference links opens an accessible page', async () => {
  await page.goto('/')
  const links = page.locator('nav[aria-label="Menu"] a, footer nav[aria-label="Reference"] a')
  const hrefs = await links.evaluateAll((els) => els.map((el) => (el as unknown as { getAttribute(n: string): string }).getAttribute('href')))
  assert.ok(hrefs.includes('/admin/users') && hrefs.includes('/directory'), `navigation: ${hrefs.join(', ')}`)
  for (const href of hrefs) {
    const response = await page.goto(href)
    assert.equal(response?.status(), 200, `${href} answered ${response?.status()}`)
    assert.ok((await h1()).length > 0, `${href} has a main heading`)
    await app.expectAccessible(page, `navigation: ${href}`)
  }
})

test('local timescales: a bad limit is explained, a good one is saved and shown on the timescales page', async () => {
  await page.goto('/admin/local-rules')
  await app.expectAccessible(page, 'local timescales form')
  await page.getByLabel('Limit').nth(1).fill('six')
  assert.equal(await submit('Save local timescales'), 400)
  const links = await errorSummaryLinks(page)
  assert.equal(links.length, 1)
  const [text, href] = links[0]!
  assert.equal(href, '#coreGroupCadence-limit')
  assert.match(text, /Core group meetings, from one to the next: enter a whole number from 1 to 999/)
  await app.expectAccessible(page, 'local timescales form with errors')
  await page.getByLabel('Limit').nth(1).fill('6')
  assert.equal(await submit('Save local timescales'), 302)
  assert.match(await mainText(page), /The partnership’s local timescales were saved\./)
  await app.expectAccessible(page, 'local timescales saved')
  await page.goto('/timescales')
  const row = (await page.locator('#rule-core-group').innerText()).replace(/\s+/g, ' ')
  assert.match(row, /6 weeks ?set by the partnership \(default 4 weeks\)/)
})

test('the new user signs in with their password and sees their home page', async () => {
  await app.signOut(page)
  await app.signIn(page, USER.email, USER.password)
  assert.equal(await h1(), `Hello, ${CHANGED_NAME}`)
  const text = await mainText(page)
  assert.match(text, /You are signed in as partner practitioner\./)
  assert.match(text, /Cases your agency is involved in Your agency is not involved in any open case\./)
  assert.doesNotMatch(text, /performance analyst/i, 'the performance analyst role was taken away')
  await app.expectAccessible(page, 'new user home page')
})

test('an e-mail that could not be sent is listed for the administrator, who sends it again', async () => {
  const ctx = await demoServiceContext(app, 'social-worker')
  const [manager] = await ctx.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demoUser('team-manager').email))
  await notifyUsers(ctx, ctx.db, [manager!.id], { kind: 'information-request-escalated', title: 'An overdue request', link: '/information-requests' })
  await ctx.db.update(notification).set({ emailStatus: 'failed', emailAttempts: 5, emailError: 'provider down' }).where(eq(notification.userId, manager!.id))
  const admin = await app.newPage()
  await app.signIn(admin, demoUser('administrator').email)
  await navigateBy(admin, admin.getByRole('link', { name: 'E-mails that could not be sent' }))
  assert.match(await admin.locator('main tbody').innerText(), /provider down/)
  await app.expectAccessible(admin, 'undelivered e-mails')
  await navigateBy(admin, admin.getByRole('button', { name: /^Send again/ }).first())
  assert.match(await mainText(admin), /will be sent again/)
})

test('every administration page family was scanned', () => {
  app.assertScanned(
    ['/', '/directory', '/admin/agencies', '/admin/agencies/new', '/admin/teams', '/admin/teams/new', '/admin/users', '/admin/users/new', '/admin/users/:id', '/admin/local-rules', '/timescales', '/admin/emails'],
    ['Your form could not be sent', 'You cannot see this page'],
  )
})
