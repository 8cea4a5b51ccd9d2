/**
 * `together users add` run twice at once with the same email (issue 15 trust fixes, item 4): the
 * add that loses the race gets the message a sequential duplicate gets (the command prints it and
 * exits 2), never a database error. The races are real on PostgreSQL; the embedded database has
 * one connection, so there its transactions run one after the other.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq, sql } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { partnership } from '../../db/schema/index.ts'
import { ValidationFailed } from '../common/context.ts'
import { provisionUser, type ProvisionInput } from './provisioning.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function input(email: string, agencyName: string): Promise<ProvisionInput> {
  const [p] = await database.db.select({ name: partnership.name }).from(partnership).where(eq(partnership.id, world.partnershipId))
  return {
    partnershipName: p!.name,
    agencyName,
    agencyType: 'housing',
    teamName: 'Racing team',
    user: { displayName: 'Racing User', email, roles: ['social-worker'], active: true },
  }
}

/** The message `users add` prints for a duplicate email. */
async function rejection(add: Promise<unknown>): Promise<string> {
  const err = await add.then(() => assert.fail('the duplicate is refused'), (e: unknown) => e)
  assert.ok(err instanceof ValidationFailed, `a ValidationFailed, not ${String(err)}`)
  return Object.values(err.fieldErrors)[0]!
}

describe('users add: the same email twice', () => {
  test('one after the other: the second is refused with a clear message', async () => {
    const add = await input('sequential.add@test.together.invalid', 'Sequential Housing Trust')
    await provisionUser(database.db, add, FIXED_NOW)
    assert.equal(await rejection(provisionUser(database.db, add, FIXED_NOW)), 'A user with this email address already exists')
  })

  test('at the same moment, into an existing or a new agency and team: one is added, the others get the same message', async () => {
    await provisionUser(database.db, await input('first.add@test.together.invalid', 'Existing Housing Trust'), FIXED_NOW)
    for (const [email, agencyName] of [
      ['parallel.existing@test.together.invalid', 'Existing Housing Trust'],
      ['parallel.new@test.together.invalid', 'New Housing Trust'],
    ] as const) {
      const add = await input(email, agencyName)
      // Six open connections first, so that no add waits for one while another finishes.
      await Promise.all(Array.from({ length: 6 }, () => database.db.execute(sql`select pg_sleep(0.05)`)))
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => provisionUser(database.db, add, FIXED_NOW)))
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one add succeeds')
      for (const r of results) {
        if (r.status === 'rejected') assert.equal(await rejection(Promise.reject(r.reason)), 'A user with this email address already exists')
      }
    }
  })
})
