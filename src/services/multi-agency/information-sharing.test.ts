/** The sharing report by receiving agency: another partnership's agency does not exist for the user (issue 15, item 6). */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { NotFound } from '../common/context.ts'
import { agencyShareReport } from './information-sharing.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

describe('the sharing report by agency', () => {
  test('answers for the partnership’s own agency, and NotFound for another partnership’s', async () => {
    const manager = await world.user(['team-manager'])
    const elsewhere = await World.create(database.db)
    assert.deepEqual(await agencyShareReport(world.ctx(manager), world.agencies.police!), { items: [], total: 0, offset: 0, limit: 25 })
    await assert.rejects(agencyShareReport(world.ctx(manager), elsewhere.agencies.police!), NotFound)
    await assert.rejects(agencyShareReport(world.ctx(manager), '00000000-0000-4000-8000-000000000000'), NotFound)
  })
})
