#!/usr/bin/env node
// Runs every test file (*.test.ts under src/, test/ and bench/) with node:test through tsx.
// Node 20's runner neither expands globs nor finds .ts files, and exits 0 on zero tests, so we
// list the files ourselves and fail when nothing ran.
//   node scripts/run-tests.js [filter ...]   (a filter is a substring of the file path)
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { run } from 'node:test'
import { spec } from 'node:test/reporters'
import { makeTemplates } from '../test/support/database-template.ts'

const roots = ['src', 'test']
const filters = process.argv.slice(2)

function findTests(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (name === 'node_modules') continue
    if (statSync(path).isDirectory()) out.push(...findTests(path))
    else if (name.endsWith('.test.ts')) out.push(path)
  }
  return out
}

const files = roots
  .flatMap((root) => findTests(root))
  .map((f) => relative(process.cwd(), f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort()

// Files run once, on the pass without DATABASE_URL (a filter naming them still runs them):
// - the browser tests, the census CLI test and the clamd test (test/clamd/) always start the
//   application on a throwaway embedded database (never DATABASE_URL's), so on the PostgreSQL pass
//   they would repeat the embedded pass exactly;
// - the access matrix asks the one policy the same questions through the same SQL on either engine
//   (PGlite is PostgreSQL itself; what differs is pooling and concurrency, which the service,
//   concurrency and crash tests cover on both), and it is the slowest suite;
// - the domain's tests use no database at all;
// - the page and API tests (src/web/) test requests, forms, templates and answers; what they read
//   and write goes through the services, whose own tests run on both engines;
// - the tests that open no database: the CLI's due and rules commands and error messages, the
//   layering check, CSV and password hashing, the benchmarks' own helpers and the SSDA903 validator.
const ENGINE_INDEPENDENT_DIRS = [
  'test/browser/', 'test/cli/cin-census.test.ts', 'test/clamd/', 'test/access-matrix/', 'src/domain/', 'src/web/',
  'src/cli/commands/', 'src/cli/errors.test.ts', 'src/layers.test.ts', 'src/services/common/csv.test.ts',
  'src/services/access/passwords.test.ts', 'test/bench/', 'test/cli/ssda903.test.ts',
  // the person import's two paths compared on one generated file: the same code decides on either engine
  'src/services/person-index/import-agreement.test.ts', 'src/db/schema/partnership-key.test.ts',
]
const skipped = process.env.DATABASE_URL && filters.length === 0 ? files.filter((f) => ENGINE_INDEPENDENT_DIRS.some((d) => f.split('\\').join('/').startsWith(d))) : []
if (skipped.length > 0) {
  console.log(`run-tests: DATABASE_URL is set; the ${skipped.length} files under or named ${ENGINE_INDEPENDENT_DIRS.join(', ')} run on the pass without DATABASE_URL, not on this one`)
  files.splice(0, files.length, ...files.filter((f) => !skipped.includes(f)))
}

if (files.length === 0) {
  console.error('run-tests: no test files found')
  process.exit(1)
}

// One migrated database for the whole run, which each file's database starts from.
const templates = await makeTemplates(process.env.DATABASE_URL, { demo: files.some((f) => f.split('\\').join('/').startsWith('test/browser/')) })
Object.assign(process.env, templates.env)

// Each file's process records how long it lived (test/support/file-timer.mjs), reported at the end.
const timesDir = mkdtempSync(join(tmpdir(), 'together-test-times-'))
process.env.TOGETHER_TEST_TIMES = join(timesDir, 'times.tsv')
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(join(import.meta.dirname, '../test/support/file-timer.mjs')).href}`.trim()

// Files run in batches, several in one process, each file in a suite named after it, so that tsx
// and the application's modules load once a batch rather than once a file: measured, the domain's
// 29 files took 31 s of processor time in 29 processes and 6 s in one, and a browser file spent
// about 5 s of its 12 importing. src/'s files (domain, services, pages and API, which run inside
// the test process) go ten at a time by area (src/web, src/services…); the browser files and the
// access matrix's three at a time, so that the two workers stay evenly loaded. No batched file
// changes the process's environment or globals; each closes what it opened in its own hooks, which
// run within its suite. The other files under test/ (CLI, crash, concurrency, fuzz, clamd) keep a
// process each.
const BATCHES = [
  { prefix: 'src/', size: 10, byArea: true },
  { prefix: 'test/browser/', size: 3 },
  { prefix: 'test/access-matrix/', size: 3 },
]
const batchDir = mkdtempSync(join(tmpdir(), 'together-test-batches-'))
const runFiles = batched(files)

let passed = 0
let failed = 0
const stream = run({ files: runFiles, concurrency: Number(process.env.TEST_CONCURRENCY ?? 2), timeout: 1_800_000 })
stream.on('test:pass', (e) => { if (e.details?.type !== 'suite') passed++ })
// A suite counts as a failure of its own when its own code or hooks failed (a batched file that
// could not be imported, say), not when its tests did (those are counted already).
stream.on('test:fail', (e) => { if (e.details?.type !== 'suite' || e.details?.error?.failureType !== 'subtestsFailed') failed++ })
stream.compose(spec).pipe(process.stdout)
stream.on('end', () => {
  const total = passed + failed
  printFileTimes()
  console.log(`\nrun-tests: ${files.length} files, ${total} tests, ${passed} passed, ${failed} failed`)
  if (total === 0) console.error('run-tests: zero tests ran')
  process.exitCode = failed > 0 || total === 0 ? 1 : 0
  rmSync(timesDir, { recursive: true, force: true })
  rmSync(batchDir, { recursive: true, force: true })
  templates.remove().catch((err) => console.error(`run-tests: could not remove the template databases: ${err.message}`))
})

/** The files to hand to the runner: batched files as batch files importing each in its own suite, the others as they are. */
function batched(all) {
  const groups = new Map()
  const out = []
  for (const f of all) {
    const path = f.split('\\').join('/')
    const rule = BATCHES.find((b) => path.startsWith(b.prefix))
    if (!rule) {
      out.push(f)
      continue
    }
    const parts = path.split('/')
    const area = rule.byArea && parts.length > 2 ? parts.slice(0, 2).join('-') : rule.prefix.replace(/\/$/, '').split('/').join('-')
    if (!groups.has(area)) groups.set(area, { rule, files: [] })
    groups.get(area).files.push(f)
  }
  const batches = []
  for (const [area, { rule, files: list }] of groups) {
    for (let i = 0; i < list.length; i += rule.size) {
      const chunk = list.slice(i, i + rule.size)
      const path = join(batchDir, `${area}-${i / rule.size + 1}.test.mjs`)
      const lines = chunk.map((f) => `describe(${JSON.stringify(f)}, async () => { await import(${JSON.stringify(pathToFileURL(join(process.cwd(), f)).href)}) })`)
      writeFileSync(path, `import { describe } from 'node:test'\n${lines.join('\n')}\n`)
      batches.push({ first: chunk[0], path })
    }
  }
  // In the files' own (alphabetical) order, each batch where its first file was.
  return [...batches, ...out.map((f) => ({ first: f, path: f }))].sort((a, b) => (a.first < b.first ? -1 : 1)).map((u) => u.path)
}

/** Each file's process lifetime (start-up and hooks included) and processor time: the slowest, and the sums. */
function printFileTimes() {
  let lines = []
  try {
    lines = readFileSync(process.env.TOGETHER_TEST_TIMES, 'utf8').trim().split('\n').filter(Boolean)
  } catch {
    return
  }
  const times = lines.map((l) => l.split('\t')).map(([s, f, cpu]) => ({ wall: Number(s), file: f, cpu: Number(cpu) }))
  const sum = (key) => times.reduce((a, t) => a + (Number.isFinite(t[key]) ? t[key] : 0), 0)
  console.log(`\nrun-tests: ${times.length} file processes lived ${(sum('wall') / 60).toFixed(1)} min in all and used ${(sum('cpu') / 60).toFixed(1)} min of processor time (Chromium included)`)
  for (const key of ['wall', 'cpu']) {
    console.log(key === 'wall' ? 'the longest-lived:' : 'the most processor time:')
    const top = [...times].sort((a, b) => b[key] - a[key]).slice(0, 40)
    console.log(top.map((t) => `  ${t.wall.toFixed(1).padStart(7)} s  ${t.cpu.toFixed(1).padStart(7)} s cpu  ${t.file}`).join('\n'))
  }
}
