/**
 * Signing in and out, and loading the signed-in user. Failed attempts count towards a temporary
 * lock-out of the account (or of the email address typed, when it has no usable account, so the
 * answer never says whether an account exists) and of the network address; every count is kept in
 * the database, so every server shares it, and is made by one atomic statement, so parallel
 * attempts cannot overtake one another. Every attempt is audited without the email address typed.
 */
import { createHash } from 'node:crypto'
import { and, eq, isNull, lte, ne, or, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { preparedOn } from '../../db/prepared.ts'
import { appUser, session as sessionTable, signInThrottle } from '../../db/schema/index.ts'
import { isRole, type Role } from '../../domain/access/roles.ts'
import { appendAudit } from './audit.ts'
import { ValidationFailed, type Actor, type ServiceContext } from '../common/context.ts'
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts'

export interface LockoutPolicy {
  /** Wrong passwords in a row that lock an account (or an email address without one). */
  maxFailures: number
  lockoutMinutes: number
  /**
   * Failed attempts from one network address within `lockoutMinutes` before the address is refused
   * for `lockoutMinutes`. Successful sign-ins do not count. Unlimited when not given.
   */
  addressMaxFailures?: number
}

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: Date }
  | { ok: false; reason: 'address-limited'; retryAfter: Date }

type UserRow = typeof appUser.$inferSelect

/**
 * How long an email address without a usable account keeps its count of failures: an account's
 * count has no time limit (it ends at a lock or a successful sign-in), so this is long enough that
 * the two behave alike, and short enough that the table does not fill with typed addresses.
 */
const UNKNOWN_EMAIL_WINDOW_MS = 24 * 3600_000

function findByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .select()
    .from(appUser)
    .where(eq(sql`lower(${appUser.email})`, normaliseEmail(email)))
    .then((rows) => rows[0])
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** Throttle keys are hashes: the table holds neither addresses nor the emails people typed. */
function throttleKey(kind: 'address' | 'email', value: string): string {
  return `${kind}:${createHash('sha256').update(value).digest('base64url')}`
}

async function blockedUntil(db: Db, key: string, now: Date): Promise<Date | null> {
  const [row] = await db.select({ until: signInThrottle.blockedUntil }).from(signInThrottle).where(eq(signInThrottle.key, key))
  return row?.until && row.until > now ? row.until : null
}

/**
 * Counts one failure for the key in a single upsert (atomic under any concurrency): a count older
 * than the window starts again; reaching `limit` blocks the key for `blockMs` and restarts the
 * count. Returns the time the key is blocked until, when this failure blocked it.
 */
async function countFailure(db: Db, key: string, limit: number, windowMs: number, blockMs: number, now: Date): Promise<Date | null> {
  const at = now.toISOString()
  const windowStart = new Date(now.getTime() - windowMs).toISOString()
  const until = new Date(now.getTime() + blockMs).toISOString()
  // A key still blocked (by a parallel attempt) stays as it is; an ended block or window restarts.
  const active = sql`t.blocked_until > ${at}::timestamptz`
  const fresh = sql`t.window_started_at <= ${windowStart}::timestamptz or t.blocked_until is not null`
  const next = sql`(case when ${fresh} then 1 else t.failures + 1 end)`
  const [row] = await queryRows<{ blocked_until: Date | string | null }>(
    db,
    sql`insert into sign_in_throttle as t (key, failures, window_started_at, blocked_until)
        values (${key}, 1, ${at}::timestamptz, case when 1 >= ${limit}::int then ${until}::timestamptz end)
        on conflict (key) do update set
          failures = case when ${active} then t.failures when ${next} >= ${limit}::int then 0 else ${next} end,
          window_started_at = case when ${active} then t.window_started_at when ${fresh} then ${at}::timestamptz else t.window_started_at end,
          blocked_until = case when ${active} then t.blocked_until when ${next} >= ${limit}::int then ${until}::timestamptz end
        returning blocked_until`,
  )
  await pruneThrottle(db, now)
  return row?.blocked_until ? new Date(row.blocked_until) : null
}

