/**
 * E-mails the notifications not yet e-mailed, through the configured provider. Each row is
 * claimed (pending → sending) before it is sent, so two processes never send the same one.
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../../db/connection.ts'
import { appUser, notification } from '../../../db/schema/index.ts'
import { NOTIFICATION_KINDS, type NotificationKind } from '../notifications.ts'
import type { EmailProvider } from './provider.ts'

export interface DeliveryResult {
  sent: number
  failed: number
}

export async function deliverPendingEmails(
  db: Db,
  provider: EmailProvider,
  options: { now: Date; baseUrl: string; limit?: number },
): Promise<DeliveryResult> {
  const pending = await db
    .select({ id: notification.id, kind: notification.kind, link: notification.link, email: appUser.email, active: appUser.active })
    .from(notification)
    .innerJoin(appUser, eq(appUser.id, notification.userId))
    .where(eq(notification.emailStatus, 'pending'))
    .orderBy(asc(notification.createdAt))
    .limit(options.limit ?? 200)
  const result: DeliveryResult = { sent: 0, failed: 0 }
  for (const n of pending) {
    const claimed = await db
      .update(notification)
      .set({ emailStatus: 'sending' })
      .where(and(eq(notification.id, n.id), eq(notification.emailStatus, 'pending')))
      .returning({ id: notification.id })
    if (claimed.length === 0) continue
    let status = 'sent'
    if (!n.active) status = 'not-sent'
    else {
      try {
        const subject = NOTIFICATION_KINDS[n.kind as NotificationKind] ?? 'You have a new notification in Together'
        await provider.send({
          to: n.email,
          subject,
          body: `${subject}. Sign in to Together to see it.`,
          link: new URL(n.link ?? '/notifications', options.baseUrl).href,
          reference: n.id,
        })
        result.sent++
      } catch {
        status = 'failed'
        result.failed++
      }
    }
    await db.update(notification).set({ emailStatus: status, emailedAt: options.now }).where(eq(notification.id, n.id))
  }
  return result
}
