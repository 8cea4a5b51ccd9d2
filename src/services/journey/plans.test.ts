import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, childCase, cinEpisode, clock, plan, recordRevision } from '../../db/schema/index.ts'
import { withCase } from './case-records.ts'
import { startClock } from './clocks.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import {
  addPlanItem,
  endPlan,
  getPlan,
  plansOfCase,
  reviewPlan,
  stageForOpenPlans,
  startPlan,
  stepPlan,
  updatePlanItem,
} from './plans.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function allocatedCase(options: { episode?: string | null } = {}) {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  let episodeId: string | null = null
  if (options.episode !== null) {
    const [e] = await database.db
      .insert(cinEpisode)
      .values({ partnershipId: world.partnershipId, caseId, referralDate: options.episode ?? '2026-10-01', referralSource: '2A', recordedBy: worker.userId })
      .returning()
    episodeId = e!.id
  }
  return { worker, caseId, episodeId, ctx: world.ctx(worker) }
}

async function stageOf(caseId: string) {
  const [c] = await database.db.select({ status: childCase.status }).from(childCase).where(eq(childCase.id, caseId))
  return c!.status
}

const refusal = (field: string, pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ValidationFailed, `expected ValidationFailed, got ${String(err)}`)
  assert.match(err.fieldErrors[field] ?? '', pattern)
  return true
}

const earlyHelp = { kind: 'early-help' as const, startedOn: '2026-10-05', summary: 'Support with routines and school attendance.' }

describe('stage follows the open plans', () => {
  test('child protection above child in need above early help; nothing open gives no stage', () => {
    assert.equal(stageForOpenPlans(['early-help', 'child-protection', 'child-in-need']), 'child-protection')
    assert.equal(stageForOpenPlans(['early-help', 'child-in-need']), 'child-in-need')
    assert.equal(stageForOpenPlans(['early-help']), 'early-help')
    assert.equal(stageForOpenPlans([]), null)
  })
})

describe('starting a plan', () => {
  test('an early help plan moves the case to early help', async () => {
    const { ctx, caseId, worker } = await allocatedCase({ episode: null })
    const p = await startPlan(ctx, caseId, { ...earlyHelp, leadUserId: worker.userId, nextReviewOn: '2026-12-01' })
    assert.equal(p.kind, 'early-help')
    assert.equal(p.leadUserId, worker.userId)
    assert.equal(await stageOf(caseId), 'early-help')
    await assert.rejects(startPlan(ctx, caseId, earlyHelp), refusal('kind', /already has an open early help/))
  })

  test('a child in need plan needs an open episode, and moves the case to child in need', async () => {
    const none = await allocatedCase({ episode: null })
    await assert.rejects(
      startPlan(none.ctx, none.caseId, { kind: 'child-in-need', startedOn: '2026-10-05', summary: 'CIN' }),
      refusal('episodeId', /referral/),
    )
    const { ctx, caseId, episodeId } = await allocatedCase()
    await assert.rejects(
      startPlan(ctx, caseId, { kind: 'child-in-need', episodeId, startedOn: '2026-09-05', summary: 'CIN' }),
      refusal('startedOn', /before the referral/),
    )
    const p = await startPlan(ctx, caseId, { kind: 'child-in-need', episodeId, startedOn: '2026-10-05', summary: 'Help at home.' })
    assert.equal(p.episodeId, episodeId)
    assert.equal(await stageOf(caseId), 'child-in-need')
  })

  test('a child protection plan is refused: a conference makes it', async () => {
    const { ctx, caseId, episodeId } = await allocatedCase()
    await assert.rejects(
      startPlan(ctx, caseId, { kind: 'child-protection', episodeId, startedOn: '2026-10-05', summary: 'CP' }),
      refusal('kind', /conference/),
    )
    assert.equal((await database.db.select().from(plan).where(eq(plan.caseId, caseId))).length, 0)
  })

  test('a child protection plan keeps the stage when a child in need plan starts beside it', async () => {
    const { ctx, caseId, episodeId, worker } = await allocatedCase()
    await database.db.insert(plan).values({
      partnershipId: world.partnershipId,
      caseId,
      episodeId,
      kind: 'child-protection',
      startedOn: '2026-10-10',
      recordedBy: worker.userId,
    })
    await database.db.update(childCase).set({ status: 'child-protection' }).where(eq(childCase.id, caseId))
    const cin = await startPlan(ctx, caseId, { kind: 'child-in-need', episodeId, startedOn: '2026-10-12', summary: 'Alongside' })
    assert.equal(await stageOf(caseId), 'child-protection')
    await endPlan(ctx, caseId, cin.id, { version: 1, endedOn: '2026-11-01', endReason: 'outcomes-met' })
    assert.equal(await stageOf(caseId), 'child-protection', 'ending a plan that did not set the stage leaves it')
  })

  test('a partner practitioner cannot start one', async () => {
    const { caseId } = await allocatedCase()
    await world.involve(caseId, 'school')
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await assert.rejects(startPlan(world.ctx(partner), caseId, earlyHelp), AccessDenied)
  })
})

