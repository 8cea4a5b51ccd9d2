/**
 * The CLI refuses text the database cannot store (a NUL character, an unpaired surrogate) with a
 * message naming the line and the column, like any other bad value, and never fails with the
 * database's message (which would quote the row).
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'

const bin = join(import.meta.dirname, '../../bin/together.js')
const dir = mkdtempSync(join(tmpdir(), 'together-unstorable-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function run(args: string[], input = '') {
  const { DATABASE_URL: _ignored, ...base } = process.env
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...base, LOG_LEVEL: 'silent', TOGETHER_DATA_DIR: join(dir, 'data') }, input, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('together import people and together match refuse a NUL or a broken symbol by line and column', async () => {
  assert.equal(run(['migrate']).code, 0)
  const db = await PGlite.create(join(dir, 'data'))
  await db.exec("insert into partnership (name) values ('Unstorable')")
  await db.close()

  const csv = join(dir, 'people.csv')
  writeFileSync(csv, 'source_system,source_id,given_name,family_name,date_of_birth\ngp,G1,Quill\u0000onmere,Vartexbury,2017-03-19\ngp,G2,Ivy,Quartermaine,2017-03-14\n')
  const imported = run(['import', 'people', csv])
  assert.equal(imported.code, 0, imported.stderr)
  assert.match(imported.stderr, /line 2: given_name holds a character that cannot be saved/)
  assert.doesNotMatch(imported.stderr, /Vartexbury|refused it/)
  assert.deepEqual(JSON.parse(imported.stdout), { rows: 2, created: 1, updated: 0, linked: 0, reviews: 0, skipped: 1 })

  const queries = ['{"given_name":"Quill\\u0000onmere"}', '{"family_name":"Quill\\ud800onmere"}', '{"family_name":"Quartermaine"}']
  const matched = run(['match'], `${queries.join('\n')}\n`)
  assert.equal(matched.code, 0, matched.stderr)
  const lines = matched.stdout.trim().split('\n').map((l) => JSON.parse(l) as { error?: string; candidates: unknown[] })
  assert.match(lines[0]!.error!, /line 1: given_name holds a character that cannot be searched/)
  assert.match(lines[1]!.error!, /line 2: family_name holds a character/)
  assert.equal(lines[2]!.error, undefined)
})
