import type { Command } from 'commander'
import { UsageError } from '../errors.ts'

const POSTGRES_BACKUP =
  'the database is PostgreSQL (DATABASE_URL): back it up with pg_dump, or a base backup with WAL archiving for point-in-time recovery (docs/deployment.md)'
const POSTGRES_RESTORE =
  'the database is PostgreSQL (DATABASE_URL): restore it with pg_restore from a pg_dump, or from a base backup and archived WAL (docs/deployment.md)'

/** The embedded data directory, or a usage error for PostgreSQL, which has its own tools. */
async function embeddedDataDir(postgresAdvice: string): Promise<string> {
  const { cliConfig } = await import('../database.ts')
  const { database } = cliConfig()
  if (database.kind === 'postgres') throw new UsageError(postgresAdvice)
  return database.dataDir!
}

/** Runs `fn`, turning the refusals a user can act on into usage errors (exit 2). */
async function refusalsAsUsage<T>(fn: () => Promise<T>): Promise<T> {
  const { BackupRefused } = await import('../../db/backup.ts')
  const { DataDirectoryLocked } = await import('../../db/data-dir-lock.ts')
  try {
    return await fn()
  } catch (err) {
    if (err instanceof BackupRefused) throw new UsageError(err.message)
    if (err instanceof DataDirectoryLocked) {
      throw new UsageError(
        `Together is running on the data directory ${err.dataDir} (process ${err.pid}): the embedded database can be backed up or restored only while it is stopped; stop it, run this, and start it again`,
      )
    }
    throw err
  }
}

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description('back up the embedded database (the data directory) to FILE, with the server stopped; on PostgreSQL use pg_dump')
    .argument('<file>', 'the backup file to write (a gzipped tar)')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, options: { force?: boolean }) => {
      const { resolve } = await import('node:path')
      const { backupDataDirectory } = await import('../../db/backup.ts')
      const dataDir = await embeddedDataDir(POSTGRES_BACKUP)
      const path = resolve(file)
      const bytes = await refusalsAsUsage(() => backupDataDirectory(dataDir, path, { overwrite: options.force === true }))
      process.stdout.write(`Backed up the embedded database at ${dataDir} to ${path} (${(bytes / 1e6).toFixed(1)} MB)\n`)
    })
}

export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .description(
      'restore the embedded database from a backup FILE into the data directory, with the server stopped; ' +
        'a data directory with anything in it is replaced only with --force (and kept beside it, renamed); on PostgreSQL use pg_restore',
    )
    .argument('<file>', 'a backup made by together backup')
    .option('--force', 'replace a data directory that is not empty (it is kept beside it, renamed, not deleted)')
    .action(async (file: string, options: { force?: boolean }) => {
      const { resolve } = await import('node:path')
      const { restoreDataDirectory } = await import('../../db/backup.ts')
      const dataDir = await embeddedDataDir(POSTGRES_RESTORE)
      const path = resolve(file)
      const result = await refusalsAsUsage(() => restoreDataDirectory(path, dataDir, { overwrite: options.force === true, now: new Date() }))
      process.stdout.write(`Restored ${path} into ${dataDir}; check it with: together audit verify\n`)
      if (result.replacedKeptAt) process.stdout.write(`The data directory it replaced is kept at ${result.replacedKeptAt}; delete it once the restore is checked.\n`)
    })
}
