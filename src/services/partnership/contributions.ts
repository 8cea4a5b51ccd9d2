/**
 * Agency contributions to a review: the business unit asks an agency, through a named user there,
 * with a deadline; the request is a task for that user, and their answer (involvement, key dated
 * events, learning) completes it. The named user sees their own request and nothing else of the
 * review; the review's members see every contribution.
 */
import { and, asc, desc, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, agencyContribution, appUser, task } from '../../db/schema/index.ts'
import { inDateOrder, type DatedEntry } from '../../domain/partnership/dated-entries.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { AccessDenied, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { isReviewMember, openPartnershipRecord, type ReviewSubject } from './access.ts'
import { partnershipTransaction } from './access.ts'
import type { ContributionAnswerInput, ContributionRequestInput } from './incident-input.ts'
import { getOwnRecord, updateVersioned } from './records.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type ContributionRow = typeof agencyContribution.$inferSelect

export interface ContributionView extends ContributionRow {
  agencyName: string
  contactName: string
  entries: DatedEntry[]
  overdue: boolean
}

const TASK_TITLE: Record<ReviewSubject, string> = {
  incident: 'Contribute to a rapid review',
  'practice-review': 'Contribute to a practice review',
  'dar-review': 'Contribute to a domestic abuse related death review',
}

function query(db: Db) {
  return db
    .select({ c: agencyContribution, agencyName: agency.name, contactName: appUser.displayName })
    .from(agencyContribution)
    .innerJoin(agency, eq(agency.id, agencyContribution.agencyId))
    .innerJoin(appUser, eq(appUser.id, agencyContribution.contactUserId))
    .$dynamic()
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['execute']>>[number]

const toView = (r: Row, today: string): ContributionView => ({
  ...r.c,
  agencyName: r.agencyName,
  contactName: r.contactName,
  entries: r.c.entries as DatedEntry[],
  overdue: r.c.submittedOn === null && r.c.dueOn < today,
})

/** Every contribution to one review (for its members). */
export async function contributionsOf(db: Db, subjectType: ReviewSubject, subjectId: string, today: string): Promise<ContributionView[]> {
  const rows = await query(db)
    .where(and(eq(agencyContribution.subjectId, subjectId), eq(agencyContribution.subjectType, subjectType)))
    .orderBy(asc(agency.name))
  return rows.map((r) => toView(r, today))
}

/**
 * Asks an agency for its contribution. `open` has already checked that the actor may change the
 * review; the contact must be an active user of that agency.
 */
export async function requestContribution(
  ctx: ServiceContext,
  tx: Db,
  subject: { type: ReviewSubject; id: string; caseId?: string | null },
  input: ContributionRequestInput,
): Promise<ContributionRow> {
  const today = londonDate(ctx.now())
  if (input.dueOn < today) throw new ValidationFailed({ dueOn: 'The date the answer is due must be today or later' })
  const [contact] = await tx
    .select({ id: appUser.id, agencyId: appUser.agencyId })
    .from(appUser)
    .where(and(eq(appUser.id, input.contactUserId), eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
  if (!contact || (input.agencyId && contact.agencyId !== input.agencyId)) {
    throw new ValidationFailed({ contactUserId: 'Select an active user of that agency' })
  }
  const agencyId = contact.agencyId
  const [t] = await tx
    .insert(task)
    .values({
      partnershipId: ctx.actor.partnershipId,
      title: TASK_TITLE[subject.type],
      dueOn: input.dueOn,
      assigneeUserId: input.contactUserId,
      createdBy: ctx.actor.userId,
    })
    .returning({ id: task.id })
  const [row] = await tx
    .insert(agencyContribution)
    .values({
      partnershipId: ctx.actor.partnershipId,
      subjectType: subject.type,
      subjectId: subject.id,
      agencyId,
      contactUserId: input.contactUserId,
      taskId: t!.id,
      question: input.question,
      requestedOn: today,
      dueOn: input.dueOn,
      recordedBy: ctx.actor.userId,
    })
    .returning()
  await audit(ctx, tx, {
    action: 'contribution.request',
    recordType: 'agency-contribution',
    recordId: row!.id,
    detail: { subjectType: subject.type, subjectId: subject.id, agencyId, dueOn: input.dueOn },
  })
  return row!
}

/** The contribution requests addressed to the signed-in user, open ones first. */
export async function myContributions(ctx: ServiceContext): Promise<ContributionView[]> {
  const today = londonDate(ctx.now())
  const rows = await query(ctx.db)
    .where(and(eq(agencyContribution.contactUserId, ctx.actor.userId), eq(agencyContribution.partnershipId, ctx.actor.partnershipId)))
    .orderBy(desc(agencyContribution.requestedOn))
  return rows.map((r) => toView(r, today)).sort((a, b) => Number(a.submittedOn !== null) - Number(b.submittedOn !== null))
}

/** One contribution: for the person it is addressed to, or a member of the review. */
export async function getContribution(ctx: ServiceContext, id: string): Promise<ContributionView & { mayAnswer: boolean }> {
  const row = await getOwnRecord<ContributionRow>(ctx.db, ctx, agencyContribution, id, 'contribution')
  const addressed = row.contactUserId === ctx.actor.userId
  if (!addressed) {
    await openPartnershipRecord(ctx, 'read', {
      recordType: 'agency-contribution',
      recordId: id,
      record: { kind: 'review', partnershipId: row.partnershipId, member: await isReviewMember(ctx.db, ctx.actor.userId, row.subjectType as ReviewSubject, row.subjectId) },
    })
  } else {
    await auditGrouped(ctx, { action: 'agency-contribution.view', recordType: 'agency-contribution', recordId: id, ground: 'addressed-request' })
  }
  const [full] = await query(ctx.db).where(eq(agencyContribution.id, id))
  return { ...toView(full!, londonDate(ctx.now())), mayAnswer: addressed }
}

/** The addressed user answers (or improves their answer); the request's task is done. */
export async function answerContribution(ctx: ServiceContext, id: string, input: ContributionAnswerInput): Promise<ContributionRow> {
  const today = londonDate(ctx.now())
  const future = futureDateErrors(today, Object.fromEntries(input.entries.map((e, i) => [`entries-${i}-on`, [e.on, 'the date of the event'] as [string, string]])))
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  const entries = inDateOrder(input.entries)
  const addressed = await getOwnRecord<ContributionRow>(ctx.db, ctx, agencyContribution, id, 'contribution')
  if (addressed.contactUserId !== ctx.actor.userId) {
    await auditGrouped(ctx, { action: 'agency-contribution.update.refused', recordType: 'agency-contribution', recordId: id })
    throw new AccessDenied('Only the person the request was addressed to can answer it.')
  }
  return partnershipTransaction(ctx, async (tx) => {
    const current = await getOwnRecord<ContributionRow>(tx, ctx, agencyContribution, id, 'contribution')
    if (current.contactUserId !== ctx.actor.userId) throw new AccessDenied('Only the person the request was addressed to can answer it.')
    const row = await updateVersioned<ContributionRow>(ctx, tx, agencyContribution, id, input.version, {
      involvement: input.involvement,
      entries,
      learning: input.learning,
      submittedOn: current.submittedOn ?? today,
      submittedBy: ctx.actor.userId,
    })
    if (current.taskId) await tx.update(task).set({ status: 'done', doneOn: today, updatedAt: ctx.now() }).where(eq(task.id, current.taskId))
    await audit(ctx, tx, { action: 'agency-contribution.answer', recordType: 'agency-contribution', recordId: id, ground: 'addressed-request', detail: { entries: entries.length } })
    return row
  })
}
