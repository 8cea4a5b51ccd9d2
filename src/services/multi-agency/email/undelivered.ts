/**
 * The administrators' list of undelivered e-mails (the "dead letters"): notifications whose every
 * attempt failed (delivery.ts), with why, and sending one again. The list names the recipient and
 * the kind of notification, never its title or link, which may name a child.
 */
import { and, count, desc, eq } from 'drizzle-orm'
import { appUser, notification } from '../../../db/schema/index.ts'
import { audit } from '../../access/audit.ts'
import { NotFound, type ServiceContext } from '../../common/context.ts'
import { requireGeneral } from '../../partnership/access.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../../common/paging.ts'
import { NOTIFICATION_KINDS, type NotificationKind } from '../notifications.ts'

export interface UndeliveredEmail {
  id: string
  /** What the e-mail was about, as its subject says. */
  about: string
  recipientName: string
  recipientEmail: string
  createdAt: Date
  lastAttemptAt: Date | null
  attempts: number
  error: string | null
}

const requireAdmin = (ctx: ServiceContext) => requireGeneral(ctx, 'organisation:manage')

const failedIn = (partnershipId: string) => and(eq(notification.partnershipId, partnershipId), eq(notification.emailStatus, 'failed'))

export async function undeliveredEmails(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<UndeliveredEmail>> {
  requireAdmin(ctx)
  const where = failedIn(ctx.actor.partnershipId)
  const rows = ctx.db
    .select({
      id: notification.id,
      kind: notification.kind,
      recipientName: appUser.displayName,
      recipientEmail: appUser.email,
      createdAt: notification.createdAt,
      lastAttemptAt: notification.emailedAt,
      attempts: notification.emailAttempts,
      error: notification.emailError,
    })
    .from(notification)
    .innerJoin(appUser, eq(appUser.id, notification.userId))
    .where(where)
    .orderBy(desc(notification.emailedAt), desc(notification.id))
    .limit(page.limit)
    .offset(page.offset)
    .then((list) =>
      list.map(({ kind, ...r }) => ({ ...r, about: NOTIFICATION_KINDS[kind as NotificationKind] ?? 'A notification' })),
    )
  return pageFrom(page, ctx.db.select({ n: count() }).from(notification).where(where), rows)
}

/** Puts an undelivered e-mail back in the queue, with its attempts counted afresh: the next sweep sends it. */
export async function sendEmailAgain(ctx: ServiceContext, id: string): Promise<void> {
  const ground = requireAdmin(ctx)
  await ctx.db.transaction(async (tx) => {
    const queued = await tx
      .update(notification)
      .set({ emailStatus: 'pending', emailAttempts: 0, emailNextAttemptAt: null })
      .where(and(eq(notification.id, id), failedIn(ctx.actor.partnershipId)))
      .returning({ id: notification.id })
    if (queued.length === 0) throw new NotFound('No undelivered e-mail with that id')
    await audit(ctx, tx, { action: 'notification.email-again', recordType: 'notification', recordId: id, ground })
  })
}
