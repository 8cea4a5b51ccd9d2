import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { CARE_START } from '../../../test/support/care.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { becomeLookedAfter, endLookedAfter, lookedAfterOfCase, recordLacReview } from '../journey/looked-after.ts'
import { lacReviewInput, lookedAfterStart } from '../journey/looked-after-input.ts'
import { adoptionMatchInput, previousPermanenceInput } from './permanence-input.ts'
import {
  allocateIro,
  iroCandidates,
  changeIroEscalation,
  permanenceOfPeriod,
  raiseIroEscalation,
  recordAdoptionDecision,
  recordAdoptionMatch,
  recordCarePlan,
  recordPreviousPermanence,
  reverseAdoptionDecision,
} from './permanence.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function inCare(startedOn = '2026-03-02') {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  const ctx = world.ctx(worker)
  const period = await becomeLookedAfter(ctx, caseId, { startedOn, legalStatus: 'C2', ...CARE_START })
  return { worker, caseId, personId, ctx, period }
}

async function refused(work: Promise<unknown>, field: string, message: RegExp) {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof ValidationFailed, String(err))
    assert.match(err.fieldErrors[field] ?? '', message, JSON.stringify(err.fieldErrors))
    return true
  })
}

const match = (version: number, fields: Record<string, unknown> = {}) =>
  adoptionMatchInput.parse({ version, matchedOn: '2026-08-10', adopterCount: 2, adopterSex: 'MF', adopterLegalStatus: 'L11', adoptersFosterCarers: false, ...fields })

describe('care plan, IRO and reviews', () => {
  test('the care plan, the IRO (independent of the case) chairing a review, the participation by age', async () => {
    const { worker, caseId, personId, ctx, period } = await inCare()
    await recordCarePlan(ctx, caseId, period.id, { agreedOn: '2026-03-05', permanencePlan: 'return-home' })
    const iro = await world.user(['independent-reviewing-officer'])
    const chairOnly = await world.user(['conference-chair'])
    await refused(allocateIro(ctx, caseId, period.id, { iroId: worker.userId, fromOn: '2026-03-03' }), 'iroId', /independent/)
    // Only a holder of the IRO role is offered and can be allocated.
    await refused(allocateIro(ctx, caseId, period.id, { iroId: chairOnly.userId, fromOn: '2026-03-03' }), 'iroId', /not an independent reviewing officer/)
    const offered = (await iroCandidates(ctx)).map((u) => u.id)
    assert.equal(offered.includes(iro.userId), true)
    assert.equal(offered.includes(chairOnly.userId) || offered.includes(worker.userId), false)
    await refused(allocateIro(ctx, caseId, period.id, { iroId: iro.userId, fromOn: '2026-02-01' }), 'fromOn', /before the period of care started/)
    await allocateIro(ctx, caseId, period.id, { iroId: iro.userId, fromOn: '2026-03-03' })
    const other = await world.user(['conference-chair', 'independent-reviewing-officer'])
    await allocateIro(ctx, caseId, period.id, { iroId: other.userId, fromOn: '2026-06-01' })

    // A child of 9: PN0 is refused (rule 440), and the review is not recorded at all.
    await refused(recordLacReview(ctx, caseId, period.id, lacReviewInput.parse({ heldOn: '2026-03-20', participation: 'PN0' })), 'participation', /only for a child under 4/)
    await recordLacReview(ctx, caseId, period.id, lacReviewInput.parse({ heldOn: '2026-03-20', participation: 'PN1', reviewedPermanencePlan: 'long-term-fostering' }))
    await recordLacReview(ctx, caseId, period.id, lacReviewInput.parse({ heldOn: '2026-06-15', participation: 'PN6', chairId: iro.userId }))
    const pm = await permanenceOfPeriod(ctx, caseId, period.id)
    assert.deepEqual(
      pm.reviews.map((r) => [r.heldOn, r.participation, r.chairId, r.permanencePlan]),
      [
        ['2026-03-20', 'PN1', iro.userId, 'long-term-fostering'],
        ['2026-06-15', 'PN6', iro.userId, null],
      ],
      'the chair is the IRO allocated on the day unless named',
    )
    assert.deepEqual(pm.iros.map((a) => [a.iroId, a.toOn]), [[iro.userId, '2026-06-01'], [other.userId, null]])
    assert.equal((await lookedAfterOfCase(ctx, caseId)).periods[0]!.reviews.length, 2, 'the review clocks moved on as before')

    // Under 4 at the review: only PN0 (rule 441).
    await database.db.update(person).set({ dateOfBirth: '2024-01-10' }).where(eq(person.id, personId))
    await refused(recordLacReview(ctx, caseId, period.id, lacReviewInput.parse({ heldOn: '2026-11-02', participation: 'PN1' })), 'participation', /under 4/)
    await recordLacReview(ctx, caseId, period.id, lacReviewInput.parse({ heldOn: '2026-11-02', participation: 'PN0' }))
  })

  test('IRO escalations: raised, moved on a stage, resolved with date and outcome together, from the version read', async () => {
    const { caseId, ctx, period } = await inCare()
    const e = await raiseIroEscalation(ctx, caseId, period.id, { raisedOn: '2026-04-01', stage: 'informal', concern: 'Contact with siblings not arranged' })
    const staged = await changeIroEscalation(ctx, caseId, e.id, { version: e.version, stage: 'team-manager', resolvedOn: null, outcome: null })
    await refused(changeIroEscalation(ctx, caseId, e.id, { version: staged.version, stage: 'team-manager', resolvedOn: '2026-04-20', outcome: null }), 'outcome', /outcome/)
    await refused(changeIroEscalation(ctx, caseId, e.id, { version: staged.version, stage: 'team-manager', resolvedOn: '2026-03-20', outcome: 'resolved' }), 'resolvedOn', /before it was raised/)
    await changeIroEscalation(ctx, caseId, e.id, { version: staged.version, stage: 'team-manager', resolvedOn: '2026-04-20', outcome: 'resolved' })
    await assert.rejects(changeIroEscalation(ctx, caseId, e.id, { version: staged.version, stage: 'cafcass', resolvedOn: null, outcome: null }), EditConflict)
  })

  test('someone with no relationship to the case can neither read nor record, and the refusal is audited', async () => {
    const { caseId, period } = await inCare()
    const stranger = await world.user(['social-worker'], { team: 'other' })
    await assert.rejects(permanenceOfPeriod(world.ctx(stranger), caseId, period.id), AccessDenied)
    await assert.rejects(recordCarePlan(world.ctx(stranger), caseId, period.id, { agreedOn: '2026-03-05', permanencePlan: 'adoption' }), AccessDenied)
    const refusals = await database.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, stranger.userId))
    assert.ok(refusals.length >= 2)
  })
})

