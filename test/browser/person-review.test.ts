/**
 * Browser: the person index at the front door. Records imported from two agencies (one a nickname,
 * no NHS number) wait in the review queue; a front-door practitioner searches, sees the bands and
 * reasons, links the pair, then unlinks it. Every page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { partnership } from '../../src/db/schema/index.ts'
import { importRows } from '../../src/services/person-index/import-run.ts'
import { demoUser, navigateBy, mainText, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let page: Page

before(async () => {
  app = await startBrowserApp()
  page = await app.newPage()
  const db = app.running.database.db
  const [demo] = await db.select({ id: partnership.id }).from(partnership).where(eq(partnership.isDemo, true))
  const row = { source_system: 'Demoshire GP', source_id: 'GP-77', given_name: 'Bartholomew', family_name: 'Quillsworth', date_of_birth: '2015-02-03', sex: 'M', nhs_number: '9990000042', postcode: 'ZZ4 4DD' }
  await importRows(db, { partnershipId: demo!.id, userId: null, now: new Date() }, [
    { line: 2, record: row },
    { line: 3, record: { ...row, source_system: 'Demoshire school', source_id: 'SCH-12', given_name: 'Bart', nhs_number: '' } },
  ], { today: new Date().toISOString().slice(0, 10) })
})
after(async () => {
  await app?.close()
})

async function submit(button: string | RegExp): Promise<number> {
  const response = await postForm(page, () => page.getByRole('button', { name: button }).click())
  return response.status()
}

test('the contact search shows bands in words and the reasons behind each candidate', async () => {
  await app.signIn(page, demoUser('front-door-practitioner').email)
  await page.goto(`${app.url}/contacts/new`)
  await page.getByLabel('First name').fill('Bart')
  await page.getByLabel('Last name').fill('Quillsworth')
  await navigateBy(page, page.getByRole('button', { name: 'Search', exact: true }))
  await page.waitForLoadState()
  const results = page.locator('[data-qa=search-results]')
  assert.match(await results.innerText(), /(Probable|Possible) match/)
  await results.locator('summary').first().click()
  assert.match(await results.innerText(), /‘Bart’ is a known short form of ‘Bartholomew’|First name ‘Bart’ is the same/)
  await app.expectAccessible(page, 'contact search with match reasons')
})

test('the review queue: same person links the pair, unlink undoes it', async () => {
  await navigateBy(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Possible duplicates' }))
  assert.equal((await page.locator('h1').innerText()).trim(), 'Possible duplicate records')
  assert.match(await mainText(page), /Why they may be the same person/)
  await app.expectAccessible(page, 'review queue')
  // The demo's own pair waits in the queue too: link this test's.
  const pair = page.locator('section[data-qa^=review-]', { hasText: 'Quillsworth' })
  const linked = await postForm(page, () => pair.getByRole('button', { name: /^Same person/ }).click())
  assert.equal(linked.status(), 303)
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /linked to the person/)
  assert.match(await mainText(page), /Recently linked/)
  await app.expectAccessible(page, 'review queue after a link')
  await page.getByLabel('Why is this record not this person?').first().fill('A different child at the same school')
  assert.equal(await submit(/^Unlink/), 303)
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /unlinked/)
  await app.expectAccessible(page, 'review queue after an unlink')
})
