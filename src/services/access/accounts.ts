/**
 * Signing in and out, and loading the signed-in user. Failed attempts count towards a temporary
 * lock-out of the account; every attempt is audited without the email address typed.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser } from '../../db/schema/index.ts'
import { isRole, type Role } from '../../domain/access/roles.ts'
import { appendAudit } from './audit.ts'
import type { Actor } from '../common/context.ts'
import { decoyHash, verifyPassword } from './passwords.ts'

export interface LockoutPolicy {
  maxFailures: number
  lockoutMinutes: number
}

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: Date }

type UserRow = typeof appUser.$inferSelect

function findByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .select()
    .from(appUser)
    .where(eq(sql`lower(${appUser.email})`, email.trim().toLowerCase()))
    .then((rows) => rows[0])
}

export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; now: Date; requestId?: string },
  policy: LockoutPolicy,
): Promise<SignInResult> {
  const user = await findByEmail(db, input.email)
  if (!user || !user.passwordHash || !user.active) {
    await verifyPassword(await decoyHash(), input.password)
    await appendAudit(db, {
      partnershipId: user?.partnershipId ?? null,
      actorUserId: user?.id ?? null,
      action: 'auth.sign-in.failed',
      detail: { reason: user ? (user.active ? 'no-local-password' : 'inactive') : 'unknown-account' },
      requestId: input.requestId ?? null,
      occurredAt: input.now,
    })
    return { ok: false, reason: 'invalid' }
  }
  if (user.lockedUntil && user.lockedUntil > input.now) {
    await appendAudit(db, {
      partnershipId: user.partnershipId,
      actorUserId: user.id,
      action: 'auth.sign-in.refused-locked',
      requestId: input.requestId ?? null,
      occurredAt: input.now,
    })
    return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil }
  }
  const valid = await verifyPassword(user.passwordHash, input.password)
  return db.transaction(async (tx) => {
    if (!valid) {
      const failures = user.failedSignIns + 1
      const lock = failures >= policy.maxFailures
      const lockedUntil = lock ? new Date(input.now.getTime() + policy.lockoutMinutes * 60_000) : null
      await tx
        .update(appUser)
        .set({ failedSignIns: lock ? 0 : failures, lockedUntil })
        .where(eq(appUser.id, user.id))
      await appendAudit(tx, {
        partnershipId: user.partnershipId,
        actorUserId: user.id,
        action: lock ? 'auth.account-locked' : 'auth.sign-in.failed',
        detail: { reason: 'wrong-password', failures },
        requestId: input.requestId ?? null,
        occurredAt: input.now,
      })
      return lockedUntil ? { ok: false, reason: 'locked', lockedUntil } : { ok: false, reason: 'invalid' }
    }
    await tx
      .update(appUser)
      .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: input.now })
      .where(eq(appUser.id, user.id))
    await appendAudit(tx, {
      partnershipId: user.partnershipId,
      actorUserId: user.id,
      action: 'auth.sign-in',
      detail: { method: 'password' },
      requestId: input.requestId ?? null,
      occurredAt: input.now,
    })
    return { ok: true, userId: user.id }
  })
}

/**
 * Signs in a user whom the council's identity provider has authenticated. Accounts are never
 * created here: an administrator must have added the user. The first sign-in binds the
 * provider's subject to the account with the same email address.
 */
export async function signInWithOidc(
  db: Db,
  input: { issuer: string; subject: string; email: string | undefined; now: Date; requestId?: string },
): Promise<{ ok: true; userId: string } | { ok: false; reason: 'unknown-account' | 'inactive' }> {
  return db.transaction(async (tx) => {
    let [user] = await tx
      .select()
      .from(appUser)
      .where(and(eq(appUser.oidcIssuer, input.issuer), eq(appUser.oidcSubject, input.subject)))
    if (!user && input.email) {
      const byEmail = await findByEmail(tx, input.email)
      if (byEmail && !byEmail.oidcSubject) {
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
      detail: { method: 'oidc', ...(ok ? {} : { reason: user ? 'inactive' : 'unknown-account' }) },
      requestId: input.requestId ?? null,
      occurredAt: input.now,
    })
    if (!user) return { ok: false, reason: 'unknown-account' }
    if (!user.active) return { ok: false, reason: 'inactive' }
    await tx.update(appUser).set({ failedSignIns: 0, lastSignInAt: input.now }).where(eq(appUser.id, user.id))
    return { ok: true, userId: user.id }
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

/**
 * The signed-in user of a page and how many of their notifications are unread (the header shows
 * the count), in one query: every page asks for both.
 */
export async function loadSignedInActor(db: Db, userId: string): Promise<{ actor: Actor; unreadNotifications: number } | null> {
  const [row] = await db
    .select({
      user: appUser,
      // Written out: drizzle leaves columns unqualified in a select, and inside the subquery `id`
      // would name the notification's own.
      unread: sql<number>`(select count(*)::int from notification n where n.user_id = "app_user"."id" and n.read_at is null)`,
    })
    .from(appUser)
    .where(eq(appUser.id, userId))
  const actor = row ? actorOfUser(row.user) : null
  return actor ? { actor, unreadNotifications: Number(row!.unread) } : null
}

function actorOfUser(user: typeof appUser.$inferSelect): Actor | null {
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
