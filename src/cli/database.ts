import { ConfigError, loadConfig, type Config } from '../config.ts'
import { openDatabase, type Database } from '../db/connection.ts'
import { runMigrations } from '../db/migrate.ts'
import { AuditKeyError, loadAuditKeyring } from '../services/access/audit-key.ts'
import { useAuditKeys } from '../services/access/audit.ts'
import { UsageError } from './errors.ts'

export function cliConfig(): Config {
  try {
    return loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message)
    throw err
  }
}

/** Loads the audit key (so what the command appends is signed, and `audit verify` can check MACs). */
function useConfiguredAuditKey(config: Config): void {
  try {
    useAuditKeys(loadAuditKeyring(config.auditKey).keyring)
  } catch (err) {
    if (err instanceof AuditKeyError) throw new UsageError(err.message)
    throw err
  }
}

/** Opens the configured database, applies migrations, runs `fn`, and always closes it. */
export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig()
  useConfiguredAuditKey(config)
  const database = await openDatabase(config.database)
  try {
    await runMigrations(database)
    return await fn(database, config)
  } finally {
    await database.close()
  }
}
