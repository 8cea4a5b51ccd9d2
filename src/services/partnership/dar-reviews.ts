/**
 * Domestic abuse related death reviews (domestic homicide reviews, working-together.md §5.1):
 * the police notify the community safety partnership of a death (aged 16 or over; since 2016
 * also deaths by suicide where there was domestic abuse); the partnership decides whether to hold
 * a review (1 month, unverified default) and tells the Home Office; a chair is appointed, the
 * panel meets, the overview report goes to the Home Office quality assurance panel (6 months from
 * the decision, unverified default) and a copy to the Domestic Abuse Commissioner; then it is
 * published. It may be linked to a child safeguarding practice review about the same family.
 * Review material: only the review's members (review_member, as for practice reviews).
 */
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm'
import type { z } from 'zod'
import type { Db } from '../../db/connection.ts'
import { darReview, practiceReview } from '../../db/schema/index.ts'
import type { DatedEntry } from '../../domain/partnership/dated-entries.ts'
import { audit } from '../access/audit.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { addReviewMember, isReviewMember, memberSubjectIds, openPartnershipRecord, partnershipTransaction, requireGeneral } from './access.ts'
import type { darChairInput, darDecisionInput, darDelayInput, darLinkInput, darPublicationInput, darReportInput, DarReviewInput, darTimelineInput } from './dar-review-input.ts'
import { assertActiveUser, membersOf, type Member } from './incidents.ts'
import { getOwnRecord, recordClock, updateVersioned, type RecordChanges, type RecordClock } from './records.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { requireCompletedLate, requireLateReason } from '../journey/clock-delays.ts'

export type DarRow = typeof darReview.$inferSelect

export interface LinkedReview {
  id: string
  /** Null when the viewer does not work on the linked review: its title is review material too. */
  title: string | null
}

export interface DarView {
  dar: DarRow
  timeline: DatedEntry[]
  clocks: RecordClock[]
  members: Member[]
  linkedReview: LinkedReview | null
  /** Practice reviews the viewer works on, to link this one to. */
  linkableReviews: { id: string; title: string }[]
  mayUpdate: boolean
}

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

export function darClocks(d: DarRow, today: string): RecordClock[] {
  return [
    recordClock('dhr-decision', d.notifiedOn, d.decidedOn, today, { delayReason: d.decisionLateReason }),
    d.decision === 'review' ? recordClock('dhr-completion', d.decidedOn, d.homeOfficeSentOn, today, { delayReason: d.lateReason }) : null,
  ].filter((c): c is RecordClock => c !== null)
}

async function nextReference(tx: Db, ctx: ServiceContext, year: string): Promise<string> {
  const rows = await tx.select({ id: darReview.id }).from(darReview).where(eq(darReview.partnershipId, ctx.actor.partnershipId))
  return `DARDR-${year}-${String(rows.length + 1).padStart(3, '0')}`
}

/** The business unit records a death notified to the community safety partnership; the recorder leads. */
export async function recordDarReview(ctx: ServiceContext, input: DarReviewInput): Promise<DarRow> {
  const ground = requireGeneral(ctx, 'review:start')
  refuseFuture(ctx, { deathOn: [input.deathOn, 'the date of death'], notifiedOn: [input.notifiedOn, 'the date of the notification'] })
  return partnershipTransaction(ctx, async (tx) => {
    const decision = recordClock('dhr-decision', input.notifiedOn, null, input.notifiedOn)
    const [row] = await tx
      .insert(darReview)
      .values({
        partnershipId: ctx.actor.partnershipId,
        reference: await nextReference(tx, ctx, input.notifiedOn.slice(0, 4)),
        ...input,
        decisionDueOn: decision?.dueOn ?? null,
        recordedBy: ctx.actor.userId,
      })
      .returning()
    await audit(ctx, tx, { action: 'dar-review.create', recordType: 'dar-review', recordId: row!.id, ground, detail: { suicide: input.suicide } })
    await addReviewMember(ctx, tx, 'dar-review', row!.id, ctx.actor.userId, 'lead')
    return row!
  })
}

async function openDar(ctx: ServiceContext, db: Db, id: string, action: 'read' | 'update', section = 'overview') {
  const dar = await getOwnRecord<DarRow>(db, ctx, darReview, id, 'domestic abuse related death review')
  const opened = await openPartnershipRecord(ctx, action, {
    recordType: 'dar-review',
    recordId: id,
    record: { kind: 'review', partnershipId: dar.partnershipId, member: await isReviewMember(db, ctx.actor.userId, 'dar-review', id) },
    section,
  })
  return { dar, ground: opened.ground }
}

