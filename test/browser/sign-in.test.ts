/**
 * Browser journeys: signing in and out as every demo role, the sign-in form's errors, keyboard
 * use, CSRF rejection, and the 404 page, each page scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { roleIds, type Role } from '../../src/domain/access/roles.ts'
import { DEMO_USERS } from '../../src/services/demo/demo-seed.ts'
import {
  demoUser,
  errorSummaryLinks,
  isFocused,
  postForm,
  mainText,
  startBrowserApp,
  tamperCsrf,
  type BrowserApp,
} from './support.ts'

let app: BrowserApp

before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

const CHILDREN = ['Ash Testcase', 'Bea Fictional', 'Cody Madeup', 'Dee Notreal']

interface HomeExpectation {
  /** Headings (h2 or table captions) the home page must show. */
  sections: string[]
  /** Children the home page must link to; every other demo child must be absent. */
  children: string[]
  /** Other text the page must contain. */
  text?: string[]
  /** Service navigation items beyond Home and the directory. */
  extraNavigation?: string[]
}

const HOME: Record<Role, HomeExpectation> = {
  'front-door-practitioner': {
    sections: ['Front door cases', 'Cases you are invited to'],
    children: ['Cody Madeup'],
    text: ['You have no invitations.'],
    extraNavigation: ['Front door', 'Record a contact', 'Tasks'],
  },
  'social-worker': {
    sections: ['Your allocated cases', "Your team's cases"],
    // Dee Notreal is in the same team but restricted: the social worker has no permission.
    children: ['Ash Testcase', 'Bea Fictional'],
    extraNavigation: ['Record a contact', 'My caseload', 'Tasks'],
  },
  'team-manager': {
    sections: ["Your team's cases"],
    children: ['Ash Testcase', 'Bea Fictional', 'Dee Notreal'],
    extraNavigation: ['Front door', 'Record a contact', 'My team', 'Tasks'],
  },
  // Invited to chair Eve's review conference only (Eve is not among CHILDREN); no invitation to a conference that does not exist.
  'conference-chair': { sections: ['Cases you are invited to'], children: [], extraNavigation: ['Tasks'] },
  // The demo's IRO reviews Fern (not among CHILDREN): her list is one link away.
  'independent-reviewing-officer': { sections: ['Cases you are invited to', 'Children you review'], children: [], extraNavigation: ['Children I review'] },
  'partner-practitioner': {
    sections: ['Cases your agency is involved in', 'Cases you are invited to'],
    children: ['Ash Testcase'],
    extraNavigation: ['Tasks'],
  },
  'unscheduled-care': { sections: [], children: [], text: ['You are signed in as unscheduled care clinician.'] },
  'business-unit': { sections: [], children: [], text: ['You are signed in as partnership business unit.'] },
  'designated-officer': { sections: [], children: [], text: ['You are signed in as designated officer (lado).'] },
  'performance-analyst': { sections: [], children: [], text: ['You are signed in as performance analyst.'] },
  auditor: {
    sections: ['Audit'],
    children: [],
    text: ['Find who has looked at a child’s record', 'Review break-glass access'],
    extraNavigation: ['Access log'],
  },
  administrator: {
    sections: ['Administration'],
    children: [],
    text: ['Manage agencies', 'Manage teams', 'Manage users and their roles'],
    extraNavigation: ['Manage agencies', 'Manage teams', 'Manage users'],
  },
}

/** Navigation items only some roles get. */
const GATED_NAVIGATION = [
  'Front door',
  'Record a contact',
  'My caseload',
  'My team',
  'Tasks',
  'Children I review',
  'Manage agencies',
  'Manage teams',
  'Manage users',
  'Access log',
]

async function sectionTitles(page: Page): Promise<string[]> {
  const texts = await page.locator('main h2, main caption').allTextContents()
  return texts.map((t) => t.trim())
}

