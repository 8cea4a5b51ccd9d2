/**
 * Professional referrals: a partner practitioner (school DSL, health visitor, GP, police,
 * probation, voluntary sector) refers a child through a multi-page form with save-and-return
 * drafts. Submitting records a contact at the partnership's front door (front-door.ts's
 * insertContact), so it is decided like any other; the referrer follows it in "My referrals":
 * acknowledgement against its 1 working day clock (T02, the same clock as the decision), the
 * decision once made, the outcome they were told, and information they add later.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, appUser, childCase, contact, contactAddition, contactChild, person, professionalReferral, team } from '../../db/schema/index.ts'
import { clockStatus, type ClockStatus } from '../../domain/timescales/index.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { AccessDenied, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { discardDraft } from '../journey/drafts.ts'
import { contactInput } from '../journey/front-door-input.ts'
import { insertContact, londonTime } from '../journey/front-door.ts'
import { activeUsers, notifyUsers } from './notifications.ts'
import { recordRevisionOf } from '../journey/case-records.ts'
import { additionsOf, type ContactAdditionView } from './referral-links.ts'
import type { ReferralAdditionInput, ReferralInput } from './referrals-input.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export const REFERRAL_DRAFT_KEY = 'referral-new'

/** The DfE referral source of a referral from each kind of agency. */
const SOURCE_OF_AGENCY: Record<string, string> = {
  education: '2A',
  police: '6',
  'health-gp-practice': '3A',
  'health-trust': '3D',
  'health-icb': '3F',
  probation: '7',
  housing: '4',
  'voluntary-sector': '8',
  'la-childrens-social-care': '5B',
}

function requireReferrer(ctx: ServiceContext): string {
  return requireGeneral(ctx, 'referral:submit', 'Referrals through this form are for partner agencies’ practitioners.')
}

/**
 * The partnership's front door: the team of the local authority's children's social care with the
 * most active front door practitioners.
 */
export async function frontDoorTeamOf(tx: Db, partnershipId: string): Promise<string> {
  const [row] = await tx
    .select({ id: team.id })
    .from(team)
    .innerJoin(agency, eq(agency.id, team.agencyId))
    .innerJoin(appUser, and(eq(appUser.teamId, team.id), eq(appUser.active, true), sql`'front-door-practitioner' = any(${appUser.roles})`))
    .where(and(eq(team.partnershipId, partnershipId), eq(team.active, true), eq(agency.type, 'la-childrens-social-care')))
    .groupBy(team.id)
    .orderBy(desc(sql`count(*)`), asc(team.id))
    .limit(1)
  if (!row) throw new ValidationFailed({ form: 'The partnership has no front door team to receive referrals yet. Telephone the front door, and tell your administrator.' })
  return row.id
}

/**
 * The child the referral is about, when the partnership already records them: by NHS number, or
 * by exact name and date of birth. Otherwise they are added. The referrer is never told which.
 */
async function childOfReferral(tx: Db, partnershipId: string, child: ReferralInput['child']) {
  const byNhs = child.nhsNumber ? eq(person.nhsNumber, child.nhsNumber) : undefined
  const byName =
    child.dateOfBirth && !child.nhsNumber
      ? and(
          sql`lower(${person.givenName}) = lower(${child.givenName})`,
          sql`lower(${person.familyName}) = lower(${child.familyName})`,
          eq(person.dateOfBirth, child.dateOfBirth),
        )
      : undefined
  const match = byNhs ?? byName
  if (match) {
    const [found] = await tx.select({ id: person.id }).from(person).where(and(eq(person.partnershipId, partnershipId), match)).limit(2)
    if (found) return { personId: found.id }
  }
  return { newPerson: child }
}

function concernForFrontDoor(input: ReferralInput): string {
  return [
    input.concern.concern,
    `The child’s family (as the referrer describes it): ${input.family.familyDetails}`,
    input.family.address ? `Address given: ${input.family.address}` : null,
    `What the family has been told: ${input.consent.familyTold}`,
  ]
    .filter(Boolean)
    .join('\n\n')
}

export interface SubmittedReferral {
  id: string
  contactId: string
}

