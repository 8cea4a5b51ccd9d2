/**
 * The authority's area (issue 19): an administrator sets the LA code and the postcode lookup's
 * area; a placement inside it is IN, outside OUT; an area the lookup does not know is refused;
 * each change audited; nobody else may read or set it.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { CARE_START } from '../../../test/support/care.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent } from '../../db/schema/index.ts'
import { AccessDenied, ValidationFailed } from '../common/context.ts'
import { becomeLookedAfter, lookedAfterOfCase } from '../journey/looked-after.ts'
import { laCodeOf } from '../returns/la-code.ts'
import { authorityAreaSettings, setAuthorityAreaSettings } from './authority-area.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

test('the LA code and area set by an administrator decide IN or OUT for a placement; refused otherwise; audited', async () => {
  const admin = world.ctx(await world.user(['administrator']))
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const period = await becomeLookedAfter(world.ctx(worker), caseId, { startedOn: '2026-09-01', legalStatus: 'C2', ...CARE_START })
  const location = async () => (await lookedAfterOfCase(world.ctx(worker), caseId)).care[period.id]!.placements[0]!.location

  const before = await authorityAreaSettings(admin)
  assert.deepEqual([before.area, before.areaSet, before.areas.includes('E06000998')], ['E06000999', false, true])
  assert.equal((await location())?.location, 'IN', 'ZQ1 2NT is in the synthetic authority')

  await assert.rejects(setAuthorityAreaSettings(admin, { laCode: '938', area: 'E06000123' }), (e: unknown) => e instanceof ValidationFailed && /not an area of the postcode lookup/.test(e.fieldErrors.area ?? ''))
  for (const role of ['team-manager', 'performance-analyst'] as const) {
    const ctx = world.ctx(await world.user([role]))
    await assert.rejects(authorityAreaSettings(ctx), AccessDenied)
    await assert.rejects(setAuthorityAreaSettings(ctx, { laCode: '938', area: 'E06000998' }), AccessDenied)
  }

  const after = await setAuthorityAreaSettings(admin, { laCode: '938', area: 'E06000998' })
  assert.deepEqual([after.laCode, after.area, after.areaSet], ['938', 'E06000998', true])
  assert.equal(await laCodeOf(database.db, admin.actor.partnershipId, {}), '938', 'the returns take the LA code')
  assert.equal((await location())?.location, 'OUT', 'the same placement is outside the new area')
  const entries = await database.db
    .select({ detail: auditEvent.detail })
    .from(auditEvent)
    .where(and(eq(auditEvent.partnershipId, admin.actor.partnershipId), eq(auditEvent.action, 'authority-area.update')))
  assert.deepEqual(entries.map((e) => e.detail), [{ before: { laCode: null, area: 'E06000999' }, after: { laCode: '938', area: 'E06000998' } }])
})
