/** Practice reviews: LCSPR from a rapid review to publication with actions tracked to closure; SCRs per edition; access. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { lateCompletionsByReason } from '../journey/clock-delays.ts'
import { recordIncident, recordNotification, recordRapidReviewDecision, submitToPanel } from './incidents.ts'
import {
  addAction,
  addDraft,
  addRecommendation,
  closeAction,
  explainReviewDelay,
  getAction,
  getReview,
  giveActionEvidence,
  myActions,
  publishReview,
  recordAdvanceNotice,
  startReview,
  updateReviewDetails,
} from './practice-reviews.ts'

let database: TestDatabase
let world: World
let n = 200
after(() => database.close())
before(async () => ({ database, world } = await openTestWorld()))

async function incident(lead: Awaited<ReturnType<World['user']>>, awareOn: string) {
  const nhs = `9990000${n++}`
  const c = await world.childCase()
  await database.db.update(person).set({ nhsNumber: nhs }).where(eq(person.id, c.personId))
  return recordIncident(world.ctx(lead), { child: nhs, kind: 'death-abuse-neglect', incidentOn: awareOn, awareOn, summary: 'Fictional' })
}

describe('practice reviews', () => {
  test('an LCSPR: 6 months to publication, advance notice, recommendations and actions tracked to closure', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const ctx = world.ctx(lead)
    const i = await incident(lead, '2026-06-01')
    await assert.rejects(startReview(ctx, { incidentId: i.id, title: 'Child A', decidedOn: '2026-06-20', notifiedOn: null }), ValidationFailed)
    await recordNotification(ctx, i.id, { notifiedOn: '2026-06-03', lateReason: null, version: 1 })
    await recordRapidReviewDecision(ctx, i.id, { decision: 'local-review', reasons: 'Learning', decidedOn: '2026-06-20', version: 2 })
    await submitToPanel(ctx, i.id, { submittedOn: '2026-06-22', lateReason: null, version: 3 })
    const review = await startReview(ctx, { incidentId: i.id, title: 'Child A', decidedOn: '2026-06-24', notifiedOn: null })
    assert.deepEqual([review.kind, review.dueOn], ['lcspr', '2026-12-24'])
    await updateReviewDetails(ctx, review.id, { reviewer: 'Independent Reviewer (fictional)', termsOfReference: 'Scope: 12 months', version: 1 })
    await addDraft(ctx, review.id, { receivedOn: '2026-09-01', summary: 'First draft' })
    const noticed = await recordAdvanceNotice(ctx, review.id, { advanceNoticeOn: '2026-11-02', version: 2 })
    assert.equal(noticed.earliestPublicationOn, '2026-11-11')
    await publishReview(ctx, review.id, { publishedOn: '2026-11-16', publicationNote: 'Partnership website', lateReason: null, version: 3 })
    await addRecommendation(ctx, review.id, { text: 'Share information at the front door' })
    const school = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    let view = await getReview(ctx, review.id)
    assert.equal(view.publishedBeforeNoticeRan, false)
    assert.deepEqual(view.clocks.map((c) => [c.rule, c.state]), [['lcspr', 'completed-on-time']])
    const action = await addAction(ctx, review.id, { recommendationId: view.recommendations[0]!.id, text: 'Train staff', ownerUserId: school.userId, actionDueOn: '2026-11-19' })
    assert.equal(action.ownerAgencyId, world.agencies.school)

    const schoolCtx = world.ctx(school)
    const [mine] = await myActions(schoolCtx)
    assert.equal(mine?.overdue, true, 'past its due date on 20 Nov 2026')
    assert.equal((await getAction(schoolCtx, action.id)).isOwner, true)
    await assert.rejects(getReview(schoolCtx, review.id), AccessDenied)
    await assert.rejects(closeAction(ctx, action.id, { version: 1 }), ValidationFailed)
    await assert.rejects(giveActionEvidence(ctx, action.id, { evidence: 'x', completedOn: '2026-11-18', version: 1 }), AccessDenied)
    await giveActionEvidence(schoolCtx, action.id, { evidence: 'All staff trained (register)', completedOn: '2026-11-18', version: 1 })
    await assert.rejects(closeAction(schoolCtx, action.id, { version: 2 }), AccessDenied)
    const closed = await closeAction(ctx, action.id, { version: 2 })
    assert.equal(closed.status, 'closed')
    view = await getReview(ctx, review.id)
    assert.equal(view.recommendations[0]!.actions[0]!.status, 'closed')
  })

  test('serious case reviews: decision within a month (2013/2015) and completion in 6 months; 4 months under 2006', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const ctx = world.ctx(lead)
    const i2014 = await incident(lead, '2014-03-03')
    const scr = await startReview(ctx, { incidentId: i2014.id, title: 'SCR Child B', decidedOn: '2014-03-20', notifiedOn: '2014-03-05' })
    assert.deepEqual([scr.kind, scr.decisionDueOn, scr.dueOn], ['scr', '2014-04-05', '2014-09-20'])
    const i2007 = await incident(lead, '2007-05-01')
    const old = await startReview(ctx, { incidentId: i2007.id, title: 'SCR Child C', decidedOn: '2007-05-15', notifiedOn: '2007-05-02' })
    assert.deepEqual([old.decisionDueOn, old.dueOn], [null, '2007-09-15'])
  })

  test('a review completed late asks for the coded reason; it is changed afterwards (versioned, audited) and counted by reason', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const ctx = world.ctx(lead)
    const scr = await startReview(ctx, { incidentId: (await incident(lead, '2014-04-07')).id, title: 'SCR Child E', decidedOn: '2014-04-22', notifiedOn: '2014-04-08' })
    const publication = { publishedOn: '2014-11-03', publicationNote: null, lateReason: 'Waited for the trial', version: 1 }
    const noCode = await publishReview(ctx, scr.id, publication).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(noCode.fieldErrors.lateReasonCode!, /the review was late: it was due by 22 October 2014 and done on 3 November 2014/)
    const before = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2014-01-01', to: '2014-12-31' })
    const published = await publishReview(ctx, scr.id, { ...publication, lateReasonCode: 'complexity' })
    assert.deepEqual([published.lateReasonCode, (await getReview(ctx, scr.id)).clocks.at(-1)!.delayReason], ['complexity', 'Waited for the trial'])
    const changed = await explainReviewDelay(ctx, scr.id, { timescale: 'completion', reasonCode: 'awaiting-agency', reason: 'Police disclosure', version: published.version })
    assert.deepEqual([changed.lateReasonCode, changed.lateReason], ['awaiting-agency', 'Police disclosure'])
    await assert.rejects(explainReviewDelay(ctx, scr.id, { timescale: 'completion', reasonCode: 'capacity', reason: null, version: published.version }), EditConflict)
    const after = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2014-01-01', to: '2014-12-31' })
    assert.equal(after.reasons.find((r) => r.reason === 'awaiting-agency')!.count - before.reasons.find((r) => r.reason === 'awaiting-agency')!.count, 1)
    assert.equal(after.total - before.total, 1)
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, scr.id), eq(auditEvent.action, 'practice-review.late-reason')))
    assert.ok(entry)
    // A review not yet completed, or completed on time, has no delay to explain.
    const open = await startReview(ctx, { incidentId: (await incident(lead, '2014-05-06')).id, title: 'SCR Child F', decidedOn: '2014-05-20', notifiedOn: null })
    await assert.rejects(explainReviewDelay(ctx, open.id, { timescale: 'completion', reasonCode: 'capacity', reason: null, version: 1 }), ValidationFailed)
  })

  test('a serious case review decided late asks for the coded reason; it is changed afterwards (versioned, audited with the code) and counted by reason', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const ctx = world.ctx(lead)
    const start = { incidentId: (await incident(lead, '2014-06-02')).id, title: 'SCR Child G', decidedOn: '2014-07-10', notifiedOn: '2014-06-03', lateReason: 'The chair was away' }
    const noCode = await startReview(ctx, start).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(noCode.fieldErrors.lateReasonCode!, /the decision to hold the review was late: it was due by 3 July 2014 and done on 10 July 2014/)
    const before = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2014-01-01', to: '2014-12-31' })
    const scr = await startReview(ctx, { ...start, lateReasonCode: 'capacity' })
    assert.deepEqual([scr.decisionDueOn, scr.decisionLateReasonCode, scr.decisionLateReason], ['2014-07-03', 'capacity', 'The chair was away'])
    const decision = (await getReview(ctx, scr.id)).clocks.find((c) => c.rule === 'scr-decision')!
    assert.deepEqual([decision.state, decision.delayReason], ['completed-late', 'The chair was away'])
    const counted = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2014-01-01', to: '2014-12-31' })
    assert.deepEqual([counted.reasons.find((r) => r.reason === 'capacity')!.count - before.reasons.find((r) => r.reason === 'capacity')!.count, counted.total - before.total], [1, 1])
    // Changed afterwards: the decision's reason, not the completion's.
    const changed = await explainReviewDelay(ctx, scr.id, { timescale: 'decision', reasonCode: 'awaiting-agency', reason: 'Waited for the police', version: scr.version })
    assert.deepEqual([changed.decisionLateReasonCode, changed.decisionLateReason, changed.lateReasonCode], ['awaiting-agency', 'Waited for the police', null])
    await assert.rejects(explainReviewDelay(ctx, scr.id, { timescale: 'decision', reasonCode: 'capacity', reason: null, version: scr.version }), EditConflict)
    const after = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2014-01-01', to: '2014-12-31' })
    assert.deepEqual([after.reasons.find((r) => r.reason === 'awaiting-agency')!.count - counted.reasons.find((r) => r.reason === 'awaiting-agency')!.count, after.total - counted.total], [1, 0])
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, scr.id), eq(auditEvent.action, 'practice-review.late-reason')))
    assert.deepEqual(entry!.detail, { fields: ['decisionLateReasonCode', 'decisionLateReason'], timescale: 'decision', reasonCode: 'awaiting-agency' })
    // A decision on time has no delay to explain, and asks for no reason.
    const onTime = await startReview(ctx, { incidentId: (await incident(lead, '2014-06-02')).id, title: 'SCR Child H', decidedOn: '2014-06-20', notifiedOn: '2014-06-03' })
    await assert.rejects(explainReviewDelay(ctx, onTime.id, { timescale: 'decision', reasonCode: 'capacity', reason: null, version: 1 }), ValidationFailed)
  })

  test('review material is restricted to the review’s members', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const outsider = await world.user(['business-unit'], { team: null })
    const i = await incident(lead, '2014-01-06')
    const scr = await startReview(world.ctx(lead), { incidentId: i.id, title: 'SCR', decidedOn: '2014-01-20', notifiedOn: null })
    await assert.rejects(getReview(world.ctx(outsider), scr.id), AccessDenied)
    await assert.rejects(addRecommendation(world.ctx(outsider), scr.id, { text: 'x' }), AccessDenied)
  })
})
