/**
 * The session store on the application's database: rolling expiry is written only when it has
 * moved by more than the slack, so page views do not each wait on a write.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { promisify } from 'node:util'
import { eq } from 'drizzle-orm'
import type { SessionData } from 'express-session'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts'
import { session } from '../../../db/schema/index.ts'
import { DatabaseSessionStore } from './session-store.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

const IDLE_MS = 30 * 60_000

function dataExpiringAt(at: number): SessionData {
  return { cookie: { expires: new Date(at), originalMaxAge: IDLE_MS } } as unknown as SessionData
}

test('a touch within the slack writes nothing; a later one moves the expiry on', async () => {
  let now = Date.parse('2026-11-20T10:00:00Z')
  const store = new DatabaseSessionStore(database.db, IDLE_MS, () => new Date(now))
  const set = promisify(store.set.bind(store)) as (sid: string, data: SessionData) => Promise<void>
  const touch = promisify(store.touch.bind(store)) as (sid: string, data: SessionData) => Promise<void>
  const stored = async () => (await database.db.select().from(session).where(eq(session.sid, 'sid-touch')))[0]!.expiresAt.getTime()

  await set('sid-touch', dataExpiringAt(now + IDLE_MS))
  const first = await stored()
  now += 20_000
  await touch('sid-touch', dataExpiringAt(now + IDLE_MS))
  assert.equal(await stored(), first, '20 s on: within the 36 s slack, not written')
  now += 20_000
  await touch('sid-touch', dataExpiringAt(now + IDLE_MS))
  assert.equal(await stored(), now + IDLE_MS, '40 s on: written')
})

test('a touch of a session this process has not written is always written', async () => {
  const now = Date.parse('2026-11-20T10:00:00Z')
  const writer = new DatabaseSessionStore(database.db, IDLE_MS, () => new Date(now))
  await promisify(writer.set.bind(writer))('sid-other', dataExpiringAt(now + IDLE_MS))
  const reader = new DatabaseSessionStore(database.db, IDLE_MS, () => new Date(now))
  await promisify(reader.touch.bind(reader))('sid-other', dataExpiringAt(now + IDLE_MS + 1000))
  const [row] = await database.db.select().from(session).where(eq(session.sid, 'sid-other'))
  assert.equal(row!.expiresAt.getTime(), now + IDLE_MS + 1000)
})