let lastPrune = 0
/** Forgets counts nobody has added to for a day, at most once a minute per process. */
async function pruneThrottle(db: Db, now: Date): Promise<void> {
  if (Math.abs(now.getTime() - lastPrune) < 60_000) return
  lastPrune = now.getTime()
  const before = new Date(now.getTime() - UNKNOWN_EMAIL_WINDOW_MS)
  await db
    .delete(signInThrottle)
    .where(and(lte(signInThrottle.windowStartedAt, before), or(isNull(signInThrottle.blockedUntil), lte(signInThrottle.blockedUntil, now))))
}

/** The account's row is not locked at `now`. */
const notLocked = (now: Date) => or(isNull(appUser.lockedUntil), lte(appUser.lockedUntil, now))

const WRONG_PASSWORD_ACTIONS = {
  'sign-in': { failed: 'auth.sign-in.failed', refused: 'auth.sign-in.refused-locked' },
  'password-change': { failed: 'user.password.change.failed', refused: 'user.password.change.refused-locked' },
} as const

/**
 * Counts one wrong password against an account (at sign-in, or as the current password when
 * changing it) and locks the account at the limit, in one statement: parallel attempts queue on the
 * row, and an attempt that finds the account already locked by another counts nothing. Audited
 * (`auth.account-locked` when this failure locked it). Returns when the account is locked until,
 * or null when it is not locked.
 */
async function countWrongPassword(
  tx: Db,
  user: UserRow,
  policy: LockoutPolicy,
  at: { attempt: keyof typeof WRONG_PASSWORD_ACTIONS; now: Date; requestId: string | null },
): Promise<{ lockedUntil: Date | null }> {
  const { now, requestId } = at
  const actions = WRONG_PASSWORD_ACTIONS[at.attempt]
  const lockedUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000)
  const next = sql`${appUser.failedSignIns} + 1`
  const [row] = await tx
    .update(appUser)
    .set({
      failedSignIns: sql`case when ${next} >= ${policy.maxFailures}::int then 0 else ${next} end`,
      lockedUntil: sql`case when ${next} >= ${policy.maxFailures}::int then ${lockedUntil.toISOString()}::timestamptz end`,
    })
    .where(and(eq(appUser.id, user.id), notLocked(now)))
    .returning({ failedSignIns: appUser.failedSignIns, lockedUntil: appUser.lockedUntil })
  const audit = { partnershipId: user.partnershipId, actorUserId: user.id, requestId, occurredAt: now }
  if (!row) {
    const [current] = await tx.select({ lockedUntil: appUser.lockedUntil }).from(appUser).where(eq(appUser.id, user.id))
    await appendAudit(tx, { ...audit, action: actions.refused })
    return { lockedUntil: current?.lockedUntil ?? lockedUntil }
  }
  const lock = row.lockedUntil !== null
  await appendAudit(tx, {
    ...audit,
    action: lock ? 'auth.account-locked' : actions.failed,
    detail: { reason: 'wrong-password', failures: lock ? policy.maxFailures : row.failedSignIns, ...(at.attempt === 'sign-in' ? {} : { attempt: at.attempt }) },
  })
  return { lockedUntil: row.lockedUntil }
}

