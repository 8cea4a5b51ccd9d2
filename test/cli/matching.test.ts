/**
 * The person-index commands as other tools use them: `together import people FILE.csv` and
 * `together match` (JSON lines in, JSON lines out) and `together match calibrate`, as child
 * processes on a throwaway embedded database (and on PostgreSQL too when DATABASE_URL is set).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { createThrowawayPostgres } from '../support/database.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')
const dir = mkdtempSync(join(tmpdir(), 'together-matching-'))

interface Target {
  name: string
  env: Record<string, string>
  sql(statement: string): Promise<void>
  cleanup(): Promise<void>
}

function run(args: string[], env: Record<string, string>, input = '') {
  const { DATABASE_URL: _ignored, ...base } = process.env
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...base, LOG_LEVEL: 'silent', ...env }, input, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const CSV = `source_system,source_id,given_name,middle_names,family_name,date_of_birth,sex,nhs_number,postcode,address_line
gp,G1,Ivy,,Quartermaine,2017-03-14,F,9990000018,ZZ1 1AB,1 Test Street
school,S1,IVY,May,Quartermaine,14/03/2017,F,999 000 0018,,
school,S2,Ivy,,Quartermaine,31/02/2017,F,,,
police,P1,Ivy,,Quatermain,2017-03-14,,,ZZ1 1AB,
police,P2,Rosalind,,Quartermaine,2017-03-14,F,,ZZ1 1AB,"1 Test Street, Testville"
police,P3,Rosalind,,Quartermaine,,,12345,,
`

// Each engine once across the two passes of `npm test`: the embedded one without DATABASE_URL.
function targets(): Promise<Target>[] {
  const url = process.env.DATABASE_URL
  const list: Promise<Target>[] = []
  if (!url) {
    list.push((async () => {
      const data = mkdtempSync(join(dir, 'pglite-'))
      return {
        name: 'PGlite',
        env: { TOGETHER_DATA_DIR: data },
        async sql(statement) {
          const db = await PGlite.create(data)
          await db.exec(statement)
          await db.close()
        },
        cleanup: async () => {},
      }
    })())
  } else {
    list.push(
      (async () => {
        const throwaway = await createThrowawayPostgres(url, 'together_matching')
        return {
          name: 'PostgreSQL',
          env: { DATABASE_URL: throwaway.url },
          async sql(statement) {
            const c = new pg.Client({ connectionString: throwaway.url })
            await c.connect()
            await c.query(statement)
            await c.end()
          },
          cleanup: throwaway.drop,
        }
      })(),
    )
  }
  return list
}

const all = await Promise.all(targets())
after(async () => {
  for (const t of all) await t.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

for (const target of all) {
  describe(`together import people / match (${target.name})`, () => {
    const csv = join(dir, `people-${target.name}.csv`)
    before(async () => {
      writeFileSync(csv, CSV)
      assert.equal(run(['migrate'], target.env).code, 0)
    })

    test('needs a partnership; with several, --partnership chooses', async () => {
      const none = run(['import', 'people', csv], target.env)
      assert.equal(none.code, 2)
      assert.match(none.stderr, /no partnership/)
      await target.sql("insert into partnership (name) values ('Matching One'), ('Matching Two')")
      const several = run(['match'], target.env, '{}\n')
      assert.equal(several.code, 2)
      assert.match(several.stderr, /--partnership/)
    })

    test('imports rows, reports bad ones by line and skips them, updates on re-import', () => {
      const first = run(['import', 'people', csv, '--partnership', 'Matching One'], target.env)
      assert.equal(first.code, 0, first.stderr)
      assert.deepEqual(JSON.parse(first.stdout), { rows: 6, created: 3, updated: 0, linked: 1, reviews: 3, skipped: 2 })
      assert.match(first.stderr, /line 4: date_of_birth "31\/02\/2017" is not a date/)
      assert.match(first.stderr, /line 7: nhs_number "12345" is not a valid NHS number[^\n]*; skipped/)
      assert.match(first.stderr, /imported 4 records \(3 created, 0 updated, 1 linked\), skipped 2 rows with errors/)
      assert.match(first.stderr, /Importing .*done/)
      const again = run(['import', 'people', csv, '--partnership', 'Matching One'], target.env)
      assert.deepEqual(JSON.parse(again.stdout), { rows: 6, created: 0, updated: 4, linked: 0, reviews: 0, skipped: 2 })
      assert.match(again.stderr, /imported 4 records \(0 created, 4 updated, 0 linked\), skipped 2 rows with errors/)
      assert.equal(run(['import', 'people', join(dir, 'missing.csv')], target.env).code, 2)
    })

    test('match: one line per query in order, best first, at most 10, with source ids, score and band', () => {
      const queries = [
        { given_name: 'Ivy', family_name: 'Quartermaine', date_of_birth: '2017-03-14', nhs_number: '9990000018' },
        { given_name: 'Ivy', family_name: 'Quartermain', date_of_birth: '2017-03-14', postcode: 'zz11ab' },
        { given_name: 'Nobody', family_name: 'Knownhere', date_of_birth: '2001-01-01' },
        { nhs_number: '9990000081' },
      ]
      const out = run(['match', '--partnership', 'Matching One'], target.env, `${queries.map((q) => JSON.stringify(q)).join('\n')}\n`)
      assert.equal(out.code, 0, out.stderr)
      const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { candidates: { person_id: string; source_ids: string[]; score: number; band: string }[] })
      assert.equal(lines.length, 4)
      const [certain, fuzzy, unknown, typo] = lines
      assert.deepEqual(certain!.candidates[0]!.source_ids.sort(), ['G1', 'S1'])
      assert.equal(certain!.candidates[0]!.band, 'certain')
      assert.deepEqual(Object.keys(certain!.candidates[0]!), ['person_id', 'source_ids', 'score', 'band'])
      assert.ok(fuzzy!.candidates.length <= 10 && fuzzy!.candidates.length >= 2)
      assert.ok(fuzzy!.candidates[0]!.score >= fuzzy!.candidates[1]!.score)
      assert.deepEqual(unknown!.candidates, [])
      assert.equal(typo!.candidates[0]!.person_id, certain!.candidates[0]!.person_id)
    })

    test('match reindex standardises and re-keys every record and says how many', () => {
      const out = run(['match', 'reindex', '--partnership', 'Matching One'], target.env)
      assert.equal(out.code, 0, out.stderr)
      assert.deepEqual(JSON.parse(out.stdout), { records: 4 })
    })

    test('match calibrate stores weights with their date and reports them', () => {
      const out = run(['match', 'calibrate', '--partnership', 'Matching One'], target.env)
      assert.equal(out.code, 0, out.stderr)
      const result = JSON.parse(out.stdout) as { weightsId: string; estimatedAt: string; records: number }
      assert.match(result.weightsId, /^[0-9a-f-]{36}$/)
      assert.equal(result.records, 4)
      assert.ok(Date.parse(result.estimatedAt) > 0)
    })

    /** How many source records the partnership holds (match reindex counts them). */
    const held = () => (JSON.parse(run(['match', 'reindex', '--partnership', 'Matching One'], target.env).stdout) as { records: number }).records
    const header = CSV.split('\n')[0]!
    const good = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `refused,R${from + i},Given${from + i},,Family,2015-01-01,F,,,`)

    test('a file that is not UTF-8 (Latin-1) is refused before anything is written: exit 2', () => {
      const before = held()
      const file = join(dir, `latin1-${target.name}.csv`)
      writeFileSync(file, Buffer.from(`${header}\nlatin,L1,Zoe,,Smith,,,,,\nlatin,L2,Ren\u00e9e,,Smith,,,,,\n`, 'latin1'))
      const out = run(['import', 'people', file, '--partnership', 'Matching One'], target.env)
      assert.equal(out.code, 2, out.stderr)
      assert.match(out.stderr, /line 3: the file is not UTF-8 text/)
      assert.match(out.stderr, /nothing was imported/)
      assert.equal(out.stdout, '')
      assert.equal(held(), before)
    })

    test('a quote never closed after 250 good rows is reported at the line it opens; nothing is stored', () => {
      const before = held()
      const file = join(dir, `unclosed-${target.name}.csv`)
      // Line 252 opens a quote that is never closed; the rows after it are swallowed by it.
      writeFileSync(file, [header, ...good(250), 'refused,R251,"Unclosed,,Family,2015-01-01,F,,,', ...good(5, 252), ''].join('\n'))
      const out = run(['import', 'people', file, '--partnership', 'Matching One'], target.env)
      assert.equal(out.code, 2, out.stderr)
      assert.match(out.stderr, /line 252: a quote opens here and is never closed/)
      assert.match(out.stderr, /nothing was imported/)
      assert.equal(out.stdout, '')
      assert.equal(held(), before)
    })

    test('a row with the wrong number of fields refuses the whole file, each reported at its line', () => {
      const before = held()
      const file = join(dir, `ragged-${target.name}.csv`)
      writeFileSync(file, [header, ...good(3), 'refused,R4,Short', ...good(2, 5), 'refused,R7,"Two\nlines",,Family', ''].join('\n'))
      const out = run(['import', 'people', file, '--partnership', 'Matching One'], target.env)
      assert.equal(out.code, 2, out.stderr)
      assert.match(out.stderr, /line 5: expected 10 fields, found 3/)
      assert.match(out.stderr, /line 8: expected 10 fields, found 5/)
      assert.match(out.stderr, /nothing was imported/)
      assert.equal(held(), before)
    })

    test('bad identifiers are reported by the line their row starts on and skipped; the summary counts what was kept', () => {
      const before = held()
      const file = join(dir, `identifiers-${target.name}.csv`)
      const withUpn = `${header},upn`
      const rows = [
        withUpn,
        'ids,I1,Ada,,Lovelace,2015-01-01,F,9990000026,,,',
        'ids,I2,"Bea\ntrice",,Lovelace,2015-01-02,F,12345,,,',
        'ids,I3,Cal,,Lovelace,2015-01-03,M,9990000027,,,',
        'ids,I4,Dot,,Lovelace,2015-01-04,F,,,,B123456789012',
        'ids,I5,Eve,,Lovelace,2015-01-05,F,,,,a123456789012',
      ]
      writeFileSync(file, `${rows.join('\n')}\n`)
      const out = run(['import', 'people', file, '--partnership', 'Matching One'], target.env)
      assert.equal(out.code, 0, out.stderr)
      assert.match(out.stderr, /line 3: nhs_number "12345" is not a valid NHS number[^\n]*; skipped/)
      assert.match(out.stderr, /line 5: nhs_number "9990000027" is not a valid NHS number[^\n]*; skipped/)
      assert.match(out.stderr, /line 6: upn "B123456789012" is not a valid UPN[^\n]*; skipped/)
      assert.match(out.stderr, /imported 2 records \(2 created, 0 updated, 0 linked\), skipped 3 rows with errors/)
      assert.deepEqual(JSON.parse(out.stdout), { rows: 5, created: 2, updated: 0, linked: 0, reviews: 0, skipped: 3 })
      assert.equal(held(), before + 2)
      const none = join(dir, `none-${target.name}.csv`)
      writeFileSync(none, `${header}\nids,N1,,,,,,12345,,\n`)
      const nothing = run(['import', 'people', none, '--partnership', 'Matching One'], target.env)
      assert.equal(nothing.code, 0, nothing.stderr)
      assert.match(nothing.stderr, /nothing was imported, skipped 1 row with errors/)
    })
  })
}
