/**
 * Our 903 rules on the shared synthetic samples (test/fixtures/ssda903, copied from the shared
 * reference): the clean set has no findings, and on the set with errors every finding of the public
 * validator (csc-validator-be-903, its findings file) is ours too, except where its defects
 * (docs/children-in-care.md section 6) make it wrong.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readColumns, readFileSet, readTable, rowByName, rowOf, Ssda903FileError, Values } from './csv.ts'
import { TABLES, type Finding, type TableName } from './model.ts'
import { parsePostcodeLookup } from './postcodes.ts'
import { RULES } from './rules/index.ts'
import { RowsByChild, validateSsda903 } from './validate.ts'

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/ssda903')
const postcodes = parsePostcodeLookup(readFileSync(join(import.meta.dirname, 'postcode_lookup_synthetic.csv'), 'utf8'), 'postcodes')

function readSet(dir: string) {
  const texts: Parameters<typeof readFileSet>[0] = {}
  for (const [table, { file }] of Object.entries(TABLES) as [TableName, { file: string }][]) {
    const path = join(dir, file)
    if (existsSync(path)) texts[table] = { text: readFileSync(path, 'utf8'), file }
  }
  return readFileSet(texts)
}

function run(sample: string): Finding[] {
  const findings: Finding[] = []
  validateSsda903(readSet(join(FIXTURES, sample, 'this_year')), readSet(join(FIXTURES, sample, 'prev_year')), { year: 2026, la: 'E06000999', postcodes }, (f) => findings.push(f))
  return findings
}

/** rules_lac2025_26.csv: code -> kind (E/Q) and tables. */
const catalogue = new Map(
  readFileSync(join(FIXTURES, 'rules_lac2025_26.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [code, , kind, tables] = line.match(/("[^"]*"|[^,]*)(?:,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, ''))
      return [code!, { kind: kind!, tables: tables! }] as const
    }),
)

/** Validator findings our rules deliberately do not share: (child, rule) -> the defect (doc section 6). None on this file. */
const VALIDATOR_WRONG = new Map<string, string>([])

/** Our findings the public validator does not make on the sample with errors, and why. */
const EXTRA = new Map<string, string>([
  ['SYN000003 347', 'defect 6: a 17-year-old care leaver in a foyer (T1/T2); the validator compares ACCOM with a bare "T" and never fires'],
  ['SYN000046 347', 'defect 6, as SYN000003'],
  ['SYN000075 347', 'defect 6, as SYN000003'],
  ['SYN000123 379', 'defect 17: an open T4 episode longer than 7 days at 31 March; the validator sees it only when 365 happens to run first'],
  ['SYN000543 601', 'the injected adoption (E11) from a short break (390) also lacks the AD1 data every adoption in the year needs'],
])

describe('SSDA903 rules', () => {
  test('each rule has a known code, once, with the type of rules_lac2025_26.csv', () => {
    const seen = new Set<string>()
    for (const rule of RULES) {
      assert.ok(!seen.has(rule.code), `${rule.code} twice`)
      seen.add(rule.code)
      const known = catalogue.get(rule.code)
      assert.ok(known, `${rule.code} is not a lac2025_26 rule`)
      assert.equal(rule.type, known.kind === 'Q' ? 'query' : 'error', rule.code)
      assert.ok(rule.message.length > 10, rule.code)
    }
  })

  test('the clean sample (with last year) has no findings', () => {
    assert.deepEqual(run('sample_903_2025-26_synthetic_50_clean').map((f) => `${f.rule} ${f.child} ${f.field}`), [])
  })

  test("on the sample with errors, every finding of the public validator is ours (or a listed defect of it)", () => {
    const ours = new Set(run('sample_903_2025-26_synthetic_500_with_errors').map((f) => `${f.child} ${f.rule}`))
    const implemented = new Set(RULES.map((r) => r.code))
    const theirs = readFileSync(join(FIXTURES, 'sample_903_2025-26_synthetic_500_with_errors.validator_findings.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .map(([child, rule]) => ({ child: child!, rule: rule! }))
    assert.equal(theirs.length, 211)
    assert.deepEqual([...new Set(theirs.map((f) => f.rule))].filter((rule) => !implemented.has(rule)), [])
    const missed = theirs.filter((f) => !ours.has(`${f.child} ${f.rule}`) && !VALIDATOR_WRONG.has(`${f.child} ${f.rule}`))
    assert.deepEqual([...new Set(missed.map((f) => `${f.child} ${f.rule}`))], [])
    // What we find that the public validator does not, each explained (docs/ssda903.md).
    const theirKeys = new Set(theirs.map((f) => `${f.child} ${f.rule}`))
    assert.deepEqual([...ours].filter((key) => !theirKeys.has(key)).sort(), [...EXTRA.keys()].sort())
  })
})

describe('reading 903 files', () => {
  test('a table is known by its columns; a short row is refused naming the file and line', () => {
    assert.throws(() => readTable('Header', 'CHILD,SEX\nA,M\n', 'header.csv'), (err: Error) => err instanceof Ssda903FileError && /^header\.csv:1: not the Header/.test(err.message))
    assert.throws(
      () => readTable('Reviews', 'CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/01/2010,02/02/2025,PN1\nB,01/01/2010\n', 'reviews.csv'),
      /^Ssda903FileError: reviews\.csv:3: 2 values where the column line has 4$|reviews\.csv:3: 2 values/,
    )
    const rows = readTable('Reviews', '\ufeffchild,dob,review,review_code\r\n"a1",01/01/2010,02/02/2025,pn1\r\n\r\n', 'reviews.csv')
    assert.deepEqual(rows, [{ line: 2, index: 0, CHILD: 'A1', DOB: '01/01/2010', REVIEW: '02/02/2025', REVIEW_CODE: 'PN1' }])
  })

  test("each table's row object holds every column's own value (columns given in reverse order)", () => {
    for (const table of Object.keys(TABLES) as TableName[]) {
      const columns = [...TABLES[table].columns].reverse()
      const values = new Values()
      const read = readColumns(table, `${columns.join(',')}\n${columns.map((c) => `v ${c}`).join(',')}\n\n${columns.map((c) => `w${c}`).join(',')}`, 'x.csv', values)
      for (const index of [0, 1]) {
        const expected = { line: index === 0 ? 2 : 4, index, ...Object.fromEntries(columns.map((c) => [c, `${index === 0 ? 'V ' : 'W'}${c}`])) }
        assert.deepEqual(rowByName(table, read, values.list, index), expected, table)
        assert.deepEqual(rowOf(table, read, values.list, index), expected, table)
      }
    }
  })

  test("a child's episodes are its rows with the derived fields", () => {
    const columns = TABLES.Episodes.columns
    const files = readFileSet({ Episodes: { file: 'episodes.csv', text: `${columns.join(',')}\n${columns.map((c) => (c === 'CHILD' ? 'C1' : c === 'DECOM' || c === 'DEC' ? '01/04/2025' : `v${c}`)).join(',')}` } })
    const [episode] = new RowsByChild(files, 'E06000999', postcodes).tables(0).episodes
    const { decom, dec, plLa, plLocation, plDistance, ...row } = episode!
    assert.deepEqual(row, rowByName('Episodes', files.tables.Episodes, files.values, 0))
    assert.deepEqual([decom, dec, plLa, plLocation, plDistance], [20179, 20179, '', '', NaN])
  })
})
