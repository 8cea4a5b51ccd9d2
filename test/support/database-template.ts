/**
 * A migrated, empty database made once per test run, which each test file's database starts from
 * instead of running every migration again (a fresh PGlite spends seconds in initdb, then in the
 * migrations). scripts/run-tests.js makes it and names it in the environment its test processes
 * inherit; a test file run on its own, without it, migrates its own database as before.
 *
 * - Embedded PGlite: a dump of the migrated data directory (PGlite's dumpDataDir), in a file.
 * - PostgreSQL: a migrated database on DATABASE_URL's server, used as CREATE DATABASE's template.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { openDatabase } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { createThrowawayPostgres } from './database.ts'

const PGLITE_TEMPLATE = 'TOGETHER_TEST_PGLITE_TEMPLATE'
const POSTGRES_TEMPLATE = 'TOGETHER_TEST_POSTGRES_TEMPLATE'

/** The migrated PGlite data directory to start from, when the run made one. */
export function pgliteTemplate(): Blob | undefined {
  const path = process.env[PGLITE_TEMPLATE]
  return path ? new Blob([readFileSync(path)]) : undefined
}

/** The migrated PostgreSQL database to copy, when the run made one. */
export function postgresTemplate(): string | undefined {
  return process.env[POSTGRES_TEMPLATE] || undefined
}

/**
 * Makes the templates for one run (PostgreSQL's only when `postgresServerUrl` is given) and returns
 * the environment that names them, and how to remove them afterwards.
 */
export async function makeTemplates(postgresServerUrl: string | undefined): Promise<{ env: Record<string, string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'together-test-template-'))
  const embedded = await openDatabase({ kind: 'pglite', dataDir: null })
  let dump: Blob
  try {
    await runMigrations(embedded)
    dump = await ((embedded.db as unknown as { $client: PGlite }).$client).dumpDataDir('none')
  } finally {
    await embedded.close()
  }
  const file = join(dir, 'pgdata.tar')
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  const env: Record<string, string> = { [PGLITE_TEMPLATE]: file }

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