export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; now: Date; requestId?: string; address?: string },
  policy: LockoutPolicy,
): Promise<SignInResult> {
  const { now } = input
  const lockMs = policy.lockoutMinutes * 60_000
  const requestId = input.requestId ?? null
  const addressKey = input.address !== undefined && policy.addressMaxFailures ? throttleKey('address', input.address) : null
  const countAddressFailure = () =>
    addressKey ? countFailure(db, addressKey, policy.addressMaxFailures!, lockMs, lockMs, now) : Promise.resolve(null)

  if (addressKey) {
    const until = await blockedUntil(db, addressKey, now)
    if (until) {
      await appendAudit(db, {
        partnershipId: null,
        actorUserId: null,
        action: 'auth.sign-in.refused-address',
        requestId,
        occurredAt: now,
      })
      return { ok: false, reason: 'address-limited', retryAfter: until }
    }
  }

  const user = await findByEmail(db, input.email)
  if (!user || !user.passwordHash || !user.active) {
    // The same lock-out as an account's, counted on the address typed: the answer and its timing
    // do not say whether the account exists.
    const emailKey = throttleKey('email', normaliseEmail(input.email))
    const reason = user ? (user.active ? 'no-local-password' : 'inactive') : 'unknown-account'
    const audited = (action: string, detail: Record<string, unknown>) =>
      appendAudit(db, {
        partnershipId: user?.partnershipId ?? null,
        actorUserId: user?.id ?? null,
        action,
        detail,
        requestId,
        occurredAt: now,
      })
    const locked = await blockedUntil(db, emailKey, now)
    if (locked) {
      await audited('auth.sign-in.refused-locked', { reason })
      return { ok: false, reason: 'locked', lockedUntil: locked }
    }
    await verifyPassword(await decoyHash(), input.password)
    const lockedNow = await countFailure(db, emailKey, policy.maxFailures, UNKNOWN_EMAIL_WINDOW_MS, lockMs, now)
    await countAddressFailure()
    await audited('auth.sign-in.failed', { reason })
    return lockedNow ? { ok: false, reason: 'locked', lockedUntil: lockedNow } : { ok: false, reason: 'invalid' }
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await appendAudit(db, {
      partnershipId: user.partnershipId,
      actorUserId: user.id,
      action: 'auth.sign-in.refused-locked',
      requestId,
      occurredAt: now,
    })
    return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil }
  }
  const valid = await verifyPassword(user.passwordHash, input.password)
  if (!valid) await countAddressFailure()
  return db.transaction(async (tx) => {
    if (!valid) {
      const counted = await countWrongPassword(tx, user, policy, { attempt: 'sign-in', now, requestId })
      return counted.lockedUntil ? { ok: false, reason: 'locked', lockedUntil: counted.lockedUntil } : { ok: false, reason: 'invalid' }
    }
    await tx
      .update(appUser)
      .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: now })
      .where(eq(appUser.id, user.id))
    await appendAudit(tx, {
      partnershipId: user.partnershipId,
      actorUserId: user.id,
      action: 'auth.sign-in',
      detail: { method: 'password' },
      requestId,
      occurredAt: now,
    })
    return { ok: true, userId: user.id }
  })
}

/**
 * Signs in a user whom the council's identity provider has authenticated. Accounts are never
 * created here: an administrator must have added the user. The first sign-in binds the
 * provider's subject to the account with the same email address, and only when the provider says
 * it verified that address (`email_verified`): otherwise anyone able to set an unverified address
 * at the provider could take over the account made for it.
 */
export async function signInWithOidc(
  db: Db,
  input: { issuer: string; subject: string; email: string | undefined; emailVerified: boolean; now: Date; requestId?: string },
): Promise<{ ok: true; userId: string } | { ok: false; reason: 'unknown-account' | 'inactive' | 'email-not-verified' }> {
  return db.transaction(async (tx) => {
    let [user] = await tx
      .select()
      .from(appUser)
      .where(and(eq(appUser.oidcIssuer, input.issuer), eq(appUser.oidcSubject, input.subject)))
    let unverified = false
    if (!user && input.email) {
      const byEmail = await findByEmail(tx, input.email)
      if (byEmail && !byEmail.oidcSubject && !input.emailVerified) unverified = true
      else if (byEmail && !byEmail.oidcSubject) {
        await tx
          .update(appUser)
          .set({ oidcIssuer: input.issuer, oidcSubject: input.subject })
          .where(eq(appUser.id, byEmail.id))
        user = byEmail
      }
    }
    const ok = user !== undefined && user.active
    await appendAudit(tx, {
      partnershipId: user?.partnershipId ?? null,
      actorUserId: user?.id ?? null,
      action: ok ? 'auth.sign-in' : 'auth.sign-in.failed',
      detail: { method: 'oidc', ...(ok ? {} : { reason: user ? 'inactive' : unverified ? 'email-not-verified' : 'unknown-account' }) },
      requestId: input.requestId ?? null,
      occurredAt: input.now,
    })
    if (!user) return { ok: false, reason: unverified ? 'email-not-verified' : 'unknown-account' }
    if (!user.active) return { ok: false, reason: 'inactive' }
    await tx.update(appUser).set({ failedSignIns: 0, lastSignInAt: input.now }).where(eq(appUser.id, user.id))
    return { ok: true, userId: user.id }
  })
}

