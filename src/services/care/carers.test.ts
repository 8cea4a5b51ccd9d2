/**
 * The partnership's carers (issue 19): the list with how many children are placed with each now
 * and in all; adding one (those who record placements); correcting one (managers only), from the
 * version read; each change audited; another partnership's carer not found.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { CARE_START } from '../../../test/support/care.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, NotFound } from '../common/context.ts'
import { becomeLookedAfter } from '../journey/looked-after.ts'
import { placementMoveInput } from './care-input.ts'
import { carerUpdate } from './carers-input.ts'
import { createCarer, listCarers, mayEditCarers, readCarer, updateCarer } from './carers.ts'
import { movePlacement } from './placements.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

test('each carer with the children placed with them now and in all', async () => {
  const worker = await world.user(['social-worker'])
  const ctx = world.ctx(worker)
  const elm = await createCarer(ctx, { name: 'Elm household (test)', kind: 'foster', urn: 'SC700001' })
  assert.deepEqual([elm.placedNow, elm.placedEver], [0, 0])
  // Two children placed with Elm; the first then moves on to Rowan.
  const cases = [(await world.childCase({ worker: worker.userId })).caseId, (await world.childCase({ worker: worker.userId })).caseId]
  const periods = []
  for (const caseId of cases) {
    periods.push(await becomeLookedAfter(ctx, caseId, { startedOn: '2026-05-12', legalStatus: 'C2', ...CARE_START, newCarerName: null, newCarerKind: null, carerId: elm.id }))
  }
  await movePlacement(
    ctx,
    cases[0]!,
    periods[0]!.id,
    placementMoveInput.parse({ startedOn: '2026-07-01', endReason: 'CARPL', placeType: 'U4', provider: 'PR4', newCarerName: 'Rowan household (test)', newCarerKind: 'foster', placementPostcode: 'ZQ8 6ED' }),
  )
  const list = await listCarers(ctx)
  const byName = new Map(list.map((c) => [c.name, c]))
  assert.deepEqual([byName.get('Elm household (test)')?.placedNow, byName.get('Elm household (test)')?.placedEver], [1, 2])
  assert.deepEqual([byName.get('Rowan household (test)')?.placedNow, byName.get('Rowan household (test)')?.placedEver], [1, 1])
  assert.deepEqual(
    list.map((c) => c.name),
    [...list.map((c) => c.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    'by name',
  )
  assert.deepEqual(Object.keys(list[0]!).sort(), ['id', 'kind', 'name', 'placedEver', 'placedNow', 'urn', 'version'], 'counts only: no child')
  assert.equal((await readCarer(ctx, elm.id)).placedEver, 2)
})

test('a manager corrects a carer from the version read; a stale version is a conflict; audited; others refused', async () => {
  const worker = world.ctx(await world.user(['social-worker']))
  const manager = world.ctx(await world.user(['team-manager']))
  const admin = world.ctx(await world.user(['administrator']))
  const added = await createCarer(worker, { name: 'Hazel household (test)', kind: 'foster', urn: null })
  assert.deepEqual([mayEditCarers(worker), mayEditCarers(manager), mayEditCarers(admin)], [false, true, true])

  await assert.rejects(updateCarer(worker, added.id, { name: 'Hazel', kind: 'foster', urn: null, version: added.version }), AccessDenied)
  const saved = await updateCarer(manager, added.id, carerUpdate.parse({ name: 'Hazel Lane household (test)', kind: 'foster-connected', urn: ' sc700002 ', version: String(added.version) }))
  assert.deepEqual([saved.name, saved.kind, saved.urn, saved.version], ['Hazel Lane household (test)', 'foster-connected', 'SC700002', added.version + 1])
  await assert.rejects(updateCarer(admin, added.id, { name: 'Stale', kind: 'foster', urn: null, version: added.version }), (e: unknown) => e instanceof EditConflict && /now version 2/.test(e.message))
  assert.equal((await readCarer(admin, added.id)).name, 'Hazel Lane household (test)', 'the stale edit saved nothing')
  await updateCarer(admin, added.id, { name: 'Hazel Lane household (test)', kind: 'foster-connected', urn: 'XXXXXXX', version: saved.version })

  const entries = await database.db
    .select({ action: auditEvent.action, detail: auditEvent.detail })
    .from(auditEvent)
    .where(and(eq(auditEvent.recordType, 'carer'), eq(auditEvent.recordId, added.id)))
  assert.deepEqual(
    entries.map((e) => [e.action, e.detail]),
    [
      ['carer.create', {}],
      ['carer.update', { fields: ['name', 'kind', 'urn'] }],
      ['carer.update', { fields: ['urn'] }],
    ],
  )

  for (const role of ['performance-analyst', 'front-door-practitioner', 'auditor'] as const) {
    const other = world.ctx(await world.user([role]))
    await assert.rejects(listCarers(other), AccessDenied, role)
    await assert.rejects(readCarer(other, added.id), AccessDenied, role)
    await assert.rejects(createCarer(other, { name: 'No', kind: 'foster', urn: null }), AccessDenied, role)
  }
})

test('the URN is the 903’s: 6 to 8 letters and digits, XXXXXXX when not known', () => {
  const base = { name: 'Ash household', kind: 'foster', version: 1 }
  assert.equal(carerUpdate.parse({ ...base, urn: '' }).urn, null)
  assert.equal(carerUpdate.parse({ ...base, urn: 'xxxxxxx' }).urn, 'XXXXXXX')
  for (const bad of ['SC12', 'SC-12345', 'SC1234567890']) assert.equal(carerUpdate.safeParse({ ...base, urn: bad }).success, false, bad)
})

test("another partnership's carer is not found, and cannot be changed", async () => {
  const mine = await createCarer(world.ctx(await world.user(['team-manager'])), { name: 'Willow household (test)', kind: 'foster', urn: null })
  const other = await World.create(database.db)
  const theirs = world.ctx(await other.user(['team-manager']))
  await assert.rejects(readCarer(theirs, mine.id), NotFound)
  await assert.rejects(updateCarer(theirs, mine.id, { name: 'Taken', kind: 'foster', urn: null, version: mine.version }), NotFound)
  assert.ok(!(await listCarers(theirs)).some((c) => c.id === mine.id))
})
