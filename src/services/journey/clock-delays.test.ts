/** Clocks that always ask why (issue 17): a late clock's coded reason, given or changed later, and the counts by reason. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, clock, seriousIncident } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { auditActionLabel } from '../../domain/access/audit-labels.ts'
import { delayReasonInput } from './clock-delays-input.ts'
import { clockDelay, countByReason, lateCompletionsByReason, setClockDelay, teamLateReasons, yearTo } from './clock-delays.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

let teams = 0
async function teamWithCase() {
  const key = `delays-${++teams}`
  await world.team(key, 'council')
  const worker = await world.user(['social-worker'], { team: key })
  const manager = await world.user(['team-manager'], { team: key })
  const { caseId, personId } = await world.childCase({ team: key, worker: worker.userId })
  return { key, worker, manager, caseId, personId }
}

async function addClock(caseId: string, dueOn: string, completedOn: string | null, delayReason: string | null = null) {
  const [k] = await database.db.insert(clock).values({
    partnershipId: world.partnershipId, caseId, rule: 'assessment', edition: 2023, startOn: '2026-08-01', dueOn, completedOn, delayReason,
    subjectType: 'cin-episode', subjectId: caseId,
  }).returning()
  return k!
}

describe('the reason for a late clock, given or changed afterwards', () => {
  test('the worker gives it, coded with words; a manager changes it; a stale version is refused; each change audited with the code', async () => {
    const { worker, manager, caseId, personId } = await teamWithCase()
    const k = await addClock(caseId, '2026-10-02', '2026-10-09', 'Family away')
    const view = await clockDelay(world.ctx(worker), caseId, k.id)
    assert.deepEqual([view.clock.late, view.clock.delayReasonCode, view.clock.delayReason, view.clock.version], [true, null, 'Family away', 1])

    const given = await setClockDelay(world.ctx(worker), caseId, k.id, delayReasonInput.parse({ reasonCode: 'family-unavailable', reason: 'Family away on holiday', version: 1 }))
    assert.deepEqual([given.delayReasonCode, given.delayReason, given.version], ['family-unavailable', 'Family away on holiday', 2])
    const changed = await setClockDelay(world.ctx(manager), caseId, k.id, delayReasonInput.parse({ reasonCode: 'capacity', reason: '', version: 2 }))
    assert.deepEqual([changed.delayReasonCode, changed.delayReason], ['capacity', null])
    await assert.rejects(setClockDelay(world.ctx(worker), caseId, k.id, delayReasonInput.parse({ reasonCode: 'other', reason: 'Stale', version: 2 })), EditConflict)

    const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, k.id), eq(auditEvent.recordType, 'clock')))
    assert.deepEqual(entries.map((e) => [e.action, (e.detail as { reasonCode: string }).reasonCode, e.subjectPersonId]).sort(), [
      ['clock.delay-reason.change', 'capacity', personId],
      ['clock.delay-reason.change', 'family-unavailable', personId],
    ], 'a reason in words was there before, so both are changes; the words are never in the log')
    assert.ok(entries.every((e) => !JSON.stringify(e.detail).includes('holiday')))
    assert.equal(auditActionLabel('clock.delay-reason.change'), 'Changed the reason a timescale was late', 'in plain words for the auditor')
  })

  test('"other" needs words; a clock on time has no delay to explain; someone who cannot change the case is refused', async () => {
    assert.deepEqual(delayReasonInput.safeParse({ reasonCode: 'other', reason: '', version: 1 }).error!.issues.map((i) => i.path.join('.')), ['reason'])
    assert.deepEqual(delayReasonInput.safeParse({ reason: 'x', version: 1 }).error!.issues.map((i) => i.path.join('.')), ['reasonCode'])
    const { worker, caseId } = await teamWithCase()
    const onTime = await addClock(caseId, '2026-10-02', '2026-10-01')
    await assert.rejects(setClockDelay(world.ctx(worker), caseId, onTime.id, { reasonCode: 'capacity', reason: null, version: 1 }), ValidationFailed)
    const running = await addClock(caseId, '2026-11-10', null)
    assert.equal((await setClockDelay(world.ctx(worker), caseId, running.id, { reasonCode: 'awaiting-agency', reason: null, version: 1 })).delayReasonCode, 'awaiting-agency', 'an overdue clock may be explained before it is done')
    const stranger = await world.user(['social-worker'], { team: 'assessment' })
    await assert.rejects(setClockDelay(world.ctx(stranger), caseId, running.id, { reasonCode: 'capacity', reason: null, version: 2 }), AccessDenied)
    const other = await teamWithCase()
    await assert.rejects(clockDelay(world.ctx(other.worker), other.caseId, running.id), /No such timescale/)
  })
})

describe('late completions counted by reason', () => {
  test('the team’s last 12 months: coded reasons, and those with none yet; on-time and open clocks are not counted; team managers only', async () => {
    const { worker, manager, caseId } = await teamWithCase()
    const a = await addClock(caseId, '2026-10-02', '2026-10-09')
    await addClock(caseId, '2026-10-02', '2026-10-12', 'words only')
    await addClock(caseId, '2026-10-02', '2026-10-01')
    await addClock(caseId, '2026-10-02', null)
    await addClock(caseId, '2025-10-02', '2025-10-09')
    await setClockDelay(world.ctx(worker), caseId, a.id, { reasonCode: 'complexity', reason: null, version: 1 })
    const counted = await teamLateReasons(world.ctx(manager))
    assert.deepEqual([counted.from, counted.to, counted.total], ['2025-11-21', '2026-11-20', 2])
    assert.deepEqual(counted.reasons.filter((r) => r.count > 0).map((r) => [r.reason, r.count]), [['complexity', 1], ['not-given', 1]])
    await assert.rejects(teamLateReasons(world.ctx(worker)), AccessDenied)
  })

  test('the partnership’s: case clocks and serious incident notifications (and rapid reviews and LADO referrals, by the same query)', async () => {
    const { caseId, worker } = await teamWithCase()
    const before = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2026-01-01', to: '2026-12-31' })
    await addClock(caseId, '2026-10-02', '2026-10-09')
    await database.db.insert(seriousIncident).values({
      partnershipId: world.partnershipId, caseId, kind: 'serious-harm-abuse-neglect', incidentOn: '2026-10-01', awareOn: '2026-10-01', summary: 'Fictional', edition: 2023,
      notificationDueOn: '2026-10-08', notifiedOn: '2026-10-12', notificationLateReasonCode: 'awaiting-agency', recordedBy: worker.userId,
    })
    const after = await lateCompletionsByReason(database.db, world.partnershipId, { from: '2026-01-01', to: '2026-12-31' })
    const delta = (reason: string) => after.reasons.find((r) => r.reason === reason)!.count - before.reasons.find((r) => r.reason === reason)!.count
    assert.deepEqual([delta('not-given'), delta('awaiting-agency'), after.total - before.total], [1, 1, 2])
  })

  test('unknown codes count as not given; the year runs back from today', () => {
    const c = countByReason([{ reason: 'retired-code', count: 2 }, { reason: null, count: 1 }, { reason: 'capacity', count: 3 }], '2026-01-01', '2026-12-31')
    assert.deepEqual(c.reasons.filter((r) => r.count).map((r) => [r.reason, r.count]), [['capacity', 3], ['not-given', 3]])
    assert.deepEqual(yearTo('2024-02-29'), { from: '2023-03-01', to: '2024-02-29' })
  })
})
