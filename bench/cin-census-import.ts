// Benchmark: `together import cin-census FILE` of a deterministic synthetic census
// (bench/cin-census-file.ts) into an empty partnership, then the same file again, which must change
// nothing. Uses a throwaway PostgreSQL database (together_bench_census_import on the server of
// DATABASE_URL, else 127.0.0.1:5432 as postgres; dropped afterwards unless --keep), migrated and
// given the demo partnership so there is an administrator to record the import. Runs the real
// command (wall time, peak RSS from /usr/bin/time) and prints JSON. The issue sets no target for
// import; this records how long a migration of historical census data takes.
//   node --import tsx bench/cin-census-import.ts [--children 10000] [--keep]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { writeSyntheticCensus } from './cin-census-file.ts'
import { lastJsonLine, machine, timedCommand } from './timed-command.ts'

const { values: args } = parseArgs({ options: { children: { type: 'string', default: '10000' }, keep: { type: 'boolean', default: false } } })
const CHILDREN = Number(args.children)
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const dbUrl = new URL(server)
dbUrl.pathname = '/together_bench_census_import'

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

const run = (argv: string[]) => timedCommand(argv, { env: { DATABASE_URL: dbUrl.href } })

async function must(argv: string[]) {
  const r = await run(argv)
  if (r.code !== 0 && r.code !== 1) throw new Error(`together ${argv.join(' ')} failed (exit ${r.code})`)
  return r
}

await admin('drop database if exists together_bench_census_import with (force)')
await admin('create database together_bench_census_import')
const dir = mkdtempSync(join(tmpdir(), 'cin-census-import-'))
try {
  await must(['migrate'])
  await must(['seed', '--demo'])
  const file = join(dir, `census-${CHILDREN}.xml`)
  const bytes = await writeSyntheticCensus(file, CHILDREN)
  process.stderr.write(`generated ${CHILDREN} children, ${(bytes / 1e6).toFixed(1)} MB\n`)
  const first = await must(['import', 'cin-census', file, '--json'])
  process.stderr.write(`first import: ${Math.round(first.ms)} ms\n`)
  const second = await must(['import', 'cin-census', file, '--json'])
  process.stderr.write(`second import: ${Math.round(second.ms)} ms\n`)
  const firstSummary = lastJsonLine(first.stdout).summary as Record<string, unknown>
  const secondSummary = lastJsonLine(second.stdout).summary as Record<string, unknown>
  const result = {
    benchmark: 'cin-census-import',
    children: CHILDREN,
    fileMb: Math.round(bytes / 1e5) / 10,
    first: { wallMs: Math.round(first.ms), childrenPerSecond: Math.round(CHILDREN / (first.ms / 1000)), peakRssMb: Math.round(first.rssMb), summary: firstSummary },
    again: { wallMs: Math.round(second.ms), peakRssMb: Math.round(second.rssMb), summary: secondSummary },
    unchangedTheSecondTime: secondSummary.created === 0 && secondSummary.unchanged === firstSummary.created,
    database: 'PostgreSQL (server of DATABASE_URL)',
    machine: machine(),
  }
  console.log(JSON.stringify(result, null, 2))
  if (!result.unchangedTheSecondTime) process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
  if (!args.keep) await admin('drop database if exists together_bench_census_import with (force)')
}
