/**
 * Browser journeys: typed work survives the end of a session, two tabs on one new form keep their
 * own drafts, and an idle tab does not end a session that another tab is using. The server's idle
 * time is 2 minutes (the shortest allowed); the session's end on the server is brought forward by
 * moving its stored expiry (as 2 idle minutes would), and each page's clock is faked. Demo data:
 * Ash Testcase is allocated to the demo social worker. Engine-independent: Chromium only.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { DEMO_PASSWORD, demoUser, navigateBy, postForm, sessionsEndIn as endSessionsIn, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let ash = ''
const worker = demoUser('social-worker')

before(async () => {
  app = await startBrowserApp({ sessionIdleMinutes: 2 })
})
after(async () => {
  await app?.close()
})

const sessionsEndIn = (seconds: number) => endSessionsIn(app, worker.email, seconds)

async function signedInOnNewNote(page: Page) {
  await app.signIn(page, worker.email)
  if (!ash) {
    const href = await page.getByRole('link', { name: 'Ash Testcase' }).first().getAttribute('href')
    ash = href!.slice('/cases/'.length)
  }
  await page.goto(`/cases/${ash}/notes/new`)
}

const tabCopies = (page: Page) => page.evaluate(() => Object.keys((globalThis as unknown as { sessionStorage: Record<string, string> }).sessionStorage).filter((k) => k.startsWith('together.draft:')).length)
const dialogOpen = (page: Page) => page.locator('#timeout-dialog').evaluate((el) => (el as unknown as { open: boolean }).open)
const draftSaved = (page: Page) => page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.startsWith('/api/v1/drafts/') && r.ok())

test('a Save after the session ended keeps the typed note, and signing in again puts it back', async () => {
  const page = await app.newPage()
  await signedInOnNewNote(page)
  await page.getByLabel('Title').fill('Home visit')
  await Promise.all([draftSaved(page), page.getByLabel('Note', { exact: true }).fill('Ash was at home.')])

  // The session ends on the server (idle elsewhere, a laptop asleep); the user goes on typing.
  await sessionsEndIn(-1)
  await page.getByLabel('Note', { exact: true }).fill('Ash was at home. Ash said school is going well.')
  await page.locator('[data-qa=save-note]').click()
  await page.getByText('You have been signed out, so this has not been saved yet.').waitFor()
  assert.equal(new URL(page.url()).pathname, `/cases/${ash}/notes/new`, 'the form is still there')
  assert.equal(await page.getByLabel('Note', { exact: true }).inputValue(), 'Ash was at home. Ash said school is going well.')
  await app.expectAccessible(page, 'new note form after the session ended')

  // Signing in again comes back to the form with what was typed.
  await navigateBy(page, page.locator('[data-qa=sign-in-again]'))
  assert.equal(new URL(page.url()).pathname, '/sign-in')
  await page.getByLabel('Email address').fill(worker.email)
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
  await postForm(page, () => page.locator('[data-qa=sign-in]').click())
  await page.waitForURL((u) => u.pathname === `/cases/${ash}/notes/new`)
  assert.equal(await page.locator('[data-qa=draft-restored]').innerText(), 'We restored what you typed before you were signed out')
  assert.equal(await page.getByLabel('Title').inputValue(), 'Home visit')
  assert.equal(await page.getByLabel('Note', { exact: true }).inputValue(), 'Ash was at home. Ash said school is going well.')
  await app.expectAccessible(page, 'new note form restored after signing in again')

  await page.locator('#occurredOn-day').fill('1')
  await page.locator('#occurredOn-month').fill('1')
  await page.locator('#occurredOn-year').fill('2025')
  await postForm(page, () => page.locator('[data-qa=save-note]').click())
  assert.equal(new URL(page.url()).pathname, `/cases/${ash}/notes`)
  assert.match(await page.locator('main').innerText(), /Home visit/)
  // Saved: nothing of the note is left in the tab.
  assert.equal(await tabCopies(page), 0)
})

test('two tabs on the same new-note form keep their own drafts', async () => {
  const first = await app.newPage()
  await signedInOnNewNote(first)
  const second = await first.context().newPage()
  await second.goto(`/cases/${ash}/notes/new`)
  await Promise.all([draftSaved(first), first.getByLabel('Title').fill('Typed in the first tab')])
  await Promise.all([draftSaved(second), second.getByLabel('Title').fill('Typed in the second tab')])

  await first.reload()
  await first.locator('[data-qa=draft-restored]').waitFor()
  assert.equal(await first.getByLabel('Title').inputValue(), 'Typed in the first tab')
  await second.reload()
  await second.locator('[data-qa=draft-restored]').waitFor()
  assert.equal(await second.getByLabel('Title').inputValue(), 'Typed in the second tab')

  // Signing out sends what was just typed to the server, then leaves nothing of it in the tab.
  await second.getByLabel('Title').fill('Typed just before signing out')
  assert.equal(await tabCopies(second), 1)
  await Promise.all([draftSaved(second), app.signOut(second)])
  assert.equal(await tabCopies(second), 0)
})

test('typing in one tab keeps the session alive: the idle tab re-arms instead of signing out', async () => {
  const typing = await app.newPage()
  await signedInOnNewNote(typing)
  const idle = await typing.context().newPage()
  await idle.clock.install()
  await idle.goto('/')
  await idle.locator('[data-qa=signed-in-user]').waitFor()

  // The session has 50 seconds left on the server: the idle tab asks before warning, and warns.
  await sessionsEndIn(50)
  await idle.clock.runFor('01:05')
  await idle.getByRole('dialog', { name: 'You’re about to be signed out' }).waitFor()

  // Typing in the other tab saves a draft, which renews the session; the idle tab, asking again
  // while it warns, finds the session renewed, closes the warning and waits a whole idle time.
  await Promise.all([draftSaved(typing), typing.getByLabel('Title').fill('Still typing')])
  await idle.clock.runFor('00:11')
  await idle.locator('#timeout-dialog').waitFor({ state: 'hidden' })
  await Promise.all([
    idle.waitForResponse((r) => new URL(r.url()).pathname === '/session/status'),
    idle.clock.runFor('01:05'),
  ])
  assert.equal(await dialogOpen(idle), false, 'the idle tab does not warn while the session has time left')
  assert.equal(new URL(idle.url()).pathname, '/', 'the idle tab did not sign out')

  await Promise.all([draftSaved(typing), typing.getByLabel('Note', { exact: true }).fill('And still signed in.')])
  await idle.reload()
  await idle.locator('[data-qa=signed-in-user]').waitFor()
})
