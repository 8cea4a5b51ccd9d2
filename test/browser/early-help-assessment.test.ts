/**
 * Browser (issue 17 §7): an early help assessment on Eve's case, by the social worker, from the
 * plans page, every page and state scanned with axe: a refusal (no organisation, the completion
 * before the start) keeps what was typed; recorded by an organisation outside the partnership,
 * completed later, then seen on the plans page and in the chronology.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { demoCase, demoUser, errorSummaryLinks, fillDate, isoToday, mainText, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

test('an early help assessment is recorded from the plans page, completed later and seen on the case', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}/plans`)
  await navigateBy(worker, worker.locator('[data-qa=early-help-assessments-link]'))
  await app.expectAccessible(worker, 'early help assessments, none yet')
  assert.equal(await worker.locator('[data-qa=no-early-help-assessments]').count(), 1)

  await navigateBy(worker, worker.locator('[data-qa=record-early-help-assessment]'))
  await app.expectAccessible(worker, 'record an early help assessment')
  await fillDate(worker, 'startedOn', addDays(today, -10))
  await fillDate(worker, 'completedOn', addDays(today, -12))
  const summary = 'Routines at home and school attendance; the family agreed to a parenting group (fictional).'
  await worker.getByLabel('Summary of the assessment').fill(summary)
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]).sort(), ['#agencyId', '#completedOn-day'])
  await app.expectAccessible(worker, 'an early help assessment refused')
  assert.equal(await worker.getByLabel('Summary of the assessment').inputValue(), summary)

  await worker.locator('#completedOn-day').fill('')
  await worker.locator('#completedOn-month').fill('')
  await worker.locator('#completedOn-year').fill('')
  await worker.getByLabel('Organisation outside the partnership').fill('Riverside Family Hub (fictional)')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /recorded/)
  assert.match(await mainText(worker), /Riverside Family Hub \(fictional\) \(outside the partnership\)[\s\S]*Not yet completed|Not yet completed[\s\S]*Riverside Family Hub/)
  await app.expectAccessible(worker, 'an early help assessment recorded')

  await navigateBy(worker, worker.getByRole('link', { name: /Record the completion/ }))
  await app.expectAccessible(worker, 'record the completion')
  await fillDate(worker, 'completedOn', addDays(today, 1))
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#completedOn-day'])
  await app.expectAccessible(worker, 'a completion in the future refused')
  await fillDate(worker, 'completedOn', addDays(today, -2))
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /completion/)
  assert.equal(await worker.getByRole('link', { name: /Record the completion/ }).count(), 0)
  await app.expectAccessible(worker, 'an early help assessment completed')

  await worker.goto(`/cases/${eve.caseId}/plans`)
  assert.match(await worker.locator('[data-qa=plans-early-help-assessments]').innerText(), /Riverside Family Hub \(fictional\): completed/)
  await app.expectAccessible(worker, 'the plans page with the assessment')
  await worker.goto(`/cases/${eve.caseId}/chronology`)
  const chronology = await mainText(worker)
  assert.match(chronology, /Early help assessment started/)
  assert.match(chronology, /Early help assessment completed/)
})
