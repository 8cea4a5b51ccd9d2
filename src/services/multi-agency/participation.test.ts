import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, cinEpisode, conference, notification, plan, planItem, recordRevision } from '../../db/schema/index.ts'
import { viewCase } from '../journey/cases.ts'
import { chronology } from '../journey/chronology.ts'
import { recordConferenceOutcome } from '../journey/conferences.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed } from '../common/context.ts'
import {
  conferenceReports,
  inviteToConference,
  myAgencyActions,
  participationOf,
  submitConferenceReport,
  updateActionProgress,
  withdrawInvitation,
} from './participation.ts'
import { getPlan, updatePlanItem } from '../journey/plans.ts'

let database: TestDatabase
let world: World
before(async () => {
  ({ database, world } = await openTestWorld())
  await world.agency('health', 'health-trust')
})
after(() => database.close())

/** A child on a child protection plan with a review conference due, an action owned by health and one by the school. */
async function childOnPlan() {
  const worker = await world.user(['social-worker'])
  const chair = await world.user(['conference-chair'], { team: null })
  const visitor = await world.user(['partner-practitioner'], { agency: 'health', team: null })
  const colleague = await world.user(['partner-practitioner'], { agency: 'health', team: null })
  const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Plan' })
  const db = database.db
  const [e] = await db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-06-01', referralSource: '2A', recordedBy: worker.userId }).returning()
  const [cp] = await db
    .insert(plan)
    .values({ partnershipId: world.partnershipId, caseId, episodeId: e!.id, kind: 'child-protection', startedOn: '2026-07-01', latestCategory: 'NEG', initialCategory: 'NEG', leadUserId: worker.userId, recordedBy: worker.userId })
    .returning()
  const [k] = await db
    .insert(conference)
    .values({ partnershipId: world.partnershipId, caseId, episodeId: e!.id, planId: cp!.id, kind: 'review', scheduledFor: '2026-11-27', chairId: chair.userId, participants: [{ party: 'agency', name: 'School DSL', agencyId: world.agencies.school, attendance: 'invited', reportReceivedOn: null }], recordedBy: worker.userId })
    .returning()
  const [healthAction, schoolAction] = await db
    .insert(planItem)
    .values([
      { partnershipId: world.partnershipId, caseId, planId: cp!.id, kind: 'action', description: 'Health visitor to visit fortnightly', ownerAgencyId: world.agencies.health!, recordedBy: worker.userId },
      { partnershipId: world.partnershipId, caseId, planId: cp!.id, kind: 'action', description: 'School to monitor attendance', ownerAgencyId: world.agencies.school!, recordedBy: worker.userId },
    ])
    .returning()
  return { worker, chair, visitor, colleague, teacher, caseId, personId, planId: cp!.id, conferenceId: k!.id, healthAction: healthAction!, schoolAction: schoolAction! }
}

const refused = (err: unknown) => err instanceof AccessDenied

