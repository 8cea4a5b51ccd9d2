/**
 * Benchmark: `together import people` of a generated file (bench/matching-generator.ts importFile:
 * duplicates, typos, twins, re-sent records, bad rows) into a fresh database, batched (the
 * default) or row at a time (--mode row, the path the batches must agree with), through the same
 * importRows the command calls. Embedded (PGlite in memory) unless --postgres: then a throwaway
 * database on the server of DATABASE_URL (else 127.0.0.1:5432 as postgres), dropped afterwards.
 * Prints one JSON line: rows, seconds of the import alone (parsing the file, migrating and the
 * partnership excluded) and rows a second. Time both paths in one farm-bench call for a ratio:
 *
 *   farm-bench -n 3 -- node --import tsx bench/import-people.ts --people 2000 \
 *     --vs 'node --import tsx bench/import-people.ts --people 2000 --mode row'
 */
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows } from '../src/db/connection.ts'
import { runMigrations } from '../src/db/migrate.ts'
import { importRows, type ImportLine } from '../src/services/person-index/import-run.ts'
import { importFile } from './matching-generator.ts'
import { createThrowawayDatabase } from './server-harness.ts'

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    mode: { type: 'string', default: 'batch' },
    postgres: { type: 'boolean', default: false },
    batch: { type: 'string' },
  },
})
const mode = args.mode === 'row' ? 'row' : 'batch'
const lines: ImportLine[] = importFile(Number(args.seed), Number(args.people)).map((record, i) => ({ line: i + 2, record }))

const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const throwaway = args.postgres ? await createThrowawayDatabase(server) : null
try {
  const database = await openDatabase(throwaway ? { kind: 'postgres', url: throwaway.url } : { kind: 'pglite', dataDir: null })
  await runMigrations(database)
  const [{ id: partnershipId }] = (await queryRows<{ id: string }>(database.db, sql`insert into partnership (name) values ('Import benchmark (synthetic)') returning id`)) as [{ id: string }]
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const summary = await importRows(database.db, { partnershipId, userId: null, now: new Date() }, lines, {
    today: new Date().toISOString().slice(0, 10),
    mode,
    ...(args.batch ? { batch: Number(args.batch) } : {}),
  })
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  await database.close()
  const { skipped, ...counts } = summary
  process.stdout.write(`${JSON.stringify({ database: args.postgres ? 'postgres' : 'embedded', mode, ...counts, skipped: skipped.length, seconds: Math.round(seconds * 100) / 100, cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100, rowsPerSecond: Math.round(lines.length / seconds) })}\n`)
} finally {
  await throwaway?.drop()
}
