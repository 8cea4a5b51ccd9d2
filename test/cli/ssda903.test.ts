/**
 * `together validate ssda903` as a user runs it: output lines, exit codes (0 no errors, 1 errors,
 * 2 bad files or arguments), on the synthetic samples in test/fixtures/ssda903. No database.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const bin = join(import.meta.dirname, '../../bin/together.js')
const FIXTURES = join(import.meta.dirname, '../fixtures/ssda903')
const clean = join(FIXTURES, 'sample_903_2025-26_synthetic_50_clean')
const withErrors = join(FIXTURES, 'sample_903_2025-26_synthetic_500_with_errors')

let dir: string
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'together-903-cli-'))
})
after(() => rmSync(dir, { recursive: true, force: true }))

function together(args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', TOGETHER_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 240_000 })
}

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)

describe('together validate ssda903', () => {
  test('the clean sample with last year: only a summary line, exit 0', () => {
    const run = together(['validate', 'ssda903', join(clean, 'this_year'), '--previous', join(clean, 'prev_year'), '--year', '2026', '--la', 'E06000999', '--json'])
    assert.equal(run.status, 0, run.stderr)
    assert.deepEqual(lines(run.stdout), [{ summary: { year: 2026, la: 'E06000999', children: 50, errors: 0, queries: 0, rules: {} } }])
  })

  test('the sample with errors: one line per finding, the summary last, exit 1; the authority found from home postcodes', () => {
    const run = together(['validate', 'ssda903', join(withErrors, 'this_year'), '--previous', join(withErrors, 'prev_year'), '--json'])
    assert.equal(run.status, 1, run.stderr)
    const out = lines(run.stdout)
    const summary = out.pop()!.summary as { errors: number; queries: number; la: string }
    assert.equal(summary.la, 'E06000999')
    assert.equal(out.length, summary.errors + summary.queries)
    for (const f of out) assert.deepEqual(Object.keys(f).sort(), ['child', 'field', 'message', 'rule', 'table', 'type'])
    assert.ok(out.some((f) => f.rule === '149' && f.child === 'SYN000014' && f.table === 'Episodes' && f.field === 'REC' && f.type === 'error'))
    assert.ok(out.some((f) => f.rule === '232' && f.type === 'query'))
  })

  test('without --json, a report by child', () => {
    const run = together(['validate', 'ssda903', join(withErrors, 'this_year'), '--la', 'E06000999'])
    assert.equal(run.status, 1, run.stderr)
    assert.match(run.stdout, /SSDA903 2025-26 for E06000999, 501 children\n\d+ errors, \d+ queries\n\nSYN\d+\n {2}(error|query) \S+ \w+\/\w+: /)
  })

  test('bad files and arguments: one line on stderr naming the file and line, exit 2', () => {
    const broken = join(dir, 'broken')
    cpSync(join(clean, 'this_year'), broken, { recursive: true })
    writeFileSync(join(broken, 'reviews.csv'), 'CHILD,DOB,REVIEW,REVIEW_CODE\nSYN000003,13/01/2009,21/05/2025,PN2\nSYN000003,13/01/2009\n')
    const wrongColumns = join(dir, 'wrong')
    cpSync(join(clean, 'this_year'), wrongColumns, { recursive: true })
    writeFileSync(join(wrongColumns, 'header.csv'), 'CHILD,SEX,DOB\nA,M,01/01/2010\n')
    const empty = join(dir, 'empty')
    cpSync(join(clean, 'prev_year'), empty, { recursive: true, filter: (src) => !src.endsWith('.csv') })
    const cases: [string[], RegExp][] = [
      [[broken], /reviews\.csv:3: 2 values where the column line has 4/],
      [[wrongColumns], /header\.csv:1: not the Header table's columns \(missing ETHNIC, UPN, MOTHER, MC_DOB\)/],
      [[join(dir, 'nowhere')], /no such directory/],
      [[empty], /none of the 903 files/],
      [[join(clean, 'this_year'), '--year', '2025'], /no 903 rules for 2025/],
      [[join(clean, 'this_year'), '--la', '999'], /9-character code/],
      [[join(clean, 'this_year'), '--previous', broken], /reviews\.csv:3/],
    ]
    for (const [args, message] of cases) {
      const run = together(['validate', 'ssda903', ...args, '--json'])
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`)
      assert.match(run.stderr.trim().split('\n')[0]!, message)
      assert.equal(run.stdout, '')
    }
  })

  test('the census validator is still there beside it', () => {
    const run = together(['validate', '--help'])
    assert.match(run.stdout, /cin-census/)
    assert.match(run.stdout, /ssda903/)
  })
})
