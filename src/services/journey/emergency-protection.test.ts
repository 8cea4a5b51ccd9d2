/**
 * Police protection and emergency protection orders (issue 17): the clock of each from the exact
 * end (72 elapsed hours, 8 days moved past a public holiday), an order's one extension, the end
 * asking for the coded reason when late, and the reason kept on the clock.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, clock, plan } from '../../db/schema/index.ts'
import { ANNEX_A_QUERIES } from '../returns/annex-a-records.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { emergencyProtectionEnd, emergencyProtectionStart } from './emergency-protection-input.ts'
import {
  emergencyProtectionOfCase,
  endEmergencyProtection,
  extendEmergencyProtectionOrder,
  recordEmergencyProtection,
} from './emergency-protection.ts'

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
const fieldErrors = (err: unknown) => (err as ValidationFailed).fieldErrors

describe('police protection', () => {
  test('its clock ends 72 elapsed hours after the child was taken, across the clocks going forward', async () => {
    const { caseId, ctx } = await allocatedCase()
    const later = world.ctx(ctx.actor, new Date('2027-04-01T12:00:00Z'))
    const pp = await recordEmergencyProtection(later, caseId, emergencyProtectionStart.parse({ kind: 'police-protection', startedOn: '2027-03-26', startedTime: '23.30' }))
    assert.equal(pp.startedAt.toISOString(), '2027-03-26T23:30:00.000Z')
    const [k] = await clocksOf(pp.id)
    assert.deepEqual([k!.rule, k!.startOn, k!.dueOn], ['police-protection', '2027-03-26', '2027-03-30'], '23:30 GMT + 72 h is 00:30 BST on the 30th')
    const page = await emergencyProtectionOfCase(later, caseId)
    assert.equal(page.records[0]!.endsAt!.toISOString(), '2027-03-29T23:30:00.000Z')
  })

  test('ending it late needs the coded reason, kept on its clock with the words', async () => {
    const { caseId, ctx } = await allocatedCase()
    const pp = await recordEmergencyProtection(ctx, caseId, emergencyProtectionStart.parse({ kind: 'police-protection', startedOn: '2026-11-02', startedTime: '10:00' }))
    const noCode = await endEmergencyProtection(ctx, caseId, pp.id, emergencyProtectionEnd.parse({ version: 1, endedOn: '2026-11-06', lateReason: 'Words only' })).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(fieldErrors(noCode).lateReasonCode!, /due by 5 November 2026 and done on 6 November 2026/)
    await endEmergencyProtection(ctx, caseId, pp.id, emergencyProtectionEnd.parse({ version: 1, endedOn: '2026-11-06', lateReasonCode: 'awaiting-agency', lateReason: 'Court listing' }))
    const [k] = await clocksOf(pp.id)
    assert.deepEqual([k!.completedOn, k!.delayReasonCode, k!.delayReason], ['2026-11-06', 'awaiting-agency', 'Court listing'])
    await assert.rejects(endEmergencyProtection(ctx, caseId, pp.id, emergencyProtectionEnd.parse({ version: 2, endedOn: '2026-11-06' })), ValidationFailed, 'ended once')
    const audited = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.recordId, pp.id))
    assert.deepEqual(audited.map((a) => a.action).sort(), ['emergency-protection.create', 'emergency-protection.end'])
  })

  test('ended in time needs no reason; a stale version is a conflict; the future is refused', async () => {
    const { caseId, ctx } = await allocatedCase()
    const pp = await recordEmergencyProtection(ctx, caseId, emergencyProtectionStart.parse({ kind: 'police-protection', startedOn: '2026-11-02', startedTime: '10:00' }))
    await assert.rejects(endEmergencyProtection(ctx, caseId, pp.id, emergencyProtectionEnd.parse({ version: 7, endedOn: '2026-11-03' })), EditConflict)
    await endEmergencyProtection(ctx, caseId, pp.id, emergencyProtectionEnd.parse({ version: 1, endedOn: '2026-11-03' }))
    const [k] = await clocksOf(pp.id)
    assert.deepEqual([k!.completedOn, k!.delayReasonCode], ['2026-11-03', null])
    const future = await recordEmergencyProtection(ctx, caseId, emergencyProtectionStart.parse({ kind: 'police-protection', startedOn: '2027-01-02', startedTime: '10:00' })).catch((e) => e)
    assert.ok(future instanceof ValidationFailed)
  })

  test('someone who may not change the case is refused', async () => {
    const { caseId } = await allocatedCase()
    const other = await world.user(['social-worker'], { team: 'assessment' })
    await assert.rejects(
      recordEmergencyProtection(world.ctx(other), caseId, emergencyProtectionStart.parse({ kind: 'police-protection', startedOn: '2026-11-02', startedTime: '10:00' })),
      AccessDenied,
    )
  })
})

describe('emergency protection orders', () => {
  test('8 days, moved past Christmas; one extension of up to 7 days from the first end', async () => {
    const { caseId, ctx } = await allocatedCase()
    const at = world.ctx(ctx.actor, new Date('2028-01-20T12:00:00Z'))
    const epo = await recordEmergencyProtection(at, caseId, emergencyProtectionStart.parse({ kind: 'emergency-protection-order', startedOn: '2027-12-17', startedTime: '15:00' }))
    assert.equal((await clocksOf(epo.id))[0]!.dueOn, '2027-12-29', 'Saturday 25 December, Sunday 26th, bank holidays 27th and 28th')

    const tooLong = await extendEmergencyProtectionOrder(at, caseId, epo.id, { version: 1, extendedOn: '2027-12-23', extendedTo: '2028-01-06' }).catch((e) => e)
    assert.match(fieldErrors(tooLong).extendedTo!, /no later than 2028-01-05/)
    await extendEmergencyProtectionOrder(at, caseId, epo.id, { version: 1, extendedOn: '2027-12-23', extendedTo: '2028-01-05' })
    const again = await extendEmergencyProtectionOrder(at, caseId, epo.id, { version: 2, extendedOn: '2027-12-24', extendedTo: '2028-01-05' }).catch((e) => e)
    assert.match(fieldErrors(again).extendedOn!, /only once/)

    const [first, extension] = await clocksOf(epo.id)
    assert.deepEqual([first!.rule, first!.completedOn], ['emergency-protection-order', '2027-12-23'])
    assert.deepEqual([extension!.rule, extension!.startOn, extension!.dueOn, extension!.completedOn], ['epo-extension', '2027-12-29', '2028-01-05', null])

    await endEmergencyProtection(at, caseId, epo.id, emergencyProtectionEnd.parse({ version: 2, endedOn: '2028-01-05' }))
    assert.equal((await clocksOf(epo.id))[1]!.completedOn, '2028-01-05')
    const page = await emergencyProtectionOfCase(at, caseId)
    assert.deepEqual([page.records[0]!.endsBy, page.records[0]!.mayExtend, page.records[0]!.clocks.length], [null, false, 2])
  })

  test('police protection cannot be extended', async () => {
    const { caseId, ctx } = await allocatedCase()
    const pp = await recordEmergencyProtection(ctx, caseId, emergencyProtectionStart.parse({ kind: 'police-protection', startedOn: '2026-11-02', startedTime: '10:00' }))
    const refused = await extendEmergencyProtectionOrder(ctx, caseId, pp.id, { version: 1, extendedOn: '2026-11-03', extendedTo: '2026-11-08' }).catch((e) => e)
    assert.match(fieldErrors(refused).extendedOn!, /Only an emergency protection order/)
  })
})

describe('Annex A list 7', () => {
  test('"Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months" reads these records', async () => {
    const { caseId, ctx } = await allocatedCase()
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId, kind: 'child-protection', startedOn: '2026-10-01', recordedBy: ctx.actor.userId })
    const column = 'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)'
    const list7 = async () => (await ANNEX_A_QUERIES[7]!(database.db, world.partnershipId, { from: '2026-04-01', to: '2026-11-19' })).map((r) => r[column])
    assert.deepEqual(await list7(), ['False'])
    await recordEmergencyProtection(ctx, caseId, emergencyProtectionStart.parse({ kind: 'emergency-protection-order', startedOn: '2026-09-20', startedTime: '11:00' }))
    assert.deepEqual(await list7(), ['True'])
  })
})
