import { ConfigError, loadConfig, type Config } from '../config.ts'
import { openDatabase, type Database } from '../db/connection.ts'
import { runMigrations } from '../db/migrate.ts'
import { DataDirectoryLocked } from '../db/data-dir-lock.ts'
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

/**
 * Opens a database for a command. An embedded data directory a running server holds is refused
 * with a usage error (exit 2): a second process on it would lose one side's writes.
 */
export async function openForCommand(...args: Parameters<typeof openDatabase>): Promise<Database> {
  try {
    return await openDatabase(...args)
  } catch (err) {
    if (err instanceof DataDirectoryLocked) throw new UsageError(err.message)
    throw err
  }
}

/** Opens the configured database, applies migrations, runs `fn`, and always closes it. */
export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = cliConfig()
  useConfiguredAuditKey(config)
  const database = await openForCommand(config.database)
  try {
    await runMigrations(database)
    return await fn(database, config)
  } finally {
    await database.close()
  }
}
