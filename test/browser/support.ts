/**
 * Browser test support: one Together server (on a throwaway embedded PGlite data directory, with
 * the fictional demo partnership) and one Chromium per test file, plus helpers for signing in and
 * out and for scanning pages with axe-core.
 *
 *   const app = await startBrowserApp()
 *   after(() => app.close())
 *   const page = await app.newPage()          // its own browser context: its own cookies
 *   await app.signIn(page, 'social.worker@demo.together.invalid')
 *   await app.expectAccessible(page, 'home page')
 *
 * Chromium is Debian's package (/usr/bin/chromium); see docs on the stack, section 5.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AxeResults } from 'axe-core'
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core'
import { and, eq, sql } from 'drizzle-orm'
import { loadConfig } from '../../src/config.ts'
import { appUser, childCase, person, session } from '../../src/db/schema/index.ts'
import { createLogger } from '../../src/logger.ts'
import { startServer, type Running } from '../../src/web/server.ts'
import { DEMO_USERS, type DemoUser } from '../../src/services/demo/demo-seed.ts'
import type { Role } from '../../src/domain/access/roles.ts'
import { loadActor } from '../../src/services/access/accounts.ts'
import type { ServiceContext } from '../../src/services/common/context.ts'
import { copyPgliteTemplate, pgliteDemoTemplate, pgliteTemplate, TEST_DEMO_PASSWORD } from '../support/database-template.ts'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const DEMO_PASSWORD = TEST_DEMO_PASSWORD
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/**
 * The violations axe-core finds on the page as it is now. axe runs in the page itself, injected once
 * per document: @axe-core/playwright's builder took about a second a scan more (it injects into
 * every frame and finishes each run in a new blank page), and the application has no frames.
 */
async function axeViolations(page: Page): Promise<AxeResults['violations']> {
  // Expressions in the page's own JavaScript (this project compiles without the DOM's types).
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axeSource())
  const options = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] }
  return page.evaluate<AxeResults['violations']>(`axe.run(document, ${JSON.stringify(options)}).then((r) => r.violations)`)
}

