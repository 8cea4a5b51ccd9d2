/**
 * For auditors: every change to the partnership's accounts (users added and changed, roles given
 * and taken away, passwords reset or changed, lock-outs lifted), from the pages and from the
 * command line, so that separation of duties can be checked. Viewing it is audited.
 */
import { and, desc, eq, inArray, like, or } from 'drizzle-orm'
import { appUser, auditEvent } from '../../db/schema/index.ts'
import { type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { audit } from './audit.ts'
import { pageCounted, totalOver, type Page, type PageRequest } from '../common/paging.ts'

export interface AccountChange {
  seq: number
  occurredAt: string
  actorName: string | null
  action: string
  ground: string | null
  subjectName: string | null
  detail: Record<string, unknown>
}

/** Entries a page of the account changes shows. */
export const ACCOUNT_CHANGES_PAGE_SIZE = 50

/** The account changes, newest first, a page at a time with how many there are. */
export async function accountChanges(ctx: ServiceContext, page: PageRequest = { offset: 0, limit: ACCOUNT_CHANGES_PAGE_SIZE }): Promise<Page<AccountChange>> {
  const ground = requireGeneral(ctx, 'audit:read')
  const actor = appUser
  return ctx.db.transaction(async (tx) => {
    await audit(ctx, tx, { action: 'audit.account-changes.view', ground: ground })
    const listed = await pageCounted(page, (at) =>
      tx
        .select({
          seq: auditEvent.seq,
          occurredAt: auditEvent.occurredAt,
          actorUserId: auditEvent.actorUserId,
          action: auditEvent.action,
          ground: auditEvent.ground,
          recordId: auditEvent.recordId,
          detail: auditEvent.detail,
          total: totalOver(),
        })
        .from(auditEvent)
        .where(and(eq(auditEvent.partnershipId, ctx.actor.partnershipId), or(like(auditEvent.action, 'user.%'), eq(auditEvent.action, 'auth.account-locked'))))
        .orderBy(desc(auditEvent.seq))
        .limit(at.limit)
        .offset(at.offset),
    )
    const rows = listed.items
    const ids = [...new Set(rows.flatMap((r) => [r.actorUserId, r.recordId]).filter((x): x is string => typeof x === 'string'))]
    const names = new Map<string, string>()
    if (ids.length > 0) {
      const users = await tx
        .select({ id: actor.id, name: actor.displayName })
        .from(actor)
        .where(and(eq(actor.partnershipId, ctx.actor.partnershipId), inArray(actor.id, ids)))
      for (const u of users) names.set(u.id, u.name)
    }
    return {
      ...listed,
      items: rows.map((r) => ({
        seq: r.seq,
        occurredAt: r.occurredAt,
        actorName: r.actorUserId ? (names.get(r.actorUserId) ?? null) : null,
        action: r.action,
        ground: r.ground,
        subjectName: r.recordId ? (names.get(r.recordId) ?? null) : null,
        detail: r.detail as Record<string, unknown>,
      })),
    }
  })
}
