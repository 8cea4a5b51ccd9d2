/**
 * Two `together serve` processes on one PostgreSQL database, as behind a load balancer (issue 20,
 * item 1): they share nothing but the database. A browser signs in on one and carries on on the
 * other (the session, its CSRF token and the session secret are in the database); signing out on
 * one ends the session on both; wrong passwords typed on either count towards one lock-out.
 * The embedded database serves one process only (test/crash/serving.test.ts), so this runs on the
 * PostgreSQL pass.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { openDatabase } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { provisionUser } from '../../src/services/organisation/provisioning.ts'
import { postgresEngine, serve, type Engine, type Served } from '../crash/server-process.ts'
import { CHROMIUM_PATH, LAUNCH_ARGS, requireChromium } from '../browser/support.ts'

const PASSWORD = 'two servers, one database 26'
const WORKER = 'worker@two-servers.together.invalid'
const LOCKED = 'locked@two-servers.together.invalid'

describe('two app servers on one database', { skip: process.env.DATABASE_URL ? false : 'several servers need PostgreSQL (set DATABASE_URL); the embedded database serves one process' }, () => {
  let engine: Engine
  let a: Served
  let b: Served
  let browser: Browser

  before(async () => {
    requireChromium()
    engine = await postgresEngine(process.env.DATABASE_URL!)
    const database = await openDatabase(engine.target)
    try {
      await runMigrations(database)
      for (const email of [WORKER, LOCKED]) {
        await provisionUser(
          database.db,
          {
            agencyName: 'Twinshire Council',
            agencyType: 'la-childrens-social-care',
            partnershipName: 'Twinshire Partnership',
            user: { displayName: email === WORKER ? 'Tess Twin' : 'Lou Locked', email, roles: ['social-worker'], active: true, password: PASSWORD },
          },
          new Date(),
        )
      }
    } finally {
      await database.close()
    }
    const env = { TOGETHER_SIGN_IN_MAX_FAILURES: '3' }
    ;[a, b] = await Promise.all([serve(engine, env), serve(engine, env)])
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS })
  })

  after(async () => {
    await browser?.close().catch(() => {})
    for (const s of [a, b]) {
      if (!s) continue
      s.child.kill('SIGTERM')
      await s.exited
    }
    await engine?.cleanup()
  })

  async function signInForm(page: Page, server: Served, email: string, password: string): Promise<void> {
    await page.goto(`${server.url}/sign-in`)
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await Promise.all([page.waitForLoadState('load'), page.locator('[data-qa=sign-in]').click()])
  }

  test('signed in on one server, the user carries on on the other, and signing out there ends it on both', async () => {
    assert.notEqual(a.url, b.url)
    const page = await (await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' })).newPage()
    await signInForm(page, a, WORKER, PASSWORD)
    assert.match(await page.locator('[data-qa=signed-in-user]').innerText(), /Tess Twin/)

    // The same browser (cookies are per host, not per port) on the other server.
    await page.goto(`${b.url}/`)
    assert.match(await page.locator('[data-qa=signed-in-user]').innerText(), /Tess Twin/, 'the second server knows the session')
    // A form rendered by the second server, posted with the session's CSRF token: signing out.
    await Promise.all([page.waitForURL((u) => u.pathname === '/sign-in'), page.locator('[data-qa=sign-out]').click()])

    await page.goto(`${a.url}/`)
    assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out on one server is signed out on the other')
    assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  })

  test('wrong passwords typed on either server count towards one lock-out', async () => {
    const page = await (await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' })).newPage()
    for (const server of [a, b, a]) await signInForm(page, server, LOCKED, 'not the password at all')
    await signInForm(page, b, LOCKED, PASSWORD)
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    assert.match(await page.locator('main').innerText(), /too many/i)
    assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  })
})
