/**
 * Practice reviews: local child safeguarding practice reviews (WT2018 onward; 6 months from the
 * decision to publication, with advance notice to the Panel and DfE before publishing) and
 * serious case reviews (WT2006–2015; decision within 1 month of notification under 2013/2015,
 * completion in 4 or 6 months). Reviewer, terms of reference, agency contributions, drafts,
 * publication, and recommendations with actions owned by agencies, tracked until closed.
 * The edition is the incident's (in force when the local authority became aware).
 */
import { and, asc, count, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { z } from 'zod'
import type { Db } from '../../db/connection.ts'
import { agency, appUser, darReview, practiceReview, reviewAction, reviewDraft, reviewMember, reviewRecommendation, task } from '../../db/schema/index.ts'
import { audit } from '../access/audit.ts'
import { localRulesOf, showLinkedCase } from '../journey/case-records.ts'
import { AccessDenied, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { FIRST_PAGE, pageFrom, type Page, type PageRequest } from '../common/paging.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { addReviewMember, isReviewMember, memberSubjectIds, openPartnershipRecord } from './access.ts'
import { partnershipTransaction } from './access.ts'
import { contributionsOf, requestContribution, type ContributionView } from './contributions.ts'
import type { ContributionRequestInput } from './incident-input.ts'
import { membersOf, openIncident, type Member } from './incidents.ts'
import { getOwnRecord, recordClock, shownRecord, updateVersioned, type RecordChanges, type RecordClock, type ShownRecord } from './records.ts'
import type {
  actionCloseInput,
  actionEvidenceInput,
  actionInput,
  advanceNoticeInput,
  publicationInput,
  recommendationInput,
  reviewDelayInput,
  reviewDetailsInput,
  reviewDraftInput,
  ReviewStartInput,
} from './review-input.ts'
import { loadCase, type CaseSummary } from '../journey/case-access.ts'
import { requireCompletedLate, requireLateReason } from '../journey/clock-delays.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { decideOnPartnershipRecord } from '../../domain/access/policy.ts'

export type ReviewRow = typeof practiceReview.$inferSelect
export type ActionRow = typeof reviewAction.$inferSelect

export interface ActionView extends ActionRow {
  ownerAgencyName: string
  ownerName: string
  overdue: boolean
}

export interface ReviewView {
  /** The review; its child's case id only when the child is shown. */
  review: ShownRecord<ReviewRow>
  /** The child, as the policy shows them to review members (null: a restricted record, without explicit permission). */
  child: CaseSummary | null
  clocks: RecordClock[]
  members: Member[]
  contributions: ContributionView[]
  drafts: (typeof reviewDraft.$inferSelect)[]
  recommendations: (typeof reviewRecommendation.$inferSelect & { actions: ActionView[] })[]
  /** Publishing before the advance notice has run its course is allowed but flagged. */
  publishedBeforeNoticeRan: boolean
  /**
   * The domestic abuse related death reviews linked to this one (the link is made on the death
   * review); the reference is shown only to the death review's members (it is review material).
   */
  linkedDarReviews: { id: string; reference: string | null }[]
}

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/** Starts the review a serious incident called for; the incident's members work on it too. */
export async function startReview(ctx: ServiceContext, input: ReviewStartInput): Promise<ReviewRow> {
  refuseFuture(ctx, { decidedOn: [input.decidedOn, 'the date of the decision'], notifiedOn: [input.notifiedOn, 'the date of the notification'] })
  return partnershipTransaction(ctx, async (tx) => {
    const { incident, ground } = await openIncident(ctx, tx, input.incidentId, 'update')
    const kind = incident.edition >= 2018 ? 'lcspr' : 'scr'
    if (kind === 'lcspr' && incident.rapidReviewDecision !== 'local-review') {
      throw new ValidationFailed({ incidentId: 'A local review follows a rapid review that decided on one' })
    }
    const edition = incident.edition
    const notifiedOn = kind === 'scr' ? (input.notifiedOn ?? incident.notifiedOn) : null
    if (notifiedOn && input.decidedOn < notifiedOn) throw new ValidationFailed({ decidedOn: 'The decision cannot come before the notification' })
    const decision = recordClock('scr-decision', notifiedOn, null, input.decidedOn, { edition })
    requireLateReason('lateReasonCode', 'the decision to hold the review', decision?.dueOn ?? null, input.decidedOn, input.lateReasonCode ?? null)
    const completion = recordClock(kind === 'lcspr' ? 'lcspr' : 'scr-completion', input.decidedOn, null, input.decidedOn, { edition })
    const [row] = await tx
      .insert(practiceReview)
      .values({
        partnershipId: ctx.actor.partnershipId,
        kind,
        incidentId: incident.id,
        caseId: incident.caseId,
        edition,
        title: input.title,
        notifiedOn,
        decisionDueOn: decision?.dueOn ?? null,
        decidedOn: input.decidedOn,
        decisionLateReasonCode: input.lateReasonCode ?? null,
        decisionLateReason: input.lateReason ?? null,
        dueOn: completion?.dueOn ?? null,
        recordedBy: ctx.actor.userId,
      })
      .returning()
    const child = await loadCase(tx, ctx.actor, incident.caseId)
    await audit(ctx, tx, { action: 'practice-review.create', recordType: 'practice-review', recordId: row!.id, subjectPersonId: child.personId, ground, detail: { kind, edition } })
    await addReviewMember(ctx, tx, 'practice-review', row!.id, ctx.actor.userId, 'lead')
    for (const m of await membersOf(tx, 'incident', incident.id)) await addReviewMember(ctx, tx, 'practice-review', row!.id, m.userId, 'member')
    return row!
  })
}

async function openReview(ctx: ServiceContext, db: Db, id: string, action: 'read' | 'update', section = 'overview') {
  const review = await getOwnRecord<ReviewRow>(db, ctx, practiceReview, id, 'practice review')
  const child = await loadCase(db, ctx.actor, review.caseId)
  const opened = await openPartnershipRecord(ctx, action, {
    recordType: 'practice-review',
    recordId: id,
    subjectPersonId: child.personId,
    record: { kind: 'review', partnershipId: review.partnershipId, member: await isReviewMember(db, ctx.actor.userId, 'practice-review', id) },
    section,
  })
  return { review, child, ground: opened.ground, decision: opened.decision }
}

/**
 * Opens a review for its documents (services/partnership/documents.ts), with the same policy and
 * audit as its page (members only): a read is audited as a view of its `documents` section; a
 * refused change is audited by the caller's partnershipTransaction.
 */
export async function openReviewDocuments(ctx: ServiceContext, db: Db, id: string, action: 'read' | 'update'): Promise<{ ground: string; personId: string | null; mayUpdate: boolean }> {
  const { review, child, ground } = await openReview(ctx, db, id, action, 'documents')
  const mayUpdate = decideOnPartnershipRecord(ctx.actor, 'update', { kind: 'review', partnershipId: review.partnershipId, member: true }).allowed
  return { ground, personId: child.personId, mayUpdate }
}

export function reviewClocks(r: ReviewRow, today: string): RecordClock[] {
  const finished = r.kind === 'lcspr' ? r.publishedOn : r.completedOn
  return [
    recordClock('scr-decision', r.notifiedOn, r.decidedOn, today, { edition: r.edition, delayReason: r.decisionLateReason }),
    recordClock(r.kind === 'lcspr' ? 'lcspr' : 'scr-completion', r.decidedOn, finished, today, { edition: r.edition, delayReason: r.lateReason }),
  ].filter((c): c is RecordClock => c !== null)
}

function actionsQuery(db: Db) {
  return db
    .select({ a: reviewAction, ownerAgencyName: agency.name, ownerName: appUser.displayName })
    .from(reviewAction)
    .innerJoin(agency, eq(agency.id, reviewAction.ownerAgencyId))
    .innerJoin(appUser, eq(appUser.id, reviewAction.ownerUserId))
    .$dynamic()
}
type ActionQueryRow = Awaited<ReturnType<ReturnType<typeof actionsQuery>['execute']>>[number]
const actionView = (r: ActionQueryRow, today: string): ActionView => ({
  ...r.a,
  ownerAgencyName: r.ownerAgencyName,
  ownerName: r.ownerName,
  overdue: r.a.status === 'open' && r.a.dueOn < today,
})

export async function getReview(ctx: ServiceContext, id: string): Promise<ReviewView> {
  const today = londonDate(ctx.now())
  const { review, decision } = await openReview(ctx, ctx.db, id, 'read')
  const child = await showLinkedCase(ctx, review.caseId, decision, 'practice-review', async (_db, open) => open.c)
  const recs = await ctx.db.select().from(reviewRecommendation).where(eq(reviewRecommendation.reviewId, id)).orderBy(asc(reviewRecommendation.number))
  const actions = (await actionsQuery(ctx.db).where(eq(reviewAction.reviewId, id)).orderBy(asc(reviewAction.dueOn))).map((r) => actionView(r, today))
  return {
    review: shownRecord(review, child !== null),
    child,
    clocks: reviewClocks(review, today),
    members: await membersOf(ctx.db, 'practice-review', id),
    contributions: await contributionsOf(ctx.db, 'practice-review', id, today),
    drafts: await ctx.db.select().from(reviewDraft).where(eq(reviewDraft.reviewId, id)).orderBy(asc(reviewDraft.receivedOn)),
    recommendations: recs.map((r) => ({ ...r, actions: actions.filter((a) => a.recommendationId === r.id) })),
    publishedBeforeNoticeRan: Boolean(review.publishedOn && (!review.earliestPublicationOn || review.publishedOn < review.earliestPublicationOn) && review.kind === 'lcspr'),
    linkedDarReviews: await linkedDarReviewsOf(ctx, id),
  }
}

/** The death reviews linked to a practice review, named only to their own members. */
async function linkedDarReviewsOf(ctx: ServiceContext, reviewId: string): Promise<ReviewView['linkedDarReviews']> {
  const rows = await ctx.db
    .select({ id: darReview.id, reference: darReview.reference })
    .from(darReview)
    .where(and(eq(darReview.partnershipId, ctx.actor.partnershipId), eq(darReview.linkedReviewId, reviewId)))
    .orderBy(asc(darReview.reference))
  const mine = new Set((await memberSubjectIds(ctx.db, ctx.actor.userId, 'dar-review')).map((m) => m.id))
  return rows.map((r) => ({ id: r.id, reference: mine.has(r.id) ? r.reference : null }))
}

export async function listReviews(ctx: ServiceContext, page: PageRequest = FIRST_PAGE) {
  const memberOf = ctx.db
    .select({ id: reviewMember.subjectId })
    .from(reviewMember)
    .where(and(eq(reviewMember.userId, ctx.actor.userId), eq(reviewMember.subjectType, 'practice-review'), isNull(reviewMember.endedAt)))
  const theirs = and(eq(practiceReview.partnershipId, ctx.actor.partnershipId), inArray(practiceReview.id, memberOf))
  const listed = await pageFrom(
    page,
    ctx.db.select({ n: count() }).from(practiceReview).where(theirs),
    ctx.db.select().from(practiceReview).where(theirs).orderBy(desc(practiceReview.decidedOn), desc(practiceReview.id)).limit(page.limit).offset(page.offset),
  )
  const rows = listed.items
  const today = londonDate(ctx.now())
  if (rows.length > 0) await audit(ctx, ctx.db, { action: 'practice-review.list', detail: { reviews: rows.map((r) => r.id) } })
  // The list names no child (it does not ask the policy about them): no case ids either.
  return { ...listed, items: rows.map((r) => ({ ...shownRecord(r, false), clocks: reviewClocks(r, today) })) }
}

async function changeReview(ctx: ServiceContext, id: string, version: number, action: string, changes: RecordChanges<ReviewRow>, detail: Record<string, unknown> = {}) {
  return partnershipTransaction(ctx, async (tx) => {
    const { review, child, ground } = await openReview(ctx, tx, id, 'update')
    const set = await changes(review, tx)
    const row = await updateVersioned<ReviewRow>(ctx, tx, practiceReview, id, version, set)
    await audit(ctx, tx, { action, recordType: 'practice-review', recordId: id, subjectPersonId: child.personId, ground, detail: { fields: Object.keys(set), ...detail } })
    return row
  })
}

export const updateReviewDetails = (ctx: ServiceContext, id: string, input: z.infer<typeof reviewDetailsInput>) =>
  changeReview(ctx, id, input.version, 'practice-review.update', () => ({ reviewer: input.reviewer, termsOfReference: input.termsOfReference }))

/** The advance copy to the Panel and DfE: publication should wait the local notice period (default 7 WD). */
export async function recordAdvanceNotice(ctx: ServiceContext, id: string, input: z.infer<typeof advanceNoticeInput>) {
  refuseFuture(ctx, { advanceNoticeOn: [input.advanceNoticeOn, 'the date the advance copy was sent'] })
  return changeReview(ctx, id, input.version, 'practice-review.advance-notice', async (r, tx) => {
    const wait = recordClock('review-advance-notice', input.advanceNoticeOn, null, input.advanceNoticeOn, {
      edition: r.edition >= 2018 ? r.edition : 2018,
      localRules: await localRulesOf(tx, ctx.actor.partnershipId),
    })
    return { advanceNoticeOn: input.advanceNoticeOn, earliestPublicationOn: wait?.dueOn ?? null }
  })
}

export async function publishReview(ctx: ServiceContext, id: string, input: z.infer<typeof publicationInput>) {
  refuseFuture(ctx, { publishedOn: [input.publishedOn, 'the date of publication'] })
  return changeReview(ctx, id, input.version, 'practice-review.publish', (r) => {
    if (input.publishedOn < r.decidedOn) throw new ValidationFailed({ publishedOn: 'Publication cannot come before the decision to hold the review' })
    const completedOn = r.completedOn ?? input.publishedOn
    requireLateReason('lateReasonCode', 'the review', r.dueOn, r.kind === 'lcspr' ? input.publishedOn : completedOn, input.lateReasonCode ?? null)
    return { publishedOn: input.publishedOn, completedOn, publicationNote: input.publicationNote, lateReason: input.lateReason, lateReasonCode: input.lateReasonCode ?? null }
  })
}

/**
 * Gives or changes the reason a serious case review's decision was late, or the review was
 * completed late (a local review: published), afterwards (its members in the business unit;
 * versioned; audited with the fields and the code, never the words).
 */
export const explainReviewDelay = (ctx: ServiceContext, id: string, input: z.infer<typeof reviewDelayInput>) =>
  changeReview(ctx, id, input.version, 'practice-review.late-reason', (r) => {
    if (input.timescale === 'decision') {
      requireCompletedLate(r.decisionDueOn, r.decidedOn)
      return { decisionLateReasonCode: input.reasonCode, decisionLateReason: input.reason }
    }
    requireCompletedLate(r.dueOn, r.kind === 'lcspr' ? r.publishedOn : r.completedOn)
    return { lateReasonCode: input.reasonCode, lateReason: input.reason }
  }, { timescale: input.timescale, reasonCode: input.reasonCode })

export async function addDraft(ctx: ServiceContext, id: string, input: z.infer<typeof reviewDraftInput>) {
  refuseFuture(ctx, { receivedOn: [input.receivedOn, 'the date the draft was received'] })
  await partnershipTransaction(ctx, async (tx) => {
    const { ground } = await openReview(ctx, tx, id, 'update')
    const [row] = await tx.insert(reviewDraft).values({ partnershipId: ctx.actor.partnershipId, reviewId: id, ...input, recordedBy: ctx.actor.userId }).returning({ id: reviewDraft.id })
    await audit(ctx, tx, { action: 'practice-review.draft', recordType: 'practice-review', recordId: id, ground, detail: { draftId: row!.id } })
  })
}

export async function requestReviewContribution(ctx: ServiceContext, id: string, input: ContributionRequestInput) {
  return partnershipTransaction(ctx, async (tx) => {
    const { review } = await openReview(ctx, tx, id, 'update')
    return requestContribution(ctx, tx, { type: 'practice-review', id, caseId: review.caseId }, input)
  })
}

export async function addRecommendation(ctx: ServiceContext, id: string, input: z.infer<typeof recommendationInput>) {
  await partnershipTransaction(ctx, async (tx) => {
    const { ground } = await openReview(ctx, tx, id, 'update')
    const existing = await tx.select({ id: reviewRecommendation.id }).from(reviewRecommendation).where(eq(reviewRecommendation.reviewId, id))
    const [row] = await tx
      .insert(reviewRecommendation)
      .values({ partnershipId: ctx.actor.partnershipId, reviewId: id, number: existing.length + 1, text: input.text, recordedBy: ctx.actor.userId })
      .returning({ id: reviewRecommendation.id })
    await audit(ctx, tx, { action: 'practice-review.recommendation', recordType: 'practice-review', recordId: id, ground, detail: { recommendationId: row!.id } })
  })
}

/** Agrees an action for a recommendation, owned by a named user's agency, as a task for them. */
export async function addAction(ctx: ServiceContext, id: string, input: z.infer<typeof actionInput>) {
  return partnershipTransaction(ctx, async (tx) => {
    const { ground } = await openReview(ctx, tx, id, 'update')
    const [rec] = await tx.select().from(reviewRecommendation).where(and(eq(reviewRecommendation.id, input.recommendationId), eq(reviewRecommendation.reviewId, id)))
    if (!rec) throw new ValidationFailed({ recommendationId: 'Select a recommendation of this review' })
    const [owner] = await tx
      .select({ id: appUser.id, agencyId: appUser.agencyId })
      .from(appUser)
      .where(and(eq(appUser.id, input.ownerUserId), eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
    if (!owner) throw new ValidationFailed({ ownerUserId: 'Select an active user of the owning agency' })
    const [t] = await tx
      .insert(task)
      .values({ partnershipId: ctx.actor.partnershipId, title: 'Complete a practice review action', dueOn: input.actionDueOn, assigneeUserId: owner.id, createdBy: ctx.actor.userId })
      .returning({ id: task.id })
    const [row] = await tx
      .insert(reviewAction)
      .values({
        partnershipId: ctx.actor.partnershipId,
        reviewId: id,
        recommendationId: rec.id,
        text: input.text,
        ownerAgencyId: owner.agencyId,
        ownerUserId: owner.id,
        taskId: t!.id,
        dueOn: input.actionDueOn,
        recordedBy: ctx.actor.userId,
      })
      .returning()
    await audit(ctx, tx, { action: 'review-action.create', recordType: 'review-action', recordId: row!.id, ground, detail: { reviewId: id, ownerAgencyId: owner.agencyId, dueOn: input.actionDueOn } })
    return row!
  })
}

/** The actions the user owns for their agency, open ones first. */
export async function myActions(ctx: ServiceContext): Promise<ActionView[]> {
  const today = londonDate(ctx.now())
  const rows = await actionsQuery(ctx.db)
    .where(and(eq(reviewAction.ownerUserId, ctx.actor.userId), eq(reviewAction.partnershipId, ctx.actor.partnershipId)))
    .orderBy(asc(reviewAction.dueOn))
  return rows.map((r) => actionView(r, today)).sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed'))
}

/** One action: for its owner, or a member of the review. */
export async function getAction(ctx: ServiceContext, actionId: string): Promise<ActionView & { isOwner: boolean; mayClose: boolean; reviewTitle: string }> {
  const row = await getOwnRecord<ActionRow>(ctx.db, ctx, reviewAction, actionId, 'action')
  const isOwner = row.ownerUserId === ctx.actor.userId
  const member = await isReviewMember(ctx.db, ctx.actor.userId, 'practice-review', row.reviewId)
  if (!isOwner || member) {
    await openPartnershipRecord(ctx, 'read', { recordType: 'review-action', recordId: actionId, record: { kind: 'review', partnershipId: row.partnershipId, member } })
  } else {
    await audit(ctx, ctx.db, { action: 'review-action.view', recordType: 'review-action', recordId: actionId, ground: 'action-owner' })
  }
  const [full] = await actionsQuery(ctx.db).where(eq(reviewAction.id, actionId))
  const [review] = await ctx.db.select({ title: practiceReview.title }).from(practiceReview).where(eq(practiceReview.id, row.reviewId))
  return { ...actionView(full!, londonDate(ctx.now())), isOwner, mayClose: member && ctx.actor.roles.includes('business-unit'), reviewTitle: review?.title ?? '' }
}

/** The owner gives evidence that the action is complete; the partnership then closes it. */
export async function giveActionEvidence(ctx: ServiceContext, actionId: string, input: z.infer<typeof actionEvidenceInput>) {
  refuseFuture(ctx, { completedOn: [input.completedOn, 'the date it was completed'] })
  return partnershipTransaction(ctx, async (tx) => {
    const current = await getOwnRecord<ActionRow>(tx, ctx, reviewAction, actionId, 'action')
    if (current.ownerUserId !== ctx.actor.userId) throw new AccessDenied('Only the action’s owner can give evidence of completion.')
    if (current.status === 'closed') throw new ValidationFailed({ evidence: 'This action is closed.' })
    const row = await updateVersioned<ActionRow>(ctx, tx, reviewAction, actionId, input.version, { evidence: input.evidence, completedOn: input.completedOn, status: 'evidence-submitted' })
    if (current.taskId) await tx.update(task).set({ status: 'done', doneOn: input.completedOn, updatedAt: ctx.now() }).where(eq(task.id, current.taskId))
    await audit(ctx, tx, { action: 'review-action.evidence', recordType: 'review-action', recordId: actionId, ground: 'action-owner' })
    return row
  })
}

export async function closeAction(ctx: ServiceContext, actionId: string, input: z.infer<typeof actionCloseInput>) {
  return partnershipTransaction(ctx, async (tx) => {
    const current = await getOwnRecord<ActionRow>(tx, ctx, reviewAction, actionId, 'action')
    const { ground } = await openReview(ctx, tx, current.reviewId, 'update', 'actions')
    if (current.status !== 'evidence-submitted') throw new ValidationFailed({ version: 'An action is closed once its owner has given evidence that it is complete.' })
    const row = await updateVersioned<ActionRow>(ctx, tx, reviewAction, actionId, input.version, { status: 'closed', closedOn: londonDate(ctx.now()), closedBy: ctx.actor.userId })
    await audit(ctx, tx, { action: 'review-action.close', recordType: 'review-action', recordId: actionId, ground })
    return row
  })
}
