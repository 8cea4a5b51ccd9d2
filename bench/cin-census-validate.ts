// Benchmark: `together validate cin-census FILE --json` on a deterministic 100,000-child census
// (bench/cin-census-file.ts, about 1% injected errors) must take under 5 s and 1 GB of memory on a
// 2-core machine, process start included. Runs the real command 3 times (wall time and peak RSS from
// /usr/bin/time), plus the validation in this process for the parse-and-rules time alone. Prints
// JSON; exits 1 if a target is missed.
//   node --import tsx bench/cin-census-validate.ts [--children 100000] [--keep]
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultBankHolidayCalendar } from '../src/domain/timescales/calendar/index.ts'
import { CensusReader } from '../src/domain/returns/cin-census/parse.ts'
import { CensusValidator } from '../src/domain/returns/cin-census/validate.ts'
import { writeSyntheticCensus } from './cin-census-file.ts'
import { lastJsonLine, machine, timedCommand } from './timed-command.ts'

const { values: args } = parseArgs({ options: { children: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false } } })
const CHILDREN = Number(args.children)
const TARGET_MS = 5000
const TARGET_RSS_MB = 1024
const RUNS = 3

async function runCommand(file: string) {
  const run = await timedCommand(['validate', 'cin-census', file, '--json'])
  return { ...run, summary: lastJsonLine(run.stdout).summary }
}

async function inProcess(file: string): Promise<{ ms: number; findings: number }> {
  const began = performance.now()
  let findings = 0
  const validator = new CensusValidator({ year: 2025, calendar: defaultBankHolidayCalendar() }, () => findings++)
  const reader = new CensusReader({ onHeader: (h) => validator.setHeader(h), onChild: (c) => validator.child(c) })
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) reader.write(chunk as string)
  reader.end()
  validator.finish()
  return { ms: performance.now() - began, findings }
}

const dir = mkdtempSync(join(tmpdir(), 'cin-census-bench-'))
const file = join(dir, `census-${CHILDREN}.xml`)
try {
  const generateStart = performance.now()
  const bytes = await writeSyntheticCensus(file, CHILDREN)
  process.stderr.write(`generated ${CHILDREN} children, ${(bytes / 1e6).toFixed(1)} MB, in ${Math.round(performance.now() - generateStart)} ms\n`)
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await runCommand(file))
  const inProc = []
  for (let i = 0; i < RUNS; i++) inProc.push(await inProcess(file))
  const best = Math.min(...runs.map((r) => r.ms))
  const worstRss = Math.max(...runs.map((r) => r.rssMb))
  const result = {
    benchmark: 'cin-census-validate',
    children: CHILDREN,
    fileMb: Math.round(bytes / 1e5) / 10,
    command: {
      wallMs: runs.map((r) => Math.round(r.ms)),
      bestMs: Math.round(best),
      peakRssMb: Math.round(worstRss),
      exitCodes: runs.map((r) => r.code),
      summary: runs[0]!.summary,
    },
    inProcess: { parseAndRulesMs: inProc.map((r) => Math.round(r.ms)), findings: inProc[0]!.findings },
    targets: { ms: TARGET_MS, rssMb: TARGET_RSS_MB, met: best < TARGET_MS && worstRss < TARGET_RSS_MB },
    machine: machine(),
  }
  console.log(JSON.stringify(result, null, 2))
  if (!result.targets.met) process.exitCode = 1
} finally {
  if (!args.keep) rmSync(dir, { recursive: true, force: true })
  else process.stderr.write(`kept ${file}\n`)
}
