import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { lateCountOf } from '../../../test/support/late-reasons.ts'
import { auditEvent, cinEpisode, clock, task } from '../../db/schema/index.ts'
import { assessmentKindsFor } from '../../domain/journey/assessment-rules.ts'
import type { Actor } from '../common/context.ts'
import {
  assessmentsAwaitingAuthorisation,
  assessmentsOfCase,
  authoriseAssessment,
  completeAssessment,
  getAssessment,
  reopenAssessment,
  returnAssessment,
  startAssessment,
  updateAssessment,
} from './assessments.ts'
import { withCase } from './case-records.ts'
import { startClock } from './clocks.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

/**
 * A case with a referral, as the front door leaves it: an open episode and the assessment clock
 * the edition in force on the referral date gives (subject: the episode).
 */
async function referredCase(referralDate: string, options: { closed?: boolean; clock?: boolean } = {}) {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const [episode] = await database.db
    .insert(cinEpisode)
    .values({
      partnershipId: world.partnershipId,
      caseId,
      referralDate,
      referralSource: '2A',
      recordedBy: worker.userId,
      closureDate: options.closed ? referralDate : null,
      closureReason: options.closed ? 'RC8' : null,
    })
    .returning()
  if (options.clock !== false) {
    const rule = assessmentKindsFor(referralDate).includes('single') ? 'assessment' : 'initial-assessment'
    await withCase(world.ctx(worker), caseId, 'case:update', (tx, open) =>
      startClock(world.ctx(worker), tx, open, { rule, start: referralDate, subjectType: 'cin-episode', subjectId: episode!.id, task: 'Complete the assessment' }),
    )
  }
  return { worker, caseId, episodeId: episode!.id }
}

async function clocksOf(subjectId: string) {
  return database.db.select().from(clock).where(eq(clock.subjectId, subjectId))
}

const refusal = (field: string, pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ValidationFailed, `expected ValidationFailed, got ${String(err)}`)
  assert.match(err.fieldErrors[field] ?? '', pattern)
  return true
}

