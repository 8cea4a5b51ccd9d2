/**
 * Body maps (issue 18 §1): recorded on a case with who saw the marks and when, marks added one at
 * a time at the version read (placed at a chosen point or the middle of the part of the body),
 * dates checked, audited, refused to those who may only read the case and to strangers.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, recordRevision } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed } from '../common/context.ts'
import { bodyMapInput, bodyMarkInput } from './body-map-input.ts'
import { addBodyMark, bodyMapOfCase, bodyMapsOfCase, recordBodyMap } from './body-maps.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const fieldErrors = (err: unknown) => (err as ValidationFailed).fieldErrors
const mark = (values: Record<string, unknown>) => bodyMarkInput.parse({ region: 'front-left-upper-arm', kind: 'bruise', description: 'Yellow-green, oval, with three small round marks', ...values })

describe('body maps', () => {
  test('recorded, then marks added at the version read: numbered, placed, dated; audited and kept as revisions', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const made = await recordBodyMap(ctx, caseId, bodyMapInput.parse({ seenOn: '2026-11-18', seenBy: 'Class teacher, Northshire Primary', agencyId: world.agencies.school!, account: 'Seen when changing for PE; said she fell' }))
    assert.deepEqual(made.marks, [])

    const first = await addBodyMark(ctx, caseId, made.id, mark({ version: '1', size: '3 cm by 2 cm' }))
    assert.deepEqual(first.marks, [{ number: 1, side: 'front', x: 76, y: 60, region: 'front-left-upper-arm', kind: 'bruise', description: 'Yellow-green, oval, with three small round marks', size: '3 cm by 2 cm', seenOn: '2026-11-18' }])
    const second = await addBodyMark(ctx, caseId, made.id, mark({ version: '2', region: 'back-lower', kind: 'burn', x: '47', y: '83.4', seenOn: '2026-11-19' }))
    assert.deepEqual(second.marks.map((m) => [m.number, m.side, m.x, m.y, m.seenOn, m.size]), [[1, 'front', 76, 60, '2026-11-18', '3 cm by 2 cm'], [2, 'back', 47, 83, '2026-11-19', null]])

    await assert.rejects(addBodyMark(ctx, caseId, made.id, mark({ version: '2' })), EditConflict)
    const before = await addBodyMark(ctx, caseId, made.id, mark({ version: '3', seenOn: '2026-11-17' })).catch((e) => e)
    assert.match(fieldErrors(before).seenOn!, /before the body map's day \(2026-11-18\)/)
    const future = await addBodyMark(ctx, caseId, made.id, mark({ version: '3', seenOn: '2026-11-21' })).catch((e) => e)
    assert.match(fieldErrors(future).seenOn!, /today or in the past/)
    const half = await addBodyMark(ctx, caseId, made.id, mark({ version: '3', x: '10' })).catch((e) => e)
    assert.match(fieldErrors(half).region!, /Choose the place on the picture again/)
    assert.equal(bodyMarkInput.safeParse({ version: '3', region: 'tail', kind: 'bruise', description: 'x' }).success, false)
    assert.equal(bodyMarkInput.safeParse({ version: '3', region: 'back-lower', kind: 'bruise', description: 'x', x: '101', y: '5' }).success, false)

    const page = await bodyMapOfCase(ctx, caseId, made.id)
    assert.match(page.bodyMap.agencyName!, /^school /)
    assert.equal(page.bodyMap.marks.length, 2)
    await assert.rejects(bodyMapOfCase(ctx, caseId, '00000000-0000-4000-8000-000000000000'), NotFound)

    const audited = await database.db.select({ action: auditEvent.action, subject: auditEvent.subjectPersonId }).from(auditEvent).where(eq(auditEvent.recordId, made.id))
    assert.deepEqual(audited.map((a) => a.action).sort(), ['body-map.create', 'body-map.mark', 'body-map.mark'])
    assert.ok(audited.every((a) => a.subject === personId))
    const revisions = await database.db.select({ version: recordRevision.version }).from(recordRevision).where(eq(recordRevision.entityId, made.id))
    assert.deepEqual(revisions.map((r) => r.version).sort(), [1, 2, 3])
  })

  test('a future day and an agency not of the partnership are refused; seeing them is reading the case, recording them is changing it', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const future = await recordBodyMap(world.ctx(worker), caseId, bodyMapInput.parse({ seenOn: '2026-11-21', seenBy: 'School nurse', agencyId: '00000000-0000-4000-8000-000000000000' })).catch((e) => e)
    assert.deepEqual(Object.keys(fieldErrors(future)).sort(), ['agencyId', 'seenOn'])

    const made = await recordBodyMap(world.ctx(worker), caseId, bodyMapInput.parse({ seenOn: '2026-11-20', seenBy: 'School nurse' }))
    const other = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(bodyMapsOfCase(world.ctx(other), caseId), AccessDenied)
    await assert.rejects(addBodyMark(world.ctx(other), caseId, made.id, mark({ version: '1' })), AccessDenied)
    await assert.rejects(recordBodyMap(world.ctx(other), caseId, bodyMapInput.parse({ seenOn: '2026-11-20', seenBy: 'x' })), AccessDenied)
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await assert.rejects(bodyMapsOfCase(world.ctx(partner), caseId), (e: Error) => e instanceof AccessDenied || e.name === 'NotFound')
    await assert.rejects(bodyMapOfCase(world.ctx(partner), caseId, made.id), (e: Error) => e instanceof AccessDenied || e.name === 'NotFound')
  })
})
