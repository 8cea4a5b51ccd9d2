import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Db } from '../../../db/connection.ts'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { openTestWorld, type World } from '../../../../test/support/fixtures.ts'
import type { ServiceContext } from '../../common/context.ts'
import { exportOwnSsda903, validateOwnSsda903 } from './index.ts'

let database: TestDatabase
let world: World
let ctx: ServiceContext

before(async () => {
  ;({ database, world } = await openTestWorld())
  ctx = world.ctx(await world.user(['performance-analyst']))
})
after(() => database.close())

/** A replica that refuses every use, so a read that goes to it is seen. */
const replica = new Proxy({} as Db, {
  get() {
    throw new Error('read from the replica')
  },
})

test('the 903 export and the check of our own data read the records from the replica (ctx.readDb), as the CIN census does', async () => {
  await assert.rejects(exportOwnSsda903({ ...ctx, readDb: replica }, 2026), /read from the replica/)
  await assert.rejects(validateOwnSsda903({ ...ctx, readDb: replica }, 2026), /read from the replica/)
  // Without a replica the primary is read.
  assert.equal((await exportOwnSsda903(ctx, 2026)).year, 2026)
})