/** Sends the referral to the front door as a contact, and tells the front door team. */
export async function submitReferral(ctx: ServiceContext, input: ReferralInput): Promise<SubmittedReferral> {
  const ground = requireReferrer(ctx)
  const now = ctx.now()
  let refusal: AccessDenied | null = null
  const submitted = await ctx.db.transaction(async (tx) => {
    const teamId = await frontDoorTeamOf(tx, ctx.actor.partnershipId)
    const [me] = await tx
      .select({ email: appUser.email, agencyType: agency.type, agencyName: agency.name })
      .from(appUser)
      .innerJoin(agency, eq(agency.id, appUser.agencyId))
      .where(eq(appUser.id, ctx.actor.userId))
    const child = await childOfReferral(tx, ctx.actor.partnershipId, input.child)
    const contactFields = contactInput.parse({
      receivedDate: londonDate(now),
      receivedTime: londonTime(now),
      source: SOURCE_OF_AGENCY[me!.agencyType] ?? '8',
      referrerName: ctx.actor.displayName,
      referrerAgencyId: ctx.actor.agencyId,
      referrerRole: 'Professional referral through Together',
      referrerContact: me!.email,
      concern: concernForFrontDoor(input),
      consent: input.consent.consent,
      consentReason: input.consent.consentReason ?? '',
      urgency: input.concern.urgency,
      children: [child],
    })
    const recorded = await insertContact(ctx, tx, contactFields, now, { teamId, ground, referral: true })
    if (recorded instanceof AccessDenied) {
      refusal = recorded
      return null
    }
    const [referral] = await tx
      .insert(professionalReferral)
      .values({
        partnershipId: ctx.actor.partnershipId,
        contactId: recorded.id,
        referrerUserId: ctx.actor.userId,
        referrerAgencyId: ctx.actor.agencyId,
        childDetails: {
          givenName: input.child.givenName,
          familyName: input.child.familyName,
          dateOfBirth: input.child.dateOfBirth ?? input.child.expectedDateOfBirth ?? null,
        },
        concern: input.concern.concern,
        familyTold: input.consent.familyTold,
        createdAt: now,
      })
      .returning({ id: professionalReferral.id })
    await audit(ctx, tx, { action: 'referral.submit', recordType: 'contact', recordId: recorded.id, ground, detail: { referralId: referral!.id } })
    await notifyUsers(ctx, tx, await activeUsers(tx, { teamId }), {
      kind: 'referral-received',
      title: `New ${input.concern.urgency === 'standard' ? '' : `${input.concern.urgency} `}referral from ${me!.agencyName}`,
      link: `/contacts/${recorded.id}`,
    })
    return { id: referral!.id, contactId: recorded.id }
  })
  if (refusal) throw refusal
  await discardDraft(ctx, REFERRAL_DRAFT_KEY)
  return submitted!
}

export interface MyReferral {
  id: string
  contactId: string
  childName: string
  childDateOfBirth: string | null
  sentAt: Date
  urgency: string
  /** Acknowledgement against the 1 working day clock (T02: the same clock as the decision). */
  acknowledgement: ClockStatus
  acknowledgedOn: string | null
  decision: string | null
  decidedOn: string | null
  feedbackOn: string | null
  feedback: string | null
  additions: number
}

function referralsQuery(db: Db) {
  return db
    .select({
      id: professionalReferral.id,
      contactId: contact.id,
      child: professionalReferral.childDetails,
      sentAt: contact.receivedAt,
      urgency: contact.urgency,
      acknowledgedOn: contact.acknowledgedOn,
      decision: contact.decision,
      decidedAt: contact.decidedAt,
      feedbackOn: contact.feedbackOn,
      feedback: contact.feedback,
      additions: sql<number>`(select count(*)::int from ${contactAddition} where ${contactAddition.contactId} = ${contact.id})`,
    })
    .from(professionalReferral)
    .innerJoin(contact, eq(contact.id, professionalReferral.contactId))
    .$dynamic()
}

type ReferralQueryRow = Awaited<ReturnType<ReturnType<typeof referralsQuery>['execute']>>[number]

function toMyReferral(r: ReferralQueryRow, today: string): MyReferral {
  const child = r.child as { givenName: string; familyName: string; dateOfBirth: string | null }
  const sentOn = londonDate(r.sentAt)
  return {
    id: r.id,
    contactId: r.contactId,
    childName: `${child.givenName} ${child.familyName}`,
    childDateOfBirth: child.dateOfBirth,
    sentAt: r.sentAt,
    urgency: r.urgency,
    acknowledgement: clockStatus({ rule: 'referral-decision', start: sentOn, completed: r.acknowledgedOn, today }),
    acknowledgedOn: r.acknowledgedOn,
    decision: r.decision,
    decidedOn: r.decidedAt ? londonDate(r.decidedAt) : null,
    feedbackOn: r.feedbackOn,
    feedback: r.feedback,
    additions: r.additions,
  }
}

