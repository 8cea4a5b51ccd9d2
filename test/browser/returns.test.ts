/**
 * Browser: a performance analyst opens Statutory returns from the navigation, checks the demo
 * partnership's data for a census year, uploads a census file to check, and sees the findings;
 * uploads a 903 file set to check; every page passes axe.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { cinReferencePath } from '../support/cin-census-xsd.ts'
import { demoUser, navigateBy, errorSummaryLinks, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let page: Page

before(async () => {
  app = await startBrowserApp()
  page = await app.newPage()
})
after(async () => {
  await app?.close()
})

test('a performance analyst checks the partnership’s data for a CIN census year', async () => {
  await app.signIn(page, demoUser('performance-analyst').email)
  await navigateBy(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Statutory returns' }))
  assert.equal((await page.locator('h1').innerText()).trim(), 'Statutory returns')
  await app.expectAccessible(page, 'statutory returns')

  await page.getByLabel('2024 to 2025').check()
  await navigateBy(page, page.getByRole('button', { name: 'Check our data' }))
  await page.waitForLoadState()
  assert.equal((await page.locator('h1').innerText()).trim(), 'Our data: CIN census 2024 to 2025')
  assert.match(await page.locator('[data-qa=census-summary]').innerText(), /Census year\s+2024 to 2025/)
  await app.expectAccessible(page, 'census findings')

  // A census file from elsewhere, uploaded through the form as a browser sends it.
  await page.goto(new URL('/returns', page.url()).href)
  await page.getByLabel('CIN census XML file').setInputFiles(cinReferencePath('sample_cin_2024-25_synthetic_50_clean.xml'))
  await navigateBy(page, page.getByRole('button', { name: 'Check file' }))
  await page.waitForLoadState()
  assert.match(await page.locator('[data-qa=census-summary]').innerText(), /Children\s+50/)
  await app.expectAccessible(page, 'census file findings')

  // An unknown year goes back to the form with the error summary linking to the radios.
  await page.goto(new URL('/returns/cin-census?year=1999', page.url()).href)
  assert.deepEqual(await errorSummaryLinks(page), [['Select the census year', '#year']])
  await app.expectAccessible(page, 'statutory returns with an error')
})

test('a performance analyst uploads a 903 file set and sees its findings by rule', async () => {
  const dir = join(import.meta.dirname, '../fixtures/ssda903/sample_903_2025-26_synthetic_500_with_errors/this_year')
  await page.goto(new URL('/returns/ssda903', page.url()).href)
  // No files: the form again, the error summary linking to the file field.
  await navigateBy(page, page.getByRole('button', { name: 'Check the files' }))
  assert.deepEqual(await errorSummaryLinks(page), [['Select this year’s 903 files (the CSV files, or a zip of them)', '#files']])
  await app.expectAccessible(page, 'SSDA903 file check with an error')
  await page.getByLabel('This year’s files').setInputFiles(readdirSync(dir).map((name) => join(dir, name)))
  await navigateBy(page, page.getByRole('button', { name: 'Check the files' }))
  assert.match(await page.locator('[data-qa=ssda903-summary]').innerText(), /Children\s+501/)
  assert.ok((await page.locator('[data-qa=rule-findings]').count()) > 50)
  await app.expectAccessible(page, 'SSDA903 file findings')
})

test('a performance analyst opens the performance page, filters it, and asks for Annex A with a wrong period', async () => {
  await page.goto(new URL('/returns', page.url()).href)
  await navigateBy(page, page.getByRole('link', { name: /Performance: referrals/ }))
  assert.equal((await page.locator('h1').innerText()).trim(), 'Performance')
  assert.equal(await page.locator('svg[role=img]').count(), 2)
  await app.expectAccessible(page, 'performance')
  await page.getByLabel('Team').selectOption({ label: 'Assessment team' })
  await navigateBy(page, page.getByRole('button', { name: 'Show' }))
  await page.waitForLoadState()
  assert.match(await page.locator('p.govuk-body').first().innerText(), /Assessment team/)
  await app.expectAccessible(page, 'performance for a team')

  await page.goto(new URL('/returns', page.url()).href)
  const annex = page.locator('[data-qa=annex-a]')
  await annex.getByRole('group', { name: 'From' }).getByLabel('Day').fill('1')
  await annex.getByRole('group', { name: 'From' }).getByLabel('Month').fill('4')
  await annex.getByRole('group', { name: 'From' }).getByLabel('Year').fill('2026')
  await annex.getByRole('group', { name: 'To' }).getByLabel('Day').fill('31')
  await annex.getByRole('group', { name: 'To' }).getByLabel('Month').fill('3')
  await annex.getByRole('group', { name: 'To' }).getByLabel('Year').fill('2026')
  await navigateBy(page, page.getByRole('button', { name: 'Download Annex A' }))
  await page.waitForLoadState()
  assert.deepEqual(await errorSummaryLinks(page), [['The end date must be on or after the start date', '#to']])
  assert.equal(await annex.getByRole('group', { name: 'From' }).getByLabel('Year').inputValue(), '2026')
  await app.expectAccessible(page, 'annex A with an error')
})

test('other roles do not have the navigation item', async () => {
  const other = await app.newPage()
  await app.signIn(other, demoUser('social-worker').email)
  assert.equal(await other.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Statutory returns' }).count(), 0)
})
