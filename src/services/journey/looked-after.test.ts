import { CARE_START } from '../../../test/support/care.ts'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { careLeaver, childCase, cinEpisode, clock, person, plan, task } from '../../db/schema/index.ts'
import { ValidationFailed } from '../common/context.ts'
import { preProceedingsInput, preProceedingsUpdate } from './looked-after-input.ts'
import {
  becomeLookedAfter,
  changePreProceedings,
  endLookedAfter,
  lookedAfterOfCase,
  recordLacReview,
  startPreProceedings,
} from './looked-after.ts'
import { careLeaverRecordInput } from './care-leavers-input.ts'
import { recordCareLeaverRecord } from './care-leavers.ts'
import { listMyCases } from './cases.ts'
import { startPlan, endPlan } from './plans.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, ctx: world.ctx(worker) }
}

const clocksOf = (subjectId: string) => database.db.select().from(clock).where(eq(clock.subjectId, subjectId)).orderBy(clock.startOn, clock.createdAt)
const stageOf = async (caseId: string) => (await database.db.select().from(childCase).where(eq(childCase.id, caseId)))[0]!.status

describe('looked-after children', () => {
  test('becoming looked after sets the stage and starts the first review clock (20 working days)', async () => {
    const { caseId, ctx, worker } = await allocatedCase()
    const period = await becomeLookedAfter(ctx, caseId, { startedOn: '2026-11-02', legalStatus: 'C1', ...CARE_START })
    assert.equal(await stageOf(caseId), 'looked-after')
    const first = (await clocksOf(period.id)).find((k) => k.rule === 'cla-first-review')
    assert.equal(first!.dueOn, '2026-11-30')
    assert.equal(first!.subjectType, 'looked-after')
    const [t] = await database.db.select().from(task).where(eq(task.clockId, first!.id))
    assert.equal(t!.assigneeUserId, worker.userId)
    // The child's health and education start too (the fixture's child is 10): issue 19 §4.
    assert.deepEqual(
      (await clocksOf(period.id)).filter((k) => !k.rule.startsWith('cla-')).map((k) => [k.rule, k.dueOn]).sort(),
      [['initial-health-assessment', '2026-11-30'], ['pep', '2026-11-30']],
    )
    await assert.rejects(becomeLookedAfter(ctx, caseId, { startedOn: '2026-11-03', legalStatus: 'V2', ...CARE_START }), ValidationFailed)
  })

  test('reviews chain: first → second (3 months) → later reviews (6 months), each from the review date', async () => {
    const { caseId, ctx } = await allocatedCase()
    const period = await becomeLookedAfter(
      world.ctx(ctx.actor, new Date('2025-01-10T12:00:00Z')),
      caseId,
      { startedOn: '2025-01-06', legalStatus: 'C2', ...CARE_START },
    )
    const first = await recordLacReview(ctx, caseId, period.id, { heldOn: '2025-02-05', delayReason: null, participation: 'PN1', chairId: null, reviewedPermanencePlan: null })
    assert.deepEqual(first, { completed: 'cla-first-review', next: 'cla-second-review' })
    const second = await recordLacReview(ctx, caseId, period.id, { heldOn: '2025-05-01', delayReason: null, participation: 'PN1', chairId: null, reviewedPermanencePlan: null })
    assert.deepEqual(second, { completed: 'cla-second-review', next: 'cla-review' })
    const third = await recordLacReview(ctx, caseId, period.id, { heldOn: '2025-11-20', delayReason: 'IRO on leave', participation: 'PN1', chairId: null, reviewedPermanencePlan: null })
    assert.deepEqual(third, { completed: 'cla-review', next: 'cla-review' })
    const clocks = await clocksOf(period.id)
    assert.deepEqual(
      clocks.filter((k) => k.rule.startsWith('cla-')).map((k) => [k.rule, k.startOn, k.dueOn, k.completedOn]),
      [
        ['cla-first-review', '2025-01-06', '2025-02-03', '2025-02-05'],
        ['cla-second-review', '2025-02-05', '2025-05-05', '2025-05-01'],
        ['cla-review', '2025-05-01', '2025-11-01', '2025-11-20'],
        ['cla-review', '2025-11-20', '2026-05-20', null],
      ],
    )
    const page = await lookedAfterOfCase(ctx, caseId)
    assert.deepEqual(
      page.periods[0]!.reviews.map((r) => [r.heldOn, r.late, r.delayReason]),
      [
        ['2025-02-05', true, null],
        ['2025-05-01', false, null],
        ['2025-11-20', true, 'IRO on leave'],
      ],
    )
    await assert.rejects(recordLacReview(ctx, caseId, period.id, { heldOn: '2025-11-01', delayReason: null, participation: 'PN1', chairId: null, reviewedPermanencePlan: null }), ValidationFailed)
  })

  test('leaving care ends the period, completes the running clock and returns the case to what its plans imply', async () => {
    const { caseId, ctx, worker } = await allocatedCase()
    const [episode] = await database.db
      .insert(cinEpisode)
      .values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-09-01', referralSource: '1A', recordedBy: worker.userId })
      .returning()
    await database.db.insert(plan).values({
      partnershipId: world.partnershipId,
      caseId,
      episodeId: episode!.id,
      kind: 'child-in-need',
      startedOn: '2026-09-20',
      recordedBy: worker.userId,
    })
    const period = await becomeLookedAfter(ctx, caseId, { startedOn: '2026-10-01', legalStatus: 'V2', ...CARE_START })
    await assert.rejects(endLookedAfter(ctx, caseId, period.id, { version: 1, endedOn: '2026-09-30', reasonCeased: 'E4A' }), ValidationFailed)
    const ended = await endLookedAfter(ctx, caseId, period.id, { version: 1, endedOn: '2026-10-20', reasonCeased: 'E4A' })
    assert.equal(ended.endedOn, '2026-10-20')
    const [k] = await clocksOf(period.id)
    assert.equal(k!.completedOn, '2026-10-20')
    assert.equal(await stageOf(caseId), 'child-in-need')
    const page = await lookedAfterOfCase(ctx, caseId)
    assert.deepEqual(page.periods[0]!.reviews, [], 'leaving care is not a review')
    await assert.rejects(recordLacReview(ctx, caseId, period.id, { heldOn: '2026-10-21', delayReason: null, participation: 'PN1', chairId: null, reviewedPermanencePlan: null }), ValidationFailed)
  })

  test('ending the only open work closes the case on the day care ended', async () => {
    const { caseId, ctx } = await allocatedCase()
    const period = await becomeLookedAfter(ctx, caseId, { startedOn: '2026-10-01', legalStatus: 'V2', ...CARE_START })
    await endLookedAfter(ctx, caseId, period.id, { version: 1, endedOn: '2026-10-20', reasonCeased: 'E4A' })
    const [c] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.equal(c!.status, 'closed')
    assert.equal(c!.closedOn, '2026-10-20')
  })

  test('a young person leaving care entitled to support stays in the caseload as a care leaver until that support ends', async () => {
    const { caseId, ctx } = await allocatedCase()
    const [c] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    // 18 on 15 October 2026, looked after from 15 (more than 13 weeks since 14, and after 16).
    await database.db.update(person).set({ dateOfBirth: '2008-10-15' }).where(eq(person.id, c!.personId))
    const period = await becomeLookedAfter(world.ctx(ctx.actor, new Date('2024-01-10T12:00:00Z')), caseId, { startedOn: '2024-01-08', legalStatus: 'V2', ...CARE_START })
    await endLookedAfter(ctx, caseId, period.id, { version: 1, endedOn: '2026-10-15', reasonCeased: 'E17' })
    const [leaving] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.equal(leaving!.status, 'care-leaver')
    assert.equal(leaving!.closedOn, null)
    const [details] = await database.db.select().from(careLeaver).where(eq(careLeaver.caseId, caseId))
    assert.equal(details?.category, 'former-relevant', 'the care leaver details are recorded as care ends')
    assert.ok((await listMyCases(ctx, 'allocated', { offset: 0, limit: 100 })).items.some((x) => x.id === caseId), 'still in the worker’s caseload')
    // Other work starting and ending on the case does not close it, nor take it from the care leaver stage.
    const p = await startPlan(ctx, caseId, { kind: 'early-help', startedOn: '2026-10-20', summary: 'Help with a tenancy' })
    assert.equal(await stageOf(caseId), 'care-leaver')
    await endPlan(ctx, caseId, p.id, { version: p.version, endedOn: '2026-10-25', endReason: 'outcomes-met' })
    assert.equal(await stageOf(caseId), 'care-leaver')
    // The end of support: its reason is asked; then the case closes that day.
    assert.throws(() => careLeaverRecordInput.parse({ kind: 'support-ended', on: '2026-11-01' }))
    await recordCareLeaverRecord(ctx, caseId, careLeaverRecordInput.parse({ kind: 'support-ended', on: '2026-11-01', notes: 'No longer wants support' }))
    const [closed] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.deepEqual([closed!.status, closed!.closedOn], ['closed', '2026-11-01'])
    await assert.rejects(recordCareLeaverRecord(ctx, caseId, careLeaverRecordInput.parse({ kind: 'support-ended', on: '2026-11-02', notes: 'Again' })), ValidationFailed)
  })

  test('a period from before the review regulations (April 2011) has no clock, but reviews can still be recorded', async () => {
    const { caseId, ctx } = await allocatedCase()
    const period = await becomeLookedAfter(ctx, caseId, { startedOn: '2010-06-01', legalStatus: 'C2', ...CARE_START })
    assert.equal((await clocksOf(period.id)).length, 0)
    const review = await recordLacReview(ctx, caseId, period.id, { heldOn: '2010-06-20', delayReason: null, participation: 'PN1', chairId: null, reviewedPermanencePlan: null })
    assert.deepEqual(review, { completed: null, next: null })
  })
})

