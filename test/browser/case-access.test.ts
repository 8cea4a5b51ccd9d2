/**
 * Browser journey: who can open a child's case. The allocated social worker opens it; a front door
 * practitioner with no relationship uses break-glass (after an empty reason is refused); a partner
 * practitioner is refused outright; a team manager opens a restricted record by explicit
 * permission; then the auditor finds the break-glass access in the access log. The tests run in
 * order and share the cases' ids. Every page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { demoUser, navigateBy, errorSummaryLinks, isFocused, mainText, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
const caseIds: Record<string, string> = {}
const REASON = 'Police called about an incident involving this child tonight (test)'

before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

const h1 = async (page: Page) => (await page.locator('h1').innerText()).trim()

/** The case page's warning texts (break-glass, restricted), in order. */
async function warnings(page: Page): Promise<string[]> {
  const texts = await page.locator('main .govuk-warning-text__text').allInnerTexts()
  return texts.map((t) => t.replace(/\s+/g, ' ').replace(/^Warning\s*/, '').trim())
}

test('the allocated social worker opens Ash Testcase from their home page', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  const allocated = page.locator('table', { has: page.locator('caption', { hasText: 'Your allocated cases' }) })
  for (const name of ['Ash Testcase', 'Bea Fictional']) {
    const href = await allocated.getByRole('link', { name }).getAttribute('href')
    assert.match(href ?? '', /^\/cases\/[0-9a-f-]{36}$/)
    caseIds[name] = href!.slice('/cases/'.length)
  }
  await navigateBy(page, allocated.getByRole('link', { name: 'Ash Testcase' }))
  await page.waitForURL(`**/cases/${caseIds['Ash Testcase']}`)
  assert.equal(await h1(page), 'Ash Testcase')
  assert.equal(await page.title(), 'Ash Testcase – Together')
  const text = await mainText(page)
  assert.match(text, /NHS number 9990000018/)
  assert.match(text, /Allocated worker Sam Worker \(demo\)/)
  // The agencies involved, in the summary at a glance: the agency, its involvement and who referred.
  assert.match(text, /Oakfield Primary School \(demo\) School \(designated safeguarding lead\), from /)
  assert.match(text, /You can see this record because: allocated worker\./)
  assert.deepEqual(await warnings(page), [], 'no break-glass or restricted warning')
  await app.expectAccessible(page, 'case page (allocated worker)')
})

test('a front door practitioner with no relationship to Bea opens her case by break-glass', async () => {
  const bea = caseIds['Bea Fictional']
  assert.ok(bea, 'the previous test found the case ids')
  const page = await app.newPage()
  await app.signIn(page, demoUser('front-door-practitioner').email)
  const response = await page.goto(`/cases/${bea}`)
  assert.equal(response?.status(), 403)
  assert.equal(await h1(page), 'You are not involved with this case')
  assert.doesNotMatch(await mainText(page), /Bea|Fictional|9990000026/, 'nothing about the child is shown yet')
  await app.expectAccessible(page, 'break-glass page')

  const empty = await postForm(page, () => page.locator('[data-qa=break-glass]').click())
  assert.equal(empty.status(), 400)
  assert.deepEqual(await errorSummaryLinks(page), [
    ['Explain why you need to see this record (at least 10 characters)', '#reason'],
  ])
  assert.ok(await isFocused(page, '.govuk-error-summary'))
  assert.match(await page.locator('#reason-error').innerText(), /Explain why you need to see this record/)
  await app.expectAccessible(page, 'break-glass page with an error')

  await page.getByLabel('Why do you need to see this record?').fill(REASON)
  await Promise.all([page.waitForURL(`**/cases/${bea}`), page.locator('[data-qa=break-glass]').click()])
  assert.equal(await h1(page), 'Bea Fictional')
  assert.deepEqual(await warnings(page), [
    'You are seeing this record by break-glass access. Your access and your reason are shown to auditors.',
  ])
  assert.match(await mainText(page), /You can see this record because: break glass\./)
  await app.expectAccessible(page, 'case page by break-glass')
})

test('a partner practitioner gets no break-glass: Bea’s case is simply refused', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('partner-practitioner').email)
  const response = await page.goto(`/cases/${caseIds['Bea Fictional']}`)
  assert.equal(response?.status(), 403)
  assert.equal(await h1(page), 'You cannot see this page')
  assert.match(await mainText(page), /You are not allocated to, invited to or otherwise involved with this case\./)
  assert.equal(await page.locator('textarea, [data-qa=break-glass]').count(), 0, 'no break-glass form')
  await app.expectAccessible(page, '403 page (partner)')

  // The case their agency is involved in opens normally.
  await page.goto('/')
  await navigateBy(page, page.getByRole('link', { name: 'Ash Testcase' }))
  assert.equal(await h1(page), 'Ash Testcase')
  assert.match(await mainText(page), /You can see this record because: agency involvement\./)
})

