/**
 * What ties a contact to the partner's referral it came from: the information the referrer added
 * later (shown on the contact), and telling the referrer when the front door acknowledges,
 * decides and feeds back. Used by the front door service, so it imports nothing from it.
 */
import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, contactAddition, professionalReferral } from '../../db/schema/index.ts'
import type { ServiceContext } from '../common/context.ts'
import { notifyUsers, type NotificationKind } from './notifications.ts'

export interface ContactAdditionView {
  id: string
  body: string
  addedAt: Date
  addedByName: string
}

/** Information added to a contact after it was sent, oldest first. */
export async function additionsOf(tx: Db, contactId: string): Promise<ContactAdditionView[]> {
  return tx
    .select({ id: contactAddition.id, body: contactAddition.body, addedAt: contactAddition.addedAt, addedByName: appUser.displayName })
    .from(contactAddition)
    .innerJoin(appUser, eq(appUser.id, contactAddition.addedBy))
    .where(eq(contactAddition.contactId, contactId))
    .orderBy(asc(contactAddition.addedAt))
}

const REFERRER_NOTICE: Partial<Record<NotificationKind, string>> = {
  'referral-acknowledged': 'The front door has received your referral',
  'referral-decided': 'The front door has decided what happens next with your referral',
  'referral-feedback': 'The front door has told you the outcome of your referral',
}

/** Tells the partner who referred (if the contact came from a referral form) what the front door did. */
export async function notifyReferrer(ctx: ServiceContext, tx: Db, contactId: string, kind: keyof typeof REFERRER_NOTICE & NotificationKind): Promise<void> {
  const [referral] = await tx
    .select({ id: professionalReferral.id, referrer: professionalReferral.referrerUserId, child: professionalReferral.childDetails })
    .from(professionalReferral)
    .where(eq(professionalReferral.contactId, contactId))
  if (!referral) return
  const child = referral.child as { givenName?: string; familyName?: string }
  await notifyUsers(ctx, tx, [referral.referrer], {
    kind,
    title: `${REFERRER_NOTICE[kind]} about ${child.givenName ?? ''} ${child.familyName ?? ''}`.replace(/\s+/g, ' ').trim(),
    link: `/referrals/${referral.id}`,
  })
}