let axeScript: string | undefined
function axeSource(): string {
  axeScript ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  return axeScript
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** The demo user holding a role. */
export function demoUser(role: Role): DemoUser {
  const user = DEMO_USERS.find((u) => u.role === role)
  if (!user) throw new Error(`no demo user has the role ${role}`)
  return user
}

export interface Scan {
  label: string
  /** The page's path, without the query string. */
  path: string
  /** The path with every id replaced by ":id", e.g. /cases/:id: one entry per page family. */
  pattern: string
  /** The page's h1, to tell error pages (which keep the URL they were reached at) apart. */
  heading: string
}

export interface BrowserApp {
  url: string
  running: Running
  browser: Browser
  /** Every scan made in this file, in order. */
  scans: Scan[]
  /** Paths (no query) scanned. */
  scannedPaths: Set<string>
  /** Page families scanned: paths with ids replaced by ":id". */
  scannedPatterns: Set<string>
  /** h1 headings of the pages scanned. */
  scannedHeadings: Set<string>
  /** A page in a fresh browser context (no cookies shared with other pages). */
  newPage(options?: { beforeNavigation?: (page: Page) => Promise<void> }): Promise<Page>
  /** Signs in through the form and checks the home page greets the user. */
  signIn(page: Page, email: string, password?: string): Promise<void>
  /** Signs out with the header button and checks the sign-in page confirms it. */
  signOut(page: Page): Promise<void>
  /**
   * Runs axe-core on the page as it is now; fails listing every violation. Also fails if the page
   * has had a script error, a console error (such as a Content-Security-Policy refusal) or a
   * stylesheet, script, image or font that failed to load since the last scan.
   */
  expectAccessible(page: Page, label: string): Promise<void>
  /** Fails unless every pattern has been scanned, naming the ones missing. */
  assertScanned(patterns: string[], headings?: string[]): void
  close(): Promise<void>
}

export interface StartOptions {
  sessionIdleMinutes?: number
  /** Extra environment variables for the server's configuration. */
  env?: Record<string, string>
}

/** Fails with instructions rather than skipping when Chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Browser tests need Debian's Chromium at ${CHROMIUM_PATH}. Install it with:\n` +
        '  apt-get update && apt-get install -y chromium\n' +
        '(as root, or with sudo), then run the tests again.',
    )
  }
}

export async function startBrowserApp(options: StartOptions = {}): Promise<BrowserApp> {
  requireChromium()
  const dataDir = await mkdtemp(join(tmpdir(), 'together-browser-'))
  // Built from scratch, never from process.env: no DATABASE_URL, so always a throwaway PGlite.
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    TOGETHER_DATA_DIR: dataDir,
    TOGETHER_DEMO: '1',
    TOGETHER_DEMO_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: 'silent',
    ...(options.sessionIdleMinutes ? { TOGETHER_SESSION_IDLE_MINUTES: String(options.sessionIdleMinutes) } : {}),
    ...options.env,
  }
  let running: Running | undefined
  let browser: Browser | undefined
  try {
    const loaded = loadConfig(env)
    // Starts from a copy of the run's template (database-template.ts) when there is one: the one
    // already holding today's demo partnership unless this server is set to sign or load it
    // differently. The server's data directory is TOGETHER_DATA_DIR itself.
    const seedsAsTemplate = !Object.keys(options.env ?? {}).some((k) => k.startsWith('TOGETHER_AUDIT_KEY') || k.startsWith('TOGETHER_DEMO'))
    const template = (seedsAsTemplate ? pgliteDemoTemplate() : undefined) ?? pgliteTemplate()
    if (template) copyPgliteTemplate(template, dataDir)
    running = await startServer(loaded, createLogger('silent'))
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS })
  } catch (err) {
    await running?.close()
    await rm(dataDir, { recursive: true, force: true })
    throw err
  }
  const url = running.url
  const contexts: BrowserContext[] = []
  const scans: Scan[] = []
  const pageProblems = new WeakMap<Page, string[]>()
  const scannedPaths = new Set<string>()
  const scannedPatterns = new Set<string>()
  const scannedHeadings = new Set<string>()
  const theBrowser = browser
  const theServer = running

  const app: BrowserApp = {
    url,
    running,
    browser,
    scans,
    scannedPaths,
    scannedPatterns,
    scannedHeadings,

    async newPage(opts = {}) {
      const context = await theBrowser.newContext({ baseURL: url, locale: 'en-GB', timezoneId: 'Europe/London' })
      contexts.push(context)
      context.setDefaultTimeout(10_000)
      context.setDefaultNavigationTimeout(15_000)
      const page = await context.newPage()
      const problems: string[] = []
      pageProblems.set(page, problems)
      page.on('pageerror', (err) => problems.push(`script error: ${err.message}`))
      page.on('console', (msg) => {
        // Failed loads are reported below from the responses, where the kind of resource is known.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
          problems.push(`console error: ${msg.text()}`)
        }
      })
      page.on('response', (response) => {
        const kind = response.request().resourceType()
        if (response.status() >= 400 && ['stylesheet', 'script', 'image', 'font'].includes(kind)) {
          problems.push(`${kind} ${new URL(response.url()).pathname} answered ${response.status()}`)
        }
      })
      await opts.beforeNavigation?.(page)
      return page
    },

    async signIn(page, email, password = DEMO_PASSWORD) {
      await page.goto('/sign-in')
      await page.getByLabel('Email address').fill(email)
      await page.getByLabel('Password', { exact: true }).fill(password)
      await Promise.all([page.waitForURL((u) => u.pathname !== '/sign-in'), page.locator('[data-qa=sign-in]').click()])
      await page.locator('[data-qa=signed-in-user]').waitFor()
    },

    async signOut(page) {
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('signedOut') === '1'),
        page.locator('[data-qa=sign-out]').click(),
      ])
      await page.getByText('You have signed out.').waitFor()
      assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0, 'still shows a signed-in user')
    },

    async expectAccessible(page, label) {
      const violations = await axeViolations(page)
      const path = new URL(page.url()).pathname
      const heading = ((await page.locator('h1').first().textContent({ timeout: 2_000 }).catch(() => '')) ?? '').trim()
      const scan: Scan = { label, path, pattern: path.replace(UUID, ':id'), heading }
      scans.push(scan)
      scannedPaths.add(scan.path)
      scannedPatterns.add(scan.pattern)
      if (heading) scannedHeadings.add(heading)
      // Script errors, Content-Security-Policy refusals and missing assets would break the page too.
      const problems = pageProblems.get(page)?.splice(0) ?? []
      if (violations.length === 0 && problems.length === 0) return
      const lines = violations.map((v) => {
        const targets = v.nodes
          .slice(0, 3)
          .map((n) => n.target.map(String).join(' '))
          .join(' | ')
        const more = v.nodes.length > 3 ? ` (and ${v.nodes.length - 3} more)` : ''
        return `  - ${v.id} [${v.impact ?? 'unknown impact'}]: ${v.help}\n      at ${targets}${more}\n      ${v.helpUrl}`
      })
      const report = [`"${label}" (${page.url()}):`]
      if (lines.length) report.push(`${lines.length} accessibility violation(s):`, ...lines)
      if (problems.length) report.push(`${problems.length} browser problem(s):`, ...problems.map((p) => `  - ${p}`))
      assert.fail(report.join('\n'))
    },

    assertScanned(patterns, headings = []) {
      const missingPatterns = patterns.filter((p) => !scannedPatterns.has(p))
      const missingHeadings = headings.filter((h) => !scannedHeadings.has(h))
      assert.deepEqual(
        { missingPatterns, missingHeadings },
        { missingPatterns: [], missingHeadings: [] },
        `pages not scanned in this file; scanned: ${[...scannedPatterns].join(', ')}`,
      )
    },

    async close() {
      for (const context of contexts) await context.close().catch(() => {})
      await theBrowser.close().catch(() => {})
      await theServer.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
  return app
}

/** The text of the page's main element, whitespace collapsed: for readable assertions. */
export async function mainText(page: Page): Promise<string> {
  return ((await page.locator('main').innerText()) ?? '').replace(/\s+/g, ' ').trim()
}

/**
 * Sends a form by `click` and waits until the page the post produced (its answer, or the page a
 * redirect led to) has been parsed, so the next read sees that page and not the one before it.
 * Returns the post's own response.
 */
export async function postForm(page: Page, click: () => Promise<unknown>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.waitForEvent('domcontentloaded'),
    click(),
  ])
  return response
}