/** The referrer's own referrals, newest first (then by id), a page at a time with how many there are. Shows only what they sent and what they were told. */
export async function myReferrals(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<MyReferral>> {
  requireReferrer(ctx)
  const theirs = eq(professionalReferral.referrerUserId, ctx.actor.userId)
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(professionalReferral).where(theirs),
    referralsQuery(ctx.db).where(theirs).orderBy(desc(contact.receivedAt), desc(professionalReferral.id)).limit(page.limit).offset(page.offset),
  )
  const today = londonDate(ctx.now())
  return { ...listed, items: listed.items.map((r) => toMyReferral(r, today)) }
}

export interface MyReferralDetail extends MyReferral {
  /** The concern as the referrer sent it (for a referral sent before it was kept on its own: the whole text the front door received). */
  concern: string
  familyTold: string
  additionsList: ContactAdditionView[]
}

/**
 * One of the referrer's own referrals (anyone else's is NotFound). It shows the child's details, so
 * reading it is audited, naming the child, like every read of a child's details.
 */
export async function myReferral(ctx: ServiceContext, referralId: string): Promise<MyReferralDetail> {
  const ground = requireReferrer(ctx)
  const [row] = await referralsQuery(ctx.db)
    .where(and(eq(professionalReferral.id, referralId), eq(professionalReferral.referrerUserId, ctx.actor.userId)))
  if (!row) throw new NotFound('No referral of yours with that id')
  for (const personId of await peopleOfContact(ctx.db, row.contactId)) {
    await auditGrouped(ctx, { action: 'referral.view', recordType: 'referral', recordId: referralId, subjectPersonId: personId, ground })
  }
  const [extra] = await ctx.db
    .select({ familyTold: professionalReferral.familyTold, concern: professionalReferral.concern, sent: contact.concern })
    .from(professionalReferral)
    .innerJoin(contact, eq(contact.id, professionalReferral.contactId))
    .where(eq(professionalReferral.id, referralId))
  return {
    ...toMyReferral(row, londonDate(ctx.now())),
    concern: extra!.concern ?? extra!.sent,
    familyTold: extra!.familyTold,
    additionsList: await additionsOf(ctx.db, row.contactId),
  }
}

/**
 * Adds information to a referral already sent: it is kept with the contact, appears in each
 * child's chronology, and the front door team (and an allocated worker) are told.
 */
export async function addReferralInformation(ctx: ServiceContext, referralId: string, input: ReferralAdditionInput): Promise<void> {
  const ground = requireReferrer(ctx)
  await ctx.db.transaction(async (tx) => {
    const [referral] = await tx
      .select({ contactId: professionalReferral.contactId, teamId: contact.teamId })
      .from(professionalReferral)
      .innerJoin(contact, eq(contact.id, professionalReferral.contactId))
      .where(and(eq(professionalReferral.id, referralId), eq(professionalReferral.referrerUserId, ctx.actor.userId)))
    if (!referral) throw new NotFound('No referral of yours with that id')
    const [added] = await tx
      .insert(contactAddition)
      .values({ partnershipId: ctx.actor.partnershipId, contactId: referral.contactId, body: input.information, addedBy: ctx.actor.userId, addedAt: ctx.now() })
      .returning()
    const children = await tx
      .select({ caseId: contactChild.caseId, personId: contactChild.personId, worker: childCase.allocatedWorkerId })
      .from(contactChild)
      .innerJoin(childCase, eq(childCase.id, contactChild.caseId))
      .where(eq(contactChild.contactId, referral.contactId))
    for (const child of children) {
      await recordRevisionOf(ctx, tx, child.caseId, 'contact-addition', { ...added!, version: 1 })
      await audit(ctx, tx, { action: 'contact.add-information', recordType: 'contact', recordId: referral.contactId, subjectPersonId: child.personId, ground })
    }
    const recipients = [
      ...(referral.teamId ? await activeUsers(tx, { teamId: referral.teamId }) : []),
      ...children.flatMap((c) => (c.worker ? [c.worker] : [])),
    ]
    await notifyUsers(ctx, tx, recipients, {
      kind: 'referral-information-added',
      title: `${ctx.actor.displayName} added information to their referral`,
      link: `/contacts/${referral.contactId}`,
    })
  })
}

/** Ids of the people a set of contacts is about (for tests and the demo). */
export async function peopleOfContact(db: Db, contactId: string): Promise<string[]> {
  const rows = await db.select({ id: contactChild.personId }).from(contactChild).where(inArray(contactChild.contactId, [contactId]))
  return rows.map((r) => r.id)
}