describe('invitations give the participation view only', () => {
  test('an invited partner sees the child, the meeting and their agency’s actions, never the case record; every view is audited', async () => {
    const s = await childOnPlan()
    const stranger = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    // Not invited and no action of the agency: nothing.
    assert.equal((await participationOf(world.ctx(s.teacher), s.caseId)).c.ground, 'plan-action-owner', 'the school owns an action')
    await assert.rejects(participationOf(world.ctx(stranger), s.caseId), refused)
    await assert.rejects(viewCase(world.ctx(stranger), s.caseId), refused)

    const inv = await inviteToConference(world.ctx(s.worker), s.caseId, s.conferenceId, s.visitor.userId)
    assert.equal(inv.agencyId, world.agencies.health)
    await assert.rejects(inviteToConference(world.ctx(s.worker), s.caseId, s.conferenceId, s.visitor.userId), ValidationFailed)
    await assert.rejects(inviteToConference(world.ctx(s.worker), s.caseId, s.conferenceId, s.worker.userId), ValidationFailed, 'only partner practitioners are invited')
    await assert.rejects(inviteToConference(world.ctx(s.visitor), s.caseId, s.conferenceId, s.visitor.userId), refused, 'partners cannot invite')

    const view = await participationOf(world.ctx(s.visitor), s.caseId)
    assert.equal(view.c.givenName, 'Plan')
    assert.equal(view.meetings.length, 1)
    assert.match(view.meetings[0]!.purpose, /review child protection conference on 27 November 2026/i)
    assert.deepEqual(view.conferences.map((k) => k.id), [s.conferenceId])
    assert.deepEqual(view.actions.map((a) => a.id), [s.healthAction.id], 'only the health agency’s action')
    assert.equal(view.mayReadCase, false)
    await assert.rejects(viewCase(world.ctx(s.visitor), s.caseId), refused, 'an invitation does not open the case record')
    await assert.rejects(chronology(world.ctx(s.visitor), s.caseId), refused)

    const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, s.visitor.userId), eq(auditEvent.recordId, s.caseId)))
    const viewed = entries.find((e) => e.action === 'case.view')
    assert.equal(viewed?.ground, 'invitation')
    assert.deepEqual(viewed?.detail, { section: 'participation' })
    assert.ok(entries.some((e) => e.action === 'case.read.refused' && (e.detail as { section: string }).section === 'overview'))
    const [told] = await database.db.select().from(notification).where(eq(notification.userId, s.visitor.userId))
    assert.equal(told?.kind, 'conference-invitation')

    // Withdrawn: access ends at once.
    await withdrawInvitation(world.ctx(s.worker), s.caseId, inv.id, inv.version)
    const afterWithdrawal = await participationOf(world.ctx(s.visitor), s.caseId)
    assert.equal(afterWithdrawal.meetings.length, 0, 'still sees the agency’s action as its owner')
    assert.equal(afterWithdrawal.c.ground, 'plan-action-owner')
    assert.equal(afterWithdrawal.conferences.length, 0, 'health is no longer invited to the conference')
  })
})