describe('permanence', () => {
  test('adoption: decision, match and adopters checked as AD1 checks them, adoption order needs them', async () => {
    const { caseId, ctx, period } = await inCare()
    await refused(recordAdoptionDecision(ctx, caseId, period.id, { decidedOn: '2026-02-01' }), 'decidedOn', /before the period of care started/)
    const decision = await recordAdoptionDecision(ctx, caseId, period.id, { decidedOn: '2026-05-04' })
    await refused(recordAdoptionDecision(ctx, caseId, period.id, { decidedOn: '2026-05-20' }), 'decidedOn', /still stands/)
    await refused(recordAdoptionMatch(ctx, caseId, decision.id, match(decision.version, { matchedOn: '2026-05-01' })), 'matchedOn', /before the decision/)
    await refused(recordAdoptionMatch(ctx, caseId, decision.id, match(decision.version, { adopterSex: 'F1' })), 'adopterSex', /single/)
    await refused(recordAdoptionMatch(ctx, caseId, decision.id, match(decision.version, { adopterLegalStatus: 'L4' })), 'adopterLegalStatus', /MM or FF/)
    const current = (await lookedAfterOfCase(ctx, caseId)).periods[0]!
    await refused(endLookedAfter(ctx, caseId, period.id, { version: current.version, endedOn: '2026-10-01', reasonCeased: 'E11' }), 'reasonCeased', /match and the adopters/)
    await refused(endLookedAfter(ctx, caseId, period.id, { version: current.version, endedOn: '2026-10-01', reasonCeased: 'E4A' }), 'reasonCeased', /still stands/)
    await recordAdoptionMatch(ctx, caseId, decision.id, match(decision.version))
    await endLookedAfter(ctx, caseId, period.id, { version: current.version, endedOn: '2026-10-01', reasonCeased: 'E11' })
    const pm = await permanenceOfPeriod(ctx, caseId, period.id)
    assert.deepEqual(
      [pm.adoptionDecisions[0]!.matchedOn, pm.adoptionDecisions[0]!.adopterCount, pm.adoptionDecisions[0]!.adopterSex, pm.adoptionDecisions[0]!.adoptersFosterCarers],
      ['2026-08-10', 2, 'MF', false],
    )
  })

  test('a reversed decision: RD1-RD4 after the decision; a new decision only after it; leaving care not adopted', async () => {
    const { caseId, ctx, period } = await inCare()
    const decision = await recordAdoptionDecision(ctx, caseId, period.id, { decidedOn: '2026-05-04' })
    await refused(reverseAdoptionDecision(ctx, caseId, decision.id, { version: decision.version, ceasedOn: '2026-05-01', reasonCeased: 'RD3' }), 'ceasedOn', /before the decision/)
    const reversed = await reverseAdoptionDecision(ctx, caseId, decision.id, { version: decision.version, ceasedOn: '2026-09-01', reasonCeased: 'RD3' })
    await refused(recordAdoptionMatch(ctx, caseId, decision.id, match(reversed.version)), 'matchedOn', /reversed/)
    await refused(recordAdoptionDecision(ctx, caseId, period.id, { decidedOn: '2026-08-01' }), 'decidedOn', /reversed on 2026-09-01/)
    const current = (await lookedAfterOfCase(ctx, caseId)).periods[0]!
    await refused(endLookedAfter(ctx, caseId, period.id, { version: current.version, endedOn: '2026-10-01', reasonCeased: 'E12' }), 'reasonCeased', /decision that the child should be placed/)
    await endLookedAfter(ctx, caseId, period.id, { version: current.version, endedOn: '2026-10-01', reasonCeased: 'E45' })
  })

  test('previous permanence: P1-P3 need the authority and a partial date before care started; Z1 none; a correction replaces it', async () => {
    const { caseId, ctx, period } = await inCare()
    const given = (fields: Record<string, unknown>) => previousPermanenceInput.parse(fields)
    await refused(recordPreviousPermanence(ctx, caseId, period.id, given({ prevPerm: 'P2', datePerm: '12/03/2019' })), 'laPerm', /authority/)
    await refused(recordPreviousPermanence(ctx, caseId, period.id, given({ prevPerm: 'P2', laPerm: 'XYZ', datePerm: '12/03/2019' })), 'laPerm', /3-digit/)
    await refused(recordPreviousPermanence(ctx, caseId, period.id, given({ prevPerm: 'P2', laPerm: '201', datePerm: '12/ZZ/2019' })), 'datePerm', /ZZ/)
    await refused(recordPreviousPermanence(ctx, caseId, period.id, given({ prevPerm: 'P2', laPerm: '201', datePerm: '01/04/2026' })), 'datePerm', /before the child started/)
    await refused(recordPreviousPermanence(ctx, caseId, period.id, given({ prevPerm: 'Z1', laPerm: '201' })), 'laPerm', /only for/)
    await recordPreviousPermanence(ctx, caseId, period.id, given({ prevPerm: 'P2', laPerm: 'wal', datePerm: 'ZZ/03/2019' }))
    await recordPreviousPermanence(ctx, caseId, period.id, given({ prevPerm: 'Z1' }))
    const pm = await permanenceOfPeriod(ctx, caseId, period.id)
    // Version 1 was given with the start of care (CARE_START), then the two corrections.
    assert.deepEqual([pm.previousPermanence!.prevPerm, pm.previousPermanence!.laPerm, pm.previousPermanence!.version], ['Z1', null, 3])
  })

  test('previous permanence is given with the start of care, checked as on its own page, in the same transaction', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const start = (fields: Record<string, unknown>) => becomeLookedAfter(ctx, caseId, lookedAfterStart.parse({ startedOn: '2026-03-02', legalStatus: 'C2', ...CARE_START, ...fields }))
    assert.throws(() => lookedAfterStart.parse({ startedOn: '2026-03-02', legalStatus: 'C2', ...CARE_START, prevPerm: undefined }), /Select whether an earlier permanence order ended/)
    await refused(start({ prevPerm: 'P2', laPerm: null, datePerm: '12/03/2019' }), 'laPerm', /authority/)
    await refused(start({ prevPerm: 'P1', laPerm: '201', datePerm: '01/04/2026' }), 'datePerm', /before the child started/)
    assert.deepEqual((await lookedAfterOfCase(ctx, caseId)).periods, [], 'nothing of a refused start is kept')
    const period = await start({ prevPerm: 'P2', laPerm: 'nir', datePerm: 'ZZ/03/2019' })
    const pm = await permanenceOfPeriod(ctx, caseId, period.id)
    assert.deepEqual([pm.previousPermanence!.prevPerm, pm.previousPermanence!.laPerm, pm.previousPermanence!.datePerm], ['P2', 'NIR', 'ZZ/03/2019'])
  })
})
