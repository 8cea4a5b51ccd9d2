/**
 * Browser: the child search in the header. A social worker, keyboard only at 390 px wide, searches
 * a family name from an ordinary page's header, sees how many children matched and the message to
 * narrow it (more match than the page shows), adds a first name, and opens the child's case.
 * The results page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { and, eq } from 'drizzle-orm'
import { appUser, childCase, partnership, person } from '../../src/db/schema/index.ts'
import { demoUser, mainText, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let page: Page
let child: { givenName: string; familyName: string; caseId: string }

before(async () => {
  app = await startBrowserApp()
  page = await app.newPage()
  const db = app.running.database.db
  const [demo] = await db.select({ id: partnership.id }).from(partnership).where(eq(partnership.isDemo, true))
  const [worker] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demoUser('social-worker').email))
  const [allocated] = await db
    .select({ caseId: childCase.id, givenName: person.givenName, familyName: person.familyName })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(childCase.allocatedWorkerId, worker!.id), eq(childCase.restricted, false), eq(person.restricted, false)))
    .limit(1)
  assert.ok(allocated, 'the demo social worker has a case')
  child = allocated!
  // 24 more children with the same family name: more than one page of results.
  for (let i = 0; i < 24; i++) {
    await db.insert(person).values({ partnershipId: demo!.id, givenName: `Fictional${String.fromCharCode(65 + i)}`, familyName: child.familyName, dateOfBirth: `2013-02-${String(i + 1).padStart(2, '0')}` })
  }
})
after(async () => {
  await app?.close()
})

/** Presses a key that sends a form, and waits for the page it leads to. */
async function pressAndWait(key: string): Promise<void> {
  await Promise.all([page.waitForEvent('domcontentloaded'), page.keyboard.press(key)])
}

test('from the header of an ordinary page, search by name, see the count and the refine message, narrow it and open the case', async () => {
  await page.setViewportSize({ width: 390, height: 844 })
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`${app.url}/timescales`)
  const search = page.getByRole('search', { name: 'Find a child' })
  await search.getByLabel('Find a child').focus()
  await page.keyboard.type(child.familyName)
  await pressAndWait('Enter')
  assert.equal(new URL(page.url()).pathname, '/child-search')
  assert.equal((await page.locator('h1').innerText()).trim(), 'Find a child')
  const status = page.getByRole('status')
  assert.match(await status.innerText(), /^2[5-9] children match your search|^\d{2,} children match your search/)
  assert.match(await status.innerText(), /Showing the first 20 of \d+ — add a date of birth to narrow the search\./)
  assert.match(await page.title(), /children match – Find a child/)
  assert.equal(await page.locator('[data-qa=search-results] > li').count(), 20)
  // Nothing wider than the phone's screen.
  assert.ok(((await page.evaluate('document.documentElement.scrollWidth')) as number) <= 390, 'no horizontal scrolling at 390 px')
  await app.expectAccessible(page, 'child search results, more than shown')

  // Narrow it with the refine form, keyboard only: the name moves to the last name, a first name is added.
  await page.getByLabel('Name (first or last)').fill('')
  await page.getByLabel('First name').focus()
  await page.keyboard.type(child.givenName)
  await page.getByLabel('Last name').focus()
  await page.keyboard.type(child.familyName)
  await pressAndWait('Enter')
  assert.doesNotMatch(await mainText(page), /Showing the first/)
  const link = page.getByRole('link', { name: `${child.givenName} ${child.familyName}` })
  await link.focus()
  await pressAndWait('Enter')
  assert.equal(new URL(page.url()).pathname, `/cases/${child.caseId}`)
  assert.match(await mainText(page), new RegExp(child.familyName))
})
