/**
 * The demo loads whole or not at all: a failure late in the load (here, a trigger refusing the
 * domestic abuse review, one of the last things loaded) leaves no partnership, user or child
 * behind, so the next start finds the database empty and loads it again, complete.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { queryRows } from '../../db/connection.ts'
import { isEmpty, seedDemo } from './demo-seed.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

const NOW = new Date('2026-11-20T10:00:00Z')

async function counts(): Promise<{ partnerships: number; users: number; people: number; dar_reviews: number }> {
  const [row] = await queryRows<{ partnerships: number; users: number; people: number; dar_reviews: number }>(
    database.db,
    sql`select (select count(*)::int from partnership) as partnerships, (select count(*)::int from app_user) as users,
               (select count(*)::int from person) as people, (select count(*)::int from dar_review) as dar_reviews`,
  )
  return row!
}

test('a demo load that fails part-way leaves nothing; the next load is complete', async () => {
  await database.exec(`create function refuse_demo_dar() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$`)
  await database.exec(`create trigger refuse_demo_dar before insert on dar_review for each row execute function refuse_demo_dar()`)
  await assert.rejects(seedDemo(database.db, 'correct horse battery', '2026-11-20', NOW), /simulated crash|Failed query/)
  assert.deepEqual(await counts(), { partnerships: 0, users: 0, people: 0, dar_reviews: 0 })
  assert.equal(await isEmpty(database.db), true)

  await database.exec('drop trigger refuse_demo_dar on dar_review')
  await seedDemo(database.db, 'correct horse battery', '2026-11-20', NOW)
  const loaded = await counts()
  assert.equal(loaded.partnerships, 1)
  assert.ok(loaded.users >= 10 && loaded.people >= 5 && loaded.dar_reviews === 1, JSON.stringify(loaded))
})
