import { fileURLToPath } from 'node:url'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { Database } from './connection.ts'

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url))

/** Applies every migration not yet applied. Idempotent; the same SQL files serve both engines. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.target.kind === 'postgres') {
    await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder })
  } else {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder })
  }
}
