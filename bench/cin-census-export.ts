// Benchmark: `together export cin-census --year 2025` of 100,000 children from PostgreSQL must take
// under 20 s on a 2-core machine, process start included. Uses a database of its own
// (together_bench_census on the server of DATABASE_URL, else 127.0.0.1:5432 as postgres), seeded
// once with `together seed --synthetic --children N --years 1 --until 2025-03-31` so every child's
// journey falls in the 2024-25 census year, and kept for later runs (--fresh to reseed). Runs the real
// export command 3 times (wall time, peak RSS from /usr/bin/time), checks the file has N children, and
// prints JSON; exits 1 if the target is missed. Progress on stderr.
//   node --import tsx bench/cin-census-export.ts [--children 100000] [--fresh]
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { lastJsonLine, machine, timedCommand } from './timed-command.ts'

const { values: args } = parseArgs({ options: { children: { type: 'string', default: '100000' }, fresh: { type: 'boolean', default: false } } })
const CHILDREN = Number(args.children)
const TARGET_MS = 20_000
const RUNS = 3
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const dbUrl = new URL(server)
dbUrl.pathname = '/together_bench_census'

async function admin(sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}

async function seededChildren(): Promise<number> {
  const client = new pg.Client({ connectionString: dbUrl.href })
  await client.connect()
  try {
    const rows = await client.query(`select count(*)::int as n from person p where exists (select 1 from child_case c where c.person_id = p.id)`)
    return rows.rows[0].n as number
  } catch {
    return 0
  } finally {
    await client.end()
  }
}

const run = (argv: string[], echo = false) => timedCommand(argv, { env: { DATABASE_URL: dbUrl.href }, echo })

if (args.fresh) await admin('drop database if exists together_bench_census with (force)')
if ((await admin(`select 1 from pg_database where datname = 'together_bench_census'`)).length === 0) {
  await admin('create database together_bench_census')
}
let seedSeconds: number | null = null
if ((await seededChildren()) !== CHILDREN) {
  if ((await seededChildren()) !== 0) throw new Error('together_bench_census holds another number of children: run with --fresh')
  process.stderr.write(`seeding ${CHILDREN} children into ${dbUrl.pathname} ...\n`)
  const seeded = await run(['seed', '--synthetic', '--children', String(CHILDREN), '--years', '1', '--until', '2025-03-31', '--seed', '1'], true)
  if (seeded.code !== 0) throw new Error('seeding failed')
  seedSeconds = Math.round(seeded.ms / 100) / 10
}

const dir = mkdtempSync(join(tmpdir(), 'cin-census-export-'))
try {
  const out = join(dir, 'census.xml')
  const runs = []
  for (let i = 0; i < RUNS; i++) {
    const r = await run(['export', 'cin-census', '--year', '2025', '--out', out, '--lea', '938', '--json'])
    runs.push({ ...r, summary: lastJsonLine(r.stdout).summary as { children: number; errors: number; queries: number; rules: Record<string, number> } })
    process.stderr.write(`export ${i + 1}: ${Math.round(r.ms)} ms\n`)
  }
  const children = (readFileSync(out, 'utf8').match(/<Child>/g) ?? []).length
  const best = Math.min(...runs.map((r) => r.ms))
  const result = {
    benchmark: 'cin-census-export',
    seededChildren: CHILDREN,
    seedSeconds,
    censusChildren: children,
    fileMb: Math.round(statSync(out).size / 1e5) / 10,
    wallMs: runs.map((r) => Math.round(r.ms)),
    bestMs: Math.round(best),
    peakRssMb: Math.round(Math.max(...runs.map((r) => r.rssMb))),
    findings: { errors: runs[0]!.summary.errors, queries: runs[0]!.summary.queries, rules: runs[0]!.summary.rules },
    targets: { ms: TARGET_MS, met: best < TARGET_MS && children === runs[0]!.summary.children },
    database: 'PostgreSQL (server of DATABASE_URL)',
    machine: machine(),
  }
  console.log(JSON.stringify(result, null, 2))
  if (!result.targets.met) process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
