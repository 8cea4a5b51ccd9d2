/**
 * A fresh, migrated database for one test file: embedded PGlite in memory by default, or a
 * throwaway database on the PostgreSQL server named by DATABASE_URL (dropped afterwards).
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'

export interface TestDatabase extends Database {
  /** Runs raw SQL as the database owner (for tampering tests). */
  exec(sql: string): Promise<void>
  engine: 'pglite' | 'postgres'
}

/** Creates an empty database on the server at `serverUrl`; returns its URL and how to drop it. */
export async function createThrowawayPostgres(serverUrl: string, prefix = 'together_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await run(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.href, drop: () => run(`drop database if exists ${name} with (force)`) }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const database = await openDatabase({ kind: 'pglite', dataDir: null })
    await runMigrations(database)
    return {
      ...database,
      engine: 'pglite',
      exec: async (sql) => {
        await database.db.execute(sql)
      },
    }
  }
  const throwaway = await createThrowawayPostgres(serverUrl)
  const database = await openDatabase({ kind: 'postgres', url: throwaway.url })
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
