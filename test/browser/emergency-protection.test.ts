/**
 * Browser (issue 17): police protection and an emergency protection order on Eve's case, by the
 * social worker, scanned with axe: police protection recorded with its time, its end after 72
 * hours asks for the coded reason (an error first), the late clock shows the reason and links to
 * its page; an order recorded and extended once.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { demoCase, demoUser, errorSummaryLinks, fillDate, isoToday, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

test('police protection ended after 72 hours asks why; an order is extended once', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}`)
  await navigateBy(worker, worker.getByRole('link', { name: 'Police protection and emergency orders' }))
  await app.expectAccessible(worker, 'police protection and orders, none yet')
  await navigateBy(worker, worker.locator('[data-qa=record-emergency-protection]'))
  await app.expectAccessible(worker, 'record police protection or an order')
  await worker.getByLabel('Police protection (section 46, at most 72 hours)').check()
  await fillDate(worker, 'startedOn', addDays(today, -6))
  await worker.getByLabel('At what time?').fill('21:15')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /Recorded/)
  assert.match(await worker.locator('[data-qa=clock-police-protection]').innerText(), /Overdue/)

  await navigateBy(worker, worker.getByRole('link', { name: /Record the end/ }))
  await fillDate(worker, 'endedOn', addDays(today, -1))
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#lateReasonCode'])
  await app.expectAccessible(worker, 'the end of police protection asks why it was late')
  await worker.locator('#lateReasonCode').selectOption('awaiting-agency')
  await worker.getByLabel('Reason in your words, if it was after the due date').fill('Waiting for the court to list the application (fictional).')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  const clockRow = worker.locator('[data-qa=clock-police-protection]')
  assert.match(await clockRow.innerText(), /Completed late[\s\S]*Waiting for the court/)
  await app.expectAccessible(worker, 'police protection ended late, with its reason')
  await navigateBy(worker, clockRow.locator('[data-qa=delay-reason-link]'))
  assert.match(await worker.locator('[data-qa=delayed-clock]').innerText(), /Waiting for information or attendance from another agency: Waiting for the court/)

  await worker.goto(`/cases/${eve.caseId}/emergency-protection/new`)
  await worker.getByLabel('Emergency protection order (section 44, up to 8 days, extended once by up to 7)').check()
  await fillDate(worker, 'startedOn', addDays(today, -2))
  await worker.getByLabel('At what time?').fill('11:00')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  await navigateBy(worker, worker.getByRole('link', { name: /Record the extension/ }))
  await app.expectAccessible(worker, 'extend the order')
  await fillDate(worker, 'extendedOn', today)
  await fillDate(worker, 'extendedTo', '2099-01-01')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#extendedTo-day'])
  await app.expectAccessible(worker, 'an extension too long')
  await worker.goto(`/cases/${eve.caseId}/emergency-protection`)
  assert.equal(await worker.locator('[data-qa=clock-emergency-protection-order]').count(), 1)
})
