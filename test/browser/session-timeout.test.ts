/**
 * Browser journey: the session time-out warning. The server signs people out after 2 idle minutes
 * (the shortest allowed), so the page warns 1 minute before. The browser's clock is faked and
 * fast-forwarded; the dialog is scanned with axe-core while open.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { demoUser, isFocused, sessionsEndIn, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp

before(async () => {
  app = await startBrowserApp({ sessionIdleMinutes: 2 })
})
after(async () => {
  await app?.close()
})

const dialogOpen = (page: Page) => page.locator('#timeout-dialog').evaluate((el) => (el as unknown as { open: boolean }).open)

test('the time-out warning appears, "Stay signed in" keeps the session, and inactivity signs the user out', async () => {
  const user = demoUser('social-worker')
  const page = await app.newPage({ beforeNavigation: (p) => p.clock.install() })
  await app.signIn(page, user.email)
  assert.equal(await page.locator('body').getAttribute('data-session-idle-seconds'), '120')
  assert.equal(await dialogOpen(page), false, 'no warning straight after signing in')

  // The warning comes 60 seconds before the 2 minutes run out. (The fake clock also moves with
  // real time, so the checks leave a few seconds' margin either side.)
  await page.clock.runFor('00:55')
  assert.equal(await dialogOpen(page), false, 'no warning before the last minute')
  // Before warning, the page asks the server how long the session has left (another tab may have
  // kept it alive): the server's session is brought to where 65 idle seconds would have taken it.
  await sessionsEndIn(app, user.email, 55)
  await page.clock.runFor('00:10')
  await page.getByRole('dialog', { name: 'You’re about to be signed out' }).waitFor()
  assert.equal(await dialogOpen(page), true)
  const countdown = await page.locator('[data-timeout-countdown]').innerText()
  const secondsLeft = Number(/^(\d+) seconds$/.exec(countdown)?.[1])
  assert.ok(secondsLeft >= 45 && secondsLeft <= 55, `countdown shows "${countdown}"`)
  assert.ok(await isFocused(page, '[data-timeout-stay]'), '"Stay signed in" has the focus')
  await app.expectAccessible(page, 'time-out warning dialog')

  const [keepAlive] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/session/keep-alive'),
    page.getByRole('button', { name: 'Stay signed in' }).click(),
  ])
  assert.equal(keepAlive.request().method(), 'POST')
  assert.equal(keepAlive.status(), 200)
  assert.equal(keepAlive.request().headers()['x-csrf-token'], await page.locator('body').getAttribute('data-csrf-token'))
  // (The page never reads the response body, so Chromium does not keep it for keepAlive.json().)
  await page.locator('#timeout-dialog').waitFor({ state: 'hidden' })
  assert.equal(await dialogOpen(page), false, 'the warning closes')
  assert.equal(new URL(page.url()).pathname, '/', 'still on the home page')

  // The countdown starts again from the keep-alive: no warning for another minute...
  await page.clock.runFor('00:55')
  assert.equal(await dialogOpen(page), false, 'the warning waits for a full idle period again')
  await sessionsEndIn(app, user.email, 55)
  await page.clock.runFor('00:10')
  await page.getByRole('dialog', { name: 'You’re about to be signed out' }).waitFor()
  assert.equal(await dialogOpen(page), true, 'the warning comes back when idle again')

  // ...and when the time runs out the browser signs out and says why.
  await sessionsEndIn(app, user.email, -1)
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('timeout') === '1'),
    page.clock.runFor('01:05'),
  ])
  const banner = (await page.locator('.govuk-notification-banner').innerText()).replace(/\s+/g, ' ')
  assert.match(banner, /You were signed out because you had not done anything for 2 minutes\. Sign in again to carry on\./)
  assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  await app.expectAccessible(page, 'sign-in page after a time-out')

  // The session really ended on the server.
  await page.goto('/')
  assert.equal(new URL(page.url()).pathname, '/sign-in')
})

test('"Stay signed in" after the session has ended on the server signs the user out', async () => {
  const page = await app.newPage({ beforeNavigation: (p) => p.clock.install() })
  await app.signIn(page, demoUser('team-manager').email)
  await sessionsEndIn(app, demoUser('team-manager').email, 55)
  await page.clock.runFor('01:01')
  await page.getByRole('dialog', { name: 'You’re about to be signed out' }).waitFor()
  // The session ends on the server (as when another tab signs out): its cookie no longer names a
  // live session. Ended directly, in milliseconds: a sign-out through another tab took long enough
  // on a loaded machine for the page's own check, every 10 seconds of the countdown, to find the
  // session gone and sign out before "Stay signed in" was pressed.
  await sessionsEndIn(app, demoUser('team-manager').email, 0)

  const [keepAlive] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/session/keep-alive'),
    page.waitForURL((u) => u.pathname === '/sign-in'),
    page.getByRole('button', { name: 'Stay signed in' }).click(),
  ])
  // No session, so no CSRF secret either: the keep-alive is refused (403) before it could say 401.
  assert.ok([401, 403].includes(keepAlive.status()), `keep-alive answered ${keepAlive.status()}`)
  assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  await page.goto('/')
  assert.equal(new URL(page.url()).pathname, '/sign-in')
})

test('the pages reached were scanned', () => {
  app.assertScanned(['/', '/sign-in'], ['Hello, Sam Worker (demo)', 'Sign in to Together'])
})
