/**
 * Simultaneous duplicate creates (issue 15, item 23): the request that loses the race gets the
 * answer a sequential duplicate gets, never a 500. The parallel races are real on PostgreSQL; on
 * the embedded database (one connection) the direct insert below makes the same violation.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { agency } from '../../db/schema/index.ts'
import { ValidationFailed } from './context.ts'
import { onUniqueViolation, uniqueViolationConstraint } from './unique.ts'
import * as org from '../organisation/organisation.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

/** Fires `n` copies of `create` at once: exactly one wins, every other gets ValidationFailed on `field`. */
async function race(n: number, create: () => Promise<unknown>, field: string) {
  const results = await Promise.allSettled(Array.from({ length: n }, create))
  const won = results.filter((r) => r.status === 'fulfilled')
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  assert.equal(won.length, 1, 'exactly one create succeeds')
  for (const r of lost) {
    assert.ok(r.reason instanceof ValidationFailed, `the loser gets ValidationFailed, not ${String(r.reason)}`)
    assert.ok(r.reason.fieldErrors[field], `with a message for ${field}`)
  }
}

describe('duplicate creates at the same moment', () => {
  test('agencies, teams and users: one is created, the others get the sequential message', async () => {
    const admin = await world.user(['administrator'], { team: null })
    const ctx = world.ctx(admin)
    await race(8, () => org.createAgency(ctx, { name: 'Racing Housing Trust', type: 'housing', active: true }), 'name')
    await race(8, () => org.createTeam(ctx, { name: 'Racing team', agencyId: world.agencies.council!, active: true }), 'name')
    await race(
      8,
      () =>
        org.createUser(ctx, {
          displayName: 'Racing User',
          email: 'racing.user@test.together.invalid',
          agencyId: world.agencies.council!,
          teamId: null,
          roles: ['social-worker'],
          active: true,
        }),
      'email',
    )
  })

  test('a unique violation on a named constraint becomes the given error, on either engine', async () => {
    const name = `Duplicate ${world.partnershipId.slice(0, 8)}`
    await database.db.insert(agency).values({ partnershipId: world.partnershipId, name, type: 'police' })
    const duplicate = () =>
      database.db.transaction(async (tx) => {
        await tx.insert(agency).values({ partnershipId: world.partnershipId, name: name.toUpperCase(), type: 'police' })
      })
    await duplicate().then(
      () => assert.fail('the unique index refuses it'),
      (err: unknown) => assert.equal(uniqueViolationConstraint(err), 'agency_name_unique'),
    )
    await assert.rejects(onUniqueViolation(duplicate, { agency_name_unique: () => new ValidationFailed({ name: 'taken' }) }), ValidationFailed)
    await assert.rejects(onUniqueViolation(duplicate, { other_constraint: () => new ValidationFailed({ name: 'taken' }) }), (err) => !(err instanceof ValidationFailed))
    assert.equal(uniqueViolationConstraint(new Error('not a database error')), null)
  })
})
