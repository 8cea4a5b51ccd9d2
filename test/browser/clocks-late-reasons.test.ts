/**
 * Browser (issue 17): clocks that always ask why, and the small defects, walked on the demo data
 * and scanned with axe:
 * - a late timescale on Eve's case links to its reason; the social worker gives it (an error
 *   first), the team manager reads the team's late completions by reason;
 * - an assessment completed late asks for the coded reason (an error first) and keeps it on the clock;
 * - a serious incident notified late asks for the coded reason, then offers to change it;
 * - a death review's report sent to the Home Office late does the same;
 * - a death review's decision made after its due date asks for the coded reason (an error first),
 *   then offers to change it;
 * - the A&E status check shows a plan and being looked after together;
 * - the family page records the grandmother as the mother's parent and draws it.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { assessment, clock, lookedAfterPeriod, person, plan } from '../../src/db/schema/index.ts'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { familyMemberInput } from '../../src/services/journey/family-input.ts'
import { addFamilyMember } from '../../src/services/journey/family.ts'
import { recordDarDecision, recordDarReview } from '../../src/services/partnership/dar-reviews.ts'
import { demoCase, demoServiceContext, demoUser, errorSummaryLinks, fillDate, isoToday, navigateBy, recordSeriousIncident, startBrowserApp, type BrowserApp } from './support.ts'

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

test('a late timescale asks why: the worker gives the reason from the case; the manager sees the team’s late completions by reason', async () => {
  const today = isoToday()
  await app.running.database.db.insert(clock).values({
    partnershipId: eve.partnershipId, caseId: eve.caseId, rule: 'assessment', edition: 2023, startOn: addDays(today, -80), dueOn: addDays(today, -20),
    completedOn: addDays(today, -10), subjectType: 'cin-episode', subjectId: eve.caseId,
  })
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}`)
  await worker.locator('[data-qa=finished-timescales] summary').click()
  await navigateBy(worker, worker.locator('[data-qa=delay-reason-link]').first())
  await app.expectAccessible(worker, 'reason for delay form')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save the reason' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#reasonCode'])
  await app.expectAccessible(worker, 'reason for delay form with an error')
  await worker.getByLabel('Waiting for information or attendance from another agency').check()
  await worker.getByLabel('In your words').fill('The police checks took three weeks (fictional).')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save the reason' }))
  assert.match(await banner(worker), /The reason for the delay was saved/)
  assert.match(await worker.locator('[data-qa=delayed-clock]').innerText(), /Waiting for information or attendance from another agency: The police checks took three weeks/)
  await app.expectAccessible(worker, 'reason for delay saved')

  const manager = await app.newPage()
  await app.signIn(manager, demoUser('team-manager').email)
  await manager.goto('/team')
  await navigateBy(manager, manager.locator('[data-qa=late-reasons-link]'))
  assert.match(await manager.locator('[data-qa=reason-awaiting-agency]').innerText(), /Waiting for information or attendance from another agency\s+1/)
  await app.expectAccessible(manager, 'team late completions by reason')
})

test('an assessment completed late asks for the coded reason with the words; the code is kept on the clock', async () => {
  const today = isoToday()
  const ash = await demoCase(app, 'Ash', 'Testcase')
  const db = app.running.database.db
  const [a] = await db.select().from(assessment).where(and(eq(assessment.caseId, ash.caseId), isNull(assessment.completedOn)))
  assert.ok(a, 'Ash has an assessment in progress')
  const late = await db.update(clock).set({ dueOn: addDays(today, -3) })
    .where(and(eq(clock.subjectId, a.episodeId), isNull(clock.completedOn), inArray(clock.rule, ['assessment', 'initial-assessment']))).returning()
  assert.equal(late.length, 1, 'the assessment’s clock, now overdue')
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${ash.caseId}/assessments/${a.id}`)
  await fillDate(worker, 'completedOn', today)
  await worker.locator('input[name=factors][value="4B"]').check()
  await worker.getByLabel('Child in need plan').check()
  await navigateBy(worker, worker.locator('[data-qa=complete-assessment]'))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#delayReason'])
  await app.expectAccessible(worker, 'late assessment asks for the reason')
  await worker.locator('[data-qa=late-reason-fields] select#delayReasonCode').selectOption('awaiting-agency')
  await navigateBy(worker, worker.locator('[data-qa=complete-assessment]'))
  assert.match(await banner(worker), /The assessment was completed/)
  await app.expectAccessible(worker, 'late assessment completed with its coded reason')
  const [k] = await db.select().from(clock).where(eq(clock.id, late[0]!.id))
  assert.deepEqual([k!.completedOn, k!.delayReasonCode], [today, 'awaiting-agency'])
})

test('a serious incident notified late asks for the coded reason; the reason is changed afterwards', async () => {
  const today = isoToday()
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await recordSeriousIncident(unit, addDays(today, -14), 'Fictional: found late')
  await fillDate(unit, 'notifiedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the notification' }))
  assert.deepEqual((await errorSummaryLinks(unit)).map((l) => l[1]), ['#lateReasonCode'])
  await app.expectAccessible(unit, 'late notification asks why')
  await unit.locator('#lateReasonCode').selectOption('recorded-late')
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the notification' }))
  assert.match(await unit.locator('[data-qa=late-reasons]').innerText(), /Notification: Done on time but recorded late/)
  await unit.getByText('Give or change a reason for delay').click()
  await unit.getByLabel('Worker or team capacity (caseloads, absence, vacancies)').check()
  await navigateBy(unit, unit.getByRole('button', { name: 'Save the reason' }))
  assert.match(await banner(unit), /The reason for the delay was saved/)
  assert.match(await unit.locator('[data-qa=late-reasons]').innerText(), /Notification: Worker or team capacity/)
  await app.expectAccessible(unit, 'incident with its reason for delay')
})

test('a death review’s report sent to the Home Office late asks for the coded reason; the reason is changed afterwards', async () => {
  const today = isoToday()
  const lead = await demoServiceContext(app, 'business-unit')
  const dar = await recordDarReview(lead, {
    cspName: 'Demoshire Community Safety Partnership', deceased: 'Adult L (fictional)', deceasedAge: 52, deathOn: addDays(today, -260), notifiedOn: addDays(today, -255), suicide: false, circumstances: 'Fictional',
  })
  await recordDarDecision(lead, dar.id, { decision: 'review', decisionReasons: 'Criteria met', decidedOn: addDays(today, -250), decisionNotifiedOn: null, version: 1 })
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await unit.goto(`/partnership/dar-reviews/${dar.id}`)
  await fillDate(unit, 'reportCompletedOn', addDays(today, -2))
  await unit.getByLabel('Summary of the report').fill('Learning on coercive control (fictional)')
  await fillDate(unit, 'homeOfficeSentOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Save the report' }))
  assert.deepEqual((await errorSummaryLinks(unit)).map((l) => l[1]), ['#lateReasonCode'])
  await app.expectAccessible(unit, 'late death review report asks why')
  await unit.locator('#lateReasonCode').selectOption('awaiting-agency')
  await navigateBy(unit, unit.getByRole('button', { name: 'Save the report' }))
  assert.match(await unit.locator('[data-qa=late-reasons]').innerText(), /Report sent to the Home Office: Waiting for information or attendance from another agency/)
  await unit.getByText('Give or change a reason for delay').click()
  await unit.getByLabel('The complexity of the case needed more time').check()
  await navigateBy(unit, unit.getByRole('button', { name: 'Save the reason' }))
  assert.match(await banner(unit), /The reason for the delay was saved/)
  assert.match(await unit.locator('[data-qa=late-reasons]').innerText(), /Report sent to the Home Office: The complexity of the case needed more time/)
  await app.expectAccessible(unit, 'death review with its reason for delay')
})

test('a death review decided after its due date asks for the coded reason with the words; the reason is changed afterwards', async () => {
  const today = isoToday()
  const lead = await demoServiceContext(app, 'business-unit')
  const dar = await recordDarReview(lead, {
    cspName: 'Demoshire Community Safety Partnership', deceased: 'Adult M (fictional)', deceasedAge: 47, deathOn: addDays(today, -65), notifiedOn: addDays(today, -60), suicide: true, circumstances: 'Fictional',
  })
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await unit.goto(`/partnership/dar-reviews/${dar.id}`)
  await unit.getByLabel('Hold a review', { exact: true }).check()
  await unit.getByLabel('Reasons for the decision').fill('The criteria are met (fictional)')
  await fillDate(unit, 'decidedOn', addDays(today, -5))
  await unit.getByLabel('Reason in your words, if it was after the due date').fill('The police records came late (fictional)')
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the decision' }))
  assert.deepEqual((await errorSummaryLinks(unit)).map((l) => l[1]), ['#lateReasonCode'])
  assert.equal(await unit.locator('#lateReason').inputValue(), 'The police records came late (fictional)')
  await app.expectAccessible(unit, 'late death review decision asks why')
  await unit.locator('#lateReasonCode').selectOption('awaiting-agency')
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the decision' }))
  assert.match(await banner(unit), /The decision was recorded/)
  assert.match(await unit.locator('[data-qa=late-reasons]').innerText(), /Decision whether to hold a review: Waiting for information or attendance from another agency \(The police records came late/)
  await app.expectAccessible(unit, 'death review with its late decision')
  await unit.getByText('Give or change a reason for delay').click()
  assert.equal(await unit.getByLabel('Timescale').inputValue(), 'decision')
  await unit.getByLabel('Worker or team capacity').check()
  await navigateBy(unit, unit.getByRole('button', { name: 'Save the reason' }))
  assert.match(await banner(unit), /The reason for the delay was saved/)
  assert.match(await unit.locator('[data-qa=late-reasons]').innerText(), /Decision whether to hold a review: Worker or team capacity/)
  await app.expectAccessible(unit, 'death review with its decision’s reason changed')
})

test('the status check shows a plan and being looked after together; the family page relates the grandmother to the mother', async () => {
  const db = app.running.database.db
  const worker = await demoServiceContext(app, 'social-worker')
  await db.update(person).set({ nhsNumber: '9990000182' }).where(eq(person.id, eve.personId))
  await db.insert(plan).values({ partnershipId: eve.partnershipId, caseId: eve.caseId, kind: 'child-protection', startedOn: '2026-01-05', recordedBy: worker.actor.userId })
  await db.insert(lookedAfterPeriod).values({ partnershipId: eve.partnershipId, caseId: eve.caseId, startedOn: '2026-02-02', legalStatus: 'V2', recordedBy: worker.actor.userId })
  const clinician = await app.newPage()
  await app.signIn(clinician, 'ae.clinician@demo.together.invalid')
  await clinician.goto('/cp-status')
  await clinician.getByLabel('The child’s NHS number').fill('999 000 0182')
  await navigateBy(clinician, clinician.getByRole('button', { name: 'Check' }))
  assert.deepEqual(await clinician.locator('[data-qa=cp-status-flag]').allInnerTexts(), [
    'This child has a child protection plan (since 5 January 2026)',
    'This child is looked after (since 2 February 2026)',
  ])
  await app.expectAccessible(clinician, 'status check with two statuses')

  const member = (givenName: string, kind: string) =>
    familyMemberInput.parse({ person: { givenName, familyName: 'Elderfictional', sex: 'F' }, kind, sameHousehold: 'no', parentalResponsibility: 'no', notes: '' })
  await addFamilyMember(worker, eve.caseId, member('Mina', 'parent'))
  await addFamilyMember(worker, eve.caseId, member('Gwen', 'grandparent'))
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`/cases/${eve.caseId}/family`)
  await page.getByLabel('Family member', { exact: true }).selectOption({ label: 'Gwen Elderfictional' })
  await page.getByLabel('Is the').selectOption('parent')
  await page.getByLabel('Of', { exact: true }).selectOption({ label: 'Mina Elderfictional' })
  await navigateBy(page, page.getByRole('button', { name: 'Record the relationship' }))
  assert.match(await banner(page), /The relationship between the family members was recorded/)
  assert.match(await page.locator('[data-qa=member-relationship]').innerText(), /Gwen Elderfictional\s+Parent\s+Mina Elderfictional/)
  assert.equal(await page.locator('svg [data-line=member]').count(), 1)
  await app.expectAccessible(page, 'family network with a relationship between members')
})
