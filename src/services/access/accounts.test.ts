import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, gt } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { appUser, auditEvent } from '../../db/schema/index.ts'
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

describe('signing in with the council’s identity provider', () => {
  const issuer = 'https://login.example.invalid'

  test('the first sign-in binds the subject to the account with that email; later ones use the subject', async () => {
    const user = await world.user(['conference-chair'], { password: null })
    const first = await signInWithOidc(database.db, { issuer, subject: 'sub-1', email: user.email, now: FIXED_NOW })
    assert.deepEqual(first, { ok: true, userId: user.userId })
    const later = await signInWithOidc(database.db, { issuer, subject: 'sub-1', email: 'changed@example.invalid', now: FIXED_NOW })
    assert.deepEqual(later, { ok: true, userId: user.userId })
  })

  test('someone without a Together account is refused, never created', async () => {
    const before = await database.db.select().from(appUser)
    const result = await signInWithOidc(database.db, {
      issuer,
      subject: 'stranger',
      email: 'stranger@example.invalid',
      now: FIXED_NOW,
    })
    assert.deepEqual(result, { ok: false, reason: 'unknown-account' })
    assert.equal((await database.db.select().from(appUser)).length, before.length)
  })

  test('an account already bound to another subject is not taken over by email', async () => {
    const user = await world.user(['social-worker'], { password: null })
    await signInWithOidc(database.db, { issuer, subject: 'owner', email: user.email, now: FIXED_NOW })
    const other = await signInWithOidc(database.db, { issuer, subject: 'impostor', email: user.email, now: FIXED_NOW })
    assert.deepEqual(other, { ok: false, reason: 'unknown-account' })
  })

  test('a deactivated account is refused', async () => {
    const user = await world.user(['social-worker'], { active: false, password: null })
    const result = await signInWithOidc(database.db, { issuer, subject: 'gone', email: user.email, now: FIXED_NOW })
    assert.deepEqual(result, { ok: false, reason: 'inactive' })
  })
})
