/**
 * Opens the database: embedded PGlite (a data directory, or in memory) by default, PostgreSQL when
 * a connection string is given. Both are wrapped in Drizzle with the same schema, so services see
 * one `Db` type whichever engine is underneath.
 */
import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type { SQL } from 'drizzle-orm'
import pg from 'pg'
import { schema } from './schema/index.ts'
import { lockDataDirectory, type DataDirectoryLock } from './data-dir-lock.ts'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/** The rows of a raw SQL query; node-postgres and PGlite both answer with `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null }
  | { kind: 'postgres'; url: string; pooling?: DatabasePooling }

/**
 * How the application's connections reach PostgreSQL: each a session of its own ('session':
 * directly, or through PgBouncer in session mode), or through a pooler that hands each transaction
 * whichever server connection is free ('transaction': PgBouncer's pool_mode = transaction).
 * Under 'transaction' the application keeps no state in a session: its statements are sent
 * unnamed (UnnamedStatementsClient), and it sends no session settings (DatabaseTimeouts) at
 * start-up; its advisory locks are all transaction-level, and it never uses SET, LISTEN or
 * temporary tables outside a transaction. docs/deployment.md has PgBouncer's settings.
 */
export type DatabasePooling = 'session' | 'transaction'

export interface Database {
  db: Db
  target: DatabaseTarget
  /** A human description without credentials, for logs and `/health`. */
  describe(): string
  close(): Promise<void>
  /** Embedded only: the whole data directory as a gzipped tar (PGlite's dumpDataDir), for `together backup`. */
  dumpDataDir?(): Promise<Blob>
}

// node-postgres turns `date` columns into local-midnight JS Dates; keep them as 'YYYY-MM-DD'.
pg.types.setTypeParser(1082, (value: string) => value)

/**
 * Limits on PostgreSQL sessions (milliseconds; 0 = none), so that a request waiting on a lock, a
 * slow statement or an unreachable server fails instead of hanging. The server sets them
 * (`TOGETHER_DB_*` in the README); commands that run migrations or long batches open without them.
 */
export interface DatabaseTimeouts {
  /** Longest a statement may run (`statement_timeout`). */
  statementMs: number
  /** Longest a statement waits for a lock (`lock_timeout`). */
  lockMs: number
  /** Longest a transaction may sit idle before the server ends its session (`idle_in_transaction_session_timeout`). */
  idleInTransactionMs: number
  /** Longest to wait for a connection: opening one, or a free one from the pool. */
  connectMs: number
}

/**
 * What the process reports when the database drops a connection; the error's code only, never
 * its message (a driver's message can carry a query's parameters).
 */
function connectionLost(err: Error & { code?: string }): void {
  process.stderr.write(`together: a database connection was closed (${err.code ?? 'no code'}); it will be replaced\n`)
}

/**
 * A node-postgres client that sends every statement unnamed. Behind a pooler in transaction mode,
 * a statement prepared under a name (db/prepared.ts's hot reads) on one server connection is
 * missing on the next transaction's, where node-postgres, which remembers it was prepared on this
 * client connection, would send only the name. Unnamed, drizzle still builds the query's SQL once;
 * PostgreSQL parses it on each use.
 */
class UnnamedStatementsClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config)
    const query = this.query.bind(this) as (...args: unknown[]) => unknown
    this.query = ((config: unknown, ...rest: unknown[]) => query(withoutName(config), ...rest)) as pg.Client['query']
  }
}

/** A query's config without its statement name (a plain config object; a text or a Submittable as it is). */
function withoutName(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || !('name' in config) || 'submit' in config) return config
  const { name: _unnamed, ...rest } = config
  return rest
}

/**
 * A node-postgres pool on `target` as the server's own: pooled as it says, with the time-outs, and
 * a dropped connection costing only its requests. For the primary (openDatabase) and each read
 * replica (db/replicas.ts) alike.
 */
export function postgresPool(target: Extract<DatabaseTarget, { kind: 'postgres' }>, timeouts?: DatabaseTimeouts): pg.Pool {
  const t = timeouts
  const transactionPooling = target.pooling === 'transaction'
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    keepAlive: true,
    ...(transactionPooling && { Client: UnnamedStatementsClient }),
    // Under transaction pooling the server-side limits are the server's own settings for the
    // role or database (ALTER ROLE … SET, docs/deployment.md): PgBouncer refuses them at start-up,
    // and a session's settings would not follow its transactions to other server connections.
    ...(t && !transactionPooling && {
      statement_timeout: t.statementMs,
      lock_timeout: t.lockMs,
      idle_in_transaction_session_timeout: t.idleInTransactionMs,
    }),
    ...(t && { connectionTimeoutMillis: t.connectMs }),
  })
  // A connection the server closes (a restart, a fail-over, an idle-in-transaction time-out, a
  // terminated backend) must cost only the requests using it, never the process. The pool
  // listens to its idle connections; a checked-out connection has no listener, so its 'error'
  // event would be unhandled and end the process. Every connection gets one for its whole life:
  // the query in flight fails, and the pool discards the connection when it is released.
  pool.on('connect', (client) => client.on('error', connectionLost))
  pool.on('error', () => {}) // the pool's report of an idle connection's error, already logged above
  return pool
}

/** Where a PostgreSQL URL points, without its credentials: host:port (for logs, `/health` and metric labels). */
export function hostAndPort(url: string): string {
  const u = new URL(url)
  return `${u.hostname}:${u.port || 5432}`
}

/** `loadFrom`: embedded only, a dump of a data directory (`dumpDataDir`) to fill a new, empty one with (`together restore`). */
export async function openDatabase(target: DatabaseTarget, options: { timeouts?: DatabaseTimeouts; loadFrom?: Blob } = {}): Promise<Database> {
  if (target.kind === 'postgres') {
    const transactionPooling = target.pooling === 'transaction'
    const pool = postgresPool(target, options.timeouts)
    await pool.query('select 1')
    const db = drizzlePg(pool, { schema }) as unknown as Db
    const url = new URL(target.url)
    return {
      db,
      target,
      describe: () => `PostgreSQL ${hostAndPort(target.url)}${url.pathname}${transactionPooling ? ' (transaction pooling)' : ''}`,
      close: () => pool.end(),
    }
  }
  // One process at a time on a data directory (data-dir-lock.ts says why): taken before opening.
  let lock: DataDirectoryLock | null = null
  if (target.dataDir) {
    mkdirSync(target.dataDir, { recursive: true })
    lock = lockDataDirectory(target.dataDir)
  }
  let client: PGlite
  try {
    client = await PGlite.create(target.dataDir ?? undefined, { extensions: { pg_trgm, fuzzystrmatch }, ...(options.loadFrom && { loadDataDir: options.loadFrom }) })
  } catch (err) {
    lock?.release()
    throw err
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    target,
    describe: () => (target.dataDir ? `embedded PGlite at ${target.dataDir}` : 'embedded PGlite in memory'),
    dumpDataDir: () => client.dumpDataDir('gzip'),
    close: async () => {
      try {
        await client.close()
      } finally {
        lock?.release()
      }
    },
  }
}
