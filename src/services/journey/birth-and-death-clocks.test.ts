/**
 * The clocks that start from a child's own details (issue 17 §3): the pre-birth conference of an
 * unborn child, started with the section 47 enquiry and met by the initial conference; the child
 * death notification, started by a recorded date of death and met by recording the notification.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, cinEpisode, clock, person, task } from '../../db/schema/index.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { childDeathNotificationInput } from './birth-and-death-clocks-input.ts'
import { childDeathNotification, recordChildDeathNotification } from './birth-and-death-clocks.ts'
import { childDetails, changeChildDetails } from './child-details.ts'
import { childDetailsInput } from './child-details-input.ts'
import { childProtectionOf } from './child-protection.ts'
import { recordConferenceOutcome, scheduleConference } from './conferences.ts'
import { recordStrategyDiscussion } from './strategy-discussions.ts'
import { updateSection47 } from './section47.ts'
import { clocksOfCase } from './clocks.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const clockOf = async (caseId: string, rule: string) => (await database.db.select().from(clock).where(and(eq(clock.caseId, caseId), eq(clock.rule, rule))))[0]

describe('the pre-birth conference', () => {
  test('an enquiry about an unborn child starts its clock (28 weeks’ gestation); the initial conference meets it', async () => {
    const worker = await world.user(['social-worker'])
    const chair = await world.user(['conference-chair'], { team: null })
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    await database.db.update(person).set({ dateOfBirth: null, expectedDateOfBirth: '2026-07-15' }).where(eq(person.id, personId))
    await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-02-27', referralSource: '6', recordedBy: worker.userId })
    const ctx = world.ctx(worker)
    const { section47 } = await recordStrategyDiscussion(ctx, caseId, {
      heldOn: '2026-03-02',
      heldAtTime: '10:30',
      attendees: [{ name: 'Sam Fictional', agencyId: world.agencies.council!, role: 'Social worker' }, { name: 'DC Imaginary', agencyId: world.agencies.police!, role: 'Police' }],
      informationShared: 'Concerns in pregnancy (fictional).',
      decision: 's47-joint',
      decisionDetail: 'Joint visit.',
      immediateSafetyActions: 'None needed before the birth.',
      requiredAgencyAbsenceReason: 'Health could not attend (fictional).',
    })
    const prebirth = await clockOf(caseId, 'prebirth-conference')
    assert.deepEqual([prebirth!.startOn, prebirth!.dueOn, prebirth!.subjectId], ['2025-10-08', '2026-04-22', section47!.id], '12 weeks before the expected date')
    assert.ok((await clocksOfCase(database.db, caseId, '2026-03-03')).some((k) => k.rule === 'prebirth-conference'), 'shown with the case’s clocks')

    const conference = await scheduleConference(ctx, caseId, { kind: 'initial', scheduledFor: '2026-03-20', scheduledTime: '10:00', venue: 'Room 2 (fictional)', chairId: chair.userId, section47Id: section47!.id, participants: [] })
    const scheduled = (await childProtectionOf(world.ctx(chair), caseId)).conferences.find((k) => k.id === conference.id)!
    await recordConferenceOutcome(world.ctx(chair), caseId, conference.id, {
      version: scheduled.version, heldOn: '2026-03-20', participants: [], decision: 'plan', categories: ['NEG'], outlinePlan: 'Support in pregnancy.', startChildInNeedPlan: false,
    })
    assert.equal((await clockOf(caseId, 'prebirth-conference'))!.completedOn, '2026-03-20')
  })

  test('an enquiry concluded needing no conference after the pre-birth due date asks for the coded reason, kept on the clock (issue 17 §3)', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    await database.db.update(person).set({ dateOfBirth: null, expectedDateOfBirth: '2026-07-15' }).where(eq(person.id, personId))
    await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-02-27', referralSource: '6', recordedBy: worker.userId })
    const ctx = world.ctx(worker)
    const { section47 } = await recordStrategyDiscussion(ctx, caseId, {
      heldOn: '2026-03-02', heldAtTime: '10:30', attendees: [{ name: 'Sam Fictional', agencyId: world.agencies.council!, role: 'Social worker' }],
      informationShared: 'x', decision: 's47-single', decisionDetail: 'x', immediateSafetyActions: 'x', requiredAgencyAbsenceReason: 'Could not attend (fictional).',
    })
    const outcome = { version: 1, childSeenOn: '2026-03-05', outcome: 'not-substantiated' as const, completedOn: '2026-05-01', findings: 'No concerns found (fictional).', outcomeReasons: 'Support in place (fictional).' }
    await assert.rejects(updateSection47(ctx, caseId, section47!.id, outcome), (err) => {
      assert.ok(err instanceof ValidationFailed, String(err))
      assert.match(err.fieldErrors.lateReasonCode ?? '', /due by 22 April 2026/)
      return true
    })
    assert.equal((await clockOf(caseId, 'prebirth-conference'))!.completedOn, null, 'refused: nothing saved')
    await updateSection47(ctx, caseId, section47!.id, { ...outcome, lateReasonCode: 'family-unavailable', lateReason: 'The mother moved away for a month (fictional)' })
    const done = await clockOf(caseId, 'prebirth-conference')
    assert.deepEqual([done!.completedOn, done!.delayReasonCode, done!.delayReason], ['2026-05-01', 'family-unavailable', 'The mother moved away for a month (fictional)'])
  })

  test('a child already born gets no pre-birth clock', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-02-27', referralSource: '6', recordedBy: worker.userId })
    await recordStrategyDiscussion(world.ctx(worker), caseId, {
      heldOn: '2026-03-02', heldAtTime: '10:30', attendees: [{ name: 'Sam Fictional', agencyId: world.agencies.council!, role: 'Social worker' }],
      informationShared: 'x', decision: 's47-single', decisionDetail: 'x', immediateSafetyActions: 'x', requiredAgencyAbsenceReason: 'Could not attend (fictional).',
    })
    assert.ok(await clockOf(caseId, 'icpc'))
    assert.equal(await clockOf(caseId, 'prebirth-conference'), undefined)
  })
})

/** The child's details with a date of death recorded (or removed), as the details page saves them. */
async function changeDeath(ctx: ServiceContext, caseId: string, dateOfDeath: string | null) {
  const { details } = await childDetails(ctx, caseId)
  return changeChildDetails(ctx, caseId, childDetailsInput.parse({ ...details, sex: details.sex ?? 'F', dateOfDeath, reason: 'Told by the hospital (fictional).' }))
}

