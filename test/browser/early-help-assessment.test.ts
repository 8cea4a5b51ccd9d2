/**
 * Browser (issue 17 §7): an early help assessment on Eve's case, by the social worker, from the
 * plans page, every page and state scanned with axe: a refusal (no organisation, the completion
 * before the start) keeps what was typed; recorded by an organisation outside the partnership,
 * completed later, then seen on the plans page and in the chronology. And a body map (issue 18
 * §1) recorded from the documents page, one mark placed by clicking the outline, one from the list.
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

test('a body map is recorded from the documents page; a mark placed by clicking the outline, another chosen from the list; both drawn and listed', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}/documents`)
  await navigateBy(worker, worker.locator('[data-qa=body-maps-link]'))
  await app.expectAccessible(worker, 'body maps, none yet')
  await navigateBy(worker, worker.locator('[data-qa=record-body-map]'))
  await app.expectAccessible(worker, 'record a body map')
  await fillDate(worker, 'seenOn', addDays(today, -1))
  await worker.getByLabel('Who saw them?').fill('Class teacher, Northshire Primary (fictional)')
  await worker.getByLabel(/How the marks came to be seen/).fill('Seen when changing for PE; she said she fell off her bike (fictional).')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /Add each mark seen/)
  await app.expectAccessible(worker, 'a body map with no marks')

  await navigateBy(worker, worker.locator('[data-qa=add-mark]'))
  await app.expectAccessible(worker, 'add a mark')
  // A click on the outline's left thigh as the viewer sees it: the child's right thigh on the front.
  const front = worker.locator('[data-qa=body-figure-front]')
  const box = (await front.boundingBox())!
  await front.click({ position: { x: box.width * 0.4, y: box.height * (125 / 220) } })
  assert.equal(await worker.locator('#region').inputValue(), 'front-right-thigh')
  assert.match(await worker.locator('[data-body-map-status]').innerText(), /near: Right thigh \(front\)/)
  await worker.getByLabel('Bruise').check()
  await worker.getByLabel('Describe the mark').fill('Blue-purple, round (fictional)')
  await worker.getByLabel('Size (optional)').fill('2 cm by 2 cm')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /mark was added/)

  await navigateBy(worker, worker.locator('[data-qa=add-mark]'))
  await worker.locator('#region').selectOption('back-lower')
  await worker.getByLabel('Burn or scald').check()
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#description'])
  await app.expectAccessible(worker, 'a mark refused')
  assert.equal(await worker.locator('#region').inputValue(), 'back-lower')
  await worker.getByLabel('Describe the mark').fill('Small, round, healing (fictional)')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.equal(await worker.locator('[data-qa=body-figure-front]').getAttribute('aria-label'), 'Outline of the front of the body, marks 1')
  assert.equal(await worker.locator('[data-qa=body-figure-back]').getAttribute('aria-label'), 'Outline of the back of the body, marks 2')
  const rows = await worker.locator('[data-qa=body-marks] tbody tr').allInnerTexts()
  assert.match(rows[0]!, /Right thigh \(front\)\s+Bruise\s+Blue-purple, round \(fictional\)\s+2 cm by 2 cm/)
  assert.match(rows[1]!, /Lower back \(back\)\s+Burn or scald\s+Small, round, healing \(fictional\)\s+Not measured/)
  await app.expectAccessible(worker, 'a body map with two marks')
})
