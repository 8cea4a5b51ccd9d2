/**
 * A fresh, migrated database for one test file: embedded PGlite in memory by default, or a
 * throwaway database on the PostgreSQL server named by DATABASE_URL (dropped afterwards).
 */
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import type { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import { postgresTarget } from '../../src/config.ts'
import { openDatabase, type Database, type Db } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { schema } from '../../src/db/schema/index.ts'
import { copyPgliteTemplate, pgliteTemplate, postgresTemplate } from './database-template.ts'

export interface TestDatabase extends Database {
  /** Runs raw SQL as the database owner (for tampering tests). */
  exec(sql: string): Promise<void>
  engine: 'pglite' | 'postgres'
}

/**
 * Where databases are created and dropped: the server itself when the tests reach it through a
 * pooler (TOGETHER_TEST_DIRECT_DATABASE_URL, set by .ci/run beside a PgBouncer DATABASE_URL). A
 * pooler keeps server connections to a database open after its clients leave, and CREATE DATABASE
 * refuses a template that anyone is connected to.
 */
export function directServerUrl(serverUrl: string): string {
  return process.env.TOGETHER_TEST_DIRECT_DATABASE_URL || serverUrl
}

/**
 * Creates a database on the server at `serverUrl` (through directServerUrl), empty or a copy of
 * `template`; returns its URL at `serverUrl` and how to drop it.
 */
export async function createThrowawayPostgres(serverUrl: string, prefix = 'together_test', template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: directServerUrl(serverUrl) })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await run(`create database ${name}${template ? ` template ${template}` : ''}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.href, drop: () => run(`drop database if exists ${name} with (force)`) }
}

/** A migrated database, started from the run's template when there is one (database-template.ts). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    // A copy of the run's migrated data directory, removed on close; in memory without one.
    const template = pgliteTemplate()
    const dataDir = template ? copyPgliteTemplate(template) : null
    const database = await openDatabase({ kind: 'pglite', dataDir })
    await runMigrations(database)
    return {
      ...database,
      engine: 'pglite',
      exec: async (sql) => {
        await database.db.execute(sql)
      },
      close: async () => {
        await database.close()
        if (dataDir) await rm(dataDir, { recursive: true, force: true })
      },
    }
  }
  const throwaway = await createThrowawayPostgres(serverUrl, 'together_test', postgresTemplate())
  const database = await openDatabase(postgresTarget(throwaway.url))
  await runMigrations(database)
  return {
    ...database,
    engine: 'postgres',
    exec: async (sql) => {
      await database.db.execute(sql)
    },
    close: async () => {
      await database.close()
      await throwaway.drop()
    },
  }
}

/**
 * The same database through a drizzle handle that records each statement it sends (on PGlite, not
 * the engine's own begin and commit), to count what an operation costs in round trips.
 */
export function countingStatements(database: TestDatabase): { db: Db; statements: string[] } {
  const statements: string[] = []
  const logger = { logQuery: (query: string) => void statements.push(query) }
  const client = (database.db as unknown as { $client: unknown }).$client
  const db = database.engine === 'postgres' ? drizzlePg(client as pg.Pool, { schema, logger }) : drizzlePglite(client as PGlite, { schema, logger })
  return { db: db as unknown as Db, statements }
}