describe('starting an assessment', () => {
  test('a referral from 2014 gets a single assessment; an initial assessment is refused', async () => {
    const { worker, caseId, episodeId } = await referredCase('2014-06-02')
    const ctx = world.ctx(worker)
    await assert.rejects(startAssessment(ctx, caseId, { episodeId, kind: 'initial', startedOn: '2014-06-03' }), refusal('kind', /single assessment/))
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2014-06-03' })
    assert.equal(a.kind, 'single')
    assert.equal(a.version, 1)
    const clocks = await clocksOf(episodeId)
    assert.deepEqual(clocks.map((k) => k.rule), ['assessment'], 'no second clock: the referral started it')
    assert.equal((await clocksOf(a.id)).length, 0)
  })

  test('a referral from 2012 gets an initial assessment, and a core assessment runs its own clock', async () => {
    const { worker, caseId, episodeId } = await referredCase('2012-11-01')
    const ctx = world.ctx(worker)
    await assert.rejects(startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2012-11-01' }), refusal('kind', /before 15 April 2013/))
    const initial = await startAssessment(ctx, caseId, { episodeId, kind: 'initial', startedOn: '2012-11-01' })
    await completeAssessment(ctx, caseId, initial.id, { version: 1, completedOn: '2012-11-09', factors: [], outcome: 'core-assessment' })
    const [initialClock] = await clocksOf(episodeId)
    assert.equal(initialClock!.rule, 'initial-assessment')
    assert.equal(initialClock!.edition, 2010)
    assert.equal(initialClock!.completedOn, '2012-11-09')

    const core = await startAssessment(ctx, caseId, { episodeId, kind: 'core', startedOn: '2012-11-12' })
    const [coreClock] = await clocksOf(core.id)
    assert.equal(coreClock!.rule, 'core-assessment')
    assert.equal(coreClock!.subjectType, 'assessment')
    assert.equal(coreClock!.edition, 2010)
    assert.equal(coreClock!.dueOn, '2013-01-03', '35 working days from 12 November 2012, skipping Christmas and New Year bank holidays')
  })

  test('a core assessment begun after WT2013 on a 2012 referral has no timescale, so no clock', async () => {
    const { worker, caseId, episodeId } = await referredCase('2013-03-20')
    const core = await startAssessment(world.ctx(worker), caseId, { episodeId, kind: 'core', startedOn: '2013-05-01' })
    assert.equal(core.kind, 'core')
    assert.equal((await clocksOf(core.id)).length, 0)
  })

  test('dates before the referral, in the future, closed episodes and a second open assessment are refused', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-10-01')
    const ctx = world.ctx(worker)
    await assert.rejects(startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-09-30' }), refusal('startedOn', /before the referral/))
    await assert.rejects(startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-11-21' }), refusal('startedOn', /today or in the past/))
    await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-02' })
    await assert.rejects(startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-05' }), refusal('episodeId', /not yet completed/))

    const closed = await referredCase('2026-09-01', { closed: true })
    await assert.rejects(
      startAssessment(world.ctx(closed.worker), closed.caseId, { episodeId: closed.episodeId, kind: 'single', startedOn: '2026-09-02' }),
      refusal('episodeId', /closed/),
    )
    await assert.rejects(
      startAssessment(ctx, caseId, { episodeId: closed.episodeId, kind: 'single', startedOn: '2026-10-02' }),
      refusal('episodeId', /of this child/),
    )
  })

  test('someone with no relationship to the case cannot start one', async () => {
    const { caseId, episodeId } = await referredCase('2026-10-01')
    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(startAssessment(world.ctx(stranger), caseId, { episodeId, kind: 'single', startedOn: '2026-10-02' }), AccessDenied)
  })
})

describe('recording progress', () => {
  test('the domains and dates are saved as a new version; a stale version is a conflict carrying the current record', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-10-01')
    const ctx = world.ctx(worker)
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-02' })
    const saved = await updateAssessment(ctx, caseId, a.id, {
      version: 1,
      developmentalNeeds: 'Meeting milestones; attends school daily.',
      childSeenOn: '2026-10-05',
      childSeenAloneOn: '2026-10-05',
    })
    assert.equal(saved.version, 2)
    assert.equal(saved.developmentalNeeds, 'Meeting milestones; attends school daily.')
    assert.equal(saved.childSeenAloneOn, '2026-10-05')

    const second = await updateAssessment(ctx, caseId, a.id, { version: 2, analysis: 'Needs are met with support.' })
    assert.equal(second.developmentalNeeds, 'Meeting milestones; attends school daily.', 'absent fields are kept')

    await assert.rejects(updateAssessment(ctx, caseId, a.id, { version: 2, analysis: 'Overwrite?' }), (err) => {
      assert.ok(err instanceof EditConflict)
      assert.equal(err.current?.version, 3)
      assert.equal(err.current?.analysis, 'Needs are met with support.')
      return true
    })
  })

  test('seen alone without a date seen is refused', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-10-01')
    const ctx = world.ctx(worker)
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-02' })
    await assert.rejects(updateAssessment(ctx, caseId, a.id, { version: 1, childSeenAloneOn: '2026-10-05' }), refusal('childSeenOn', /seen alone was seen/))
  })
})

describe('completing an assessment', () => {
  test('factor rules: retired, repeated, and “no factors” with other factors or without NFA are refused', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-10-01')
    const ctx = world.ctx(worker)
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-02' })
    const complete = (factors: string[], outcome: 'nfa' | 'cin-plan') =>
      completeAssessment(ctx, caseId, a.id, { version: 1, completedOn: '2026-11-02', factors: factors as never, outcome })
    await assert.rejects(complete(['18A'], 'cin-plan'), refusal('factors', /no longer used/))
    await assert.rejects(complete(['3A', '3A'], 'cin-plan'), refusal('factors', /more than once/))
    await assert.rejects(complete(['21', '3A'], 'nfa'), refusal('factors', /with other factors/))
    await assert.rejects(complete(['21'], 'cin-plan'), refusal('factors', /no further action/))
    await assert.rejects(complete([], 'cin-plan'), refusal('factors', /Select the factors/))
    await assert.rejects(
      completeAssessment(ctx, caseId, a.id, { version: 1, completedOn: '2026-11-02', factors: ['3A'], outcome: 'core-assessment' }),
      refusal('outcome', /initial assessment/),
    )
    await assert.rejects(
      completeAssessment(ctx, caseId, a.id, { version: 1, completedOn: '2026-10-01', factors: ['3A'], outcome: 'cin-plan' }),
      refusal('completedOn', /before the start/),
    )
    const done = await complete(['21'], 'nfa')
    assert.deepEqual(done.factors, ['21'])
    assert.equal(done.outcome, 'nfa')
    await assert.rejects(
      completeAssessment(ctx, caseId, a.id, { version: 2, completedOn: '2026-11-03', factors: ['3A'], outcome: 'cin-plan' }),
      refusal('form', /already completed/),
    )
  })

  test('on time: the episode’s clock and its task are completed, and no reason is asked', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-10-01')
    const ctx = world.ctx(worker)
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-01' })
    await completeAssessment(ctx, caseId, a.id, { version: 1, completedOn: '2026-11-02', factors: ['3A', '4B'], outcome: 'cin-plan' })
    const [k] = await clocksOf(episodeId)
    assert.equal(k!.completedOn, '2026-11-02')
    assert.equal(k!.delayReason, null)
    const [t] = await database.db.select().from(task).where(eq(task.clockId, k!.id))
    assert.equal(t!.status, 'done')
    const view = await getAssessment(ctx, caseId, a.id)
    assert.equal(view.assessment.state, 'completed')
    assert.equal(view.assessment.clock?.state, 'completed-on-time')
  })

  test('late: the reason is required, then stored on the assessment and the clock', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-06-01')
    const ctx = world.ctx(worker)
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-06-01' })
    const [before] = await clocksOf(episodeId)
    assert.equal(before!.dueOn, '2026-08-03')
    const input = { version: 1, completedOn: '2026-09-14', factors: ['16A' as const], outcome: 'cin-plan' as const }
    await assert.rejects(completeAssessment(ctx, caseId, a.id, input), refusal('delayReason', /was due on 3 August 2026/))
    const done = await completeAssessment(ctx, caseId, a.id, { ...input, delayReason: 'Family away for six weeks; child not available to be seen.' })
    assert.equal(done.delayReason, 'Family away for six weeks; child not available to be seen.')
    const [k] = await clocksOf(episodeId)
    assert.equal(k!.completedOn, '2026-09-14')
    assert.equal(k!.delayReason, 'Family away for six weeks; child not available to be seen.')
    const list = await assessmentsOfCase(ctx, caseId)
    assert.equal(list.assessments[0]!.clock?.state, 'completed-late')
  })

  test('late: the coded reason alone answers why; it is kept on the clock and counted by reason', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-06-01')
    const ctx = world.ctx(worker)
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-06-01' })
    const counted = await lateCountOf(database.db, world.partnershipId, 'complexity')
    const done = await completeAssessment(ctx, caseId, a.id, { version: 1, completedOn: '2026-09-14', factors: ['16A'], outcome: 'cin-plan', delayReasonCode: 'complexity' })
    assert.equal(done.delayReason, null)
    const [k] = await clocksOf(episodeId)
    assert.deepEqual([k!.completedOn, k!.delayReasonCode], ['2026-09-14', 'complexity'])
    assert.equal(await lateCountOf(database.db, world.partnershipId, 'complexity'), counted + 1)
  })

  test('an outcome of strategy discussion starts that clock from the completion date, subject the episode', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-10-01')
    const ctx = world.ctx(worker)
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-01' })
    await completeAssessment(ctx, caseId, a.id, { version: 1, completedOn: '2026-11-03', factors: ['3A'], outcome: 'strategy-discussion' })
    const strategy = (await clocksOf(episodeId)).filter((k) => k.rule === 'strategy-discussion')
    assert.equal(strategy.length, 1)
    assert.equal(strategy[0]!.startOn, '2026-11-03')
    assert.equal(strategy[0]!.subjectType, 'cin-episode')
    assert.equal(strategy[0]!.completedOn, null)
  })

  test('a core assessment completes its own clock, not the episode’s', async () => {
    const { worker, caseId, episodeId } = await referredCase('2012-11-01')
    const ctx = world.ctx(worker)
    const core = await startAssessment(ctx, caseId, { episodeId, kind: 'core', startedOn: '2012-11-05' })
    await completeAssessment(ctx, caseId, core.id, { version: 1, completedOn: '2012-12-10', factors: [], outcome: 'cin-plan' })
    assert.equal((await clocksOf(core.id))[0]!.completedOn, '2012-12-10')
    assert.equal((await clocksOf(episodeId))[0]!.completedOn, null, 'the initial assessment clock is still open')
  })
})