async function navigationItems(page: Page): Promise<string[]> {
  const texts = await page.locator('.govuk-service-navigation__item').allTextContents()
  return texts.map((t) => t.replace(/\s+/g, ' ').trim())
}

test('an empty sign-in shows a focused error summary linking to each field', async () => {
  const page = await app.newPage()
  const first = await page.goto('/sign-in')
  assert.equal(first?.status(), 200)
  assert.equal(await page.title(), 'Sign in – Together')
  await app.expectAccessible(page, 'sign-in page')

  const response = await postForm(page, () => page.locator('[data-qa=sign-in]').click())
  assert.equal(response.status(), 400)
  await page.locator('.govuk-error-summary').waitFor()
  assert.match(await page.title(), /^Error: Sign in/)
  assert.deepEqual(await errorSummaryLinks(page), [
    ['Enter your email address', '#email'],
    ['Enter your password', '#password'],
  ])
  assert.ok(await isFocused(page, '.govuk-error-summary'), 'the error summary has the focus')
  assert.match(await page.locator('#email-error').innerText(), /Enter your email address/)
  assert.match(await page.locator('#password-error').innerText(), /Enter your password/)
  await app.expectAccessible(page, 'sign-in page with errors')

  await page.locator('.govuk-error-summary a[href="#password"]').click()
  assert.ok(await isFocused(page, '#password'), 'the error link moves the focus to its field')
})

test('a wrong password is refused without saying which part was wrong', async () => {
  const page = await app.newPage()
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(demoUser('social-worker').email)
  await page.getByLabel('Password', { exact: true }).fill('not-the-password')
  const response = await postForm(page, () => page.locator('[data-qa=sign-in]').click())
  assert.equal(response.status(), 401)
  assert.deepEqual(await errorSummaryLinks(page), [['Enter a correct email address and password', '#email']])
  assert.equal(await page.getByLabel('Email address').inputValue(), demoUser('social-worker').email)
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not sent back')
  assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  await app.expectAccessible(page, 'sign-in page after a wrong password')
})

// One demo user per role (the first holding it), three at a time, each in its own browser context.
describe('each demo role', { concurrency: 3 }, () => {
  for (const user of roleIds.map((role) => DEMO_USERS.find((u) => u.role === role)!)) {
    test(`${user.role} signs in to their home page and signs out`, async () => {
      const expected = HOME[user.role]
      const page = await app.newPage()
      await app.signIn(page, user.email)
      assert.equal(new URL(page.url()).pathname, '/')
      assert.equal((await page.locator('h1').innerText()).trim(), `Hello, ${user.displayName}`)
      assert.equal((await page.locator('[data-qa=signed-in-user]').innerText()).trim(), user.displayName)

      const titles = await sectionTitles(page)
      for (const section of expected.sections) assert.ok(titles.includes(section), `"${section}" is missing from ${titles.join(', ')}`)
      for (const other of ['Administration', 'Audit']) {
        if (!expected.sections.includes(other)) assert.ok(!titles.includes(other), `${user.role} should not see "${other}"`)
      }
      const caseLinks = new Set((await page.locator('main a[href^="/cases/"]').allTextContents()).map((t) => t.trim()))
      assert.deepEqual(
        CHILDREN.filter((c) => caseLinks.has(c)),
        expected.children,
        `children on ${user.role}'s home page`,
      )
      const text = await mainText(page)
      for (const t of expected.text ?? []) assert.ok(text.includes(t), `"${t}" is missing from: ${text}`)
      // Role-gated navigation items appear exactly for their roles (other items may come and go).
      const navigation = await navigationItems(page)
      assert.equal(navigation[0], 'Home')
      assert.equal(await page.getByRole('contentinfo').getByRole('link', { name: 'Agencies and teams' }).count(), 1)
      assert.deepEqual(
        GATED_NAVIGATION.filter((item) => navigation.includes(item)),
        expected.extraNavigation ?? [],
        `${user.role}'s navigation: ${navigation.join(', ')}`,
      )
      await app.expectAccessible(page, `${user.role} home page`)

      await app.signOut(page)
      assert.equal((await page.locator('h1').innerText()).trim(), 'Sign in to Together')
      if (user.role === 'administrator') await app.expectAccessible(page, 'signed-out page')
      // The session is gone: the home page asks for sign-in again.
      await page.goto('/')
      assert.equal(new URL(page.url()).pathname, '/sign-in')
    })
  }
})

