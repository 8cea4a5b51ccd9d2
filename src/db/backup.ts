/**
 * Backup and restore of the embedded database's data directory (`together backup` / `together
 * restore`). A backup is PGlite's own dump of the data directory, a gzipped tar, taken with the
 * directory open (so a directory left by a crash is recovered first) and held (data-dir-lock.ts):
 * the running server holds it too, so the server must be stopped for a backup — PGlite keeps the
 * database in the memory of the one process that has it open, and nothing outside that process can
 * read a consistent copy. A restore fills a new directory beside the data directory from the dump,
 * and only when that has worked puts it in place with a rename: never a half-restored directory.
 * PostgreSQL has its own proven tools for both (docs/deployment.md).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { openDatabase } from './connection.ts'
import { lockDataDirectory, LOCK_FILE, type DataDirectoryLock } from './data-dir-lock.ts'

/** A refusal to be shown to the user as it is (the command exits 2). */
export class BackupRefused extends Error {
  override name = 'BackupRefused'
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/** Writes the file whole or not at all: to a name of its own first, flushed, then renamed into place. */
function writeFileAtomically(path: string, data: Uint8Array): void {
  const partial = `${path}.partial-${process.pid}`
  const fd = openSync(partial, 'w', 0o600)
  try {
    writeSync(fd, data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(partial, path)
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  }
}

/** Backs up the data directory to `file`; the bytes written. The caller has checked the directory is free. */
export async function backupDataDirectory(dataDir: string, file: string, options: { overwrite: boolean }): Promise<number> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new BackupRefused(`there is no embedded database at ${dataDir} to back up`)
  if (!options.overwrite && existsSync(file)) throw new BackupRefused(`${file} exists; choose another name, or add --force to replace it`)
  const database = await openDatabase({ kind: 'pglite', dataDir })
  let dump: Blob
  try {
    dump = await database.dumpDataDir!()
  } finally {
    await database.close()
  }
  const bytes = new Uint8Array(await dump.arrayBuffer())
  writeFileAtomically(file, bytes)
  return bytes.length
}

export interface RestoreResult {
  /** Where the data directory that was replaced was moved to (with --force); null when there was none. */
  replacedKeptAt: string | null
}

/**
 * Restores `file` (a backup by backupDataDirectory) into `dataDir`. A directory with anything in it
 * is replaced only with `overwrite`, and is then kept beside it, renamed, not deleted.
 */
export async function restoreDataDirectory(file: string, dataDir: string, options: { overwrite: boolean; now: Date }): Promise<RestoreResult> {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (err) {
    throw new BackupRefused(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  // gzip's magic number: what `together backup` writes.
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new BackupRefused(`${file} is not a backup made by together backup`)
  const occupied = entries(dataDir).length > 0
  if (occupied && !options.overwrite) {
    throw new BackupRefused(`the data directory ${dataDir} is not empty; add --force to replace it (it is kept beside, renamed, not deleted)`)
  }
  // Held while we work, so that no server starts on it meanwhile (refused here if one is running).
  let lock: DataDirectoryLock | null = occupied ? lockDataDirectory(dataDir) : null
  const parent = dirname(dataDir)
  mkdirSync(parent, { recursive: true })
  // Beside the data directory, so that putting it in place is a rename on one file system.
  const restoring = mkdtempSync(join(parent, `.${basename(dataDir)}.restoring-`))
  try {
    const restored = await openDatabase({ kind: 'pglite', dataDir: restoring }, { loadFrom: new Blob([bytes]) })
    await restored.close()
    // The dump holds the lock file of the process that made it; nobody holds this copy.
    rmSync(join(restoring, LOCK_FILE), { force: true })
    let replacedKeptAt: string | null = null
    if (occupied) {
      replacedKeptAt = `${dataDir}.before-restore-${options.now.toISOString().replace(/[:.]/g, '-')}`
      renameSync(dataDir, replacedKeptAt)
      // Our lock moved with it: it no longer guards anything.
      lock!.release()
      lock = null
      unlinkSync(join(replacedKeptAt, LOCK_FILE))
    } else if (existsSync(dataDir)) {
      rmdirSync(dataDir)
    }
    try {
      renameSync(restoring, dataDir)
    } catch (err) {
      // Put the replaced directory back where it was, so that a failed restore changes nothing.
      if (replacedKeptAt) renameSync(replacedKeptAt, dataDir)
      throw err
    }
    return { replacedKeptAt }
  } catch (err) {
    rmSync(restoring, { recursive: true, force: true })
    throw err
  } finally {
    lock?.release()
  }
}