describe('manager authorisation', () => {
  async function completedAssessment() {
    const referred = await referredCase('2026-10-01')
    const ctx = world.ctx(referred.worker)
    const a = await startAssessment(ctx, referred.caseId, { episodeId: referred.episodeId, kind: 'single', startedOn: '2026-10-01' })
    return { ...referred, a }
  }

  test('only after completion, only by a team manager of the case’s team; the awaiting list follows', async () => {
    const { worker, caseId, a } = await completedAssessment()
    const manager = await world.user(['team-manager'])
    const otherManager = await world.user(['team-manager'], { team: 'front-door' })
    await assert.rejects(authoriseAssessment(world.ctx(manager), caseId, a.id, { version: 1, authorisedOn: '2026-11-05', comment: 'Sound analysis.' }), refusal('form', /Only a completed/))
    await completeAssessment(world.ctx(worker), caseId, a.id, { version: 1, completedOn: '2026-11-04', factors: ['1B'], outcome: 'early-help' })

    const teamId = world.teams.assessment!
    const awaiting = await assessmentsAwaitingAuthorisation(database.db, teamId)
    const mine = awaiting.find((x) => x.assessmentId === a.id)
    assert.ok(mine)
    assert.equal(mine.caseId, caseId)
    assert.equal(mine.completedOn, '2026-11-04')
    assert.match(mine.childName, /^Testy Child/)
    assert.equal((await assessmentsAwaitingAuthorisation(database.db, world.teams['front-door']!)).some((x) => x.assessmentId === a.id), false)

    await assert.rejects(authoriseAssessment(world.ctx(worker), caseId, a.id, { version: 2, authorisedOn: '2026-11-05', comment: 'Sound analysis.' }), AccessDenied)
    await assert.rejects(authoriseAssessment(world.ctx(otherManager), caseId, a.id, { version: 2, authorisedOn: '2026-11-05', comment: 'Sound analysis.' }), AccessDenied)
    await assert.rejects(
      authoriseAssessment(world.ctx(manager), caseId, a.id, { version: 2, authorisedOn: '2026-11-03', comment: 'Sound analysis.' }),
      refusal('authorisedOn', /before the completion/),
    )
    const authorised = await authoriseAssessment(world.ctx(manager), caseId, a.id, { version: 2, authorisedOn: '2026-11-05', comment: 'Sound analysis.' })
    assert.equal(authorised.authorisedBy, manager.userId)
    assert.equal(authorised.authorisedOn, '2026-11-05')
    assert.equal((await assessmentsAwaitingAuthorisation(database.db, teamId)).some((x) => x.assessmentId === a.id), false)

    const [entry] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, a.id), eq(auditEvent.action, 'assessment.authorise')))
    assert.equal(entry!.actorUserId, manager.userId)

    await assert.rejects(updateAssessment(world.ctx(worker), caseId, a.id, { version: 3, analysis: 'Late change' }), refusal('form', /authorised/))
  })
})