test('the skip link is the first Tab stop, and the sign-in form works by keyboard alone', async () => {
  const page = await app.newPage()
  await page.goto('/sign-in')
  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page, '.govuk-skip-link'), 'Tab first reaches the skip link')
  assert.equal((await page.locator('.govuk-skip-link').innerText()).trim(), 'Skip to main content')
  await page.keyboard.press('Enter')
  assert.ok(await isFocused(page, '#main-content'), 'the skip link moves the focus to the main content')

  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page, '#email'), 'the next Tab reaches the email field')
  await page.keyboard.type(demoUser('conference-chair').email)
  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page, '#password'), 'then the password field')
  await page.keyboard.type('demo-password')
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.keyboard.press('Enter')])
  assert.equal((await page.locator('h1').innerText()).trim(), `Hello, ${demoUser('conference-chair').displayName}`)

  // The header's sign-out button works from the keyboard too.
  await page.locator('[data-qa=sign-out]').focus()
  await Promise.all([page.waitForURL((u) => u.searchParams.get('signedOut') === '1'), page.keyboard.press('Enter')])
  await page.getByText('You have signed out.').waitFor()
})

test('a sign-in form with a forged CSRF token is refused and does not sign in', async () => {
  const page = await app.newPage()
  await page.goto('/sign-in')
  await page.getByLabel('Email address').fill(demoUser('social-worker').email)
  await page.getByLabel('Password', { exact: true }).fill('demo-password')
  await tamperCsrf(page, 'form[action="/sign-in"]')
  const response = await postForm(page, () => page.locator('[data-qa=sign-in]').click())
  assert.equal(response.status(), 403)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Your form could not be sent')
  assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  await app.expectAccessible(page, 'CSRF refusal page (signed out)')
  await page.goto('/')
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'not signed in')
})

test('a sign-out with a forged CSRF token is refused and leaves the user signed in', async () => {
  const user = demoUser('partner-practitioner')
  const page = await app.newPage()
  await app.signIn(page, user.email)
  await tamperCsrf(page, '.app-header-user form[action="/sign-out"]')
  const response = await postForm(page, () => page.locator('[data-qa=sign-out]').click())
  assert.equal(response.status(), 403)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Your form could not be sent')
  await app.expectAccessible(page, 'CSRF refusal page (signed in)')
  await page.goto('/')
  assert.equal((await page.locator('h1').innerText()).trim(), `Hello, ${user.displayName}`)
})

test('an unknown address shows the 404 page, signed out and signed in', async () => {
  const page = await app.newPage()
  const anonymous = await page.goto('/no-such-page')
  assert.equal(anonymous?.status(), 404)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Page not found')
  assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  await app.expectAccessible(page, '404 page (signed out)')

  await app.signIn(page, demoUser('social-worker').email)
  const signedIn = await page.goto('/cases/not-a-case-id/anything')
  assert.equal(signedIn?.status(), 404)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Page not found')
  assert.equal((await page.locator('[data-qa=signed-in-user]').innerText()).trim(), demoUser('social-worker').displayName)
  await app.expectAccessible(page, '404 page (signed in)')

  const noSuchCase = await page.goto('/cases/00000000-0000-4000-8000-000000000000')
  assert.equal(noSuchCase?.status(), 404)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Page not found')
})

test('every page family reached in this file was scanned', () => {
  app.assertScanned(['/sign-in', '/'], ['Sign in to Together', 'Page not found', 'Your form could not be sent'])
  assert.ok(app.scans.length >= 9 + 6, `only ${app.scans.length} scans`)
})
