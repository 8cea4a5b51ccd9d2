// Benchmark: `together due --batch` on 100,000 JSON lines must finish in under 5 s on a 2-core
// machine, process start included. Also times two floors in the same run: a bare Node process that
// echoes stdin lines through readline (process start + the same I/O), and `together --help` (the
// CLI's own start-up). Prints the figures as JSON; exits 1 if the target is missed or an answer is wrong.
//   node --import tsx bench/due-batch.ts [lines]
import { spawn } from 'node:child_process'
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { addDays } from '../src/domain/timescales/calendar/iso-date.ts'
import { dueDate, EDITION_YEARS, RULE_IDS } from '../src/domain/timescales/index.ts'

const LINES = Number(process.argv[2] ?? 100_000)
const RUNS = 3
const TARGET_MS = 5000
const root = fileURLToPath(new URL('..', import.meta.url))

let seed = 20240328
function random(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
}
const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T

/** A deterministic mix: every rule, editions absent, numeric or string, and about 1% malformed lines. */
function generate(): string[] {
  const bad = ['not json', '{"rule":"icpc","start":"2025-02-30"}', '{"rule":"no-such-rule","start":"2020-01-01"}',
    '{"rule":"icpc","start":"2020-01-01","edition":2011}', '[]', '{"start":"2020-01-01"}', '']
  const lines: string[] = []
  for (let i = 0; i < LINES; i++) {
    if (random(100) === 0) {
      lines.push(pick(bad))
      continue
    }
    const query: Record<string, unknown> = { rule: pick(RULE_IDS), start: addDays('2006-04-01', random(365 * 24)) }
    const editionKind = random(10)
    if (editionKind === 0) query.edition = pick(EDITION_YEARS)
    else if (editionKind === 1) query.edition = String(pick(EDITION_YEARS))
    lines.push(JSON.stringify(query))
  }
  return lines
}

function run(command: string, args: string[], inputFile: string): Promise<{ ms: number; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const stdin = openSync(inputFile, 'r')
    const began = performance.now()
    const child = spawn(command, args, { cwd: root, stdio: [stdin, 'pipe', 'inherit'] })
    const chunks: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      closeSync(stdin)
      resolve({ ms: performance.now() - began, stdout: Buffer.concat(chunks).toString('utf8'), code })
    })
  })
}

async function timed(command: string, args: string[], inputFile: string) {
  const times: number[] = []
  let last = { ms: 0, stdout: '', code: 0 as number | null }
  for (let i = 0; i < RUNS; i++) {
    last = await run(command, args, inputFile)
    if (last.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${last.code}`)
    times.push(last.ms)
  }
  times.sort((a, b) => a - b)
  const round = (ms: number): number => Math.round(ms)
  return { stdout: last.stdout, figures: { medianMs: round(times[1] ?? 0), minMs: round(times[0] ?? 0), maxMs: round(times.at(-1) ?? 0) } }
}

/** Every answered line must equal the domain's answer; every other line must be an error object. */
function check(input: string[], output: string): number {
  const answers = output.split('\n')
  if (answers.pop() !== '' || answers.length !== input.length) {
    throw new Error(`expected ${input.length} output lines, got ${answers.length}`)
  }
  let errors = 0
  input.forEach((line, i) => {
    const answer = JSON.parse(answers[i] as string) as Record<string, unknown>
    let expected: string | null = null
    try {
      const query = JSON.parse(line) as { rule: string; start: string; edition?: number | string }
      expected = JSON.stringify(dueDate({ ...query, edition: query.edition === undefined ? undefined : Number(query.edition) }))
    } catch {
      expected = null
    }
    if (expected === null) {
      errors++
      if (typeof answer.error !== 'string') throw new Error(`line ${i + 1}: expected an error for ${line}, got ${answers[i]}`)
    } else if (answers[i] !== expected) {
      throw new Error(`line ${i + 1}: expected ${expected}, got ${answers[i]}`)
    }
  })
  return errors
}

const dir = mkdtempSync(join(tmpdir(), 'together-bench-'))
try {
  const input = generate()
  const inputFile = join(dir, 'queries.jsonl')
  writeFileSync(inputFile, `${input.join('\n')}\n`)
  const emptyFile = join(dir, 'empty')
  writeFileSync(emptyFile, '')

  const echo = `const rl=require('node:readline').createInterface({input:process.stdin,crlfDelay:Infinity});let b='';` +
    `rl.on('line',l=>{b+=l+'\\n';if(b.length>65536){process.stdout.write(b);b=''}});rl.on('close',()=>process.stdout.write(b))`
  const baseline = await timed(process.execPath, ['-e', echo], inputFile)
  const startup = await timed(process.execPath, ['bin/together.js', '--help'], emptyFile)
  const due = await timed(process.execPath, ['bin/together.js', 'due', '--batch'], inputFile)
  const errorLines = check(input, due.stdout)

  const result = {
    benchmark: 'due-batch',
    lines: LINES,
    errorLines,
    runs: RUNS,
    dueBatch: due.figures,
    echoBaseline: baseline.figures,
    cliStartup: startup.figures,
    linesPerSecond: Math.round(LINES / (due.figures.medianMs / 1000)),
    targetMs: TARGET_MS,
    pass: due.figures.maxMs < TARGET_MS,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  }
  console.log(JSON.stringify(result, null, 2))
  if (!result.pass) {
    console.error(`due-batch: slowest run took ${due.figures.maxMs} ms, over the ${TARGET_MS} ms target`)
    process.exitCode = 1
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