test('the team manager opens the restricted Dee Notreal by explicit permission; a social worker cannot', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('team-manager').email)
  const link = page.getByRole('link', { name: 'Dee Notreal' })
  const dee = ((await link.getAttribute('href')) ?? '').slice('/cases/'.length)
  await link.click()
  assert.equal(await h1(page), 'Dee Notreal')
  assert.deepEqual(await warnings(page), [
    'This is a restricted record. Do not share it outside the people permitted to see it.',
  ])
  assert.match(await mainText(page), /You can see this record because: explicit permission\./)
  await app.expectAccessible(page, 'case page (restricted record)')

  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  const response = await worker.goto(`/cases/${dee}`)
  assert.equal(response?.status(), 403)
  assert.equal(await h1(worker), 'You cannot see this page')
  assert.match(await mainText(worker), /This is a restricted record\. Ask a manager of the case’s team to give you explicit permission/)
  assert.doesNotMatch(await mainText(worker), /Dee|Notreal/)
})

test('the auditor finds the break-glass access in Bea’s access history and the break-glass list', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('auditor').email)
  await navigateBy(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Access log' }))
  assert.equal(await h1(page), 'Who has looked at a child’s record')
  await app.expectAccessible(page, 'access log search')

  await page.getByLabel('Child’s name or NHS number').fill('F')
  await navigateBy(page, page.locator('[data-qa=audit-search]'))
  await page.locator('.govuk-error-summary').waitFor()
  assert.deepEqual(await errorSummaryLinks(page), [['Enter at least 2 characters of a name, or a 10-digit NHS number', '#q']])
  await app.expectAccessible(page, 'access log search with an error')

  await page.getByLabel('Child’s name or NHS number').fill('Fictional')
  await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'Fictional'), page.locator('[data-qa=audit-search]').click()])
  const results = page.locator('main table')
  assert.equal((await results.locator('caption').innerText()).trim(), '1 person found')
  assert.deepEqual(
    (await results.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim()),
    ['Bea Fictional 2 July 2019 9990000026'],
  )
  await app.expectAccessible(page, 'access log search results')

  await navigateBy(page, results.getByRole('link', { name: 'Bea Fictional' }))
  assert.equal(await h1(page), 'Who has looked at Bea Fictional’s record')
  const rows = page.locator('main tbody tr')
  const frans = rows.filter({ hasText: 'Fran Door (demo)' })
  const breakGlass = frans.filter({ hasText: 'Opened the case by break-glass' })
  assert.equal(await breakGlass.count(), 1, 'one break-glass entry by the front door practitioner')
  assert.equal((await breakGlass.locator('.govuk-tag').innerText()).trim(), 'Break-glass')
  assert.match(await breakGlass.innerText(), new RegExp(`by break-glass \\(no relationship to the child\\): “${REASON.replace(/[()]/g, '\\$&')}”`))
  // No one else used break-glass on Bea: the partner's refused attempt left no break-glass entry.
  assert.equal(await rows.filter({ has: page.locator('.govuk-tag') }).filter({ hasNotText: 'Fran Door (demo)' }).count(), 0)
  assert.equal(await rows.filter({ hasText: 'Pat Partner (demo)' }).filter({ hasText: 'Break-glass' }).count(), 0)
  await app.expectAccessible(page, 'person access history')

  await page.goto('/audit')
  await navigateBy(page, page.getByRole('link', { name: 'Review break-glass access' }))
  assert.equal(await h1(page), 'Break-glass access')
  const entries = page.locator('main tbody tr')
  assert.ok((await entries.count()) >= 1)
  const entry = entries.filter({ hasText: 'Opened the case by break-glass' })
  assert.equal(await entry.count(), 1)
  assert.match(await entry.innerText(), /Fran Door \(demo\)/)
  assert.match(await entry.innerText(), /Police called about an incident/)
  await app.expectAccessible(page, 'break-glass list')
})

test('every case and audit page family was scanned', () => {
  app.assertScanned(
    ['/cases/:id', '/audit', '/audit/people/:id', '/audit/break-glass'],
    ['You are not involved with this case', 'You cannot see this page', 'Ash Testcase', 'Bea Fictional', 'Dee Notreal'],
  )
})
