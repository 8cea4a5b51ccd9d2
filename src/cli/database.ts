import { ConfigError, loadConfig, type Config } from '../config.ts'
import { openDatabase, type Database } from '../db/connection.ts'
import { runMigrations } from '../db/migrate.ts'
import { UsageError } from './errors.ts'

export function cliConfig(): Config {
  try {
    return loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message)
    throw err
  }
}

/** Opens the configured database, applies migrations, runs `fn`, and always closes it. */
export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig()
  const database = await openDatabase(config.database)
  try {
    await runMigrations(database)
    return await fn(database, config)
  } finally {
    await database.close()
  }
}
