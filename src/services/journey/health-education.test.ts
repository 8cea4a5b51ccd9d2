/**
 * Health and education records of a looked-after child (issue 19 §4): each record completes the
 * clocks of its chain and starts the next (review health assessment 6 or 12 months by age,
 * questionnaire yearly to 16, plan reviewed each term), only while the child is looked after; a
 * late one asks the coded reason; the care start clocks; the case's policy on every read and change.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { clock, lookedAfterPeriod, person } from '../../db/schema/index.ts'
import { AccessDenied, ValidationFailed } from '../common/context.ts'
import { openCase } from './case-records.ts'
import { healthEducationInput } from './health-education-input.ts'
import { healthEducationOfCase, recordHealthEducation, startCareStartClocks } from './health-education.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const NOW = new Date('2026-11-20T12:00:00Z')

async function lookedAfterChild(dateOfBirth = '2016-05-04', lookedAfter = true) {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  await database.db.update(person).set({ dateOfBirth }).where(eq(person.id, personId))
  if (lookedAfter) await database.db.insert(lookedAfterPeriod).values({ partnershipId: world.partnershipId, caseId, startedOn: '2025-01-10', legalStatus: 'C2', recordedBy: worker.userId })
  return { worker, caseId, ctx: world.ctx(worker, NOW) }
}

const clocksOfCase = (caseId: string) => database.db.select().from(clock).where(eq(clock.caseId, caseId)).orderBy(clock.startOn, clock.rule)
const record = (v: Record<string, unknown>) => healthEducationInput.parse(v)

describe('the chains of clocks', () => {
  test('a health assessment starts the next in 12 months from 5, in 6 under 5; the next one completes it', async () => {
    const older = await lookedAfterChild('2016-05-04')
    await recordHealthEducation(older.ctx, older.caseId, record({ kind: 'initial-health-assessment', doneOn: '2025-11-01', doneBy: 'Dr Fictional' }))
    const younger = await lookedAfterChild('2023-01-01')
    await recordHealthEducation(younger.ctx, younger.caseId, record({ kind: 'initial-health-assessment', doneOn: '2026-03-01' }))
    assert.deepEqual((await clocksOfCase(older.caseId)).map((k) => [k.rule, k.dueOn, k.completedOn]), [['review-health-assessment', '2026-11-01', null]])
    assert.deepEqual((await clocksOfCase(younger.caseId)).map((k) => [k.rule, k.dueOn]), [['review-health-assessment-under-5', '2026-09-01']])

    await recordHealthEducation(older.ctx, older.caseId, record({ kind: 'review-health-assessment', doneOn: '2026-10-20' }))
    assert.deepEqual((await clocksOfCase(older.caseId)).map((k) => [k.rule, k.startOn, k.dueOn, k.completedOn]), [
      ['review-health-assessment', '2025-11-01', '2026-11-01', '2026-10-20'],
      ['review-health-assessment', '2026-10-20', '2027-10-20', null],
    ])
  })

  test('late needs the coded reason, kept on the clock; the dental check has no clock', async () => {
    const { ctx, caseId } = await lookedAfterChild('2023-01-01')
    await recordHealthEducation(ctx, caseId, record({ kind: 'initial-health-assessment', doneOn: '2026-03-01' }))
    const noCode = await recordHealthEducation(ctx, caseId, record({ kind: 'review-health-assessment', doneOn: '2026-10-01' })).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(noCode.fieldErrors.lateReasonCode ?? "", /due by 1 September 2026 and done on 1 October 2026/)
    await recordHealthEducation(ctx, caseId, record({ kind: 'review-health-assessment', doneOn: '2026-10-01', lateReasonCode: 'family-unavailable', lateReason: 'Carer moved (fictional)' }))
    const [first] = await database.db.select().from(clock).where(and(eq(clock.caseId, caseId), eq(clock.startOn, '2026-03-01')))
    assert.deepEqual([first!.completedOn, first!.delayReasonCode, first!.delayReason], ['2026-10-01', 'family-unavailable', 'Carer moved (fictional)'])
    await recordHealthEducation(ctx, caseId, record({ kind: 'dental-check', doneOn: '2026-11-01' }))
    assert.equal((await clocksOfCase(caseId)).length, 2)
    const page = await healthEducationOfCase(ctx, caseId)
    assert.deepEqual([page.latest['dental-check'], page.latest['review-health-assessment'], page.records.length], ['2026-11-01', '2026-10-01', 3])
  })

  test('the questionnaire follows yearly while the child will be 16 or under; plans each term', async () => {
    const fifteen = await lookedAfterChild('2011-01-01')
    await recordHealthEducation(fifteen.ctx, fifteen.caseId, record({ kind: 'sdq', doneOn: '2026-02-01', sdqScore: '14' }))
    const sixteen = await lookedAfterChild('2010-01-01')
    await recordHealthEducation(sixteen.ctx, sixteen.caseId, record({ kind: 'sdq', doneOn: '2026-02-01', sdqReason: 'SDQ5' }))
    assert.deepEqual((await clocksOfCase(fifteen.caseId)).map((k) => [k.rule, k.dueOn]), [['sdq', '2027-02-01']])
    assert.deepEqual(await clocksOfCase(sixteen.caseId), [], 'no questionnaire after 16')
    await recordHealthEducation(fifteen.ctx, fifteen.caseId, record({ kind: 'pep', doneOn: '2026-09-15', doneBy: 'Fictional Academy, designated teacher' }))
    assert.deepEqual((await clocksOfCase(fifteen.caseId)).map((k) => [k.rule, k.dueOn]), [['sdq', '2027-02-01'], ['pep-review', '2027-01-15']])
  })

  test('no next clock for a child not looked after; the form rejects a score and a reason together, and a score over 40', async () => {
    const { ctx, caseId } = await lookedAfterChild('2016-05-04', false)
    await recordHealthEducation(ctx, caseId, record({ kind: 'review-health-assessment', doneOn: '2026-10-01' }))
    assert.deepEqual(await clocksOfCase(caseId), [])
    assert.equal(healthEducationInput.safeParse({ kind: 'sdq', doneOn: '2026-10-01', sdqScore: '12', sdqReason: 'SDQ2' }).success, false)
    assert.equal(healthEducationInput.safeParse({ kind: 'sdq', doneOn: '2026-10-01', sdqScore: '41' }).success, false)
    assert.equal(healthEducationInput.safeParse({ kind: 'immunisations', doneOn: '2026-10-01' }).success, false, 'immunisations need up to date or not')
    assert.deepEqual(record({ kind: 'dental-check', doneOn: '2026-10-01', sdqScore: '3', upToDate: 'yes' }).sdqScore, null, 'what does not belong to the kind is not kept')
    const future = await recordHealthEducation(ctx, caseId, record({ kind: 'dental-check', doneOn: '2026-11-21' })).catch((e) => e)
    assert.ok(future instanceof ValidationFailed)
  })
})

describe('becoming looked after', () => {
  test('starts the initial health assessment, and the plan for a child of 3 or over', async () => {
    const { ctx, caseId } = await lookedAfterChild('2016-05-04', false)
    await ctx.db.transaction(async (tx) => startCareStartClocks(ctx, tx, await openCase(ctx, tx, caseId, 'case:update'), '00000000-0000-4000-8000-000000000001', '2026-11-02'))
    assert.deepEqual((await clocksOfCase(caseId)).map((k) => [k.rule, k.dueOn]), [['initial-health-assessment', '2026-11-30'], ['pep', '2026-11-30']])
    await recordHealthEducation(ctx, caseId, record({ kind: 'pep', doneOn: '2026-11-20' }))
    assert.deepEqual((await clocksOfCase(caseId)).filter((k) => k.rule === 'pep').map((k) => k.completedOn), ['2026-11-20'])
  })
})

describe('access', () => {
  test('someone who may not change the case is refused', async () => {
    const { caseId } = await lookedAfterChild()
    const other = await world.user(['social-worker'], { team: 'assessment' })
    await assert.rejects(recordHealthEducation(world.ctx(other, NOW), caseId, record({ kind: 'dental-check', doneOn: '2026-10-01' })), AccessDenied)
  })
})
