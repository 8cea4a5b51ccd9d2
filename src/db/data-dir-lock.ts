/**
 * One process at a time on an embedded data directory. PGlite keeps the whole database in the
 * memory of the process that opened it and writes it back on its own schedule, so two processes on
 * one directory each overwrite the other's writes: a `together` command run beside a running
 * server silently loses data. Whoever opens the directory first writes its process id to
 * `together.lock` in it (created exclusively); another process finds the file, sees that the
 * process is alive, and is refused. A lock left by a process that died (kill -9, a power cut) is
 * taken over: the next start checks the process id, finds nobody, and proceeds.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export const LOCK_FILE = 'together.lock'

/** Another live process holds the data directory. */
export class DataDirectoryLocked extends Error {
  override name = 'DataDirectoryLocked'
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Together is running on this data directory (${dataDir}, process ${pid}); stop it, or run this through the running server`,
    )
  }
}

interface Holder {
  pid: number
}

function readHolder(path: string): { holder: Holder | null; text: string } | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    const h = JSON.parse(text) as Holder
    return { holder: Number.isInteger(h.pid) ? h : null, text }
  } catch {
    // Half-written by a process that died while writing it.
    return { holder: null, text }
  }
}

/** Data directories this process holds (its own process id in a lock is stale otherwise). */
const heldHere = new Set<string>()

function alive(holder: Holder, path: string): boolean {
  if (holder.pid === process.pid) return heldHere.has(path)
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface DataDirectoryLock {
  release(): void
}

/**
 * Takes the data directory for this process, or throws DataDirectoryLocked. The lock is released
 * by `release()` and, failing that, when the process exits normally.
 */
export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  const path = join(dataDir, LOCK_FILE)
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })
  // Written whole to a file of our own first, then linked into place: the link either makes the
  // lock, complete, or fails because a lock is there. Nobody ever reads a half-written lock of ours.
  const draft = `${path}.${process.pid}`
  const fd = openSync(draft, 'w')
  try {
    writeSync(fd, mine)
  } finally {
    closeSync(fd)
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path)
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      const found = readHolder(path)
      if (found === null) continue // released between our two steps
      if (found.holder && alive(found.holder, path)) throw new DataDirectoryLocked(dataDir, found.holder.pid)
      if (attempt >= 3) throw new DataDirectoryLocked(dataDir, found.holder?.pid ?? 0)
      // Stale: move it aside under a name of our own, and check that what we moved is what we
      // judged dead (another process may have taken it over meanwhile: then put theirs back).
      const aside = `${path}.stale.${process.pid}`
      try {
        renameSync(path, aside)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw err
      }
      const moved = readHolder(aside)
      if (moved && moved.text !== found.text) {
        try {
          linkSync(aside, path)
        } catch {
          // Someone made a newer lock still; theirs stands.
        }
      }
      unlinkSync(aside)
    }
  } finally {
    unlinkSync(draft)
  }
  heldHere.add(path)
  let released = false
  const release = () => {
    if (released) return
    released = true
    heldHere.delete(path)
    process.off('exit', release)
    const found = readHolder(path)
    if (found?.text === mine) unlinkSync(path)
  }
  process.on('exit', release)
  return { release }
}
