// Benchmark: `together validate ssda903 DIR --previous DIR --json` on a 100,000-child 903 file set
// must take under 5 s and 1 GB of memory on a 2-core machine, process start included (issue 19).
// The set is the clean synthetic sample's 50 children (test/fixtures/ssda903) repeated under new
// CHILD ids and UPNs, this year's and last year's files alike, so it is as clean as the sample.
// Runs the real command 3 times (wall time, user and system CPU and peak RSS from /usr/bin/time, and
// the load average as each began: the machine is shared, so CPU time is the steadier figure), plus the reading and
// rules in this process. The public validator is not run: it needs reference packages that are not
// available here (docs/children-in-care.md 4.3). Prints JSON; exits 1 if a target is missed.
//   node --import tsx bench/ssda903-validate.ts [--children 100000] [--keep]
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { upnCheckLetter } from '../src/domain/returns/cin-census/upn.ts'
import { readFileSet } from '../src/domain/returns/ssda903/csv.ts'
import { TABLES, type TableName } from '../src/domain/returns/ssda903/model.ts'
import { parsePostcodeLookup } from '../src/domain/returns/ssda903/postcodes.ts'
import { validateSsda903 } from '../src/domain/returns/ssda903/validate.ts'
import { lastJsonLine, machine, timedCommand } from './timed-command.ts'

const { values: args } = parseArgs({ options: { children: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false } } })
const CHILDREN = Number(args.children)
const TARGET_MS = 5000
const TARGET_RSS_MB = 1024
const RUNS = 3
const SAMPLE = new URL('../test/fixtures/ssda903/sample_903_2025-26_synthetic_50_clean/', import.meta.url)
const POSTCODES = new URL('../src/domain/returns/ssda903/postcode_lookup_synthetic.csv', import.meta.url)

/** A valid UPN for copy `n` of a child: check letter, LA 999, 9 digits. */
function upn(n: number): string {
  const rest = `999${String(n).padStart(9, '0')}`
  return `${upnCheckLetter(`A${rest}`)}${rest}`
}

/** Writes `copies` copies of the sample year `year` into `out`, CHILD ids prefixed with the copy number. */
function writeCopies(year: 'this_year' | 'prev_year', out: string, copies: number): number {
  mkdirSync(out, { recursive: true })
  let bytes = 0
  const upns = new Map<string, string>()
  for (const file of readdirSync(new URL(year, SAMPLE))) {
    const [columns, ...rows] = readFileSync(new URL(`${year}/${file}`, SAMPLE), 'utf8').trim().split('\n')
    const upnAt = columns!.split(',').indexOf('UPN')
    const parts = [columns!]
    for (let copy = 0; copy < copies; copy++) {
      for (const row of rows) {
        const fields = row.split(',')
        const child = fields[0]!
        fields[0] = `C${String(copy).padStart(5, '0')}${child}`
        if (upnAt >= 0 && fields[upnAt]!.length === 13) {
          // The same UPN in both years for the same copy of a child (rule 208), unique across children (444).
          const key = `${copy}/${child}`
          if (!upns.has(key)) upns.set(key, upn(copy * 1000 + Number(child.slice(3))))
          fields[upnAt] = upns.get(key)!
        }
        parts.push(fields.join(','))
      }
    }
    const text = `${parts.join('\n')}\n`
    writeFileSync(join(out, file), text)
    bytes += text.length
  }
  return bytes
}

function readDir(dir: string, alongside?: ReturnType<typeof readFileSet>) {
  const texts: Parameters<typeof readFileSet>[0] = {}
  for (const [table, { file }] of Object.entries(TABLES) as [TableName, { file: string }][]) {
    try {
      texts[table] = { text: readFileSync(join(dir, file)), file }
    } catch {
      // absent
    }
  }
  return readFileSet(texts, alongside)
}

const dir = mkdtempSync(join(tmpdir(), 'ssda903-bench-'))
try {
  const copies = Math.ceil(CHILDREN / 50)
  const thisYear = join(dir, 'this_year')
  const prevYear = join(dir, 'prev_year')
  // The same copy numbers in both years, so each copy's last year matches its this year.
  const bytes = writeCopies('this_year', thisYear, copies) + writeCopies('prev_year', prevYear, copies)
  process.stderr.write(`wrote ${copies * 50} children, ${(bytes / 1e6).toFixed(1)} MB (both years)\n`)
  const argv = ['validate', 'ssda903', thisYear, '--previous', prevYear, '--year', '2026', '--la', 'E06000999', '--json']
  const runs = []
  for (let i = 0; i < RUNS; i++) {
    const run = await timedCommand(argv)
    runs.push({ ...run, summary: lastJsonLine(run.stdout).summary })
  }
  const postcodes = parsePostcodeLookup(readFileSync(POSTCODES, 'utf8'), 'postcodes')
  const inProcess = []
  for (let i = 0; i < RUNS; i++) {
    const began = performance.now()
    const cpu = process.cpuUsage()
    let findings = 0
    const files = readDir(thisYear)
    validateSsda903(files, readDir(prevYear, files), { year: 2026, la: 'E06000999', postcodes }, () => findings++)
    const used = process.cpuUsage(cpu)
    inProcess.push({ ms: performance.now() - began, cpuMs: (used.user + used.system) / 1000, findings })
  }
  const met = runs.every((r) => r.code === 0) && Math.min(...runs.map((r) => r.ms)) < TARGET_MS && Math.max(...runs.map((r) => r.rssMb)) < TARGET_RSS_MB
  console.log(
    JSON.stringify(
      {
        benchmark: 'ssda903-validate',
        children: copies * 50,
        filesMb: Math.round(bytes / 1e5) / 10,
        rowsThisYear: Object.fromEntries(readdirSync(thisYear).map((f) => [f, readFileSync(join(thisYear, f), 'utf8').split('\n').length - 2])),
        runs: runs.map((r) => ({ wallMs: Math.round(r.ms), userS: r.userS, sysS: r.sysS, peakRssMb: Math.round(r.rssMb), exit: r.code, load: r.load })),
        summary: runs[0]!.summary,
        inProcess: inProcess.map((r) => ({ readAndRulesMs: Math.round(r.ms), cpuMs: Math.round(r.cpuMs), findings: r.findings })),
        target: { wallMs: TARGET_MS, peakRssMb: TARGET_RSS_MB, met },
        machine: machine(),
      },
      null,
      2,
    ),
  )
  if (!met) process.exitCode = 1
} finally {
  if (!args.keep) rmSync(dir, { recursive: true, force: true })
  else process.stderr.write(`kept ${dir}\n`)
}
