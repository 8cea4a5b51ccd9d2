/**
 * TOGETHER_DATABASE_POOLING=transaction (PgBouncer's transaction mode): the application keeps no
 * state in a PostgreSQL session. Checked on one connection to the server itself (not through a
 * pooler, whichever DATABASE_URL is), where a session's prepared statements and settings can be
 * read back: its hot reads leave no named statement, and it sends no session settings.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { createThrowawayPostgres, directServerUrl } from '../../test/support/database.ts'
import { postgresTemplate } from '../../test/support/database-template.ts'
import { loadSignedInActor } from '../services/access/accounts.ts'
import { openDatabase, queryRows, type DatabasePooling, type DatabaseTimeouts } from './connection.ts'
import { runMigrations } from './migrate.ts'

const serverUrl = process.env.DATABASE_URL
const TIMEOUTS: DatabaseTimeouts = { statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000, connectMs: 10_000 }

describe('PostgreSQL connections under transaction pooling', { skip: serverUrl ? false : 'needs PostgreSQL (set DATABASE_URL)' }, () => {
  let throwaway: { url: string; drop(): Promise<void> }

  before(async () => {
    throwaway = await createThrowawayPostgres(directServerUrl(serverUrl!), 'together_pooling', postgresTemplate())
  })
  after(async () => {
    await throwaway?.drop()
  })

  /** What one connection (the pool's only one, used in turn) has prepared under a name, and its statement_timeout, after a hot read. */
  async function afterHotRead(pooling: DatabasePooling) {
    const database = await openDatabase({ kind: 'postgres', url: throwaway.url, pooling }, { timeouts: TIMEOUTS })
    try {
      await runMigrations(database)
      assert.equal(await loadSignedInActor(database.db, randomUUID()), null)
      await database.db.transaction((tx) => loadSignedInActor(tx, randomUUID()))
      const named = await queryRows<{ name: string }>(database.db, sql`select name from pg_prepared_statements order by name`)
      const [timeout] = await queryRows<{ statement_timeout: string }>(database.db, sql`show statement_timeout`)
      return { named: named.map((r) => r.name), statementTimeout: timeout!.statement_timeout }
    } finally {
      await database.close()
    }
  }

  test('session pooling: the hot reads are named statements, and the limits are session settings', async () => {
    assert.deepEqual(await afterHotRead('session'), { named: ['together_signed_in_user'], statementTimeout: '30s' })
  })

  test('transaction pooling: no named statement and no session setting is left on the connection', async () => {
    assert.deepEqual(await afterHotRead('transaction'), { named: [], statementTimeout: '0' })
  })
})
