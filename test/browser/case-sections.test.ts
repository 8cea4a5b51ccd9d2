/**
 * Every section of a child's case, and the oversight pages (team view, transfer to another team), as the people who use them, in
 * Chromium with an axe scan of each page and of each form in the state a user's choice puts it
 * in (a revealed field included). Also: a case note's draft is saved as the user types and is
 * restored after the page is reloaded. Uses the demo data: Ash Testcase is allocated to the demo
 * social worker and is being assessed.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { demoUser, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let ash = ''

before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

async function visit(page: Page, path: string, label: string) {
  const response = await page.goto(`${app.url}${path}`)
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`)
  await app.expectAccessible(page, label)
}

test('the social worker reaches every section of an allocated case, and each form is accessible', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  const href = await page.getByRole('link', { name: 'Ash Testcase' }).first().getAttribute('href')
  ash = href!.slice('/cases/'.length)
  const sections = page.getByRole('navigation', { name: 'Sections of this case' })
  await page.goto(`${app.url}/cases/${ash}`)
  const links = await sections.getByRole('link').allInnerTexts()
  assert.equal(links.length, 18)
  // Scanned in care-records.test.ts, with records in them.
  for (const name of ['Missing episodes', 'Health and education', 'Care leaver']) assert.ok(links.includes(name), `no section ${name}`)
  for (const [path, label] of [
    ['', 'case overview'],
    ['/contacts', 'contacts and referrals'],
    ['/assessments', 'assessments'],
    ['/child-protection', 'child protection'],
    ['/plans', 'plans'],
    ['/notes', 'notes'],
    ['/tasks', 'case tasks'],
    ['/family', 'family network'],
    ['/looked-after', 'looked after'],
    ['/emergency-protection', 'police protection and emergency protection orders'],
    ['/information-requests', 'information requests'],
    ['/information-sharing', 'information sharing'],
    ['/documents', 'documents'],
    ['/letters', 'letters'],
    ['/chronology', 'chronology'],
    ['/looked-after/start', 'became looked after form'],
    ['/pre-proceedings/new', 'pre-proceedings form'],
  ] as const) {
    await visit(page, `/cases/${ash}${path}`, label)
    if (path === '/chronology') assert.match(await page.locator('main').innerText(), /Contact/)
  }

  await visit(page, `/cases/${ash}/notes/new`, 'new note form')
  await page.getByLabel('Visit', { exact: true }).check()
  await app.expectAccessible(page, 'new note form, visit chosen')

  await visit(page, `/cases/${ash}/family/new`, 'add a family member')
  // A search with results offers them, or someone new.
  await visit(page, `/cases/${ash}/family/new?q=Fictional`, 'add a family member, search results')
  await page.getByLabel('Someone new').check()
  await app.expectAccessible(page, 'add a family member, someone new chosen')

  await visit(page, '/caseload', 'caseload')
  assert.match(await page.locator('main').innerText(), /Ash Testcase/)
  await visit(page, '/tasks', 'my tasks')
})

test('a case note’s draft is saved as the user types and restored after a reload', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`${app.url}/cases/${ash}/notes/new`)
  await page.getByLabel('Title').fill('Draft that must not be lost')
  await page.getByText(/Draft saved at/).waitFor({ timeout: 10_000 })
  await page.reload()
  assert.match(await page.locator('[data-qa=draft-restored]').innerText(), /Restored your unsaved draft from/)
  assert.equal(await page.getByLabel('Title').inputValue(), 'Draft that must not be lost')
  await app.expectAccessible(page, 'new note form with a restored draft')
})

test('the team manager’s team view and the front door queue are accessible', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('team-manager').email)
  await visit(page, '/team', 'team view')
  // Dee's case is not allocated, and her assessment waits for the manager's authorisation.
  assert.match(await page.locator('main').innerText(), /Cases not allocated[\s\S]*Dee Notreal[\s\S]*Assessments waiting/)
  // Ash's case is with the manager's team, so the manager may pass it to another team.
  await page.goto(`${app.url}/cases/${ash}`)
  await navigateBy(page, page.locator('[data-qa=transfer-link]'))
  await page.waitForURL(`**/cases/${ash}/transfer`)
  await app.expectAccessible(page, 'transfer to another team')
  await navigateBy(page, page.getByRole('button', { name: 'Transfer the case' }))
  await page.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(page, 'transfer to another team, with errors')
  const front = await app.newPage()
  await app.signIn(front, demoUser('front-door-practitioner').email)
  await visit(front, '/front-door', 'front door queue')
  assert.match(await front.locator('main').innerText(), /Cody Madeup/)
  await visit(front, '/contacts/new', 'record a contact: find the children')
})