/**
 * Ends every session of a user (their password was reset or changed), except `keepSid` (the session
 * of the user changing their own password). Returns how many ended.
 */
export async function endSessionsOf(db: Db, userId: string, keepSid?: string): Promise<number> {
  const ended = await db
    .delete(sessionTable)
    .where(and(eq(sessionTable.userId, userId), keepSid === undefined ? undefined : ne(sessionTable.sid, keepSid)))
    .returning({ sid: sessionTable.sid })
  return ended.length
}

/** The account is locked after too many wrong passwords, until `lockedUntil`. */
export class AccountLocked extends Error {
  constructor(readonly lockedUntil: Date) {
    super('the account is locked after too many wrong passwords')
    this.name = 'AccountLocked'
  }
}

/**
 * A signed-in user changes their own password, giving the current one (a session left open is not
 * enough to take the account over). A wrong current password counts towards the account's lock-out
 * exactly as a wrong password at sign-in does, and a locked account changes nothing, even with the
 * right one (`AccountLocked`). The new one must meet the rule and differ from their name and
 * email; every other session of theirs ends (`keepSid` is the one they are using). Audited.
 */
export async function changeOwnPassword(
  ctx: ServiceContext,
  input: { currentPassword: string; newPassword: string },
  policy: LockoutPolicy,
  keepSid?: string,
): Promise<{ sessionsEnded: number }> {
  const now = ctx.now()
  const requestId = ctx.requestId ?? null
  const [user] = await ctx.db.select().from(appUser).where(eq(appUser.id, ctx.actor.userId))
  if (!user || !user.active) throw new ValidationFailed({ currentPassword: 'Your account is not active' })
  if (!user.passwordHash) {
    throw new ValidationFailed({ currentPassword: 'You sign in with your council account, so you have no Together password to change' })
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await appendAudit(ctx.db, { partnershipId: user.partnershipId, actorUserId: user.id, action: 'user.password.change.refused-locked', requestId, occurredAt: now })
    throw new AccountLocked(user.lockedUntil)
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    const { lockedUntil } = await ctx.db.transaction((tx) => countWrongPassword(tx, user, policy, { attempt: 'password-change', now, requestId }))
    if (lockedUntil) throw new AccountLocked(lockedUntil)
    throw new ValidationFailed({ currentPassword: 'Your current password is not right' })
  }
  const problem = passwordProblem(input.newPassword, [user.email, user.displayName])
  if (problem) throw new ValidationFailed({ newPassword: problem })
  if (input.newPassword === input.currentPassword) throw new ValidationFailed({ newPassword: 'Choose a password different from your current one' })
  const passwordHash = await hashPassword(input.newPassword)
  return ctx.db.transaction(async (tx) => {
    // Not over a lock a parallel wrong password has just set.
    const [changed] = await tx
      .update(appUser)
      .set({ passwordHash, failedSignIns: 0, version: sql`${appUser.version} + 1`, updatedAt: now })
      .where(and(eq(appUser.id, user.id), notLocked(now)))
      .returning({ id: appUser.id })
    if (!changed) throw new AccountLocked((await tx.select({ until: appUser.lockedUntil }).from(appUser).where(eq(appUser.id, user.id)))[0]?.until ?? now)
    const sessionsEnded = await endSessionsOf(tx, user.id, keepSid)
    await appendAudit(tx, {
      partnershipId: user.partnershipId,
      actorUserId: user.id,
      action: 'user.password.change',
      recordType: 'user',
      recordId: user.id,
      ground: 'self',
      detail: { sessionsEnded },
      requestId,
      occurredAt: now,
    })
    return { sessionsEnded }
  })
}

