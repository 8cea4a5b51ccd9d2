/** Browser: the scorecard on the demo data shows charts beside tables, downloads as CSV, prints, and filters by agency; every page passes axe. */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { demoUser, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

test('the scorecard shows charts and tables, downloads as CSV, prints, and shows one agency', async () => {
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await navigateBy(unit, unit.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Partnership work' }))
  await navigateBy(unit, unit.getByRole('link', { name: 'Multi-agency scorecard' }))
  await unit.locator('[data-qa=by-source]').waitFor()
  assert.equal(await unit.locator('svg[role=img][data-qa=chart-by-source]').count(), 1)
  assert.match(await unit.locator('[data-qa=by-source]').innerText(), /Oakfield Primary School/)
  assert.match(await unit.locator('[data-qa=section-11]').innerText(), /Demoshire Police/)
  await app.expectAccessible(unit, 'scorecard')

  const [download] = await Promise.all([unit.waitForEvent('download'), unit.locator('[data-qa=scorecard-csv]').click()])
  assert.match(download.suggestedFilename(), /^scorecard-.*\.csv$/)

  await unit.getByLabel('Agency', { exact: true }).selectOption({ label: 'Demoshire Police' })
  await navigateBy(unit, unit.getByRole('button', { name: 'Show' }))
  await unit.locator('[data-qa=scorecard-scope]', { hasText: 'Demoshire Police' }).waitFor()
  assert.doesNotMatch(await unit.locator('[data-qa=by-source]').innerText(), /Oakfield/)
  await app.expectAccessible(unit, 'scorecard for one agency')

  await unit.locator('[data-qa=scorecard-print]').click()
  await unit.locator('h1', { hasText: 'Multi-agency scorecard: ' }).waitFor()
  assert.equal(await unit.locator('[data-qa=scorecard-filters]').count(), 0)
  await app.expectAccessible(unit, 'printable scorecard')
})

test('the scorecard pages reached were scanned', () => {
  app.assertScanned(['/partnership/scorecard', '/partnership/scorecard/print'])
})
