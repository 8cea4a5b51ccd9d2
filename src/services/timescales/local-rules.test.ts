import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { World } from '../../../test/support/fixtures.ts'
import { auditEvent } from '../../db/schema/index.ts'
import { dueDate } from '../../domain/timescales/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { getLocalRules, setLocalRules } from './local-rules.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

test('a partnership starts on the defaults, sets its own values, and they drive due dates', async () => {
  const world = await World.create(database.db)
  const admin = await world.user(['administrator'], { team: null })
  const initial = await getLocalRules(world.ctx(admin))
  assert.deepEqual(initial.overrides, {})
  assert.deepEqual(initial.settings.coreGroupCadence, { limit: 4, unit: 'weeks' })

  await setLocalRules(world.ctx(admin), { coreGroupCadence: { limit: 6, unit: 'weeks' } }, initial.version)
  const after = await getLocalRules(world.ctx(admin))
  assert.deepEqual(after.settings.coreGroupCadence, { limit: 6, unit: 'weeks' })
  assert.deepEqual(after.settings.firstCoreGroup, { limit: 10, unit: 'working-days' }, 'others keep their defaults')
  assert.equal(
    dueDate({ rule: 'core-group', start: '2026-01-05', localRules: after.settings }).due,
    '2026-02-16',
  )
  const [entry] = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'partnership.local-rules.update'))
  assert.equal(entry!.recordId, world.partnershipId)

  await assert.rejects(setLocalRules(world.ctx(admin), {}, initial.version), EditConflict)
  await assert.rejects(setLocalRules(world.ctx(admin), { coreGroupCadence: { limit: 0 } }, after.version), ValidationFailed)
  await assert.rejects(setLocalRules(world.ctx(admin), { bedtime: { limit: 1 } }, after.version), ValidationFailed)
  const worker = await world.user(['social-worker'])
  assert.deepEqual((await getLocalRules(world.ctx(worker))).settings, after.settings, 'everyone reads them')
  await assert.rejects(setLocalRules(world.ctx(worker), {}, after.version), AccessDenied)
})
