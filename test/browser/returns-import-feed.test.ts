/**
 * Browser: an administrator imports a CIN census file from their home page and reads what the
 * import did; then turns the DfE daily feed on and sends it now (no DfE API is set up here, so the
 * run fails and says why). Every page passes axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { cinReferencePath } from '../support/cin-census-xsd.ts'
import { demoUser, navigateBy, errorSummaryLinks, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let page: Page

before(async () => {
  app = await startBrowserApp()
  page = await app.newPage()
  await app.signIn(page, demoUser('administrator').email)
})
after(async () => {
  await app?.close()
})

test('an administrator imports a census file and sees the counts and the rules per child', async () => {
  await navigateBy(page, page.getByRole('link', { name: 'Import a CIN census file from another system' }))
  assert.equal((await page.locator('h1').innerText()).trim(), 'Import a CIN census file')
  await app.expectAccessible(page, 'census import form')

  await navigateBy(page, page.getByRole('button', { name: 'Import file' }))
  await page.waitForLoadState()
  assert.deepEqual(await errorSummaryLinks(page), [['Select a CIN census XML file', '#file']])
  await app.expectAccessible(page, 'census import form with an error')

  await page.getByLabel('CIN census XML file').setInputFiles(cinReferencePath('sample_cin_2024-25_synthetic_50_clean.xml'))
  await navigateBy(page, page.getByRole('button', { name: 'Import file' }))
  await page.waitForLoadState()
  assert.equal((await page.locator('h1').innerText()).trim(), 'Census file imported')
  assert.match(await page.locator('[data-qa=import-summary]').innerText(), /Children in the file\s+50/)
  assert.match(await page.locator('[data-qa=import-validation]').innerText(), /0 errors and 0 queries/)
  await app.expectAccessible(page, 'census import result')
})

test('an administrator turns the DfE daily feed on and sends it now; the failed run says why', async () => {
  await page.goto(new URL('/', page.url()).href)
  await navigateBy(page, page.getByRole('link', { name: /The DfE daily data feed/ }))
  assert.equal((await page.locator('h1').innerText()).trim(), 'DfE daily data feed')
  await app.expectAccessible(page, 'feed page')
  await navigateBy(page, page.getByRole('button', { name: 'Turn the daily feed on' }))
  await page.waitForLoadState()
  assert.match(await page.locator('[data-qa=feed-status]').innerText(), /Daily feed\s+On/)
  await navigateBy(page, page.getByRole('button', { name: 'Send it now' }))
  await page.waitForLoadState()
  assert.match(await page.locator('[data-qa=feed-runs]').innerText(), /Failed\s+the feed is not configured/)
  await app.expectAccessible(page, 'feed page with a failed run')
})