describe('returned, resubmitted, authorised with a comment, reopened (issue 16)', () => {
  test('a manager returns it with reasons; the worker sees them and resubmits; the manager authorises it with a comment', async () => {
    const referred = await referredCase('2026-10-01')
    const { worker, caseId } = referred
    const manager = await world.user(['team-manager'])
    const a = await startAssessment(world.ctx(worker), caseId, { episodeId: referred.episodeId, kind: 'single', startedOn: '2026-10-01' })
    await assert.rejects(returnAssessment(world.ctx(manager), caseId, a.id, { version: 1, reasons: 'Too soon.' }), refusal('form', /Only a completed/))
    await completeAssessment(world.ctx(worker), caseId, a.id, { version: 1, completedOn: '2026-11-04', factors: ['1B'], outcome: 'early-help' })
    await assert.rejects(returnAssessment(world.ctx(worker), caseId, a.id, { version: 2, reasons: 'Self-return.' }), AccessDenied)
    const returned = await returnAssessment(world.ctx(manager), caseId, a.id, { version: 2, reasons: 'Say how the child’s views were gathered.' })
    assert.equal(returned.completedOn, null)
    const seen = (await getAssessment(world.ctx(worker), caseId, a.id)).assessment
    assert.equal(seen.state, 'returned')
    assert.equal(seen.returnReasons, 'Say how the child’s views were gathered.')
    assert.equal(seen.returnedByName, manager.displayName)
    assert.deepEqual(seen.factors, ['1B'], 'what the worker recorded is kept')
    assert.equal((await assessmentsAwaitingAuthorisation(database.db, world.teams.assessment!)).some((x) => x.assessmentId === a.id), false)
    await assert.rejects(
      authoriseAssessment(world.ctx(manager), caseId, a.id, { version: 3, authorisedOn: '2026-11-05', comment: 'Fine.' }),
      refusal('form', /Only a completed/),
    )
    await updateAssessment(world.ctx(worker), caseId, a.id, { version: 3, analysis: 'Views gathered at school, alone.' })
    await completeAssessment(world.ctx(worker), caseId, a.id, { version: 4, completedOn: '2026-11-06', factors: ['1B'], outcome: 'early-help' })
    assert.equal((await getAssessment(world.ctx(worker), caseId, a.id)).assessment.state, 'completed')
    const authorised = await authoriseAssessment(world.ctx(manager), caseId, a.id, { version: 5, authorisedOn: '2026-11-06', comment: 'Clear and complete.' })
    assert.equal(authorised.authorisationComment, 'Clear and complete.')
    const actions = (await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, a.id))).map((e) => e.action)
    assert.ok(actions.includes('assessment.return') && actions.includes('assessment.authorise'))
  })

  test('an authorised assessment is read-only until a manager reopens it with a reason, audited', async () => {
    const referred = await referredCase('2026-10-01')
    const { worker, caseId } = referred
    const manager = await world.user(['team-manager'])
    const a = await startAssessment(world.ctx(worker), caseId, { episodeId: referred.episodeId, kind: 'single', startedOn: '2026-10-01' })
    await completeAssessment(world.ctx(worker), caseId, a.id, { version: 1, completedOn: '2026-11-04', factors: ['1B'], outcome: 'early-help' })
    await authoriseAssessment(world.ctx(manager), caseId, a.id, { version: 2, authorisedOn: '2026-11-05', comment: 'Good.' })
    await assert.rejects(updateAssessment(world.ctx(worker), caseId, a.id, { version: 3, analysis: 'Late change' }), refusal('form', /read-only until a team manager reopens/))
    await assert.rejects(reopenAssessment(world.ctx(worker), caseId, a.id, { version: 3, reason: 'Mine.' }), AccessDenied)
    const reopened = await reopenAssessment(world.ctx(manager), caseId, a.id, { version: 3, reason: 'New information from the school.' })
    assert.equal(reopened.authorisedOn, null)
    assert.equal(reopened.reopenReason, 'New information from the school.')
    assert.equal((await getAssessment(world.ctx(worker), caseId, a.id)).assessment.state, 'completed')
    await updateAssessment(world.ctx(worker), caseId, a.id, { version: 4, analysis: 'Updated with the school’s information.' })
    const [entry] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, a.id), eq(auditEvent.action, 'assessment.reopen')))
    assert.equal(entry!.actorUserId, manager.userId)
    await assert.rejects(reopenAssessment(world.ctx(manager), caseId, a.id, { version: 5, reason: 'Again.' }), refusal('form', /Only an authorised/))
  })
})

