/** Domestic abuse related death reviews: notification to publication, the link to a practice review, and members-only access. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../db/schema/index.ts'
import { roleIds } from '../../domain/access/roles.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { lateCompletionsByReason } from '../journey/clock-delays.ts'
import { darReviewInput } from './dar-review-input.ts'
import {
  addDarMember,
  addDarTimelineEntry,
  appointDarChair,
  explainDarDelay,
  getDarReview,
  linkDarToPracticeReview,
  listDarReviews,
  publishDarReview,
  recordDarDecision,
  recordDarReport,
  recordDarReview,
} from './dar-reviews.ts'
import { recordIncident, recordNotification, recordRapidReviewDecision, submitToPanel } from './incidents.ts'
import { getReview, startReview } from './practice-reviews.ts'

let database: TestDatabase
let world: World
after(() => database.close())
before(async () => ({ database, world } = await openTestWorld()))

const death = {
  cspName: 'Demoshire Community Safety Partnership',
  deceased: 'Adult A',
  deceasedAge: 34,
  deathOn: '2026-05-04',
  notifiedOn: '2026-05-11',
  suicide: true,
  circumstances: 'Death by suicide after coercive control by a partner (fictional)',
}

describe('domestic abuse related death reviews', () => {
  test('notified, decided, chaired, reported to the Home Office and the Commissioner, linked to a practice review and published', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const ctx = world.ctx(lead)
    const dar = await recordDarReview(ctx, death)
    assert.match(dar.reference, /^DARDR-2026-\d{3}$/)
    assert.equal(dar.decisionDueOn, '2026-06-11', 'one month from the notification (unverified default)')
    await assert.rejects(appointDarChair(ctx, dar.id, { chair: 'x', chairAppointedOn: '2026-06-01', scope: null, version: 1 }), ValidationFailed)
    const decided = await recordDarDecision(ctx, dar.id, { decision: 'review', decisionReasons: 'Criteria met, including suicide', decidedOn: '2026-06-01', decisionNotifiedOn: '2026-06-02', version: 1 })
    assert.equal(decided.completionDueOn, '2026-12-01')
    await appointDarChair(ctx, dar.id, { chair: 'Independent Chair (fictional)', chairAppointedOn: '2026-06-15', scope: 'Five years before the death', version: 2 })
    await addDarTimelineEntry(ctx, dar.id, { entryOn: '2026-07-20', entry: 'Second panel meeting', version: 3 })
    await addDarTimelineEntry(ctx, dar.id, { entryOn: '2026-07-01', entry: 'First panel meeting', version: 4 })
    await assert.rejects(publishDarReview(ctx, dar.id, { publishedOn: '2026-11-01', version: 5 }), ValidationFailed)
    await recordDarReport(ctx, dar.id, { reportCompletedOn: '2026-10-01', reportSummary: 'Learning on coercive control', homeOfficeSentOn: '2026-10-02', commissionerCopyOn: '2026-10-02', lateReason: null, version: 5 })

    // A child safeguarding practice review about the same family, which the lead works on.
    const c = await world.childCase()
    await database.db.update(person).set({ nhsNumber: '9990000411' }).where(eq(person.id, c.personId))
    const incident = await recordIncident(ctx, { child: '9990000411', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-05-04', awareOn: '2026-05-05', summary: 'Fictional' })
    await recordNotification(ctx, incident.id, { notifiedOn: '2026-05-06', lateReason: null, version: 1 })
    await recordRapidReviewDecision(ctx, incident.id, { decision: 'local-review', reasons: 'Learning', decidedOn: '2026-05-20', version: 2 })
    await submitToPanel(ctx, incident.id, { submittedOn: '2026-05-21', lateReason: null, version: 3 })
    const lcspr = await startReview(ctx, { incidentId: incident.id, title: 'Child D (fictional)', decidedOn: '2026-05-22', notifiedOn: null })
    await linkDarToPracticeReview(ctx, dar.id, { reviewId: lcspr.id, version: 6 })
    const published = await publishDarReview(ctx, dar.id, { publishedOn: '2026-11-02', version: 7 })
    assert.deepEqual([published.linkedReviewId, published.linkedIncidentId, published.publishedOn], [lcspr.id, incident.id, '2026-11-02'])

    const view = await getDarReview(ctx, dar.id)
    assert.deepEqual(view.timeline.map((e) => e.text), ['First panel meeting', 'Second panel meeting'])
    assert.deepEqual(view.clocks.map((k) => [k.rule, k.state]), [['dhr-decision', 'completed-on-time'], ['dhr-completion', 'completed-on-time']])
    assert.deepEqual(view.linkedReview, { id: lcspr.id, title: 'Child D (fictional)' })
    // The link shows on the practice review's side too (issue 17).
    assert.deepEqual((await getReview(ctx, lcspr.id)).linkedDarReviews, [{ id: dar.id, reference: dar.reference }])
    assert.equal((await listDarReviews(ctx)).items.some((r) => r.id === dar.id), true)

    // A colleague added to the review sees it, but not the title of a practice review they do not work on.
    const colleague = await world.user(['business-unit'], { team: null })
    await addDarMember(ctx, dar.id, colleague.userId)
    const theirs = await getDarReview(world.ctx(colleague), dar.id)
    assert.deepEqual(theirs.linkedReview, { id: lcspr.id, title: null })
    await assert.rejects(linkDarToPracticeReview(world.ctx(colleague), dar.id, { reviewId: lcspr.id, version: 8 }), ValidationFailed)
  })

  test('a report sent to the Home Office after the due date asks for the coded reason; it is changed afterwards (versioned, audited) and counted by reason', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const ctx = world.ctx(lead)
    const dar = await recordDarReview(ctx, { ...death, deathOn: '2025-01-02', notifiedOn: '2025-01-06' })
    await assert.rejects(explainDarDelay(ctx, dar.id, { timescale: 'completion', reasonCode: 'capacity', reason: null, version: 1 }), ValidationFailed)
    await recordDarDecision(ctx, dar.id, { decision: 'review', decisionReasons: 'Criteria met', decidedOn: '2025-01-20', decisionNotifiedOn: null, version: 1 })
    const report = { reportCompletedOn: '2025-07-28', reportSummary: 'Learning', homeOfficeSentOn: '2025-08-01', commissionerCopyOn: null, lateReason: 'Inquest adjourned', version: 2 }
    const noCode = await recordDarReport(ctx, dar.id, report).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(noCode.fieldErrors.lateReasonCode!, /the report to the Home Office was late: it was due by 20 July 2025 and done on 1 August 2025/)
    const before = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2025-01-01', to: '2025-12-31' })
    const reported = await recordDarReport(ctx, dar.id, { ...report, lateReasonCode: 'awaiting-agency' })
    assert.deepEqual((await getDarReview(ctx, dar.id)).clocks.map((k) => [k.rule, k.state]), [['dhr-decision', 'completed-on-time'], ['dhr-completion', 'completed-late']])
    assert.equal(reported.lateReasonCode, 'awaiting-agency')
    const changed = await explainDarDelay(ctx, dar.id, { timescale: 'completion', reasonCode: 'other', reason: 'The coroner asked us to wait', version: reported.version })
    assert.deepEqual([changed.lateReasonCode, changed.lateReason], ['other', 'The coroner asked us to wait'])
    await assert.rejects(explainDarDelay(ctx, dar.id, { timescale: 'completion', reasonCode: 'capacity', reason: null, version: reported.version }), EditConflict)
    const after = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2025-01-01', to: '2025-12-31' })
    assert.deepEqual([after.reasons.find((r) => r.reason === 'other')!.count - before.reasons.find((r) => r.reason === 'other')!.count, after.total - before.total], [1, 1])
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, dar.id), eq(auditEvent.action, 'dar-review.late-reason')))
    assert.ok(entry)
  })

  test('a decision made after its due date asks for the coded reason; it is changed afterwards (versioned, audited with the code) and counted by reason', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const ctx = world.ctx(lead)
    const dar = await recordDarReview(ctx, { ...death, deathOn: '2024-03-01', notifiedOn: '2024-03-04' })
    const decision = { decision: 'review' as const, decisionReasons: 'Criteria met', decidedOn: '2024-04-15', decisionNotifiedOn: null, lateReason: 'Records came late', version: 1 }
    const noCode = await recordDarDecision(ctx, dar.id, decision).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(noCode.fieldErrors.lateReasonCode!, /the decision was late: it was due by 4 April 2024 and done on 15 April 2024/)
    const before = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2024-01-01', to: '2024-12-31' })
    const decided = await recordDarDecision(ctx, dar.id, { ...decision, lateReasonCode: 'awaiting-agency' })
    assert.deepEqual([decided.decisionLateReasonCode, decided.decisionLateReason], ['awaiting-agency', 'Records came late'])
    const clock = (await getDarReview(ctx, dar.id)).clocks.find((k) => k.rule === 'dhr-decision')!
    assert.deepEqual([clock.state, clock.delayReason], ['completed-late', 'Records came late'])
    const counted = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2024-01-01', to: '2024-12-31' })
    assert.deepEqual([counted.reasons.find((r) => r.reason === 'awaiting-agency')!.count - before.reasons.find((r) => r.reason === 'awaiting-agency')!.count, counted.total - before.total], [1, 1])
    const changed = await explainDarDelay(ctx, dar.id, { timescale: 'decision', reasonCode: 'capacity', reason: null, version: decided.version })
    assert.deepEqual([changed.decisionLateReasonCode, changed.decisionLateReason, changed.lateReasonCode], ['capacity', null, null])
    await assert.rejects(explainDarDelay(ctx, dar.id, { timescale: 'decision', reasonCode: 'other', reason: 'x', version: decided.version }), EditConflict)
    // The completion is not late (no report yet): nothing to explain there.
    await assert.rejects(explainDarDelay(ctx, dar.id, { timescale: 'completion', reasonCode: 'capacity', reason: null, version: changed.version }), ValidationFailed)
    const after = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2024-01-01', to: '2024-12-31' })
    assert.deepEqual([after.reasons.find((r) => r.reason === 'capacity')!.count - counted.reasons.find((r) => r.reason === 'capacity')!.count, after.total - counted.total], [1, 0])
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, dar.id), eq(auditEvent.action, 'dar-review.late-reason')))
    assert.deepEqual(entry!.detail, { fields: ['decisionLateReasonCode', 'decisionLateReason'], timescale: 'decision', reasonCode: 'capacity' })
    // A decision on time asks for no reason and has none to explain.
    const onTime = await recordDarReview(ctx, { ...death, deathOn: '2024-03-01', notifiedOn: '2024-03-04' })
    const inTime = await recordDarDecision(ctx, onTime.id, { ...decision, decidedOn: '2024-03-20', lateReason: null })
    assert.equal(inTime.decisionLateReasonCode, null)
    await assert.rejects(explainDarDelay(ctx, onTime.id, { timescale: 'decision', reasonCode: 'capacity', reason: null, version: inTime.version }), ValidationFailed)
  })

  test('only people aged 16 or over; the notification follows the death', () => {
    const young = darReviewInput.safeParse({ ...death, deceasedAge: '15', suicide: 'yes' })
    assert.deepEqual(young.error!.issues.map((i) => i.path.join('.')), ['deceasedAge'])
    const order = darReviewInput.safeParse({ ...death, notifiedOn: '2026-05-01', suicide: 'no' })
    assert.deepEqual(order.error!.issues.map((i) => i.path.join('.')), ['notifiedOn'])
  })

  test('review material: nobody but its members, whatever their role; refusals are audited', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const dar = await recordDarReview(world.ctx(lead), death)
    for (const role of roleIds) {
      const user = await world.user([role])
      await assert.rejects(getDarReview(world.ctx(user), dar.id), AccessDenied, role)
      const refused = await database.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.recordId, dar.id), eq(auditEvent.actorUserId, user.userId), eq(auditEvent.action, 'dar-review.read.refused')))
      assert.equal(refused.length, 1, `${role}'s refusal is audited`)
      assert.equal((await listDarReviews(world.ctx(user))).total, 0)
    }
    // A member without the business unit role reads but does not change it.
    const police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await addDarMember(world.ctx(lead), dar.id, police.userId)
    assert.equal((await getDarReview(world.ctx(police), dar.id)).mayUpdate, false)
    await assert.rejects(recordDarDecision(world.ctx(police), dar.id, { decision: 'no-review', decisionReasons: 'x', decidedOn: '2026-06-01', decisionNotifiedOn: null, version: 1 }), AccessDenied)
    const social = await world.user(['social-worker'])
    await assert.rejects(recordDarReview(world.ctx(social), death), AccessDenied)
  })
})
