/**
 * Drafts: a form's unsaved fields, kept per user and key as the user types, so that a session
 * that times out (or a browser that crashes) loses nothing. A draft belongs to its user alone:
 * every query is by the signed-in user's id, so nobody else can read, change or discard it.
 */
import { and, eq } from 'drizzle-orm'
import { draft } from '../../db/schema/index.ts'
import type { ServiceContext } from '../common/context.ts'
import { ValidationFailed } from '../common/context.ts'
import { draftData, draftKey } from './drafts-input.ts'

export interface Draft {
  key: string
  data: Record<string, unknown>
  savedAt: Date
}

function checked(key: string, data?: unknown): { key: string; data?: Record<string, unknown> } {
  const k = draftKey.safeParse(key)
  if (!k.success) throw new ValidationFailed({ key: k.error.issues[0]!.message })
  if (data === undefined) return { key: k.data }
  const d = draftData.safeParse(data)
  if (!d.success) throw new ValidationFailed({ data: d.error.issues[0]!.message })
  return { key: k.data, data: d.data }
}

/** Saves (or replaces) the user's draft under `key`. */
export async function saveDraft(ctx: ServiceContext, key: string, data: Record<string, unknown>): Promise<Draft> {
  const valid = checked(key, data)
  const savedAt = ctx.now()
  const [row] = await ctx.db
    .insert(draft)
    .values({ partnershipId: ctx.actor.partnershipId, userId: ctx.actor.userId, key: valid.key, data: valid.data!, updatedAt: savedAt })
    .onConflictDoUpdate({ target: [draft.userId, draft.key], set: { data: valid.data!, updatedAt: savedAt } })
    .returning()
  return { key: row!.key, data: row!.data as Record<string, unknown>, savedAt: row!.updatedAt }
}

/** The user's draft under `key`, or null. */
export async function loadDraft(ctx: ServiceContext, key: string): Promise<Draft | null> {
  const valid = checked(key)
  const [row] = await ctx.db
    .select()
    .from(draft)
    .where(and(eq(draft.userId, ctx.actor.userId), eq(draft.key, valid.key)))
  return row ? { key: row.key, data: row.data as Record<string, unknown>, savedAt: row.updatedAt } : null
}

/** Discards the user's draft under `key` (nothing happens when there is none). */
export async function discardDraft(ctx: ServiceContext, key: string): Promise<void> {
  const valid = checked(key)
  await ctx.db.delete(draft).where(and(eq(draft.userId, ctx.actor.userId), eq(draft.key, valid.key)))
}
