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
  const name = `together_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: url.href })
  await runMigrations(database)
  return {
    ...database,
    engine: 'postgres',
    exec: async (sql) => {
      await database.db.execute(sql)
    },
    close: async () => {
      await database.close()
      const dropper = new pg.Client({ connectionString: serverUrl })
      await dropper.connect()
      await dropper.query(`drop database if exists ${name} with (force)`)
      await dropper.end()
    },
  }
}