describe('pre-proceedings', () => {
  const pp = (fields: Record<string, unknown>) =>
    preProceedingsInput.parse({ decisionOn: '2026-06-01', fgdmOffered: 'yes', fgdmOfferedOn: '2026-06-03', letterSentOn: '', fgdmMeetingOn: '', initialMeetingOn: '', proceedingsIssuedOn: '', outcome: '', endedOn: '', ...fields })

  test('the census items are recorded; issuing proceedings starts the 26-week clock', async () => {
    const { caseId, ctx } = await allocatedCase()
    const row = await startPreProceedings(ctx, caseId, pp({ letterSentOn: '2026-06-03', initialMeetingOn: '2026-06-17' }))
    assert.equal(row.fgdmOffered, true)
    assert.equal((await clocksOf(row.id)).length, 0)
    const issued = await changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 1, proceedingsIssuedOn: '2026-08-03', outcome: 'B' }))
    assert.equal(issued.letterSentOn, '2026-06-03', 'fields left out are unchanged')
    const [k] = await clocksOf(row.id)
    assert.deepEqual([k!.rule, k!.startOn, k!.dueOn, k!.subjectType], ['care-proceedings', '2026-08-03', '2027-02-01', 'pre-proceedings'])

    const corrected = await changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 2, proceedingsIssuedOn: '2026-08-04' }))
    const [moved] = await clocksOf(row.id)
    assert.equal(moved!.dueOn, '2027-02-02')
    const [t] = await database.db.select().from(task).where(eq(task.clockId, moved!.id))
    assert.equal(t!.dueOn, '2027-02-02')

    await changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: corrected.version, endedOn: '2026-11-19', reasonCeased: 'E4A' }))
    const [done] = await clocksOf(row.id)
    assert.equal(done!.completedOn, '2026-11-19')
    const page = await lookedAfterOfCase(ctx, caseId)
    assert.deepEqual(page.clocks.map((c) => c.rule), ['care-proceedings'])
  })

  test('pre-proceedings ended after the 26 weeks ask for the coded reason, kept on the clock with the words (issue 17 §3)', async () => {
    const { caseId, ctx } = await allocatedCase()
    const row = await startPreProceedings(ctx, caseId, pp({ decisionOn: '2026-01-05', fgdmOffered: 'no', fgdmOfferedOn: '', proceedingsIssuedOn: '2026-03-02', outcome: 'B' }))
    const [running] = await clocksOf(row.id)
    assert.equal(running!.dueOn, '2026-08-31')
    await assert.rejects(changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 1, endedOn: '2026-09-15', reasonCeased: 'E4A' })), (err) => {
      assert.ok(err instanceof ValidationFailed, String(err))
      assert.match(err.fieldErrors.lateReasonCode ?? '', /due by 31 August 2026/)
      return true
    })
    assert.equal((await clocksOf(row.id))[0]!.completedOn, null, 'refused: the clock still runs')
    await changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 1, endedOn: '2026-09-15', lateReasonCode: 'awaiting-agency', lateReason: 'The final hearing was adjourned' }))
    const [done] = await clocksOf(row.id)
    assert.deepEqual([done!.completedOn, done!.delayReasonCode, done!.delayReason], ['2026-09-15', 'awaiting-agency', 'The final hearing was adjourned'])
    // A corrected end keeps the reason; one on time needs none.
    await changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 2, endedOn: '2026-09-16', reasonCeased: 'E4A' }))
    assert.equal((await clocksOf(row.id))[0]!.delayReasonCode, 'awaiting-agency')
    const other = await allocatedCase()
    const onTime = await startPreProceedings(other.ctx, other.caseId, pp({ decisionOn: '2026-01-05', fgdmOffered: 'no', fgdmOfferedOn: '', proceedingsIssuedOn: '2026-03-02', outcome: 'B', endedOn: '2026-08-28' }))
    assert.equal((await clocksOf(onTime.id))[0]!.completedOn, '2026-08-28')
  })

  test('the items must agree with each other', async () => {
    const { caseId, ctx } = await allocatedCase()
    const fails = async (fields: Record<string, unknown>, field: string) =>
      assert.rejects(startPreProceedings(ctx, caseId, pp(fields)), (err) => {
        assert.ok(err instanceof ValidationFailed, String(err))
        assert.ok(err.fieldErrors[field], `expected an error on ${field}: ${JSON.stringify(err.fieldErrors)}`)
        return true
      })
    await fails({ letterSentOn: '2026-05-01' }, 'letterSentOn')
    await fails({ fgdmOffered: 'no', fgdmMeetingOn: '2026-06-10' }, 'fgdmMeetingOn')
    await fails({ outcome: 'B' }, 'proceedingsIssuedOn')
    await fails({ proceedingsIssuedOn: '2026-07-01', outcome: 'A' }, 'outcome')
    await fails({ endedOn: '2026-07-01' }, 'outcome')
    await fails({ decisionOn: '2026-11-21' }, 'decisionOn')
  })

  test('issuing care proceedings asks for the family group decision-making offer (its date) or why none was offered; the offer’s date and answer belong to an offer', async () => {
    const { caseId, ctx } = await allocatedCase()
    const errorsOf = async (work: Promise<unknown>) => {
      const err = await work.then(() => null, (e: unknown) => e)
      assert.ok(err instanceof ValidationFailed, String(err))
      return Object.keys(err.fieldErrors)
    }
    const issued = { proceedingsIssuedOn: '2026-08-03', outcome: 'B' }
    assert.deepEqual(await errorsOf(startPreProceedings(ctx, caseId, pp({ ...issued, fgdmOffered: 'no', fgdmOfferedOn: '' }))), ['fgdmNotOfferedReason'])
    assert.deepEqual(await errorsOf(startPreProceedings(ctx, caseId, pp({ ...issued, fgdmOfferedOn: '' }))), ['fgdmOfferedOn'])
    assert.deepEqual(await errorsOf(startPreProceedings(ctx, caseId, pp({ fgdmOffered: 'no', fgdmResponse: 'declined', fgdmOfferedOn: '' }))), ['fgdmOffered'])
    assert.deepEqual(await errorsOf(startPreProceedings(ctx, caseId, pp({ fgdmNotOfferedReason: 'Not safe' }))), ['fgdmNotOfferedReason'])

    // Started without an offer; issuing later asks for it, a reason answers it.
    const row = await startPreProceedings(ctx, caseId, pp({ fgdmOffered: 'no', fgdmOfferedOn: '' }))
    assert.deepEqual(await errorsOf(changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 1, ...issued }))), ['fgdmNotOfferedReason'])
    const reason = 'A meeting would not be in the child’s best interests: the father has threatened the family (fictional)'
    const done = await changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 1, ...issued, fgdmNotOfferedReason: reason }))
    assert.equal(done.fgdmNotOfferedReason, reason)
    assert.equal(done.proceedingsIssuedOn, '2026-08-03')
  })

  test('an offer accepted is kept with its date; proceedings issued before the duty (Royal Assent) need no offer', async () => {
    const { caseId, ctx } = await allocatedCase()
    const row = await startPreProceedings(ctx, caseId, pp({ fgdmResponse: 'accepted', fgdmMeetingOn: '2026-06-20', proceedingsIssuedOn: '2026-08-03', outcome: 'B' }))
    assert.deepEqual([row.fgdmOffered, row.fgdmOfferedOn, row.fgdmResponse], [true, '2026-06-03', 'accepted'])
    const other = await allocatedCase()
    const before = await startPreProceedings(other.ctx, other.caseId, pp({ decisionOn: '2026-01-05', fgdmOffered: 'no', fgdmOfferedOn: '', proceedingsIssuedOn: '2026-03-02', outcome: 'B' }))
    assert.equal(before.proceedingsIssuedOn, '2026-03-02')
  })

  test('one running pre-proceedings record at a time; an ended one cannot be reopened', async () => {
    const { caseId, ctx } = await allocatedCase()
    const row = await startPreProceedings(ctx, caseId, pp({ outcome: 'A', endedOn: '2026-07-01' }))
    await assert.rejects(changePreProceedings(ctx, caseId, row.id, preProceedingsUpdate.parse({ version: 1, endedOn: '' })), ValidationFailed)
    const next = await startPreProceedings(ctx, caseId, pp({ decisionOn: '2026-09-01', fgdmOfferedOn: '2026-09-03' }))
    await assert.rejects(startPreProceedings(ctx, caseId, pp({ decisionOn: '2026-10-01' })), ValidationFailed)
    const page = await lookedAfterOfCase(world.ctx(ctx.actor, FIXED_NOW), caseId)
    assert.deepEqual(page.preProceedings.map((p) => p.id), [next.id, row.id])
  })
})
