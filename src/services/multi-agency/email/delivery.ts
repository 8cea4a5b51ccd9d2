/**
 * E-mails the notifications not yet e-mailed, through the configured provider. Each row is
 * claimed (pending → sending) before it is sent, so two processes never send the same one. A
 * failed send is tried again after a wait that grows (EMAIL_RETRY_MINUTES); after the last it is
 * 'failed', on the administrators' list of undelivered e-mails (undelivered.ts), which can send it
 * again.
 */
import { and, asc, eq, isNull, lte, or } from 'drizzle-orm'
import type { Db } from '../../../db/connection.ts'
import { appUser, notification } from '../../../db/schema/index.ts'
import { NOTIFICATION_KINDS, type NotificationKind } from '../notifications.ts'
import type { EmailProvider } from './provider.ts'

export interface DeliveryResult {
  sent: number
  /** Attempts that failed, whether to be tried again or not. */
  failed: number
}

/** The waits before the second, third… attempt; after the last attempt fails the e-mail is 'failed'. */
export const EMAIL_RETRY_MINUTES = [1, 5, 30, 120] as const
export const EMAIL_MAX_ATTEMPTS = EMAIL_RETRY_MINUTES.length + 1

/** What the provider said, short, without the address (Notify's errors may quote it). */
export function deliveryError(err: unknown, address: string): string {
  const e = err as { message?: unknown; response?: { status?: unknown; data?: { errors?: { message?: unknown }[] } } }
  const status = typeof e?.response?.status === 'number' ? `${e.response.status}: ` : ''
  const said = e?.response?.data?.errors?.map((x) => String(x.message)).join('; ') || (typeof e?.message === 'string' ? e.message : String(err))
  return `${status}${said}`.split(address).join('[address]').slice(0, 300)
}

export async function deliverPendingEmails(
  db: Db,
  provider: EmailProvider,
  options: { now: Date; baseUrl: string; limit?: number },
): Promise<DeliveryResult> {
  const pending = await db
    .select({ id: notification.id, kind: notification.kind, link: notification.link, email: appUser.email, active: appUser.active, attempts: notification.emailAttempts })
    .from(notification)
    .innerJoin(appUser, eq(appUser.id, notification.userId))
    .where(
      and(
        eq(notification.emailStatus, 'pending'),
        or(isNull(notification.emailNextAttemptAt), lte(notification.emailNextAttemptAt, options.now)),
      ),
    )
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
    if (!n.active) {
      await settle(db, n.id, { emailStatus: 'not-sent', emailedAt: options.now })
      continue
    }
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
      await settle(db, n.id, { emailStatus: 'sent', emailedAt: options.now, emailError: null, emailNextAttemptAt: null })
    } catch (err) {
      result.failed++
      const attempts = n.attempts + 1
      const wait = EMAIL_RETRY_MINUTES[attempts - 1]
      await settle(db, n.id, {
        emailStatus: wait === undefined ? 'failed' : 'pending',
        emailAttempts: attempts,
        emailNextAttemptAt: wait === undefined ? null : new Date(options.now.getTime() + wait * 60_000),
        emailError: deliveryError(err, n.email),
        emailedAt: options.now,
      })
    }
  }
  return result
}

function settle(db: Db, id: string, values: Partial<typeof notification.$inferInsert>) {
  return db.update(notification).set(values).where(eq(notification.id, id))
}