/**
 * Clicks `target` (a link, or a form's button) and waits until the page it leads to has been
 * parsed: a click returns once the navigation has started, and reading straight after it can see
 * the old page or a half-parsed new one. Use postForm where the post's own response matters.
 */
export async function navigateBy(page: Page, target: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('domcontentloaded'), target.click()])
}

/** The error summary's links as [text, href] pairs. */
export async function errorSummaryLinks(page: Page): Promise<[string, string][]> {
  const links = page.locator('.govuk-error-summary a')
  const out: [string, string][] = []
  for (let i = 0; i < (await links.count()); i++) {
    const link = links.nth(i)
    out.push([((await link.textContent()) ?? '').trim(), (await link.getAttribute('href')) ?? ''])
  }
  return out
}

/**
 * True when the element matching the selector has (or, within the timeout, takes) the keyboard
 * focus. It waits because page scripts move the focus after load (the error summary focuses itself),
 * and on a loaded machine the assertion can otherwise run before they do.
 */
export async function isFocused(page: Page, selector: string, timeoutMs = 5000): Promise<boolean> {
  const element = page.locator(selector).first()
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await element.evaluate((el) => el === (el.ownerDocument.activeElement as unknown))) return true
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Replaces the value of the form's hidden CSRF token, as a forged or stale form would carry. */
export async function tamperCsrf(page: Page, formSelector: string, value = 'not-the-real-token'): Promise<void> {
  const input = page.locator(`${formSelector} input[name=_csrf]`)
  assert.equal(await input.count(), 1, `no CSRF input in ${formSelector}`)
  const before = await input.inputValue()
  await input.evaluate((el, v) => {
    ;(el as unknown as { value: string }).value = v
  }, value)
  assert.notEqual(await input.inputValue(), before, 'the CSRF token did not change')
}

/** Types `iso` ('YYYY-MM-DD') into the GOV.UK date input named `name`. */
export async function fillDate(page: Page, name: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-')
  await page.locator(`#${name}-day`).fill(String(Number(d)))
  await page.locator(`#${name}-month`).fill(String(Number(m)))
  await page.locator(`#${name}-year`).fill(y!)
}

/**
 * As the business unit, records a serious incident about a demo child (seriously harmed, abuse or
 * neglect known or suspected) that happened and became known on `on`; the page is then the incident's.
 */
export async function recordSeriousIncident(page: Page, on: string, what: string, nhsNumber = '9990000018'): Promise<void> {
  await page.goto('/partnership/incidents/new')
  await page.getByLabel('The child’s NHS number').fill(nhsNumber)
  await page.getByLabel('A child was seriously harmed, and abuse or neglect is known or suspected').check()
  await fillDate(page, 'incidentOn', on)
  await fillDate(page, 'awareOn', on)
  await page.getByLabel('What happened', { exact: true }).fill(what)
  await Promise.all([page.waitForURL(/\/partnership\/incidents\/[0-9a-f-]{36}\?saved=/), page.getByRole('button', { name: 'Record the incident' }).click()])
  await page.waitForLoadState()
}

