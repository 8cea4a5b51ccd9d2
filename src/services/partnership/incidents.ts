/**
 * Serious incidents and their rapid reviews. The business unit records that the local authority
 * became aware of an incident (linked to the child's record); the notification is due within
 * 5 working days and goes to the recipients of the edition in force on that date; from WT2018 a
 * rapid review follows within 15 working days of the notification: agencies contribute, the
 * merged chronology is read as known at the incident date, the partners decide and submit to the
 * Panel. Only the review's members see any of it (services/partnership/access.ts).
 */
import { and, asc, count, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, agencyContribution, appUser, reviewMember, seriousIncident } from '../../db/schema/index.ts'
import { mergedChronology, type MergedEntry } from '../../domain/partnership/merged-chronology.ts'
import { notificationRecipients } from '../../domain/partnership/notification.ts'
import type { DatedEntry } from '../../domain/partnership/dated-entries.ts'
import { editionInForce, type EditionYear } from '../../domain/timescales/index.ts'
import { chronologyEntries } from '../../domain/journey/chronology.ts'
import { audit } from '../access/audit.ts'
import { revisionsOfCase } from '../journey/chronology.ts'
import { documentKindsOf } from '../records/document-kinds.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { addReviewMember, isReviewMember, openPartnershipRecord, requireGeneral } from './access.ts'
import { decideGeneral, decideOnPartnershipRecord } from '../../domain/access/policy.ts'
import { localRulesOf, showLinkedCase } from '../journey/case-records.ts'
import { partnershipTransaction } from './access.ts'
import { findChildCase } from './child-link.ts'
import { contributionsOf, requestContribution, type ContributionView } from './contributions.ts'
import type { ContributionRequestInput, IncidentDelayInput, IncidentInput, NotificationInput, PanelSubmissionInput, RapidReviewDecisionInput } from './incident-input.ts'
import { requireCompletedLate, requireLateReason } from '../journey/clock-delays.ts'
import { getOwnRecord, recordClock, shownRecord, updateVersioned, type RecordClock, type ShownRecord } from './records.ts'
import { loadCase, type CaseSummary } from '../journey/case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type IncidentRow = typeof seriousIncident.$inferSelect

export interface IncidentSummary {
  id: string
  /** Null when the policy does not show the user the child (a restricted record, without explicit permission). */
  childName: string | null
  kind: string
  incidentOn: string
  awareOn: string
  notifiedOn: string | null
  rapidReviewDecision: string | null
  submittedToPanelOn: string | null
}

export interface Member {
  userId: string
  displayName: string
  agencyName: string
  role: string
}

export interface IncidentView {
  /** The incident; its child's case id only when the child is shown. */
  incident: ShownRecord<IncidentRow>
  /** The child, as the policy shows them to review members (null: a restricted record, without explicit permission). */
  child: CaseSummary | null
  /** Recipients per edition: stored once notified, otherwise those the edition calls for. */
  recipients: string[]
  recipientsCaveat: string | null
  clocks: RecordClock[]
  /** Whether the edition has rapid reviews (WT2018 onward). */
  hasRapidReview: boolean
  members: Member[]
  contributions: ContributionView[]
  mayUpdate: boolean
}

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/** Records a serious incident the local authority became aware of; the recorder leads its review. */
export async function recordIncident(ctx: ServiceContext, input: IncidentInput): Promise<IncidentRow> {
  const ground = requireGeneral(ctx, 'review:start')
  refuseFuture(ctx, { incidentOn: [input.incidentOn, 'the date of the incident'], awareOn: [input.awareOn, 'the date the local authority became aware'] })
  const edition = editionInForce(input.awareOn)
  if (!edition) throw new ValidationFailed({ awareOn: 'Together records incidents from April 2006 (Working Together 2006) onward' })
  // The policy decides the link: a restricted child only with explicit permission, never revealed.
  const child = await findChildCase(ctx, input.child, decideGeneral(ctx.actor, 'review:start'))
  return partnershipTransaction(ctx, async (tx) => {
    const clock = recordClock('serious-incident-notification', input.awareOn, null, input.awareOn, {
      localRules: await localRulesOf(tx, ctx.actor.partnershipId),
    })
    const [row] = await tx
      .insert(seriousIncident)
      .values({
        partnershipId: ctx.actor.partnershipId,
        caseId: child.id,
        kind: input.kind,
        incidentOn: input.incidentOn,
        awareOn: input.awareOn,
        summary: input.summary,
        edition: edition.year,
        notificationDueOn: clock?.dueOn ?? null,
        recordedBy: ctx.actor.userId,
      })
      .returning()
    await audit(ctx, tx, {
      action: 'serious-incident.create',
      recordType: 'serious-incident',
      recordId: row!.id,
      subjectPersonId: child.personId,
      ground,
      detail: { kind: input.kind, edition: edition.year },
    })
    await addReviewMember(ctx, tx, 'incident', row!.id, ctx.actor.userId, 'lead')
    return row!
  })
}

