/**
 * `together export ssda903` then `together validate ssda903` on what it wrote (issue 19, item 8):
 * a record built through the services, exported from the command line and validated by our rules.
 * Every child in this record started care before the collection year, so no previous permanence
 * row is asked for (rule 630; the unaccompanied child's period has none: test/support/ssda903-record.ts).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/connection.ts'
import { World } from '../support/fixtures.ts'
import { buildSsda903Record } from '../support/ssda903-record.ts'
import { checkSsda903Year } from '../../src/cli/commands/export.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')
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

test('export then validate: the files DfE names, and no errors on a record built through the services', async () => {
  assert.equal(together(['migrate']).status, 0)
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') })
  let partnershipId: string
  try {
    const world = await World.create(database.db)
    partnershipId = world.partnershipId
    // The unaccompanied child came into care before the year here (see the note above).
    await buildSsda903Record(world, { uascStartedOn: '2025-03-01' })
  } finally {
    await database.close()
  }
  const out = join(dir, '903')
  const exported = together(['export', 'ssda903', '--year', '2026', '--out', out, '--partnership', partnershipId, '--json'])
  assert.equal(exported.status, 0, exported.stdout + exported.stderr)
  const summary = lines(exported.stdout).pop()!.summary as { children: number; errors: number }
  assert.deepEqual([summary.children, summary.errors], [3, 0])
  assert.deepEqual(readdirSync(out).sort(), [
    'ad1.csv', 'episodes.csv', 'header.csv', 'missing.csv', 'oc2.csv', 'oc3.csv', 'placed_for_adoption.csv', 'previous_permanence.csv', 'reviews.csv', 'sw_episodes.csv', 'uasc.csv',
  ])
  assert.match(readFileSync(join(out, 'uasc.csv'), 'utf8'), /^CHILD,SEX,DOB,DUC\r\n.+,M,01\/01\/2009,01\/01\/2027\r\n$/)

  const validated = together(['validate', 'ssda903', out, '--year', '2026', '--la', 'E06000999', '--json'])
  assert.equal(validated.status, 0, validated.stdout + validated.stderr)
  const findings = lines(validated.stdout)
  const last = findings.pop()!.summary as { children: number; errors: number }
  assert.deepEqual([last.children, last.errors], [3, 0])
  assert.deepEqual(findings.filter((f) => f.type === 'error'), [])
})

test('--year: the years the page offers for our own data, so the year in progress too (ssda903OwnYears)', async () => {
  await checkSsda903Year(2026, '2026-12-07')
  await checkSsda903Year(2027, '2026-12-07')
  await assert.rejects(checkSsda903Year(2027, '2026-03-31'), /no SSDA903 export for 2027: Together exports 2026 \(/)
  await assert.rejects(checkSsda903Year(2025, '2026-12-07'), /no SSDA903 export for 2025: Together exports 2026, 2027 /)
})
