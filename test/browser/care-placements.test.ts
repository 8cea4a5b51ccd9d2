/**
 * Browser (issue 19, items 1-2): a social worker records that Eve became looked after with her first
 * placement (an unknown postcode refused first, nothing typed lost), changes her legal status, moves
 * her to a new placement, and sees the placement timeline, the stability figures and the SSDA903
 * episodes derived from them, records a new home postcode and opens the offending and substance
 * misuse form; each new page scanned with axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { demoCase, demoUser, errorSummaryLinks, fillCareStart, fillDate, fillNewPlacement, isoToday, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

const banner = (page: import('playwright-core').Page) => page.locator('[data-qa=saved-banner]').innerText()

test('a period of care with a placement, a change of legal status and a move: timeline, stability and 903 episodes', async () => {
  const today = isoToday()
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`/cases/${eve.caseId}/looked-after`)
  await navigateBy(page, page.locator('[data-qa=start-looked-after]'))
  await app.expectAccessible(page, 'became looked after form with the first placement')

  await fillCareStart(page, { startedOn: addDays(today, -60), legalStatus: 'L2', homePostcode: 'ZQ4 7RD' })
  await fillNewPlacement(page, { placeType: 'U6', provider: 'PR1', postcode: 'AB1 2CD', household: 'Oak household (fictional)' })
  await page.getByLabel('Did an earlier permanence order end before this?').selectOption('Z1')
  await navigateBy(page, page.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(page)).map((l) => l[1]), ['#placementPostcode'])
  assert.equal(await page.getByLabel('Or the name of a new household or setting').inputValue(), 'Oak household (fictional)', 'nothing typed is lost')
  await app.expectAccessible(page, 'became looked after form with an error')
  await page.getByLabel('Postcode of the placement').fill('ZQ1 2NT')
  await navigateBy(page, page.getByRole('button', { name: 'Save' }))
  assert.match(await banner(page), /became looked after/)
  await app.expectAccessible(page, 'looked-after page with a placement and its episodes')

  await navigateBy(page, page.locator('[data-qa=change-legal-status]'))
  await app.expectAccessible(page, 'change of legal status form')
  await page.getByLabel('New legal status').selectOption('C1')
  await fillDate(page, 'fromOn', addDays(today, -56))
  await navigateBy(page, page.getByRole('button', { name: 'Save legal status' }))
  assert.match(await banner(page), /change of legal status was recorded/)

  await navigateBy(page, page.locator('[data-qa=record-move]'))
  await app.expectAccessible(page, 'move to a new placement form')
  await fillDate(page, 'startedOn', addDays(today, -30))
  await page.getByLabel('Why did the previous placement end?').selectOption('CARPL')
  await fillNewPlacement(page, { placeType: 'U4', provider: 'PR4', postcode: 'ZQ8 6ED', household: 'Birch household (fictional)', urn: 'SC123456' })
  await navigateBy(page, page.getByRole('button', { name: 'Save placement' }))
  assert.match(await banner(page), /move to a new placement was recorded/)

  const timeline = page.locator('[data-qa=placement-timeline] tbody tr')
  assert.equal(await timeline.count(), 2)
  assert.match(await page.locator('[data-qa=current-placement]').innerText(), /U4.*Current.*Birch household/s)
  assert.match(await timeline.first().innerText(), /Oak household.*inside the authority, 1\.8 miles from home.*Change to \/ implementation of care plan/s)
  assert.match(await page.locator('[data-qa=stability]').innerText(), /Placements in the last 12 months\s+2/)
  const rne = await page.locator('[data-qa=episodes] tbody tr td:nth-child(2)').allInnerTexts()
  assert.deepEqual(rne, ['S', 'L', 'P'])
  assert.match(await page.locator('[data-qa=episodes] tbody tr').nth(1).innerText(), /C1.*X1\s+CARPL/s)
  await app.expectAccessible(page, 'looked-after page after a move')

  // A temporary move and the return from it; the correction form.
  await navigateBy(page, page.locator('[data-qa=record-temporary-move]'))
  await app.expectAccessible(page, 'temporary move form')
  await page.getByLabel('What kind of temporary move?').selectOption('T1')
  await fillDate(page, 'startedOn', addDays(today, -5))
  await page.getByLabel('Postcode where Eve is staying').fill('ZQ3 6HS')
  await navigateBy(page, page.getByRole('button', { name: 'Save temporary move' }))
  assert.match(await page.locator('[data-qa=current-placement]').innerText(), /Temporary move: T1/)
  await navigateBy(page, page.locator('[data-qa=record-return]'))
  await app.expectAccessible(page, 'return from a temporary move form')
  await fillDate(page, 'endedOn', addDays(today, -2))
  await navigateBy(page, page.getByRole('button', { name: 'Save' }))
  assert.deepEqual(await page.locator('[data-qa=episodes] tbody tr td:nth-child(2)').allInnerTexts(), ['S', 'L', 'P', 'P', 'P'])
  await navigateBy(page, page.locator('[data-qa=current-placement] a').first())
  await app.expectAccessible(page, 'placement correction form')
  await page.goto(`/cases/${eve.caseId}/looked-after`)
  await navigateBy(page, page.locator('[data-qa=team-stability-link]'))
  assert.match(await page.locator('h1').innerText(), /Placement stability of your team/)
  await app.expectAccessible(page, 'team placement stability')

  // The family's home moves: a new home postcode (HOME_POST of the episodes from then).
  await page.goto(`/cases/${eve.caseId}/looked-after`)
  await navigateBy(page, page.locator('[data-qa=record-home-postcode]'))
  await app.expectAccessible(page, 'new home postcode form')
  await page.getByLabel('New home postcode').fill('ZQ1 1QH')
  await fillDate(page, 'fromOn', addDays(today, -10))
  await navigateBy(page, page.getByRole('button', { name: 'Save home postcode' }))
  assert.match(await banner(page), /new home postcode was saved/)
  // Offending and substance misuse (OC2) on its small form in health and education.
  await page.goto(`/cases/${eve.caseId}/health-education`)
  await navigateBy(page, page.locator('[data-qa=record-offending]'))
  await app.expectAccessible(page, 'offending and substance misuse form')
})
