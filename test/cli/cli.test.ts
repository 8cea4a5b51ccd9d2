/**
 * The `together` command as a user runs it: a child process, its output and its exit code, on a
 * throwaway embedded database (and on PostgreSQL too when DATABASE_URL is set).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { createThrowawayPostgres } from '../support/database.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')

interface Target {
  name: string
  env: Record<string, string>
  sql(statements: string[]): Promise<void>
  cleanup(): Promise<void>
}

function pgliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'together-cli-'))
  return {
    name: 'PGlite',
    env: { TOGETHER_DATA_DIR: dir },
    async sql(statements) {
      const db = await PGlite.create(dir)
      for (const s of statements) await db.exec(s)
      await db.close()
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const throwaway = await createThrowawayPostgres(serverUrl, 'together_cli')
  return {
    name: 'PostgreSQL',
    env: { DATABASE_URL: throwaway.url },
    async sql(statements) {
      const c = new pg.Client({ connectionString: throwaway.url })
      await c.connect()
      for (const s of statements) await c.query(s)
      await c.end()
    },
    cleanup: throwaway.drop,
  }
}

function run(args: string[], env: Record<string, string> = {}, input?: string) {
  const { DATABASE_URL: _ignored, ...base } = process.env
  const result = spawnSync(process.execPath, [bin, ...args], {
    env: { ...base, LOG_LEVEL: 'silent', ...env },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('together: arguments', () => {
  test('--help lists every command, and each command has its own --help', () => {
    const help = run(['--help'])
    assert.equal(help.code, 0)
    for (const cmd of ['serve', 'migrate', 'seed', 'users', 'audit', 'due', 'rules']) assert.match(help.stdout, new RegExp(`\\b${cmd}\\b`))
    const usersAdd = run(['users', 'add', '--help'])
    assert.equal(usersAdd.code, 0)
    assert.match(usersAdd.stdout, /--password-stdin/)
    assert.equal(run(['audit', 'verify', '--help']).code, 0)
  })

  test('unknown commands and missing options exit 2 with a message', () => {
    const unknown = run(['frobnicate'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /unknown command|too many arguments/)
    const missing = run(['users', 'add', '--email', 'x@example.invalid'])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /required option/)
    const seed = run(['seed'])
    assert.equal(seed.code, 2)
    assert.match(seed.stderr, /--demo/)
    const port = run(['serve', '--port', 'eighty'])
    assert.equal(port.code, 2)
  })

  test('a bad environment variable is a one-line error, exit 2', () => {
    const bad = run(['migrate'], { PORT: 'not-a-port' })
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /^together: environment variable PORT/)
    assert.equal(bad.stderr.trim().split('\n').length, 1)
  })
})

// Each engine once across the two passes of `npm test`: the embedded one without DATABASE_URL.
const targets: (() => Promise<Target>)[] = process.env.DATABASE_URL ? [() => postgresTarget(process.env.DATABASE_URL!)] : [async () => pgliteTarget()]

for (const makeTarget of targets) {
  describe(`together with a database`, () => {
    let target: Target
    before(async () => {
      target = await makeTarget()
    })
    after(() => target.cleanup())

    const addAdmin = (email: string, extra: string[] = [], password = 'a long password here') =>
      run(
        [
          'users', 'add', '--email', email, '--name', 'First Admin', '--roles', 'administrator',
          '--agency', 'Testshire Council', '--agency-type', 'la-childrens-social-care',
          '--partnership', 'Testshire Safeguarding Partnership', ...extra, '--password-stdin',
        ],
        target.env,
        `${password}\n`,
      )

    test('migrate applies migrations', () => {
      const r = run(['migrate'], target.env)
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /Migrations applied/)
    })

    test('users add creates the partnership, agency and first user; bad input exits 2 and adds nothing', () => {
      const ok = addAdmin('first.admin@test.together.invalid')
      assert.equal(ok.code, 0, ok.stderr)
      assert.match(ok.stdout, /created partnership "Testshire Safeguarding Partnership", agency "Testshire Council", user/)

      const again = addAdmin('First.Admin@test.together.invalid')
      assert.equal(again.code, 2)
      assert.match(again.stderr, /already exists/)

      const badRole = run(['users', 'add', '--email', 'b@test.together.invalid', '--name', 'B', '--roles', 'wizard', '--agency', 'Testshire Council', '--no-password'], target.env)
      assert.equal(badRole.code, 2)
      assert.match(badRole.stderr, /unknown role "wizard"/)

      const shortPassword = addAdmin('c@test.together.invalid', [], 'short')
      assert.equal(shortPassword.code, 2)
      assert.match(shortPassword.stderr, /at least 12 characters/)

      const noAgency = run(['users', 'add', '--email', 'd@test.together.invalid', '--name', 'D', '--roles', 'auditor', '--agency', 'Nowhere', '--no-password'], target.env)
      assert.equal(noAgency.code, 2)
      assert.match(noAgency.stderr, /--agency-type/)

      const badEmail = run(['users', 'add', '--email', 'not-an-email', '--name', 'E', '--roles', 'auditor', '--agency', 'Testshire Council', '--no-password'], target.env)
      assert.equal(badEmail.code, 2)
    })

    test('seed --demo loads the demo partnership once', () => {
      const first = run(['seed', '--demo'], target.env)
      assert.equal(first.code, 0, first.stderr)
      assert.match(first.stdout, /admin@demo\.together\.invalid/)
      const second = run(['seed', '--demo'], target.env)
      assert.equal(second.code, 0)
      assert.match(second.stdout, /already loaded/)
    })

    test('tokens create prints a token once; list never shows it; revoke stops it', () => {
      const made = run(['tokens', 'create', '--user', 'first.admin@test.together.invalid', '--name', 'CLI test'], target.env)
      assert.equal(made.code, 0, made.stderr)
      const token = made.stdout.trim()
      assert.match(token, /^tgt_[A-Za-z0-9_-]{43}$/)
      assert.match(made.stderr, /will not be shown again/)
      const listed = run(['tokens', 'list'], target.env)
      assert.equal(listed.code, 0, listed.stderr)
      assert.ok(!listed.stdout.includes(token))
      const row = JSON.parse(listed.stdout.trim().split('\n').at(-1)!)
      assert.equal(row.name, 'CLI test')
      assert.equal(row.revokedAt, null)
      assert.equal(run(['tokens', 'revoke', row.id], target.env).code, 0)
      assert.equal(run(['tokens', 'revoke', row.id], target.env).code, 2)
      const unknown = run(['tokens', 'create', '--user', 'nobody@test.together.invalid', '--name', 'x'], target.env)
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /No user with the email/)
      assert.equal(run(['tokens', 'create', '--user', 'first.admin@test.together.invalid', '--name', 'x', '--expires', 'soon'], target.env).code, 2)
    })

    test('audit verify passes untouched, and names the entry edited by SQL', async () => {
      const clean = run(['audit', 'verify'], target.env)
      assert.equal(clean.code, 0, clean.stderr)
      assert.match(clean.stdout, /Audit log verified: \d+ entries, chain intact/)

      await target.sql([
        'alter table audit_event disable trigger user',
        `update audit_event set action = 'user.create.hidden' where seq = 2`,
        'alter table audit_event enable trigger user',
      ])
      const tampered = run(['audit', 'verify'], target.env)
      assert.equal(tampered.code, 1)
      assert.match(tampered.stdout, /FAILED verification at entry 2: its content does not match its hash/)
      const json = JSON.parse(run(['audit', 'verify', '--json'], target.env).stdout)
      assert.deepEqual({ ok: json.ok, seq: json.seq }, { ok: false, seq: 2 })
    })
  })
}
