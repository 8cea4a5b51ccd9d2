/**
 * A migrated, empty database made once per test run, which each test file's database starts from
 * instead of running every migration again (a fresh PGlite spends seconds in initdb, then in the
 * migrations). scripts/run-tests.js makes it and names it in the environment its test processes
 * inherit; a test file run on its own, without it, migrates its own database as before.
 *
 * - Embedded PGlite: a dump of the migrated data directory (PGlite's dumpDataDir), in a file; and,
 *   when the run has browser tests, a second dump holding the demo partnership too, loaded as of
 *   the run's London date with the browser tests' demo password, which their servers start from
 *   instead of loading the demo again (it is dated relative to today, so on another day it is not
 *   used).
 * - PostgreSQL: a migrated database on DATABASE_URL's server, used as CREATE DATABASE's template.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { openDatabase } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { seedDemo } from '../../src/services/demo/demo-seed.ts'
import { londonDate } from '../../src/domain/timescales/calendar/london-time.ts'
import { createThrowawayPostgres } from './database.ts'

const PGLITE_TEMPLATE = 'TOGETHER_TEST_PGLITE_TEMPLATE'
const POSTGRES_TEMPLATE = 'TOGETHER_TEST_POSTGRES_TEMPLATE'
const PGLITE_DEMO_TEMPLATE = 'TOGETHER_TEST_PGLITE_DEMO_TEMPLATE'

/** The demo password the browser tests sign in with; the demo template is loaded with it. */
export const TEST_DEMO_PASSWORD = 'demo-password'

/** The migrated PGlite data directory to start from, when the run made one. */
export function pgliteTemplate(): Blob | undefined {
  const path = process.env[PGLITE_TEMPLATE]
  return path ? new Blob([readFileSync(path)]) : undefined
}

/**
 * The migrated data directory holding the demo partnership as of today (London), loaded with
 * TEST_DEMO_PASSWORD and no audit key, when the run made one today.
 */
export function pgliteDemoTemplate(): Blob | undefined {
  const value = process.env[PGLITE_DEMO_TEMPLATE]
  if (!value) return undefined
  const [date, path] = [value.slice(0, 10), value.slice(11)]
  return date === londonDate(new Date()) ? new Blob([readFileSync(path)]) : undefined
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
  const embedded = await openDatabase({ kind: 'pglite', dataDir: null })
  const env: Record<string, string> = {}
  const dumpTo = async (name: string): Promise<string> => {
    const dump = await ((embedded.db as unknown as { $client: PGlite }).$client).dumpDataDir('none')
    const file = join(dir, name)
    await writeFile(file, Buffer.from(await dump.arrayBuffer()))
    return file
  }
  try {
    await runMigrations(embedded)
    env[PGLITE_TEMPLATE] = await dumpTo('pgdata.tar')
    if (options.demo) {
      const now = new Date()
      const today = londonDate(now)
      await seedDemo(embedded.db, TEST_DEMO_PASSWORD, today, now)
      env[PGLITE_DEMO_TEMPLATE] = `${today} ${await dumpTo('demo.tar')}`
    }
  } finally {
    await embedded.close()
  }

  let dropPostgres = async () => {}
  if (postgresServerUrl) {
    const template = await createThrowawayPostgres(postgresServerUrl, 'together_template')
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