/** Today in Europe/London as 'YYYY-MM-DD' (the server's date for the demo data). */
export const isoToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())

/**
 * Moves the end of every session of the user with this email to `seconds` from now (negative: it has
 * ended), as that much idle time would. The server is the source of truth for how long a session
 * has left (GET /session/status), and a page's faked clock does not move the server's.
 */
export async function sessionsEndIn(app: BrowserApp, email: string, seconds: number): Promise<void> {
  const db = app.running.database.db
  const [row] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email))
  assert.ok(row, `no user ${email}`)
  await db
    .update(session)
    .set({ expiresAt: sql`now() + make_interval(secs => ${seconds})` })
    .where(eq(session.userId, row.id))
}

/** A demo child's case, found by the child's name: its id and partnership. */
export async function demoCase(app: BrowserApp, givenName: string, familyName: string): Promise<{ caseId: string; partnershipId: string; personId: string }> {
  const [row] = await app.running.database.db
    .select({ caseId: childCase.id, partnershipId: childCase.partnershipId, personId: childCase.personId })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(person.givenName, givenName), eq(person.familyName, familyName)))
  assert.ok(row, `a demo case for ${givenName} ${familyName}`)
  return row
}

/** A service context acting as the demo user with `role`, for setting up a test through the services. */
export async function demoServiceContext(app: BrowserApp, role: Role): Promise<ServiceContext> {
  const db = app.running.database.db
  const [user] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demoUser(role).email))
  const actor = user ? await loadActor(db, user.id) : null
  assert.ok(actor, `the demo ${role}`)
  return { db, actor, requestId: `browser-test-${role}`, now: () => new Date() }
}

/**
 * Sends the form with this button and waits for the page the server redirected to; fails with the
 * error summary's links when the form is refused instead. Returns the path reached.
 */
export async function sendForm(page: Page, button: Locator): Promise<string> {
  const response = await postForm(page, () => button.click())
  const location = response.headers().location
  if (!location || ![302, 303].includes(response.status())) {
    assert.fail(`the form answered ${response.status()} on ${page.url()}: ${JSON.stringify(await errorSummaryLinks(page))}`)
  }
  await page.waitForURL(new URL(location, response.url()).href)
  return new URL(page.url()).pathname
}

/** How tall the page is, in CSS pixels. */
export async function pageHeight(page: Page): Promise<number> {
  return (await page.evaluate('document.body.scrollHeight')) as number
}

/** Moves the focus with the Tab key alone until it is on `selector`, then follows the link with Enter. */
export async function followByKeyboard(page: Page, selector: string): Promise<void> {
  const target = page.locator(selector).first()
  assert.equal(await target.count(), 1, `a link ${selector}`)
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab')
    if (await target.evaluate((el) => el === (el.ownerDocument.activeElement as unknown))) {
      await Promise.all([page.waitForEvent('domcontentloaded'), page.keyboard.press('Enter')])
      return
    }
  }
  assert.fail(`the Tab key never reached ${selector}`)
}

/** Fills the start-of-care form's own fields (web/journey/looked-after/start.njk): not a UASC, category of need N1. */
export async function fillCareStart(page: Page, p: { startedOn: string; legalStatus: string; homePostcode: string }): Promise<void> {
  await fillDate(page, 'startedOn', p.startedOn)
  await page.getByLabel('Legal status', { exact: true }).selectOption(p.legalStatus)
  await page.getByLabel('Category of need').selectOption('N1')
  await page.locator('input[name=uasc][value=no]').check()
  await page.getByLabel('The child’s home postcode').fill(p.homePostcode)
}

/** Fills a placement on the start-of-care or move form (web/care/placements/macros.njk): a new foster household, with its URN if given. */
export async function fillNewPlacement(page: Page, p: { placeType: string; provider: string; postcode: string; household: string; urn?: string }): Promise<void> {
  await page.getByLabel('Placement type').selectOption(p.placeType)
  await page.getByLabel('Who provides it').selectOption(p.provider)
  await page.getByLabel('Postcode of the placement').fill(p.postcode)
  await page.getByLabel('Or the name of a new household or setting').fill(p.household)
  await page.getByLabel('What kind of carer or setting it is').selectOption('foster')
  if (p.urn) await page.getByLabel('Its Ofsted URN (optional)').fill(p.urn)
}
