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

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/** The rows of a raw SQL query; node-postgres and PGlite both answer with `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null }
  | { kind: 'postgres'; url: string }

export interface Database {
  db: Db
  target: DatabaseTarget
  /** A human description without credentials, for logs and `/health`. */
  describe(): string
  close(): Promise<void>
}

// node-postgres turns `date` columns into local-midnight JS Dates; keep them as 'YYYY-MM-DD'.
pg.types.setTypeParser(1082, (value: string) => value)

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 })
    // An idle connection the server closes (a restart, a dropped database) must not crash the
    // process: the pool drops it and opens another when next needed.
    pool.on('error', (err) => process.stderr.write(`together: an idle database connection was closed (${err.message})\n`))
    await pool.query('select 1')
    const db = drizzlePg(pool, { schema }) as unknown as Db
    const url = new URL(target.url)
    return {
      db,
      target,
      describe: () => `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => pool.end(),
    }
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true })
  const client = await PGlite.create(target.dataDir ?? undefined, { extensions: { pg_trgm, fuzzystrmatch } })
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    target,
    describe: () => (target.dataDir ? `embedded PGlite at ${target.dataDir}` : 'embedded PGlite in memory'),
    close: () => client.close(),
  }
}
