import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, gt } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { appUser, auditEvent, signInThrottle } from '../../db/schema/index.ts'
import { loadActor, signInWithOidc, signInWithPassword } from './accounts.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const policy = { maxFailures: 3, lockoutMinutes: 15 }
const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000)
const signIn = (email: string, password: string, now = FIXED_NOW) =>
  signInWithPassword(database.db, { email, password, now }, policy)

async function lastAudit(afterSeq: number) {
  return database.db.select().from(auditEvent).where(gt(auditEvent.seq, afterSeq))
}
async function headSeq() {
  const rows = await database.db.select({ seq: auditEvent.seq }).from(auditEvent)
  return rows.reduce((m, r) => Math.max(m, r.seq), 0)
}

describe('signing in with a password', () => {
  test('the right password signs in, whatever the case of the email, and is audited', async () => {
    const user = await world.user(['social-worker'])
    const seq = await headSeq()
    const result = await signIn(user.email.toUpperCase(), PASSWORD)
    assert.deepEqual(result, { ok: true, userId: user.userId })
    const entries = await lastAudit(seq)
    assert.deepEqual(entries.map((e) => [e.action, e.actorUserId]), [['auth.sign-in', user.userId]])
    assert.doesNotMatch(JSON.stringify(entries), /@/, 'the email address typed is never in the audit log')
  })

  test('a wrong password or an unknown account gives the same answer', async () => {
    const user = await world.user(['social-worker'])
    assert.deepEqual(await signIn(user.email, 'wrong password!'), { ok: false, reason: 'invalid' })
    assert.deepEqual(await signIn('nobody@test.together.invalid', PASSWORD), { ok: false, reason: 'invalid' })
  })

  test('repeated failures lock the account for a while, even against the right password', async () => {
    const user = await world.user(['team-manager'])
    assert.equal((await signIn(user.email, 'bad-1')).ok, false)
    assert.equal((await signIn(user.email, 'bad-2')).ok, false)
    const third = await signIn(user.email, 'bad-3')
    assert.equal(third.ok === false && third.reason, 'locked')
    const during = await signIn(user.email, PASSWORD, at(10))
    assert.equal(during.ok === false && during.reason, 'locked')
    assert.deepEqual(await signIn(user.email, PASSWORD, at(16)), { ok: true, userId: user.userId })
    const [row] = await database.db.select().from(appUser).where(eq(appUser.id, user.userId))
    assert.equal(row!.failedSignIns, 0)
    const locks = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, user.userId), eq(auditEvent.action, 'auth.account-locked')))
    assert.equal(locks.length, 1)
  })

  test('a successful sign-in resets the failure count', async () => {
    const user = await world.user(['social-worker'])
    await signIn(user.email, 'bad-1')
    await signIn(user.email, 'bad-2')
    assert.equal((await signIn(user.email, PASSWORD)).ok, true)
    await signIn(user.email, 'bad-3')
    assert.equal((await signIn(user.email, PASSWORD)).ok, true, 'not locked: the count restarted')
  })

  test('a deactivated account cannot sign in and is not loaded as a signed-in user', async () => {
    const user = await world.user(['social-worker'], { active: false })
    assert.deepEqual(await signIn(user.email, PASSWORD), { ok: false, reason: 'invalid' })
    assert.equal(await loadActor(database.db, user.userId), null)
  })

  test('an account without a local password cannot sign in with one', async () => {
    const user = await world.user(['social-worker'], { password: null })
    assert.deepEqual(await signIn(user.email, ''), { ok: false, reason: 'invalid' })
  })
})

