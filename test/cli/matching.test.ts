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
police,P3,Rosalind,,Quartermaine
`

function targets(): Promise<Target>[] {
  const list: Promise<Target>[] = [
    (async () => {
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
    })(),
  ]
  const url = process.env.DATABASE_URL
  if (url) {
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
      assert.match(first.stderr, /line 7: expected 10 fields, found 5/)
      assert.match(first.stderr, /Importing .*done/)
      const again = run(['import', 'people', csv, '--partnership', 'Matching One'], target.env)
      assert.deepEqual(JSON.parse(again.stdout), { rows: 6, created: 0, updated: 4, linked: 0, reviews: 0, skipped: 2 })
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
  })
}
