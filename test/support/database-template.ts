/**
 * A migrated, empty database made once per test run, which each test file's database starts from
 * instead of running every migration again (a fresh PGlite spends seconds in initdb, then in the
 * migrations). scripts/run-tests.js makes it and names it in the environment its test processes
 * inherit; a test file run on its own, without it, migrates its own database as before.
 *
 * - Embedded PGlite: a migrated data directory on disk, copied for each test database (a copy of
 *   its files takes a fraction of what loading a dumpDataDir archive into memory takes: measured
 *   about 1.5 s against 5 s a database under load); and, when the run has browser tests, a second
 *   one holding the demo partnership too, loaded as of the run's London date with the browser
 *   tests' demo password, which their servers start from instead of loading the demo again (it is
 *   dated relative to today, so on another day it is not used).
 * - PostgreSQL: a migrated database on DATABASE_URL's server, used as CREATE DATABASE's template.
 */
import { cpSync, mkdtempSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { openDatabase } from '../../src/db/connection.ts'
import { LOCK_FILE } from '../../src/db/data-dir-lock.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { seedDemo } from '../../src/services/demo/demo-seed.ts'
import { londonDate } from '../../src/domain/timescales/calendar/london-time.ts'
import { createThrowawayPostgres, directServerUrl } from './database.ts'

const PGLITE_TEMPLATE = 'TOGETHER_TEST_PGLITE_TEMPLATE'
const POSTGRES_TEMPLATE = 'TOGETHER_TEST_POSTGRES_TEMPLATE'
const PGLITE_DEMO_TEMPLATE = 'TOGETHER_TEST_PGLITE_DEMO_TEMPLATE'

/** The demo password the browser tests sign in with; the demo template is loaded with it. */
export const TEST_DEMO_PASSWORD = 'demo-password'

/** The migrated PGlite data directory to copy, when the run made one. */
export function pgliteTemplate(): string | undefined {
  return process.env[PGLITE_TEMPLATE] || undefined
}

/**
 * The migrated data directory holding the demo partnership as of today (London), loaded with
 * TEST_DEMO_PASSWORD and no audit key, when the run made one today.
 */
export function pgliteDemoTemplate(): string | undefined {
  const value = process.env[PGLITE_DEMO_TEMPLATE]
  if (!value) return undefined
  const [date, path] = [value.slice(0, 10), value.slice(11)]
  return date === londonDate(new Date()) ? path : undefined
}

/**
 * Copies a template data directory into `into` (made when missing), or into a new directory under
 * the system's temporary directory; answers the copy's path. The caller removes it.
 */
export function copyPgliteTemplate(template: string, into?: string): string {
  const target = into ?? mkdtempSync(join(tmpdir(), 'together-test-db-'))
  cpSync(template, target, { recursive: true, filter: (source) => basename(source) !== LOCK_FILE })
  return target
}

/** The migrated PostgreSQL database to copy, when the run made one. */
export function postgresTemplate(): string | undefined {
  return process.env[POSTGRES_TEMPLATE] || undefined
}

/**
 * Makes the templates for one run (PostgreSQL's only when `postgresServerUrl` is given) and returns
 * the environment that names them, and how to remove them afterwards.
 */
export async function makeTemplates(
  postgresServerUrl: string | undefined,
  options: { demo: boolean },
): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'together-test-template-'))
  const env: Record<string, string> = {}
  const migrated = join(dir, 'pgdata')
  const embedded = await openDatabase({ kind: 'pglite', dataDir: migrated })
  try {
    await runMigrations(embedded)
  } finally {
    await embedded.close()
  }
  env[PGLITE_TEMPLATE] = migrated
  if (options.demo) {
    const now = new Date()
    const today = londonDate(now)
    const demo = copyPgliteTemplate(migrated, join(dir, 'demo'))
    const database = await openDatabase({ kind: 'pglite', dataDir: demo })
    try {
      await seedDemo(database.db, TEST_DEMO_PASSWORD, today, now)
    } finally {
      await database.close()
    }
    env[PGLITE_DEMO_TEMPLATE] = `${today} ${demo}`
  }

  let dropPostgres = async () => {}
  if (postgresServerUrl) {
    // Migrated on the server itself, so that no pooler holds a connection to it (directServerUrl).
    const template = await createThrowawayPostgres(directServerUrl(postgresServerUrl), 'together_template')
    dropPostgres = template.drop
    const database = await openDatabase({ kind: 'postgres', url: template.url })
    try {
      await runMigrations(database)
    } finally {
      await database.close()
    }
    env[POSTGRES_TEMPLATE] = new URL(template.url).pathname.slice(1)
  }
  return {
    env,
    remove: async () => {
      await rm(dir, { recursive: true, force: true })
      await dropPostgres()
    },
  }
}