/** The practice reviews the user works on (linking to one they do not would reveal it). */
async function myPracticeReviews(ctx: ServiceContext, db: Db) {
  const memberOf = memberSubjectIds(db, ctx.actor.userId, 'practice-review')
  return db
    .select({ id: practiceReview.id, title: practiceReview.title, incidentId: practiceReview.incidentId })
    .from(practiceReview)
    .where(and(eq(practiceReview.partnershipId, ctx.actor.partnershipId), inArray(practiceReview.id, memberOf)))
    .orderBy(desc(practiceReview.decidedOn))
}

export async function getDarReview(ctx: ServiceContext, id: string): Promise<DarView> {
  const { dar } = await openDar(ctx, ctx.db, id, 'read')
  const mine = await myPracticeReviews(ctx, ctx.db)
  const linked = dar.linkedReviewId ? (mine.find((r) => r.id === dar.linkedReviewId) ?? null) : null
  return {
    dar,
    timeline: dar.timeline as DatedEntry[],
    clocks: darClocks(dar, londonDate(ctx.now())),
    members: await membersOf(ctx.db, 'dar-review', id),
    linkedReview: dar.linkedReviewId ? { id: dar.linkedReviewId, title: linked?.title ?? null } : null,
    linkableReviews: mine.map((r) => ({ id: r.id, title: r.title })),
    mayUpdate: ctx.actor.roles.includes('business-unit'),
  }
}

/** The reviews the user works on, newest notification first. */
export async function listDarReviews(ctx: ServiceContext, page: PageRequest = FIRST_PAGE) {
  const memberOf = memberSubjectIds(ctx.db, ctx.actor.userId, 'dar-review')
  const theirs = and(eq(darReview.partnershipId, ctx.actor.partnershipId), inArray(darReview.id, memberOf))
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(darReview).where(theirs),
    ctx.db.select().from(darReview).where(theirs).orderBy(desc(darReview.notifiedOn), asc(darReview.reference), asc(darReview.id)).limit(page.limit).offset(page.offset),
  )
  const rows = listed.items
  if (rows.length > 0) await audit(ctx, ctx.db, { action: 'dar-review.list', detail: { reviews: rows.map((r) => r.id) } })
  const today = londonDate(ctx.now())
  return { ...listed, items: rows.map((r) => ({ ...r, clocks: darClocks(r, today) })) }
}

async function changeDar(ctx: ServiceContext, id: string, version: number, action: string, changes: RecordChanges<DarRow>, detail: Record<string, unknown> = {}) {
  return partnershipTransaction(ctx, async (tx) => {
    const { dar, ground } = await openDar(ctx, tx, id, 'update')
    const set = await changes(dar, tx)
    const row = await updateVersioned<DarRow>(ctx, tx, darReview, id, version, set)
    await audit(ctx, tx, { action, recordType: 'dar-review', recordId: id, ground, detail: { fields: Object.keys(set), ...detail } })
    return row
  })
}

/**
 * The community safety partnership's decision; a review starts the completion clock. A decision
 * after its due date (dhr-decision) asks for the coded reason, with the words beside it.
 */
export async function recordDarDecision(ctx: ServiceContext, id: string, input: z.infer<typeof darDecisionInput>) {
  refuseFuture(ctx, { decidedOn: [input.decidedOn, 'the date of the decision'], decisionNotifiedOn: [input.decisionNotifiedOn, 'the date the Home Office was told'] })
  return changeDar(ctx, id, input.version, 'dar-review.decide', (d) => {
    if (input.decidedOn < d.notifiedOn) throw new ValidationFailed({ decidedOn: 'The decision cannot come before the notification' })
    if (input.decisionNotifiedOn && input.decisionNotifiedOn < input.decidedOn) {
      throw new ValidationFailed({ decisionNotifiedOn: 'The Home Office cannot be told before the decision' })
    }
    requireLateReason('lateReasonCode', 'the decision', d.decisionDueOn, input.decidedOn, input.lateReasonCode ?? null)
    const completion = input.decision === 'review' ? recordClock('dhr-completion', input.decidedOn, null, input.decidedOn) : null
    return {
      decision: input.decision,
      decisionReasons: input.decisionReasons,
      decidedOn: input.decidedOn,
      decisionNotifiedOn: input.decisionNotifiedOn,
      decisionLateReasonCode: input.lateReasonCode ?? null,
      decisionLateReason: input.lateReason ?? null,
      completionDueOn: completion?.dueOn ?? null,
    }
  })
}

function requireReview(d: DarRow, field: string) {
  if (d.decision !== 'review') throw new ValidationFailed({ [field]: 'Record the decision to hold a review first' })
}