describe('goals and actions', () => {
  test('an action owned by a person takes their agency; a goal groups its actions', async () => {
    const { ctx, caseId } = await allocatedCase({ episode: null })
    const p = await startPlan(ctx, caseId, earlyHelp)
    const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const goal = await addPlanItem(ctx, caseId, p.id, { kind: 'goal', description: 'Attends school every day' })
    const action = await addPlanItem(ctx, caseId, p.id, {
      kind: 'action',
      goalId: goal.id,
      description: 'Morning check-in with the child',
      ownerUserId: teacher.userId,
      dueOn: '2026-12-01',
    })
    assert.equal(action.ownerAgencyId, world.agencies.school)
    assert.equal(action.status, 'not-started')
    const police = await addPlanItem(ctx, caseId, p.id, { kind: 'action', description: 'Share incidents', ownerAgencyId: world.agencies.police })
    const detail = await getPlan(ctx, caseId, p.id)
    assert.deepEqual(detail.goals.map((g) => [g.description, g.actions.map((a) => a.ownerUserName)]), [
      ['Attends school every day', [teacher.displayName]],
    ])
    assert.deepEqual(detail.otherActions.map((a) => a.id), [police.id])
    assert.equal(detail.plan.openActions, 2)
  })

  test('an action needs an owner; a goal has none; owners must match', async () => {
    const { ctx, caseId } = await allocatedCase({ episode: null })
    const p = await startPlan(ctx, caseId, earlyHelp)
    const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await assert.rejects(addPlanItem(ctx, caseId, p.id, { kind: 'action', description: 'Nobody' }), refusal('ownerAgencyId', /agency or the person/))
    await assert.rejects(
      addPlanItem(ctx, caseId, p.id, { kind: 'action', description: 'Mismatch', ownerUserId: teacher.userId, ownerAgencyId: world.agencies.police }),
      refusal('ownerUserId', /does not work for/),
    )
    await assert.rejects(addPlanItem(ctx, caseId, p.id, { kind: 'goal', description: 'Goal', dueOn: '2026-12-01' }), refusal('dueOn', /no due date/))
    const action = await addPlanItem(ctx, caseId, p.id, { kind: 'action', description: 'An action', ownerAgencyId: world.agencies.school })
    await assert.rejects(
      addPlanItem(ctx, caseId, p.id, { kind: 'action', description: 'Under an action', goalId: action.id, ownerAgencyId: world.agencies.school }),
      refusal('goalId', /goal of this plan/),
    )
  })

  test('progress is a versioned update; a stale version is refused with the current item', async () => {
    const { ctx, caseId } = await allocatedCase({ episode: null })
    const p = await startPlan(ctx, caseId, earlyHelp)
    const item = await addPlanItem(ctx, caseId, p.id, { kind: 'action', description: 'Parenting course', ownerAgencyId: world.agencies.council })
    const updated = await updatePlanItem(ctx, caseId, p.id, item.id, { version: 1, status: 'in-progress', progress: 'Attended 2 of 6 sessions.' })
    assert.equal(updated.version, 2)
    assert.equal(updated.status, 'in-progress')
    assert.equal(updated.description, 'Parenting course')
    await assert.rejects(updatePlanItem(ctx, caseId, p.id, item.id, { version: 1, status: 'done' }), (err) => {
      assert.ok(err instanceof EditConflict)
      assert.equal(err.current?.progress, 'Attended 2 of 6 sessions.')
      return true
    })
    await assert.rejects(
      updatePlanItem(ctx, caseId, p.id, item.id, { version: 2, ownerAgencyId: null, ownerUserId: null }),
      refusal('ownerAgencyId', /agency or the person/),
    )
  })

  test('a child protection plan’s goals and actions are kept here too', async () => {
    const { ctx, caseId, episodeId, worker } = await allocatedCase()
    const [cp] = await database.db
      .insert(plan)
      .values({ partnershipId: world.partnershipId, caseId, episodeId, kind: 'child-protection', startedOn: '2026-10-10', recordedBy: worker.userId })
      .returning()
    const action = await addPlanItem(ctx, caseId, cp!.id, { kind: 'action', description: 'Weekly home visit', ownerUserId: worker.userId })
    assert.equal(action.planId, cp!.id)
    await assert.rejects(endPlan(ctx, caseId, cp!.id, { version: 1, endedOn: '2026-11-01', endReason: 'outcomes-met' }), refusal('form', /conference/))
  })
})