/** The incidents the user works on, newest first. */
export async function listIncidents(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<IncidentSummary>> {
  const memberOf = ctx.db
    .select({ id: reviewMember.subjectId })
    .from(reviewMember)
    .where(and(eq(reviewMember.userId, ctx.actor.userId), eq(reviewMember.subjectType, 'incident'), isNull(reviewMember.endedAt)))
  const theirs = and(eq(seriousIncident.partnershipId, ctx.actor.partnershipId), inArray(seriousIncident.id, memberOf))
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(seriousIncident).where(theirs),
    ctx.db.select().from(seriousIncident).where(theirs).orderBy(desc(seriousIncident.awareOn), desc(seriousIncident.id)).limit(page.limit).offset(page.offset),
  )
  const out: IncidentSummary[] = []
  for (const r of listed.items) {
    // Listed because the user works on it: each child's name is shown through the policy, as a review member.
    const asMember = decideOnPartnershipRecord(ctx.actor, 'read', { kind: 'review', partnershipId: r.partnershipId, member: true })
    const childName = await showLinkedCase(ctx, r.caseId, asMember, 'serious-incidents', async (_db, open) => `${open.c.givenName} ${open.c.familyName}`)
    out.push({
      id: r.id,
      childName,
      kind: r.kind,
      incidentOn: r.incidentOn,
      awareOn: r.awareOn,
      notifiedOn: r.notifiedOn,
      rapidReviewDecision: r.rapidReviewDecision,
      submittedToPanelOn: r.submittedToPanelOn,
    })
  }
  if (out.length > 0) await audit(ctx, ctx.db, { action: 'serious-incident.list', detail: { incidents: out.map((i) => i.id) } })
  return { ...listed, items: out }
}

async function membership(db: Db, ctx: ServiceContext, incident: IncidentRow) {
  return { kind: 'review' as const, partnershipId: incident.partnershipId, member: await isReviewMember(db, ctx.actor.userId, 'incident', incident.id) }
}

/** Opens an incident for `action`: reads are audited, refusals audited and thrown. */
export async function openIncident(ctx: ServiceContext, db: Db, id: string, action: 'read' | 'update', section = 'overview') {
  const incident = await getOwnRecord<IncidentRow>(db, ctx, seriousIncident, id, 'serious incident')
  const opened = await openPartnershipRecord(ctx, action, {
    recordType: 'serious-incident',
    recordId: id,
    subjectPersonId: (await loadCase(db, ctx.actor, incident.caseId)).personId,
    record: await membership(db, ctx, incident),
    section,
  })
  return { incident, ground: opened.ground, decision: opened.decision }
}

export async function membersOf(db: Db, subjectType: string, subjectId: string): Promise<Member[]> {
  return db
    .select({ userId: appUser.id, displayName: appUser.displayName, agencyName: agency.name, role: reviewMember.role })
    .from(reviewMember)
    .innerJoin(appUser, eq(appUser.id, reviewMember.userId))
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .where(and(eq(reviewMember.subjectId, subjectId), eq(reviewMember.subjectType, subjectType), isNull(reviewMember.endedAt)))
    .orderBy(asc(reviewMember.createdAt))
}

export function incidentClocks(incident: IncidentRow, today: string): RecordClock[] {
  const edition = incident.edition
  return [
    recordClock('serious-incident-notification', incident.awareOn, incident.notifiedOn, today, {
      edition,
      delayReason: incident.notificationLateReason,
    }),
    recordClock('rapid-review', incident.notifiedOn, incident.submittedToPanelOn, today, { edition, delayReason: incident.rapidReviewLateReason }),
  ].filter((c): c is RecordClock => c !== null)
}