describe('conference reports', () => {
  test('an invited partner and a colleague of their agency send and amend the report; others cannot; held makes it read-only', async () => {
    const s = await childOnPlan()
    await inviteToConference(world.ctx(s.worker), s.caseId, s.conferenceId, s.visitor.userId)
    const report = await submitConferenceReport(world.ctx(s.visitor), s.caseId, s.conferenceId, { body: 'Seen at home twice; weight gain good.' })
    assert.equal(report.agencyId, world.agencies.health)
    const toWorker = await database.db.select().from(notification).where(and(eq(notification.userId, s.worker.userId), eq(notification.kind, 'conference-report')))
    assert.equal(toWorker.length, 1)
    await assert.rejects(submitConferenceReport(world.ctx(s.visitor), s.caseId, s.conferenceId, { body: 'no version' }), EditConflict)
    const amended = await submitConferenceReport(world.ctx(s.visitor), s.caseId, s.conferenceId, { body: 'Amended.', version: report.version })
    assert.equal(amended.version, report.version + 1)
    await assert.rejects(submitConferenceReport(world.ctx(s.visitor), s.caseId, s.conferenceId, { body: 'stale', version: report.version }), EditConflict)

    // The school is on the participants list and owns an action: its DSL may send the school's report.
    await submitConferenceReport(world.ctx(s.teacher), s.caseId, s.conferenceId, { body: 'Attendance 82%.' })
    // A police officer with no relationship is refused; so is the social worker (they read, not contribute).
    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await assert.rejects(submitConferenceReport(world.ctx(officer), s.caseId, s.conferenceId, { body: 'x' }), refused)
    await assert.rejects(submitConferenceReport(world.ctx(s.worker), s.caseId, s.conferenceId, { body: 'x' }), refused)
    // A police officer whose agency is involved but not invited to this conference: not theirs.
    await world.involve(s.caseId, 'police')
    await assert.rejects(submitConferenceReport(world.ctx(officer), s.caseId, s.conferenceId, { body: 'x' }), NotFound)

    // The social worker (and the chair) see every invited agency's report.
    // (The chair's own invitation comes from scheduling, which this fixture skips: the social worker reads here.)
    const reports = await conferenceReports(world.ctx(s.worker), s.caseId, s.conferenceId)
    assert.deepEqual(
      reports.agencies.map((a) => [a.agencyId, a.report?.body ?? null]).sort(),
      [[world.agencies.health, 'Amended.'], [world.agencies.school, 'Attendance 82%.']].sort(),
    )
    await assert.rejects(conferenceReports(world.ctx(s.visitor), s.caseId, s.conferenceId), refused, 'an invitee does not see other agencies’ reports')

    // Held: read-only, and the invitation ends at the end of that day.
    const heldDay = new Date('2026-11-27T12:00:00Z')
    const [k] = await database.db.select().from(conference).where(eq(conference.id, s.conferenceId))
    await recordConferenceOutcome(world.ctx(s.worker, heldDay), s.caseId, s.conferenceId, { version: k!.version, heldOn: '2026-11-27', decision: 'continue', categories: ['NEG'] } as never)
    await assert.rejects(submitConferenceReport(world.ctx(s.visitor, heldDay), s.caseId, s.conferenceId, { body: 'late', version: amended.version }), ValidationFailed)
    const sameDay = await participationOf(world.ctx(s.visitor, heldDay), s.caseId)
    assert.equal(sameDay.conferences[0]!.mayReport, false)
    assert.equal(sameDay.conferences[0]!.report?.body, 'Amended.')
    const nextDay = await participationOf(world.ctx(s.visitor, new Date('2026-11-28T09:00:00Z')), s.caseId)
    assert.equal(nextDay.meetings.length, 0, 'the invitation ended with the conference')
    assert.equal(nextDay.c.ground, 'plan-action-owner')
  })
})