describe('the assessments of a case', () => {
  test('lists assessments, the open episodes with the kinds offered, and only the clocks of episodes and assessments', async () => {
    const { worker, caseId, episodeId } = await referredCase('2026-10-01')
    const ctx = world.ctx(worker)
    await withCase(ctx, caseId, 'case:update', (tx, open) =>
      startClock(ctx, tx, open, { rule: 'core-group', start: '2026-10-10', subjectType: 'plan', subjectId: caseId, task: 'Unrelated' }),
    )
    const a = await startAssessment(ctx, caseId, { episodeId, kind: 'single', startedOn: '2026-10-01' })
    const view: Awaited<ReturnType<typeof assessmentsOfCase>> = await assessmentsOfCase(ctx, caseId)
    assert.deepEqual(view.assessments.map((x) => [x.id, x.state, x.referralDate]), [[a.id, 'in-progress', '2026-10-01']])
    assert.deepEqual(view.episodes.map((e) => [e.id, e.kinds]), [[episodeId, ['single']]])
    assert.deepEqual(view.clocks.map((k) => k.rule), ['assessment'])
    assert.equal(view.assessments[0]!.clock?.rule, 'assessment')
    assert.equal(view.c.id, caseId)
  })

  test('reading them is audited as a view of the assessments section', async () => {
    const { worker, caseId } = await referredCase('2026-10-01')
    await assessmentsOfCase(world.ctx(worker as Actor), caseId)
    const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.view')))
    assert.deepEqual(entries.at(-1)!.detail, { section: 'assessments' })
  })
})