export const appointDarChair = (ctx: ServiceContext, id: string, input: z.infer<typeof darChairInput>) => {
  refuseFuture(ctx, { chairAppointedOn: [input.chairAppointedOn, 'the date the chair was appointed'] })
  return changeDar(ctx, id, input.version, 'dar-review.chair', (d) => {
    requireReview(d, 'chair')
    return { chair: input.chair, chairAppointedOn: input.chairAppointedOn, scope: input.scope }
  })
}

/** Adds a dated event to the review's timeline (panel meetings, requests for records ...). */
export const addDarTimelineEntry = (ctx: ServiceContext, id: string, input: z.infer<typeof darTimelineInput>) => {
  refuseFuture(ctx, { entryOn: [input.entryOn, 'the date'] })
  return changeDar(ctx, id, input.version, 'dar-review.timeline', (d) => {
    const entries = [...(d.timeline as DatedEntry[]), { on: input.entryOn, text: input.entry }]
    return { timeline: entries.sort((a, b) => a.on.localeCompare(b.on)) }
  })
}

/** The overview report, its submission to the Home Office and the copy to the Domestic Abuse Commissioner. */
export const recordDarReport = (ctx: ServiceContext, id: string, input: z.infer<typeof darReportInput>) => {
  refuseFuture(ctx, {
    reportCompletedOn: [input.reportCompletedOn, 'the date the report was completed'],
    homeOfficeSentOn: [input.homeOfficeSentOn, 'the date it was sent to the Home Office'],
    commissionerCopyOn: [input.commissionerCopyOn, 'the date of the copy to the Commissioner'],
  })
  return changeDar(ctx, id, input.version, 'dar-review.report', (d) => {
    requireReview(d, 'reportCompletedOn')
    for (const field of ['homeOfficeSentOn', 'commissionerCopyOn'] as const) {
      const on = input[field]
      if (on && on < input.reportCompletedOn) throw new ValidationFailed({ [field]: 'The report cannot be sent before it was completed' })
    }
    if (input.homeOfficeSentOn) requireLateReason('lateReasonCode', 'the report to the Home Office', d.completionDueOn, input.homeOfficeSentOn, input.lateReasonCode ?? null)
    return {
      reportCompletedOn: input.reportCompletedOn,
      reportSummary: input.reportSummary,
      homeOfficeSentOn: input.homeOfficeSentOn,
      commissionerCopyOn: input.commissionerCopyOn,
      lateReason: input.lateReason,
      lateReasonCode: input.lateReasonCode ?? null,
    }
  })
}

/**
 * Gives or changes the reason the decision was late, or the review was completed late (its report
 * sent to the Home Office after the due date), afterwards: versioned; audited with the fields and
 * the code, never the words.
 */
export const explainDarDelay = (ctx: ServiceContext, id: string, input: z.infer<typeof darDelayInput>) =>
  changeDar(ctx, id, input.version, 'dar-review.late-reason', (d) => {
    if (input.timescale === 'decision') {
      requireCompletedLate(d.decisionDueOn, d.decidedOn)
      return { decisionLateReasonCode: input.reasonCode, decisionLateReason: input.reason }
    }
    requireCompletedLate(d.completionDueOn, d.homeOfficeSentOn)
    return { lateReasonCode: input.reasonCode, lateReason: input.reason }
  }, { timescale: input.timescale, reasonCode: input.reasonCode })

export const publishDarReview = (ctx: ServiceContext, id: string, input: z.infer<typeof darPublicationInput>) => {
  refuseFuture(ctx, { publishedOn: [input.publishedOn, 'the date of publication'] })
  return changeDar(ctx, id, input.version, 'dar-review.publish', (d) => {
    if (!d.reportCompletedOn) throw new ValidationFailed({ publishedOn: 'Record the overview report before its publication' })
    if (input.publishedOn < d.reportCompletedOn) throw new ValidationFailed({ publishedOn: 'It cannot be published before the report was completed' })
    return { publishedOn: input.publishedOn }
  })
}

/** Links the review to a child safeguarding practice review about the same family (one the user works on). */
export const linkDarToPracticeReview = (ctx: ServiceContext, id: string, input: z.infer<typeof darLinkInput>) =>
  changeDar(ctx, id, input.version, 'dar-review.link', async (_d, tx) => {
    const review = (await myPracticeReviews(ctx, tx)).find((r) => r.id === input.reviewId)
    if (!review) throw new ValidationFailed({ reviewId: 'Select a practice review you work on' })
    return { linkedReviewId: review.id, linkedIncidentId: review.incidentId }
  })

export async function addDarMember(ctx: ServiceContext, id: string, userId: string): Promise<void> {
  await partnershipTransaction(ctx, async (tx) => {
    await openDar(ctx, tx, id, 'update')
    await assertActiveUser(tx, ctx, userId)
    await addReviewMember(ctx, tx, 'dar-review', id, userId, 'member')
  })
}