describe('plan actions owned by partners', () => {
  test('the owning agency records progress; it shows on the plan and in the chronology; others cannot', async () => {
    const s = await childOnPlan()
    const mine = (await myAgencyActions(world.ctx(s.visitor), { offset: 0, limit: 100 })).items.filter((a) => a.caseId === s.caseId)
    assert.deepEqual(mine.map((a) => a.id), [s.healthAction.id])
    assert.equal(mine[0]!.childName.startsWith('Plan '), true)

    const { item, update } = await updateActionProgress(world.ctx(s.visitor), s.caseId, s.healthAction.id, {
      version: s.healthAction.version,
      status: 'in-progress',
      note: 'Visited on 18 November; next visit booked.',
      progressOn: '2026-11-18',
    })
    assert.equal(item.status, 'in-progress')
    assert.equal(update.agencyId, world.agencies.health)
    await assert.rejects(
      updateActionProgress(world.ctx(s.visitor), s.caseId, s.healthAction.id, { version: s.healthAction.version, status: 'done', note: 'stale', progressOn: '2026-11-19' }),
      EditConflict,
    )
    await assert.rejects(
      updateActionProgress(world.ctx(s.visitor), s.caseId, s.healthAction.id, { version: item.version, status: 'done', note: 'future', progressOn: '2026-12-01' }),
      ValidationFailed,
    )
    // Another agency's action, and the plan itself, are not theirs.
    await assert.rejects(
      updateActionProgress(world.ctx(s.visitor), s.caseId, s.schoolAction.id, { version: 1, status: 'done', note: 'not ours', progressOn: '2026-11-18' }),
      refused,
    )
    const refusal = await database.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, s.visitor.userId), eq(auditEvent.action, 'case.contribute.refused')))
    assert.equal(refusal.length, 1)
    await assert.rejects(updatePlanItem(world.ctx(s.visitor), s.caseId, s.planId, s.healthAction.id, { version: item.version, description: 'changed' }), refused)

    const told = await database.db.select().from(notification).where(and(eq(notification.userId, s.worker.userId), eq(notification.kind, 'plan-action-updated')))
    assert.equal(told.length, 1)
    const planView = await getPlan(world.ctx(s.worker), s.caseId, s.planId)
    const shown = planView.otherActions.find((a) => a.id === s.healthAction.id)!
    assert.equal(shown.updates?.[0]?.note, 'Visited on 18 November; next visit booked.')
    const chron = await chronology(world.ctx(s.worker), s.caseId)
    assert.ok(chron.entries.some((e) => e.title === 'Progress on a plan action: in progress' && e.date === '2026-11-18'))
    const revisions = await database.db.select().from(recordRevision).where(and(eq(recordRevision.caseId, s.caseId), eq(recordRevision.entity, 'plan-action-update')))
    assert.equal(revisions.length, 1)
  })

  test('access through an action ends when the plan ends or the action goes to another agency', async () => {
    const s = await childOnPlan()
    await participationOf(world.ctx(s.visitor), s.caseId)
    await updatePlanItem(world.ctx(s.worker), s.caseId, s.planId, s.healthAction.id, { version: s.healthAction.version, ownerAgencyId: world.agencies.school! })
    await assert.rejects(participationOf(world.ctx(s.visitor), s.caseId), refused, 'the agency was removed from the plan')
    assert.equal((await myAgencyActions(world.ctx(s.visitor), { offset: 0, limit: 100 })).items.some((a) => a.caseId === s.caseId), false)

    await participationOf(world.ctx(s.teacher), s.caseId)
    await database.db.update(plan).set({ endedOn: '2026-11-19' }).where(eq(plan.id, s.planId))
    await assert.rejects(participationOf(world.ctx(s.teacher), s.caseId), refused, 'the plan ended')
    await assert.rejects(
      updateActionProgress(world.ctx(s.teacher), s.caseId, s.schoolAction.id, { version: 1, status: 'done', note: 'after the end', progressOn: '2026-11-19' }),
      refused,
    )
  })
})

describe('conference reports sent at the same moment (issue 15, item 23)', () => {
  test('two first submissions by one agency: one is saved, the other is the conflict a sequential one gets', async () => {
    const s = await childOnPlan()
    await inviteToConference(world.ctx(s.worker), s.caseId, s.conferenceId, s.visitor.userId)
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => submitConferenceReport(world.ctx(i % 2 ? s.colleague : s.visitor), s.caseId, s.conferenceId, { body: `Report ${i}` })),
    )
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof EditConflict, `an edit conflict, not ${String(r.reason)}`)
    }
  })
})

describe('invitees', () => {
  test('a person named on the participants list and invited through Together is listed once (issue 16, item 14e)', async () => {
    const s = await childOnPlan()
    await database.db
      .update(conference)
      .set({ participants: [
        { party: 'agency', name: 'School DSL', agencyId: world.agencies.school, attendance: 'invited', reportReceivedOn: null },
        { party: 'agency', name: s.teacher.displayName, agencyId: world.agencies.school, attendance: 'invited', reportReceivedOn: null },
        { party: 'agency', name: `${s.visitor.displayName} `, agencyId: world.agencies.health, attendance: 'invited', reportReceivedOn: null },
      ] })
      .where(eq(conference.id, s.conferenceId))
    await inviteToConference(world.ctx(s.worker), s.caseId, s.conferenceId, s.teacher.userId)
    await inviteToConference(world.ctx(s.worker), s.caseId, s.conferenceId, s.visitor.userId)
    const reports = await conferenceReports(world.ctx(s.worker), s.caseId, s.conferenceId)
    const invited = Object.fromEntries(reports.agencies.map((a) => [a.agencyId, a.invited]))
    assert.deepEqual(invited[world.agencies.school!], ['School DSL', s.teacher.displayName])
    assert.deepEqual(invited[world.agencies.health!], [s.visitor.displayName])
  })
})
