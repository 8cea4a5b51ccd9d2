/**
 * Drafts on every long form (issue 17, section 6), in Chromium, on the demo data: for an
 * assessment, a conference's outcome, a new strategy discussion and a new LADO allegation (a
 * partnership form), what the user types is saved as a draft; the session then ends (its stored
 * expiry is brought forward, as 2 idle minutes would), the user opens the form again, is sent to
 * sign in, comes back to the form and finds the text, with a notice. Saving the record discards
 * the draft; "Discard this draft" empties the form. Every state is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { conference } from '../../src/db/schema/index.ts'
import type { Role } from '../../src/domain/access/roles.ts'
import { DEMO_PASSWORD, demoCase, demoUser, navigateBy, postForm, sessionsEndIn, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let ash = ''

before(async () => {
  app = await startBrowserApp({ sessionIdleMinutes: 2 })
  ash = (await demoCase(app, 'Ash', 'Testcase')).caseId
})
after(async () => {
  await app?.close()
})

const draftSaved = (page: Page) => page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.startsWith('/api/v1/drafts/') && r.ok())
const RESTORED = /^Restored your unsaved draft from \d\d:\d\d$/

/**
 * Signs in as `role`, opens `path` (or the page `open` leads to), types `text` into `field`, lets
 * the session end, opens the form again, signs in and checks the text is back. Returns the page.
 */
async function typedThenTimedOut(role: Role, path: string, field: string, text: string, label: string, open?: (page: Page) => Promise<void>): Promise<Page> {
  const { email } = demoUser(role)
  const page = await app.newPage()
  await app.signIn(page, email)
  await page.goto(path)
  if (open) await open(page)
  const formPath = new URL(page.url()).pathname
  await app.expectAccessible(page, `${label}: the form`)
  await Promise.all([draftSaved(page), page.locator(field).fill(text)])

  await sessionsEndIn(app, email, -1)
  await page.goto(formPath)
  assert.equal(new URL(page.url()).pathname, '/sign-in', `${label}: the ended session asks to sign in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
  await postForm(page, () => page.locator('[data-qa=sign-in]').click())
  await page.waitForURL((u) => u.pathname === formPath)
  await page.locator('[data-qa=draft-restored]').waitFor()
  assert.match(await page.locator('[data-qa=draft-restored]').innerText(), RESTORED)
  assert.equal(await page.locator(field).inputValue(), text, `${label}: the typed text is back`)
  await app.expectAccessible(page, `${label}: restored after signing in again`)
  return page
}

/** The user's draft under `key` (through the JSON API, with the page's session). */
const draftStatus = async (page: Page, key: string) => (await page.request.get(`/api/v1/drafts/${encodeURIComponent(key)}`)).status()

test('an assessment: the analysis typed before the session ended is back after signing in, and saving discards the draft', async () => {
  const page = await typedThenTimedOut('social-worker', `/cases/${ash}/assessments`, '#analysis', 'Ash is settled at school; the risk is at weekends (test).', 'assessment', async (p) => {
    await navigateBy(p, p.getByRole('link', { name: 'Child and family (single) assessment' }))
  })
  const key = (await page.locator('#progress-form').getAttribute('data-autosave'))!
  assert.match(key, /^assessment:[0-9a-f-]{36}$/)
  assert.equal(await draftStatus(page, key), 200)
  const saved = await postForm(page, () => page.locator('[data-qa=save-progress]').click())
  assert.equal(saved.status(), 302)
  assert.equal(await draftStatus(page, key), 404, 'saved: the draft is gone')
  assert.equal(await page.locator('#analysis').inputValue(), 'Ash is settled at school; the risk is at weekends (test).')
  assert.equal(await page.locator('[data-qa=draft-restored]').count(), 0, 'the saved record opens without a notice')
})

test('a review conference’s outcome: the dissent typed by the chair survives the session’s end', async () => {
  const { caseId } = await demoCase(app, 'Eve', 'Pretendson')
  const [review] = await app.running.database.db
    .select({ id: conference.id })
    .from(conference)
    .where(and(eq(conference.caseId, caseId), eq(conference.kind, 'review')))
  const page = await typedThenTimedOut('conference-chair', `/cases/${caseId}/conferences/${review!.id}`, '#dissent', 'Mother disagreed: she thinks the nursery place is enough (test).', 'conference outcome')
  assert.equal(await page.locator('form[data-autosave]').first().getAttribute('data-autosave'), `conference-outcome:${review!.id}`)
})

test('a new strategy discussion: the draft is this tab’s, and "Discard this draft" empties the form', async () => {
  const page = await typedThenTimedOut('social-worker', `/cases/${ash}/strategy-discussions/new`, '#informationShared', 'Police hold no record; school reports bruising (test).', 'strategy discussion')
  const key = (await page.locator('input[name=_draftKey]').inputValue())!
  assert.match(key, new RegExp(`^strategy-discussion-new:${ash}:tab-[0-9a-f-]{36}$`))
  await Promise.all([page.waitForEvent('load'), page.locator('[data-qa=discard-restored-draft]').click()])
  assert.equal(await page.locator('#informationShared').inputValue(), '')
  assert.equal(await page.locator('[data-qa=draft-restored]').count(), 0)
  assert.equal(await draftStatus(page, key), 404)
  await app.expectAccessible(page, 'strategy discussion: draft discarded')
})

test('a new LADO allegation (a partnership form): the allegation typed survives the session’s end', async () => {
  await typedThenTimedOut('designated-officer', '/partnership/lado/new', '#allegation', 'A parent says a coach shouted at a child and grabbed his arm (test).', 'LADO allegation')
})