describe('failed sign-ins are counted in the database, atomically', () => {
  test('20 parallel wrong passwords lock the account once (item 8)', async () => {
    const user = await world.user(['social-worker'])
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInWithPassword(database.db, { email: user.email, password: `wrong ${i}`, now: FIXED_NOW }, { maxFailures: 5, lockoutMinutes: 15 })),
    )
    const [row] = await database.db.select().from(appUser).where(eq(appUser.id, user.userId))
    assert.ok(row!.lockedUntil && row!.lockedUntil > FIXED_NOW, 'the account is locked')
    assert.ok(results.filter((r) => !r.ok && r.reason === 'locked').length >= 15, 'every attempt after the fifth is refused as locked')
    const locks = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, user.userId), eq(auditEvent.action, 'auth.account-locked')))
    assert.equal(locks.length, 1, 'locked once, not once per attempt')
    assert.deepEqual((await signIn(user.email, PASSWORD, at(1))).ok, false, 'the right password is refused while locked')
  })

  test('an email address without an account is locked just as an account is (item 10)', async () => {
    const user = await world.user(['social-worker'])
    const unknown = `nobody-${user.userId.slice(0, 8)}@test.together.invalid`
    const answers = async (email: string) => {
      const out: string[] = []
      for (let i = 0; i < 4; i++) {
        const r = await signIn(email, `wrong ${i}`, at(i))
        out.push(r.ok ? 'ok' : r.reason === 'locked' ? `locked until +${(r.lockedUntil.getTime() - FIXED_NOW.getTime()) / 60_000}` : r.reason)
      }
      return out
    }
    const known = await answers(user.email)
    assert.deepEqual(known, ['invalid', 'invalid', 'locked until +17', 'locked until +17'])
    assert.deepEqual(await answers(unknown.toUpperCase()), known, 'the same answers, in the same order, for an unknown address')
    const rows = await database.db.select().from(signInThrottle)
    assert.doesNotMatch(JSON.stringify(rows), /nobody|@/, 'the typed address is not stored')
  })

  test('failed attempts from one network address are limited across accounts; successful ones never count (item 9)', async () => {
    const policy = { maxFailures: 5, lockoutMinutes: 15, addressMaxFailures: 3 }
    const from = (address: string, email: string, password: string, now = FIXED_NOW) =>
      signInWithPassword(database.db, { email, password, now, address }, policy)
    const office = await world.user(['social-worker'])
    const colleague = await world.user(['team-manager'])
    for (let i = 0; i < 10; i++) assert.equal((await from('203.0.113.7', office.email, PASSWORD)).ok, true, 'successes do not count')

    await from('198.51.100.9', office.email, 'wrong one')
    await from('198.51.100.9', colleague.email, 'wrong two')
    await from('198.51.100.9', 'stranger@test.together.invalid', 'wrong three')
    const refused = await from('198.51.100.9', colleague.email, PASSWORD, at(1))
    assert.equal(refused.ok === false && refused.reason, 'address-limited')
    assert.equal(refused.ok === false && refused.reason === 'address-limited' && refused.retryAfter.getTime(), at(15).getTime())
    assert.equal((await from('203.0.113.7', colleague.email, PASSWORD, at(1))).ok, true, 'another address is not limited')
    assert.equal((await from('198.51.100.9', colleague.email, PASSWORD, at(16))).ok, true, 'the limit ends after the wait')
  })
})

describe('signing in with the council’s identity provider', () => {
  const issuer = 'https://login.example.invalid'

  test('the first sign-in binds the subject to the account with that email; later ones use the subject', async () => {
    const user = await world.user(['conference-chair'], { password: null })
    const first = await signInWithOidc(database.db, { issuer, subject: 'sub-1', email: user.email, emailVerified: true, now: FIXED_NOW })
    assert.deepEqual(first, { ok: true, userId: user.userId })
    const later = await signInWithOidc(database.db, { issuer, subject: 'sub-1', email: 'changed@example.invalid', emailVerified: true, now: FIXED_NOW })
    assert.deepEqual(later, { ok: true, userId: user.userId })
  })

  test('someone without a Together account is refused, never created', async () => {
    const before = await database.db.select().from(appUser)
    const result = await signInWithOidc(database.db, {
      issuer,
      subject: 'stranger',
      email: 'stranger@example.invalid',
      emailVerified: true,
      now: FIXED_NOW,
    })
    assert.deepEqual(result, { ok: false, reason: 'unknown-account' })
    assert.equal((await database.db.select().from(appUser)).length, before.length)
  })

  test('an account already bound to another subject is not taken over by email', async () => {
    const user = await world.user(['social-worker'], { password: null })
    await signInWithOidc(database.db, { issuer, subject: 'owner', email: user.email, emailVerified: true, now: FIXED_NOW })
    const other = await signInWithOidc(database.db, { issuer, subject: 'impostor', email: user.email, emailVerified: true, now: FIXED_NOW })
    assert.deepEqual(other, { ok: false, reason: 'unknown-account' })
  })

  test('an email address the provider has not verified binds no account (item 12)', async () => {
    const user = await world.user(['auditor'], { password: null })
    const refused = await signInWithOidc(database.db, { issuer, subject: 'unverified', email: user.email, emailVerified: false, now: FIXED_NOW })
    assert.deepEqual(refused, { ok: false, reason: 'email-not-verified' })
    const [row] = await database.db.select().from(appUser).where(eq(appUser.id, user.userId))
    assert.equal(row!.oidcSubject, null, 'the account stays unbound')
    const verified = await signInWithOidc(database.db, { issuer, subject: 'verified', email: user.email, emailVerified: true, now: FIXED_NOW })
    assert.deepEqual(verified, { ok: true, userId: user.userId })
  })

  test('a deactivated account is refused', async () => {
    const user = await world.user(['social-worker'], { active: false, password: null })
    const result = await signInWithOidc(database.db, { issuer, subject: 'gone', email: user.email, emailVerified: true, now: FIXED_NOW })
    assert.deepEqual(result, { ok: false, reason: 'inactive' })
  })
})