describe('reviewing, ending and stepping plans', () => {
  test('a review changes the summary and next review as a plan.review, kept in the plan’s history', async () => {
    const { ctx, caseId, worker } = await allocatedCase({ episode: null })
    const p = await startPlan(ctx, caseId, { ...earlyHelp, nextReviewOn: '2026-11-05' })
    await assert.rejects(reviewPlan(ctx, caseId, p.id, { version: 1, summary: 'x', nextReviewOn: '2026-11-20' }), refusal('nextReviewOn', /after today/))
    const reviewed = await reviewPlan(ctx, caseId, p.id, { version: 1, summary: 'Attendance up to 92%.', nextReviewOn: '2027-01-15' })
    assert.equal(reviewed.summary, 'Attendance up to 92%.')
    assert.equal(reviewed.nextReviewOn, '2027-01-15')
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, p.id), eq(auditEvent.action, 'plan.review')))
    assert.equal(entry!.actorUserId, worker.userId)
    const detail = await getPlan(ctx, caseId, p.id)
    assert.deepEqual(
      detail.history.map((h) => [h.version, h.summary, h.nextReviewOn]),
      [
        [2, 'Attendance up to 92%.', '2027-01-15'],
        [1, earlyHelp.summary, '2026-11-05'],
      ],
    )
  })

  test('ending checks the date and reason, completes the plan’s clocks and leaves the stage', async () => {
    const { ctx, caseId } = await allocatedCase({ episode: null })
    const p = await startPlan(ctx, caseId, earlyHelp)
    await withCase(ctx, caseId, 'case:update', (tx, open) =>
      startClock(ctx, tx, open, { rule: 'core-group', start: '2026-10-05', subjectType: 'plan', subjectId: p.id, task: 'Meet' }),
    )
    await assert.rejects(endPlan(ctx, caseId, p.id, { version: 1, endedOn: '2026-10-01', endReason: 'outcomes-met' }), refusal('endedOn', /before it started/))
    await assert.rejects(endPlan(ctx, caseId, p.id, { version: 1, endedOn: '2026-11-01', endReason: 'step-up' }), refusal('endReason', /Step up or down/))
    const ended = await endPlan(ctx, caseId, p.id, { version: 1, endedOn: '2026-11-01', endReason: 'outcomes-met' })
    assert.equal(ended.endedOn, '2026-11-01')
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, p.id))
    assert.equal(k!.completedOn, '2026-11-01')
    assert.equal(await stageOf(caseId), 'closed', 'with nothing else open, the last plan ending closes the case')
    const [c] = await database.db.select({ closedOn: childCase.closedOn }).from(childCase).where(eq(childCase.id, caseId))
    assert.equal(c!.closedOn, '2026-11-01')
    await assert.rejects(addPlanItem(ctx, caseId, p.id, { kind: 'goal', description: 'Too late' }), refusal('form', /ended/))
  })

  test('a plan ending leaves the case open while an episode is open', async () => {
    const { ctx, caseId, episodeId } = await allocatedCase()
    const p = await startPlan(ctx, caseId, { kind: 'child-in-need', startedOn: '2026-10-05', summary: 'CIN plan.', episodeId })
    await endPlan(ctx, caseId, p.id, { version: 1, endedOn: '2026-11-01', endReason: 'outcomes-met' })
    assert.equal(await stageOf(caseId), 'child-in-need', 'the referral (episode) is still open')
  })

  test('stepping up from early help needs an open episode; nothing changes without one', async () => {
    const { ctx, caseId } = await allocatedCase({ episode: null })
    const p = await startPlan(ctx, caseId, earlyHelp)
    await assert.rejects(
      stepPlan(ctx, caseId, p.id, { version: 1, steppedOn: '2026-11-02', to: 'child-in-need', summary: 'CIN' }),
      refusal('to', /referral/),
    )
    const [still] = await database.db.select().from(plan).where(eq(plan.id, p.id))
    assert.equal(still!.endedOn, null)
    await assert.rejects(
      stepPlan(ctx, caseId, p.id, { version: 1, steppedOn: '2026-11-02', to: 'early-help', summary: 'Same' }),
      refusal('to', /other kind/),
    )
  })

  test('step up then step down: each ends one plan with the step and starts the next, linked, in one go', async () => {
    const { ctx, caseId, episodeId, worker } = await allocatedCase()
    const eh = await startPlan(ctx, caseId, { ...earlyHelp, leadUserId: worker.userId })
    const up = await stepPlan(ctx, caseId, eh.id, { version: 1, steppedOn: '2026-11-02', to: 'child-in-need', summary: 'Needs a CIN plan.' })
    assert.equal(up.ended.endReason, 'step-up')
    assert.equal(up.ended.endedOn, '2026-11-02')
    assert.equal(up.started.kind, 'child-in-need')
    assert.equal(up.started.previousPlanId, eh.id)
    assert.equal(up.started.episodeId, episodeId, 'the open episode is used')
    assert.equal(up.started.leadUserId, worker.userId, 'the lead carries forward')
    assert.equal(await stageOf(caseId), 'child-in-need')

    const down = await stepPlan(ctx, caseId, up.started.id, { version: 1, steppedOn: '2026-11-10', to: 'early-help', summary: 'Back to early help.' })
    assert.equal(down.ended.endReason, 'step-down-early-help')
    assert.equal(down.started.previousPlanId, up.started.id)
    assert.equal(await stageOf(caseId), 'early-help')
    const stages = await database.db
      .select({ data: recordRevision.data })
      .from(recordRevision)
      .where(and(eq(recordRevision.caseId, caseId), eq(recordRevision.entity, 'case')))
    assert.ok(!stages.some((r) => (r.data as { status: string }).status === 'closed'), 'a step never closes the case between its two plans')

    const list = await plansOfCase(ctx, caseId)
    assert.deepEqual(list.plans.map((p) => [p.kind, p.endReason]), [
      ['early-help', null],
      ['child-in-need', 'step-down-early-help'],
      ['early-help', 'step-up'],
    ])
    const detail = await getPlan(ctx, caseId, up.started.id)
    assert.equal(detail.plan.previousKind, 'early-help')
    assert.equal(detail.plan.nextPlanId, down.started.id)
  })
})