export async function getIncident(ctx: ServiceContext, id: string): Promise<IncidentView> {
  const { incident, decision } = await openIncident(ctx, ctx.db, id, 'read')
  const expected = notificationRecipients(incident.edition as EditionYear, incident.kind)
  const child = await showLinkedCase(ctx, incident.caseId, decision, 'serious-incident', async (_db, open) => open.c)
  return {
    incident: shownRecord(incident, child !== null),
    child,
    recipients: incident.notifiedOn ? incident.recipients : expected.recipients,
    recipientsCaveat: expected.caveat,
    clocks: incidentClocks(incident, londonDate(ctx.now())),
    hasRapidReview: incident.edition >= 2018,
    members: await membersOf(ctx.db, 'incident', id),
    contributions: await contributionsOf(ctx.db, 'incident', id, londonDate(ctx.now())),
    mayUpdate: ctx.actor.roles.includes('business-unit'),
  }
}

/** Changes an incident the user may update, auditing the change under their ground. */
async function changeIncident(
  ctx: ServiceContext,
  id: string,
  version: number,
  action: string,
  changes: (incident: IncidentRow) => Partial<IncidentRow>,
): Promise<IncidentRow> {
  return partnershipTransaction(ctx, async (tx) => {
    const { incident, ground } = await openIncident(ctx, tx, id, 'update')
    const set = changes(incident)
    const row = await updateVersioned<IncidentRow>(ctx, tx, seriousIncident, id, version, set)
    const child = await loadCase(tx, ctx.actor, incident.caseId)
    await audit(ctx, tx, { action, recordType: 'serious-incident', recordId: id, subjectPersonId: child.personId, ground, detail: { fields: Object.keys(set) } })
    return row
  })
}

/** Records that the notification was sent, to the recipients of the incident's edition. */
export async function recordNotification(ctx: ServiceContext, id: string, input: NotificationInput): Promise<IncidentRow> {
  refuseFuture(ctx, { notifiedOn: [input.notifiedOn, 'the date the notification was sent'] })
  return changeIncident(ctx, id, input.version, 'serious-incident.notify', (incident) => {
    if (input.notifiedOn < incident.awareOn) throw new ValidationFailed({ notifiedOn: 'The notification cannot be sent before the local authority became aware' })
    requireLateReason('lateReasonCode', 'the notification', incident.notificationDueOn, input.notifiedOn, input.lateReasonCode ?? null)
    const rapid = recordClock('rapid-review', input.notifiedOn, null, input.notifiedOn, { edition: incident.edition })
    return {
      notifiedOn: input.notifiedOn,
      notificationLateReason: input.lateReason,
      notificationLateReasonCode: input.lateReasonCode ?? null,
      recipients: notificationRecipients(incident.edition as EditionYear, incident.kind).recipients,
      rapidReviewDueOn: rapid?.dueOn ?? null,
    }
  })
}

export async function recordRapidReviewDecision(ctx: ServiceContext, id: string, input: RapidReviewDecisionInput): Promise<IncidentRow> {
  refuseFuture(ctx, { decidedOn: [input.decidedOn, 'the date of the decision'] })
  return changeIncident(ctx, id, input.version, 'rapid-review.decide', (incident) => {
    if (incident.edition < 2018) throw new ValidationFailed({ decision: 'Rapid reviews began with Working Together 2018: record a serious case review instead' })
    if (!incident.notifiedOn) throw new ValidationFailed({ decision: 'Record the notification first: the rapid review follows it' })
    return { rapidReviewDecision: input.decision, rapidReviewReasons: input.reasons, rapidReviewDecidedOn: input.decidedOn }
  })
}

export async function submitToPanel(ctx: ServiceContext, id: string, input: PanelSubmissionInput): Promise<IncidentRow> {
  refuseFuture(ctx, { submittedOn: [input.submittedOn, 'the date it was sent'] })
  return changeIncident(ctx, id, input.version, 'rapid-review.submit', (incident) => {
    if (!incident.rapidReviewDecision) throw new ValidationFailed({ submittedOn: 'Record the rapid review’s decision before sending it to the Panel' })
    requireLateReason('lateReasonCode', 'the rapid review', incident.rapidReviewDueOn, input.submittedOn, input.lateReasonCode ?? null)
    return { submittedToPanelOn: input.submittedOn, rapidReviewLateReason: input.lateReason, rapidReviewLateReasonCode: input.lateReasonCode ?? null }
  })
}

