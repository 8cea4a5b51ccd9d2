/**
 * API tokens for clients of the JSON API (clinical systems, scripts). A token acts as the user it
 * belongs to, with that user's roles and relationships; only its SHA-256 hash is stored, so the
 * token is shown once, when it is made. Tokens can expire and be revoked.
 */
import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { apiToken, appUser } from '../../db/schema/index.ts'
import { loadActor } from './accounts.ts'
import { appendAudit } from './audit.ts'
import type { Actor } from '../common/context.ts'

/** Tokens start with this, so secret scanners and people can recognise them. */
export const TOKEN_PREFIX = 'tgt_'

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface CreatedToken {
  id: string
  token: string
  userId: string
  name: string
  expiresAt: Date | null
}

/** Makes a token for the user with this email. Returns the token itself: it cannot be shown again. */
export async function createApiToken(
  db: Db,
  input: { email: string; name: string; expiresAt?: Date | null; now: Date },
): Promise<CreatedToken> {
  const [user] = await db
    .select({ id: appUser.id, partnershipId: appUser.partnershipId, active: appUser.active })
    .from(appUser)
    .where(eq(sql`lower(${appUser.email})`, input.email.toLowerCase()))
  if (!user) throw new TokenError(`No user with the email ${input.email}`)
  if (!user.active) throw new TokenError(`The user ${input.email} is not active`)
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiToken)
      .values({
        partnershipId: user.partnershipId,
        userId: user.id,
        name: input.name,
        tokenHash: hashToken(token),
        expiresAt: input.expiresAt ?? null,
        createdAt: input.now,
      })
      .returning({ id: apiToken.id })
    await appendAudit(tx, {
      partnershipId: user.partnershipId,
      actorUserId: null,
      action: 'api-token.create',
      recordType: 'api-token',
      recordId: row!.id,
      detail: { userId: user.id, name: input.name },
      occurredAt: input.now,
    })
    return { id: row!.id, token, userId: user.id, name: input.name, expiresAt: input.expiresAt ?? null }
  })
}

/** The actor a bearer token acts as, or null if it is unknown, expired, revoked or its user inactive. */
export async function actorForToken(db: Db, token: string, now: Date): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const [row] = await db
    .update(apiToken)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiToken.tokenHash, hashToken(token)),
        isNull(apiToken.revokedAt),
        or(isNull(apiToken.expiresAt), gt(apiToken.expiresAt, now)),
      ),
    )
    .returning({ userId: apiToken.userId })
  return row ? loadActor(db, row.userId) : null
}

export async function listApiTokens(db: Db) {
  return db
    .select({
      id: apiToken.id,
      name: apiToken.name,
      email: appUser.email,
      createdAt: apiToken.createdAt,
      expiresAt: apiToken.expiresAt,
      revokedAt: apiToken.revokedAt,
      lastUsedAt: apiToken.lastUsedAt,
    })
    .from(apiToken)
    .innerJoin(appUser, eq(appUser.id, apiToken.userId))
    .orderBy(apiToken.createdAt)
}

export async function revokeApiToken(db: Db, id: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiToken)
      .set({ revokedAt: now })
      .where(and(eq(apiToken.id, id), isNull(apiToken.revokedAt)))
      .returning({ id: apiToken.id, partnershipId: apiToken.partnershipId })
    if (!row) return false
    await appendAudit(tx, {
      partnershipId: row.partnershipId,
      actorUserId: null,
      action: 'api-token.revoke',
      recordType: 'api-token',
      recordId: row.id,
      occurredAt: now,
    })
    return true
  })
}

export class TokenError extends Error {
  override name = 'TokenError'
}
