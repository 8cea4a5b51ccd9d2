/**
 * Issue 15, item 19: the audit log's keyed MAC. Someone with write access to the database (but not
 * the audit key) edits an entry and recomputes the whole hash chain, as the code shows how:
 * `together audit verify` with the key catches it (exit 1, naming the entry). Run on a throwaway
 * embedded database, and on PostgreSQL too when DATABASE_URL is set.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { asc, eq } from 'drizzle-orm'
import { ConfigError, loadConfig, postgresTarget } from '../../src/config.ts'
import { openDatabase, type Database, type DatabaseTarget } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { auditChainHead, auditEvent } from '../../src/db/schema/index.ts'
import { auditKeyId, auditKeyring, entryHash, GENESIS_HASH } from '../../src/domain/access/audit-chain.ts'
import { DEV_KEY_FILE, loadAuditKeyring } from '../../src/services/access/audit-key.ts'
import { appendAudit, useAuditKeys, verifyAuditLog } from '../../src/services/access/audit.ts'
import { createThrowawayPostgres } from '../support/database.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')
const KEY = 'a'.repeat(16) + '0123456789abcdef'.repeat(3)
const NEW_KEY = 'b'.repeat(16) + 'fedcba9876543210'.repeat(3)

function run(args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _ignored, TOGETHER_AUDIT_KEY: _k, TOGETHER_AUDIT_KEY_FILE: _f, ...base } = process.env
  const result = spawnSync(process.execPath, [bin, ...args], { env: { ...base, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 60_000 })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

interface Target {
  name: string
  env: Record<string, string>
  database: DatabaseTarget
  cleanup(): Promise<void>
}

// Each engine once across the two passes of `npm test`: the embedded one without DATABASE_URL.
const targets: (() => Promise<Target>)[] = []
if (!process.env.DATABASE_URL) {
  targets.push(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'together-audit-mac-'))
    return { name: 'PGlite', env: { TOGETHER_DATA_DIR: dir }, database: { kind: 'pglite', dataDir: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
  })
} else {
  const serverUrl = process.env.DATABASE_URL
  targets.push(async () => {
    const throwaway = await createThrowawayPostgres(serverUrl, 'together_audit_mac')
    const dir = mkdtempSync(join(tmpdir(), 'together-audit-mac-'))
    return {
      name: 'PostgreSQL',
      env: { DATABASE_URL: throwaway.url, TOGETHER_DATA_DIR: dir },
      database: postgresTarget(throwaway.url),
      cleanup: async () => {
        rmSync(dir, { recursive: true, force: true })
        await throwaway.drop()
      },
    }
  })
}

/** Opens the database in this process for a moment (the embedded one allows one process at a time). */
async function withDb<T>(target: Target, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(target.database)
  try {
    await runMigrations(database)
    return await fn(database)
  } finally {
    await database.close()
  }
}

async function append(database: Database, n: number, keys: string[] | null) {
  useAuditKeys(keys ? auditKeyring(keys) : null)
  try {
    for (let i = 0; i < n; i++) {
      await appendAudit(database.db, { partnershipId: null, actorUserId: null, action: 'test.event', detail: { i }, occurredAt: new Date() })
    }
  } finally {
    useAuditKeys(null)
  }
}

/**
 * What an attacker with database write access does: change one entry, then recompute every hash
 * from it on (and the chain head) so the hash chain is consistent again. MACs are left as they
 * were, or removed with `stripMacs`; the key is not in the database, so they cannot be remade.
 */
async function rewriteChain(database: Database, seq: number, change: Record<string, unknown>, stripMacs = false) {
  const db = database.db
  await db.execute('alter table audit_event disable trigger user')
  try {
    if (Object.keys(change).length > 0) await db.update(auditEvent).set(change).where(eq(auditEvent.seq, seq))
    const rows = await db.select().from(auditEvent).orderBy(asc(auditEvent.seq))
    let prevHash = GENESIS_HASH
    for (const row of rows) {
      const hash = entryHash(prevHash, { ...row, detail: row.detail as Record<string, unknown> })
      await db
        .update(auditEvent)
        .set({ prevHash, hash, ...(stripMacs ? { mac: null, keyId: null } : {}) })
        .where(eq(auditEvent.seq, row.seq))
      prevHash = hash
    }
    await db.update(auditChainHead).set({ lastHash: prevHash, ...(stripMacs ? { mac: null, keyId: null } : {}) }).where(eq(auditChainHead.id, 1))
  } finally {
    await db.execute('alter table audit_event enable trigger user')
  }
}

