/**
 * In-app notifications: one row per recipient, written in the same transaction as the event it
 * tells of, read on the Notifications page (the count is in the header). E-mail copies are sent
 * later by the jobs sweep (services/email/delivery.ts), so no service waits on the network.
 */
import { and, arrayOverlaps, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, childCase, notification, person } from '../../db/schema/index.ts'
import type { Role } from '../../domain/access/roles.ts'
import type { ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, type Page, type PageRequest } from '../common/paging.ts'

export type NotificationRow = typeof notification.$inferSelect

/** What notifications are about; the e-mail says only this label, never who it concerns. */
export const NOTIFICATION_KINDS = {
  'referral-received': 'A referral has been sent to the front door',
  'referral-information-added': 'A referrer has added information to a contact',
  'referral-acknowledged': 'Your referral has been acknowledged',
  'referral-decided': 'A decision has been made on your referral',
  'referral-feedback': 'You have been told the outcome of your referral',
  'information-request': 'Your agency has been asked for information',
  'information-request-reminder': 'An information request to your agency is overdue',
  'information-request-answered': 'An agency has answered your information request',
  'information-request-escalated': 'An information request is overdue and has been escalated',
  'cp-status-checked': 'A health setting has checked a child’s child protection status',
  'conference-invitation': 'You have been invited to a child protection conference',
  'conference-chair': 'You have been asked to chair a child protection conference',
  'conference-arrangements': 'A child protection conference you take part in has new arrangements',
  'conference-report': 'An agency has sent its report to a conference',
  'plan-action-updated': 'A partner agency has updated a plan action',
  'strategy-information': 'A partner agency has added its information to a strategy discussion',
  'strategy-action': 'You have been given an action agreed at a strategy discussion',
  'contact-added-to-case': 'A contact has been added to a case you hold',
} as const

export type NotificationKind = keyof typeof NOTIFICATION_KINDS

export interface NewNotification {
  kind: NotificationKind
  title: string
  link: string | null
  caseId?: string | null
}

/**
 * Notifies each user once (duplicates in `userIds` are dropped). A notification about a child's
 * case names the child in its text ("Ann Example: …"): its recipients are the people the event
 * is addressed to for that case, so they may know who it is about. The e-mail copy says only the
 * kind (NOTIFICATION_KINDS), never the title.
 * `by` is a service context, or the jobs sweep's stand-in naming only the partnership and the time.
 */
export async function notifyUsers(by: { actor: { partnershipId: string }; now: () => Date }, tx: Db, userIds: readonly string[], n: NewNotification): Promise<number> {
  const unique = [...new Set(userIds)]
  if (unique.length === 0) return 0
  const title = n.caseId ? await namingTheChild(tx, by.actor.partnershipId, n.caseId, n.title) : n.title
  await tx.insert(notification).values(
    unique.map((userId) => ({
      partnershipId: by.actor.partnershipId,
      userId,
      kind: n.kind,
      title,
      link: n.link,
      caseId: n.caseId ?? null,
      createdAt: by.now(),
    })),
  )
  return unique.length
}

/** The title led by the child's name, unless it already names them. */
async function namingTheChild(tx: Db, partnershipId: string, caseId: string, title: string): Promise<string> {
  const [child] = await tx
    .select({ givenName: person.givenName, familyName: person.familyName })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(childCase.id, caseId), eq(childCase.partnershipId, partnershipId)))
  if (!child) return title
  const name = `${child.givenName} ${child.familyName}`.trim()
  return title.includes(name) ? title : `${name}: ${title}`
}

/** Active users of a team, or of an agency, optionally only those holding one of `roles`. */
export async function activeUsers(tx: Db, where: { teamId?: string; agencyId?: string }, roles?: readonly Role[]): Promise<string[]> {
  const rows = await tx
    .select({ id: appUser.id })
    .from(appUser)
    .where(
      and(
        eq(appUser.active, true),
        where.teamId ? eq(appUser.teamId, where.teamId) : undefined,
        where.agencyId ? eq(appUser.agencyId, where.agencyId) : undefined,
        roles ? arrayOverlaps(appUser.roles, [...roles]) : undefined,
      ),
    )
  return rows.map((r) => r.id)
}

/** The newest notifications of the signed-in user, unread first (the first 100 unless a page is asked for). */
export async function myNotifications(ctx: ServiceContext, page: PageRequest = { offset: 0, limit: 100 }): Promise<NotificationRow[]> {
  return ctx.db
    .select()
    .from(notification)
    .where(eq(notification.userId, ctx.actor.userId))
    .orderBy(sql`${notification.readAt} is not null`, desc(notification.createdAt), desc(notification.id))
    .limit(page.limit)
    .offset(page.offset)
}

/** A page of the signed-in user's notifications, unread first, with how many they have. */
export async function myNotificationPage(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<NotificationRow>> {
  const [counted] = await ctx.db.select({ n: count() }).from(notification).where(eq(notification.userId, ctx.actor.userId))
  return { items: await myNotifications(ctx, page), total: counted?.n ?? 0, offset: page.offset, limit: page.limit }
}

/** Marks the user's notifications read: those named, or all of them. Nobody else's are touched. */
export async function markRead(ctx: ServiceContext, ids?: readonly string[]): Promise<number> {
  const rows = await ctx.db
    .update(notification)
    .set({ readAt: ctx.now() })
    .where(
      and(
        eq(notification.userId, ctx.actor.userId),
        isNull(notification.readAt),
        ids ? inArray(notification.id, ids.length ? [...ids] : ['00000000-0000-0000-0000-000000000000']) : undefined,
      ),
    )
    .returning({ id: notification.id })
  return rows.length
}