/**
 * Gives or changes the reason the notification or the rapid review was late, afterwards (the
 * business unit; versioned; audited with the code, never the words).
 */
export async function explainIncidentDelay(ctx: ServiceContext, id: string, input: IncidentDelayInput): Promise<IncidentRow> {
  return changeIncident(ctx, id, input.version, 'serious-incident.late-reason', (incident) => {
    const [dueOn, doneOn] = input.timescale === 'notification' ? [incident.notificationDueOn, incident.notifiedOn] : [incident.rapidReviewDueOn, incident.submittedToPanelOn]
    requireCompletedLate(dueOn, doneOn)
    return input.timescale === 'notification'
      ? { notificationLateReasonCode: input.reasonCode, notificationLateReason: input.reason }
      : { rapidReviewLateReasonCode: input.reasonCode, rapidReviewLateReason: input.reason }
  })
}

/** Adds a user of the partnership to the people working on the incident. */
export async function addIncidentMember(ctx: ServiceContext, id: string, userId: string): Promise<void> {
  await partnershipTransaction(ctx, async (tx) => {
    await openIncident(ctx, tx, id, 'update')
    await assertActiveUser(tx, ctx, userId)
    await addReviewMember(ctx, tx, 'incident', id, userId, 'member')
  })
}

export async function assertActiveUser(db: Db, ctx: ServiceContext, userId: string, field = 'userId') {
  const [u] = await db
    .select({ id: appUser.id, agencyId: appUser.agencyId })
    .from(appUser)
    .where(and(eq(appUser.id, userId), eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
  if (!u) throw new ValidationFailed({ [field]: 'Select an active user of the partnership' })
  return u
}

export interface RapidReviewChronology {
  /** The incident; its child's case id only when the child is shown. */
  incident: ShownRecord<IncidentRow>
  /** Null when the policy does not show the user the child's record: the entries are then the agencies' only. */
  child: CaseSummary | null
  entries: MergedEntry[]
}

/**
 * The merged multi-agency chronology for the rapid review: the child's record as known at the
 * end of the incident date (records made later are left out) with each agency's submitted
 * entries. Reading it is a read of the child's record by a review member, audited as such.
 */
export async function rapidReviewChronology(ctx: ServiceContext, id: string): Promise<RapidReviewChronology> {
  const { incident, decision } = await openIncident(ctx, ctx.db, id, 'read', 'merged-chronology')
  // The child's record as known at the incident date is a read of the child's case by a review
  // member, decided and audited by the case gateway; a restricted record needs explicit permission.
  const shown = await showLinkedCase(ctx, incident.caseId, decision, 'rapid-review-chronology', async (db, open) => {
    const revisions = await revisionsOfCase(db, ctx.actor.partnershipId, open.c.id, incident.incidentOn)
    return { child: open.c, record: chronologyEntries(revisions, { asKnownAt: incident.incidentOn, documentKinds: await documentKindsOf(db, ctx.actor.partnershipId) }) }
  })
  const contributions = await ctx.db
    .select({ agency: agency.name, entries: agencyContribution.entries })
    .from(agencyContribution)
    .innerJoin(agency, eq(agency.id, agencyContribution.agencyId))
    .where(and(eq(agencyContribution.subjectId, id), eq(agencyContribution.subjectType, 'incident')))
  const submitted = contributions.map((c) => ({ agency: c.agency, entries: c.entries as DatedEntry[] }))
  return { incident: shownRecord(incident, shown !== null), child: shown?.child ?? null, entries: mergedChronology(incident.incidentOn, shown?.record ?? [], submitted) }
}

/** Asks an agency involved for its contribution to the rapid review (a task for its named user). */
export async function requestIncidentContribution(ctx: ServiceContext, id: string, input: ContributionRequestInput) {
  return partnershipTransaction(ctx, async (tx) => {
    const { incident } = await openIncident(ctx, tx, id, 'update')
    return requestContribution(ctx, tx, { type: 'incident', id, caseId: incident.caseId }, input)
  })
}