for (const makeTarget of targets) {
  describe('the audit log’s keyed MAC', () => {
    let target: Target
    before(async () => {
      target = await makeTarget()
    })
    after(() => target.cleanup())

    test('an attacker who recomputes the hash chain is caught by audit verify', async () => {
      const env = { ...target.env, TOGETHER_AUDIT_KEY: KEY }
      // Three entries from before there was a key, then five signed ones.
      await withDb(target, async (d) => {
        await append(d, 3, null)
        await append(d, 5, [KEY])
      })
      const clean = run(['audit', 'verify'], env)
      assert.equal(clean.code, 0, clean.stdout + clean.stderr)
      assert.match(clean.stdout, new RegExp(`Audit log verified: 8 entries, chain intact; entries from 4 carry a MAC \\(audit key ${auditKeyId(KEY)}\\); the 3 before were written without a key\\.`))

      await withDb(target, async (d) => {
        // An unsigned entry from before the key is edited: the first signed entry's MAC covers it.
        await rewriteChain(d, 2, { action: 'test.hidden' })
        const early = await verifyAuditLog(d.db, { keyring: auditKeyring([KEY]) })
        assert.deepEqual({ ok: early.ok, seq: !early.ok && early.seq }, { ok: false, seq: 4 })
        assert.match(!early.ok ? early.problem : '', /its MAC does not match/)
        await rewriteChain(d, 2, { action: 'test.event' })
        assert.equal((await verifyAuditLog(d.db, { keyring: auditKeyring([KEY]) })).ok, true, 'put back, it verifies again')
        // A signed entry is edited and the chain recomputed: the hashes agree, the MAC does not.
        await rewriteChain(d, 6, { action: 'test.hidden' })
      })
      const caught = run(['audit', 'verify'], env)
      assert.equal(caught.code, 1)
      assert.match(caught.stdout, /Audit log FAILED verification at entry 6: its MAC does not match: this entry, or an unsigned entry before it, was changed and the hash chain recomputed without the audit key\. 5 entries before it are intact; entries from 4 carry a MAC/)

      // Every MAC removed and the chain recomputed: with the key configured, that is refused.
      await withDb(target, (d) => rewriteChain(d, 6, { action: 'test.event' }, true))
      const stripped = run(['audit', 'verify'], env)
      assert.equal(stripped.code, 1)
      assert.match(stripped.stdout, /no entry carries a MAC although an audit key is configured/)

      // Once an entry is written with the key after the strip, the number recorded when the key
      // was introduced still catches it.
      await withDb(target, async (d) => {
        await append(d, 2, [KEY])
        const later = await verifyAuditLog(d.db, { keyring: auditKeyring([KEY]) })
        assert.deepEqual({ ok: later.ok, signedFrom: later.signedFrom }, { ok: true, signedFrom: 9 })
      })
      const recorded = run(['audit', 'verify', '--signed-from', '4'], env)
      assert.equal(recorded.code, 1)
      assert.match(recorded.stdout, /FAILED verification at entry 4: it carries no MAC although every entry from 4 on was signed/)
    })

    test('key rotation: the new key signs, the old one still verifies what it signed', async () => {
      await withDb(target, (d) => append(d, 2, [NEW_KEY, KEY]))
      const both = run(['audit', 'verify'], { ...target.env, TOGETHER_AUDIT_KEY: `${NEW_KEY},${KEY}` })
      assert.equal(both.code, 0, both.stdout)
      assert.match(both.stdout, new RegExp(`audit key ${auditKeyId(KEY)}, ${auditKeyId(NEW_KEY)}`))
      await withDb(target, async (d) => {
        const newOnly = await verifyAuditLog(d.db, { keyring: auditKeyring([NEW_KEY]) })
        assert.equal(newOnly.ok, false)
        assert.match(!newOnly.ok ? newOnly.problem : '', new RegExp(`made with audit key ${auditKeyId(KEY)}, which this process does not have`))
        // The chain head is signed too: cutting off the newest entry and rewriting the head shows.
        await d.db.execute('alter table audit_event disable trigger user')
        const [last] = await d.db.select().from(auditEvent).orderBy(asc(auditEvent.seq)).limit(1).offset(10)
        await d.db.delete(auditEvent).where(eq(auditEvent.seq, 12))
        await d.db.execute('alter table audit_event enable trigger user')
        await d.db.update(auditChainHead).set({ lastSeq: 11, lastHash: last!.hash }).where(eq(auditChainHead.id, 1))
        const cut = await verifyAuditLog(d.db, { keyring: auditKeyring([NEW_KEY, KEY]) })
        assert.equal(cut.ok, false)
        assert.match(!cut.ok ? cut.problem : '', /the chain head's MAC does not match/)
      })
    })
  })
}

describe('where the audit key comes from', () => {
  test('production refuses to start without one', () => {
    const env = { NODE_ENV: 'production', TOGETHER_SESSION_SECRET: 's'.repeat(32) }
    assert.throws(() => loadConfig(env), (err: Error) => err instanceof ConfigError && /TOGETHER_AUDIT_KEY or TOGETHER_AUDIT_KEY_FILE must be set in production/.test(err.message))
    assert.equal(loadConfig({ ...env, TOGETHER_AUDIT_KEY: KEY }).auditKey.keys, KEY)
    assert.throws(() => loadConfig({ ...env, TOGETHER_AUDIT_KEY: 'short' }), ConfigError)
  })

  test('development generates a key once, in the data directory, readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'together-audit-key-'))
    try {
      const settings = { env: 'development' as const, keys: undefined, file: undefined, dataDir: dir }
      const first = loadAuditKeyring(settings).keyring!
      const again = loadAuditKeyring(settings).keyring!
      assert.equal(first.signing.id, again.signing.id, 'the same key on the next start')
      assert.equal(statSync(join(dir, DEV_KEY_FILE)).mode & 0o777, 0o600)
      assert.equal(loadAuditKeyring({ ...settings, env: 'test' }).keyring, null)
      // A key file named by TOGETHER_AUDIT_KEY_FILE, with an older key kept for verifying.
      const file = join(dir, DEV_KEY_FILE)
      assert.equal(loadAuditKeyring({ ...settings, env: 'production', file }).keyring!.signing.secret, readFileSync(file, 'utf8').trim())
      assert.throws(() => loadAuditKeyring({ ...settings, env: 'production', file: join(dir, 'missing') }), /cannot read the audit key file/)
      assert.throws(() => loadAuditKeyring({ ...settings, env: 'production' }), /must be set in production/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