describe('the child death notification', () => {
  test('a date of death starts it (48 hours); notified late needs the coded reason; corrected, it moves; audited', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const withDeath = (dateOfDeath: string | null) => changeDeath(ctx, caseId, dateOfDeath)
    assert.equal((await childDeathNotification(ctx, caseId)).clock, null)
    await withDeath('2026-11-12')
    let k = await clockOf(caseId, 'cdop-notification')
    assert.deepEqual([k!.startOn, k!.dueOn, k!.subjectId], ['2026-11-12', '2026-11-14', (await childDetails(ctx, caseId)).c.personId])
    const [t] = await database.db.select().from(task).where(eq(task.clockId, k!.id))
    assert.equal(t!.assigneeUserId, worker.userId)
    await withDeath('2026-11-13')
    k = await clockOf(caseId, 'cdop-notification')
    assert.deepEqual([k!.startOn, k!.dueOn], ['2026-11-13', '2026-11-15'], 'a corrected date moves the clock')

    const noCode = await recordChildDeathNotification(ctx, caseId, childDeathNotificationInput.parse({ notifiedOn: '2026-11-17', lateReason: 'Words' })).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(noCode.fieldErrors.lateReasonCode!, /due by 15 November 2026 and done on 17 November 2026/)
    const done = await recordChildDeathNotification(ctx, caseId, childDeathNotificationInput.parse({ notifiedOn: '2026-11-17', lateReasonCode: 'recorded-late', lateReason: 'Form sent on time, logged late' }))
    assert.deepEqual([done.state, done.delayReason], ['completed-late', 'Form sent on time, logged late'])
    assert.equal((await clockOf(caseId, 'cdop-notification'))!.delayReasonCode, 'recorded-late')
    await assert.rejects(recordChildDeathNotification(ctx, caseId, childDeathNotificationInput.parse({ notifiedOn: '2026-11-17' })), ValidationFailed, 'once')
    const audited = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'child-death.notification'), eq(auditEvent.recordId, k!.id)))
    assert.equal(audited.length, 1)
  })

  test('a date of death recorded in error and removed takes its unmet clock with it; none before April 2019', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const withDeath = (dateOfDeath: string | null) => changeDeath(ctx, caseId, dateOfDeath)
    await withDeath('2026-11-12')
    assert.ok(await clockOf(caseId, 'cdop-notification'))
    await withDeath(null)
    assert.equal(await clockOf(caseId, 'cdop-notification'), undefined)
  })
})
