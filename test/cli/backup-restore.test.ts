/**
 * Issue 20, item 5: the restore drill on the embedded database, as an operator runs it. Write,
 * back up, write more, restore: the audit log verifies and the later write is gone. Refusals exit 2:
 * a backup or restore while a server holds the data directory, a restore over a data directory
 * that is not empty without --force, and either command on PostgreSQL (pg_dump's job). A restore
 * that fails leaves the data directory as it was and no half-restored copy behind.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { copyPgliteTemplate, pgliteTemplate } from '../support/database-template.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')

function run(args: string[], env: Record<string, string>, input = '') {
  const { DATABASE_URL: _ignored, ...base } = process.env
  const result = spawnSync(process.execPath, [bin, ...args], { env: { ...base, LOG_LEVEL: 'silent', ...env }, input, encoding: 'utf8', timeout: 120_000 })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

// Embedded only: on PostgreSQL the commands refuse (tested here too, without a server).
describe('together backup and restore (embedded database)', { skip: process.env.DATABASE_URL ? 'embedded database only; PostgreSQL uses pg_dump' : false }, () => {
  const root = mkdtempSync(join(tmpdir(), 'together-backup-'))
  const dataDir = join(root, 'data')
  const env = { TOGETHER_DATA_DIR: dataDir }
  const backup = join(root, 'before.tar.gz')
  // Start from the run's migrated database when there is one (initdb and the migrations take long).
  const template = pgliteTemplate()
  if (template) copyPgliteTemplate(template, dataDir)
  after(() => rmSync(root, { recursive: true, force: true }))

  const addUser = (email: string) =>
    run(
      ['users', 'add', '--email', email, '--name', 'Drill User', '--roles', 'administrator', '--agency', 'Drillshire Council',
        '--agency-type', 'la-childrens-social-care', '--partnership', 'Drillshire Safeguarding Partnership', '--no-password'],
      env,
    )

  test('back up, write more, restore: the audit log verifies and the later write is gone', () => {
    const first = addUser('first.drill@test.together.invalid')
    assert.equal(first.code, 0, first.stderr)

    const b = run(['backup', backup], env)
    assert.equal(b.code, 0, b.stderr)
    assert.match(b.stdout, /Backed up the embedded database/)
    assert.ok(statSync(backup).size > 0)
    assert.equal(run(['backup', backup], env).code, 2, 'an existing backup file is not replaced without --force')

    const later = addUser('later.drill@test.together.invalid')
    assert.equal(later.code, 0, later.stderr)

    const refused = run(['restore', backup], env)
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /not empty; add --force/)

    const restored = run(['restore', backup, '--force'], env)
    assert.equal(restored.code, 0, restored.stderr)
    const kept = /kept at (\S+);/.exec(restored.stdout)?.[1]
    assert.ok(kept && existsSync(join(kept, 'PG_VERSION')), 'the replaced data directory is kept, not deleted')

    const verify = run(['audit', 'verify'], env)
    assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    assert.match(verify.stdout, /Audit log verified/)
    // The first user is there; the later one is gone (adding them again works).
    assert.match(addUser('first.drill@test.together.invalid').stderr, /already exists/)
    const again = addUser('later.drill@test.together.invalid')
    assert.equal(again.code, 0, again.stderr)
  })

  test('a running server, a damaged backup and PostgreSQL are refused, leaving the data directory as it was', () => {
    const before = readdirSync(dataDir).sort()
    // A live process holding the directory, as a running server does (this test's own process).
    writeFileSync(join(dataDir, 'together.lock'), JSON.stringify({ pid: process.pid }))
    try {
      for (const args of [['backup', join(root, 'while-serving.tar.gz')], ['restore', backup, '--force']]) {
        const r = run(args, env)
        assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`)
        assert.match(r.stderr, /only while it is stopped/)
      }
    } finally {
      rmSync(join(dataDir, 'together.lock'))
    }
    assert.equal(existsSync(join(root, 'while-serving.tar.gz')), false)

    const damaged = join(root, 'damaged.tar.gz')
    writeFileSync(damaged, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8]))
    const r = run(['restore', damaged, '--force'], env)
    assert.equal(r.code, 1, r.stderr)
    assert.deepEqual(readdirSync(dataDir).sort(), before, 'the data directory is untouched')
    assert.deepEqual(readdirSync(root).filter((n) => n.includes('restoring')), [], 'no half-restored copy is left')

    const notBackup = run(['restore', join(import.meta.dirname, 'backup-restore.test.ts'), '--force'], env)
    assert.equal(notBackup.code, 2)
    assert.match(notBackup.stderr, /not a backup made by together backup/)

    const fresh = run(['restore', backup], { TOGETHER_DATA_DIR: join(root, 'fresh') })
    assert.equal(fresh.code, 0, fresh.stderr)
    assert.doesNotMatch(fresh.stdout, /kept at/)
    assert.ok(existsSync(join(root, 'fresh', 'PG_VERSION')))

    const pgEnv = { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }
    const pgBackup = run(['backup', join(root, 'pg.tar.gz')], pgEnv)
    assert.equal(pgBackup.code, 2)
    assert.match(pgBackup.stderr, /pg_dump/)
    const pgRestore = run(['restore', backup], pgEnv)
    assert.equal(pgRestore.code, 2)
    assert.match(pgRestore.stderr, /pg_restore/)
  })
})