export async function recordSignOut(db: Db, actor: Actor, now: Date, requestId?: string): Promise<void> {
  await appendAudit(db, {
    partnershipId: actor.partnershipId,
    actorUserId: actor.userId,
    action: 'auth.sign-out',
    requestId: requestId ?? null,
    occurredAt: now,
  })
}

/** The signed-in user, or null when the account no longer exists or was deactivated. */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const [user] = await db.select().from(appUser).where(eq(appUser.id, userId))
  return user ? actorOfUser(user) : null
}

/** A signed-in user as every page needs them: the actor, and how many of their notifications are unread (the header shows the count). */
export interface SignedIn {
  actor: Actor
  unreadNotifications: number
}

/** The user's columns an actor is made of, and their unread notifications, for the queries below. */
const signedInColumns = {
  id: appUser.id,
  partnershipId: appUser.partnershipId,
  agencyId: appUser.agencyId,
  teamId: appUser.teamId,
  displayName: appUser.displayName,
  roles: appUser.roles,
  active: appUser.active,
  // Written out: drizzle leaves columns unqualified in a select, and inside the subquery `id`
  // would name the notification's own.
  unread: sql<number>`(select count(*)::int from notification n where n.user_id = "app_user"."id" and n.read_at is null)`,
}

function signedInOf(row: (ActorColumns & { unread: number }) | undefined): SignedIn | null {
  const actor = row ? actorOfUser(row) : null
  return actor ? { actor, unreadNotifications: Number(row!.unread) } : null
}

// The hot reads of every request, prepared once for each database handle (db/prepared.ts).
const prepareSignedIn = (db: Db) =>
  db.select(signedInColumns).from(appUser).where(eq(appUser.id, sql.placeholder('userId'))).prepare('together_signed_in_user')
const prepareSessionRead = (db: Db) =>
  db
    .select({ data: sessionTable.data, expiresAt: sessionTable.expiresAt, userId: sessionTable.userId, user: signedInColumns })
    .from(sessionTable)
    .leftJoin(appUser, eq(appUser.id, sessionTable.userId))
    .where(eq(sessionTable.sid, sql.placeholder('sid')))
    .prepare('together_session_with_user')

/** The signed-in user of a page and how many of their notifications are unread, in one query: every page asks for both. */
export async function loadSignedInActor(db: Db, userId: string): Promise<SignedIn | null> {
  const [row] = await preparedOn(db, prepareSignedIn).execute({ userId })
  return signedInOf(row)
}

/**
 * A stored session and, when it has a user, that user (null when the account was deactivated or
 * no longer exists): one query for what every request of a signed-in user reads first. Both are
 * read afresh for each request; nothing is kept from one request to the next, so a sign-out, a
 * deactivation or a change of roles counts from the next request on.
 */
export async function loadSessionWithUser(
  db: Db,
  sid: string,
): Promise<{ data: unknown; expiresAt: Date; userId: string | null; signedIn: SignedIn | null } | null> {
  const [row] = await preparedOn(db, prepareSessionRead).execute({ sid })
  if (!row) return null
  return { data: row.data, expiresAt: row.expiresAt, userId: row.userId, signedIn: signedInOf(row.user ?? undefined) }
}

type ActorColumns = Pick<UserRow, 'id' | 'partnershipId' | 'agencyId' | 'teamId' | 'displayName' | 'roles' | 'active'>

function actorOfUser(user: ActorColumns): Actor | null {
  if (!user.active) return null
  return {
    userId: user.id,
    partnershipId: user.partnershipId,
    agencyId: user.agencyId,
    teamId: user.teamId,
    displayName: user.displayName,
    roles: user.roles.filter(isRole) as Role[],
    active: user.active,
  }
}
