/**
 * PgBouncer in transaction pooling mode in front of PostgreSQL (issue 20, item 3): why the
 * application needs TOGETHER_DATABASE_POOLING=transaction there. A PgBouncer of this test's own
 * (scripts/pgbouncer.sh, on a free port) serves two of the application's pools in turn, so both
 * are handed the same server connection. Without the setting the second pool's hot read collides
 * with the statement the first prepared under the same name, and the server's limits are refused
 * at start-up; with it, neither. The whole PostgreSQL pass of `.ci/run` goes through PgBouncer too.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { openDatabase, type DatabasePooling, type DatabaseTimeouts } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { loadSignedInActor } from '../../src/services/access/accounts.ts'
import { createThrowawayPostgres, directServerUrl } from '../support/database.ts'
import { postgresTemplate } from '../support/database-template.ts'

const script = join(import.meta.dirname, '../../scripts/pgbouncer.sh')
const installed = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].some((p) => existsSync(p))
const skip = !process.env.DATABASE_URL
  ? 'needs PostgreSQL (set DATABASE_URL)'
  : !installed
    ? 'needs PgBouncer (Debian: apt-get install pgbouncer; .ci/run installs it)'
    : false
const TIMEOUTS: DatabaseTimeouts = { statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000, connectMs: 10_000 }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.once('error', reject)
  })
}

describe('PgBouncer in transaction pooling mode', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'together-pgbouncer-'))
  let throwaway: { url: string; drop(): Promise<void> }
  let bouncedUrl: string

  before(async () => {
    const server = new URL(directServerUrl(process.env.DATABASE_URL!))
    throwaway = await createThrowawayPostgres(server.href, 'together_pgbouncer', postgresTemplate())
    const port = await freePort()
    const started = spawnSync(script, ['start', dir, String(port)], {
      env: { ...process.env, PGBOUNCER_SERVER_HOST: server.hostname, PGBOUNCER_SERVER_PORT: server.port || '5432', PGBOUNCER_USER: decodeURIComponent(server.username) || 'postgres' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(started.status, 0, `PgBouncer did not start: ${started.stderr}`)
    const bounced = new URL(throwaway.url)
    bounced.host = `127.0.0.1:${port}`
    bouncedUrl = bounced.href
    // The migrations (none left on a copy of the run's template) over the server connection.
    const database = await openDatabase({ kind: 'postgres', url: bouncedUrl, pooling: 'transaction' })
    try {
      await runMigrations(database)
    } finally {
      await database.close()
    }
  })
  after(async () => {
    spawnSync(script, ['stop', dir], { timeout: 30_000 })
    await throwaway?.drop()
  })

  /** The same hot read from two pools in turn (each pool one connection, PgBouncer one server connection). */
  async function hotReadFromTwoPools(pooling: DatabasePooling): Promise<string[]> {
    const outcomes: string[] = []
    for (let i = 0; i < 2; i++) {
      const database = await openDatabase({ kind: 'postgres', url: bouncedUrl, pooling })
      try {
        // drizzle's error names the query; PostgreSQL's is its cause.
        outcomes.push(await loadSignedInActor(database.db, randomUUID()).then(() => 'read', (err: Error) => (err.cause as Error | undefined)?.message ?? err.message))
      } finally {
        await database.close()
      }
    }
    return outcomes
  }

  test('without the setting, the hot reads’ named statements collide on the shared server connection', async () => {
    assert.deepEqual(await hotReadFromTwoPools('session'), ['read', 'prepared statement "together_signed_in_user" already exists'])
  })

  test('with TOGETHER_DATABASE_POOLING=transaction, both pools read', async () => {
    assert.deepEqual(await hotReadFromTwoPools('transaction'), ['read', 'read'])
  })

  test('the server’s limits: refused at start-up without the setting, not sent with it', async () => {
    await assert.rejects(openDatabase({ kind: 'postgres', url: bouncedUrl, pooling: 'session' }, { timeouts: TIMEOUTS }), /unsupported startup parameter: statement_timeout/)
    const database = await openDatabase({ kind: 'postgres', url: bouncedUrl, pooling: 'transaction' }, { timeouts: TIMEOUTS })
    await database.close()
  })
})
