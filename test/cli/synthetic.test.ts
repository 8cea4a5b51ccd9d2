/**
 * `together seed --synthetic` as a user runs it: a child process on a throwaway embedded database
 * (and on PostgreSQL too when DATABASE_URL is set), its JSON summary, and the rows it wrote.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { getTableName } from 'drizzle-orm'
import { SYNTHETIC_TABLES, type TableKey } from '../../src/services/demo/synthetic/rows.ts'
import { createProgress } from '../../src/cli/progress.ts'
import { createThrowawayPostgres } from '../support/database.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')

interface Target {
  name: string
  env: Record<string, string>
  query(sql: string): Promise<Record<string, unknown>[]>
  cleanup(): Promise<void>
}

function pgliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'together-synthetic-'))
  return {
    name: 'PGlite',
    env: { TOGETHER_DATA_DIR: dir },
    async query(sql) {
      const db = await PGlite.create(dir)
      try {
        return (await db.query<Record<string, unknown>>(sql)).rows
      } finally {
        await db.close()
      }
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const throwaway = await createThrowawayPostgres(serverUrl, 'together_synth')
  return {
    name: 'PostgreSQL',
    env: { DATABASE_URL: throwaway.url },
    async query(sql) {
      const c = new pg.Client({ connectionString: throwaway.url })
      await c.connect()
      try {
        return (await c.query(sql)).rows
      } finally {
        await c.end()
      }
    },
    cleanup: throwaway.drop,
  }
}

function run(args: string[], env: Record<string, string> = {}) {
  const { DATABASE_URL: _ignored, ...base } = process.env
  const result = spawnSync(process.execPath, [bin, ...args], {
    env: { ...base, LOG_LEVEL: 'silent', ...env },
    input: '',
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('progress on stderr', () => {
  const recorder = (isTTY: boolean) => {
    const writes: string[] = []
    return { writes, stream: { isTTY, columns: 100, write: (s: string) => writes.push(s) > 0 } }
  }

  test('on a terminal: one bar redrawn in place, then a new line', () => {
    let t = 0
    const { writes, stream } = recorder(true)
    const p = createProgress('Seeding', { stream, unit: 'children', now: () => t })
    p.update(0, 1000)
    t = 50
    p.update(100, 1000) // too soon to redraw
    t = 1000
    p.update(500, 1000)
    t = 2000
    p.update(1000, 1000)
    p.finish()
    assert.equal(writes.length, 4)
    assert.ok(writes.slice(0, 3).every((w) => w.startsWith('\r[')))
    assert.match(writes[1]!, /\[#+\.+\] Seeding 500\/1,000 children \(50%\), 500 children\/s, about 1s left/)
    assert.match(writes[2]!, /1,000\/1,000 children \(100%\).*done/)
    assert.equal(writes[3], '\n')
  })

  test('elsewhere (logs, CI): a plain line now and then, and the last one', () => {
    let t = 0
    const { writes, stream } = recorder(false)
    const p = createProgress('Seeding', { stream, unit: 'children', now: () => t, plainInterval: 5000 })
    for (let done = 0; done < 1000; done += 100) {
      t += 1000
      p.update(done, 1000)
    }
    p.finish()
    assert.ok(writes.every((w) => !w.includes('\r') && w.endsWith('\n')))
    assert.equal(writes.length, 3) // at 1 s, at 6 s, and the last state when finishing
    assert.match(writes.at(-1)!, /^Seeding 900\/1,000 children \(90%\)/)
  })
})

describe('together seed --synthetic: arguments', () => {
  test('needs --children, one data set at a time, and sensible numbers (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['seed', '--synthetic'], /--children/],
      [['seed', '--demo', '--synthetic', '--children', '5'], /--demo or --synthetic/],
      [['seed', '--demo', '--children', '5'], /--children goes with --synthetic/],
      [['seed', '--synthetic', '--children', '0'], /at least 1/],
      [['seed', '--synthetic', '--children', 'many'], /whole number/],
      [['seed', '--synthetic', '--children', '5', '--until', '2026-13-01'], /date like/],
      [['seed', '--synthetic', '--children', '5', '--years', '20'], /on or after 2013-04-15/],
    ]
    for (const [args, message] of cases) {
      const r = run(args)
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
    }
  })
})

// Each engine once across the two passes of `npm test`: the embedded one without DATABASE_URL.
const targets: (() => Promise<Target>)[] = process.env.DATABASE_URL ? [() => postgresTarget(process.env.DATABASE_URL!)] : [async () => pgliteTarget()]

for (const makeTarget of targets) {
  describe('together seed --synthetic with a database', () => {
    let target: Target
    before(async () => {
      target = await makeTarget()
    })
    after(() => target.cleanup())

    test(`loads 50 children, reports what it wrote, and the rows are there`, async () => {
      const r = run(['seed', '--synthetic', '--children', '50', '--seed', '5'], target.env)
      assert.equal(r.code, 0, r.stderr)
      const lines = r.stdout.trim().split('\n')
      assert.equal(lines.length, 1, 'one JSON line on stdout')
      const summary = JSON.parse(lines[0]!)
      assert.equal(summary.children, 50)
      assert.equal(summary.seed, 5)
      assert.equal(summary.partnershipName, 'Synthetic partnership (seed 5)')
      assert.deepEqual([summary.from, summary.until], ['2021-04-01', '2026-11-01'])
      assert.ok(summary.seconds > 0 && summary.childrenPerSecond > 0)
      const byTable = summary.rowsByTable as Record<TableKey, number>
      assert.equal(summary.rows, Object.values(byTable).reduce((a, b) => a + b, 0))
      assert.equal(byTable.person, 50)
      assert.equal(byTable.childCase, 50)
      assert.match(r.stderr, /Seeding 50\/50 children \(100%\)/, 'progress on stderr')

      const partnership = `(select id from partnership where name = 'Synthetic partnership (seed 5)')`
      for (const key of Object.keys(byTable) as TableKey[]) {
        const table = getTableName(SYNTHETIC_TABLES[key])
        const where = key === 'partnership' ? `id = ${partnership}` : `partnership_id = ${partnership}`
        const [row] = await target.query(`select count(*)::int as n from "${table}" where ${where}`)
        assert.equal(row!.n, byTable[key], `${table} rows`)
      }
      const users = await target.query(`select email, password_hash from app_user where partnership_id = ${partnership}`)
      assert.ok(users.every((u) => String(u.email).endsWith('.s5@synthetic.together.invalid') && u.password_hash === null))
      const [audit] = await target.query(`select detail from audit_event where action = 'seed.synthetic'`)
      assert.equal((audit!.detail as { children: number }).children, 50)
      const journeyAudits = await target.query(`select count(*)::int as n from audit_event where action like '%.create'`)
      assert.equal(journeyAudits[0]!.n, 0, 'seeding is not audited record by record')
    })

    test('the audit chain still verifies, and the same seed is not loaded twice', () => {
      const verify = run(['audit', 'verify'], target.env)
      assert.equal(verify.code, 0, verify.stderr)
      assert.match(verify.stdout, /chain intact/)
      const again = run(['seed', '--synthetic', '--children', '50', '--seed', '5'], target.env)
      assert.equal(again.code, 1)
      assert.match(again.stderr, /already loaded: choose another --seed/)
    })

    test('another seed loads beside it, and the same seed gives the same data in another database', async () => {
      const other = run(['seed', '--synthetic', '--children', '20', '--seed', '6', '--until', '2025-06-30', '--years', '3'], target.env)
      assert.equal(other.code, 0, other.stderr)
      assert.equal(JSON.parse(other.stdout).from, '2022-04-01')
      const fresh = pgliteTarget()
      try {
        const again = run(['seed', '--synthetic', '--children', '50', '--seed', '5'], fresh.env)
        assert.equal(again.code, 0, again.stderr)
        const fingerprint = `select md5(string_agg(id::text || status || opened_on::text, ',' order by id)) as h from child_case
          where partnership_id = (select id from partnership where name = 'Synthetic partnership (seed 5)')`
        const [a] = await target.query(fingerprint)
        const [b] = await fresh.query(fingerprint)
        assert.equal(a!.h, b!.h)
      } finally {
        await fresh.cleanup()
      }
    })
  })
}
