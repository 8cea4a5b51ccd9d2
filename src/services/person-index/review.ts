/**
 * The review queue of possible duplicates (`person:review`): list open pairs with their reasons,
 * link a source record to the candidate person ("same person"), record "not the same person"
 * (which stops the pair being suggested again), and unlink. All reversible, audited, and nothing
 * deletes a source record.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import { childCase, lookedAfterPeriod, matchReview, matchReviewApproval, person, plan, sourceRecord } from '../../db/schema/index.ts'
import type { Reason } from '../../domain/person-index/explain.ts'
import { appendAudit } from '../access/audit.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { pageCounted, totalOver, type Page, type PageRequest } from '../common/paging.ts'
import { setLink, unlink, type LinkActor } from './links.ts'

function requireReview(ctx: ServiceContext): string {
  return requireGeneral(ctx, 'person:review')
}

const actorOf = (ctx: ServiceContext, ground: string): LinkActor => ({
  partnershipId: ctx.actor.partnershipId,
  userId: ctx.actor.userId,
  requestId: ctx.requestId ?? null,
  now: ctx.now(),
  ground,
})

export interface ReviewSide {
  personId: string | null
  sourceSystem: string
  sourceId: string
  givenName: string | null
  familyName: string | null
  dateOfBirth: string | null
  sex: string | null
  nhsNumber: string | null
  postcode: string | null
}

export interface ReviewItem {
  id: string
  /** The source record the pair is about (what an unlink names). */
  recordId: string
  version: number
  score: number
  band: string
  reasons: Reason[]
  /** open, awaiting-second (a first reviewer said "same person"; another must agree), linked or not-same. */
  status: string
  /** While awaiting a second reviewer: when the first decided, and whether it was the reader. */
  firstDecision: { decidedAt: string; byYou: boolean } | null
  record: ReviewSide
  /** The candidate person's records (the cluster it would join). */
  candidate: { personId: string; records: ReviewSide[] }
}

const sideColumns = {
  id: sourceRecord.id,
  personId: sourceRecord.personId,
  sourceSystem: sourceRecord.sourceSystem,
  sourceId: sourceRecord.sourceId,
  givenName: sourceRecord.givenName,
  familyName: sourceRecord.familyName,
  dateOfBirth: sourceRecord.dateOfBirth,
  sex: sourceRecord.sex,
  nhsNumber: sourceRecord.nhsNumber,
  postcode: sourceRecord.postcode,
}

/** Restricted people never appear in the queue: their pairs wait for someone with permission. */
const notRestricted = (column: typeof matchReview.candidatePersonId) => sql`not exists (select 1 from ${person} rp where rp.id = ${column} and rp.restricted)`

/** The statuses listed as still to decide. */
const UNDECIDED = ['open', 'awaiting-second']

/** Pairs a page of the queue shows (each pair is two records side by side). */
export const REVIEW_PAGE_SIZE = 5

/**
 * The pairs still to decide, oldest first (or those of one status: decided ones most recently
 * decided first), a page at a time with how many there are.
 */
export async function listReviews(ctx: ServiceContext, options: { status?: string; page?: PageRequest } = {}): Promise<Page<ReviewItem>> {
  requireReview(ctx)
  const statuses = options.status ? [options.status] : UNDECIDED
  const page = options.page ?? { offset: 0, limit: REVIEW_PAGE_SIZE }
  const listed = await pageCounted(page, (at) =>
    ctx.db
      .select({ review: matchReview, total: totalOver() })
      .from(matchReview)
      .where(and(eq(matchReview.partnershipId, ctx.actor.partnershipId), inArray(matchReview.status, statuses), notRestricted(matchReview.candidatePersonId)))
      .orderBy(...(options.status ? [sql`${matchReview.decidedAt} desc nulls last`] : []), asc(matchReview.createdAt), asc(matchReview.id))
      .limit(at.limit)
      .offset(at.offset),
  )
  const rows = listed.items.map((r) => r.review)
  if (rows.length === 0) return { ...listed, items: [] }
  const recordIds = rows.map((r) => r.sourceRecordId)
  const personIds = rows.map((r) => r.candidatePersonId)
  const records = await ctx.db
    .select(sideColumns)
    .from(sourceRecord)
    .where(and(eq(sourceRecord.partnershipId, ctx.actor.partnershipId), sql`(${inArray(sourceRecord.id, recordIds)} or ${inArray(sourceRecord.personId, personIds)})`))
  const side = ({ id: _, ...rest }: (typeof records)[number]): ReviewSide => rest
  const waiting = rows.filter((r) => r.status === 'awaiting-second').map((r) => r.id)
  const firsts = waiting.length === 0 ? [] : await ctx.db.select().from(matchReviewApproval).where(inArray(matchReviewApproval.reviewId, waiting)).orderBy(desc(matchReviewApproval.decidedAt))
  const firstOf = (reviewId: string) => {
    const f = firsts.find((a) => a.reviewId === reviewId)
    return f ? { decidedAt: f.decidedAt.toISOString(), byYou: f.decidedBy === ctx.actor.userId } : null
  }
  const items = rows.flatMap((r): ReviewItem[] => {
    const rec = records.find((x) => x.id === r.sourceRecordId)
    if (!rec) return []
    return [{
      id: r.id,
      recordId: r.sourceRecordId,
      version: r.version,
      score: Number(r.score),
      band: r.band,
      reasons: r.reasons as Reason[],
      status: r.status,
      firstDecision: r.status === 'awaiting-second' ? firstOf(r.id) : null,
      record: side(rec),
      candidate: { personId: r.candidatePersonId, records: records.filter((x) => x.personId === r.candidatePersonId && x.id !== r.sourceRecordId).map(side) },
    }]
  })
  return { ...listed, items }
}

async function openReview(ctx: ServiceContext, reviewId: string, version: number) {
  const [review] = await ctx.db
    .select()
    .from(matchReview)
    .where(and(eq(matchReview.id, reviewId), eq(matchReview.partnershipId, ctx.actor.partnershipId)))
  if (!review) throw new NotFound('No such possible duplicate')
  if (review.version !== version || !UNDECIDED.includes(review.status)) throw new EditConflict('Someone else has decided this pair since you opened it.', { status: review.status })
  return review
}

async function recordRow(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select().from(sourceRecord).where(and(eq(sourceRecord.id, id), eq(sourceRecord.partnershipId, ctx.actor.partnershipId)))
  if (!row) throw new NotFound('No such source record')
  return row
}

export interface DecisionInput {
  version: number
  reason?: string
}

/**
 * Whether a link between these people needs two reviewers (four eyes): either has, or has had, a
 * child protection plan or a looked-after period.
 */
async function needsTwoReviewers(db: ServiceContext['db'], personIds: readonly string[]): Promise<boolean> {
  const ids = personIds.filter((id): id is string => !!id)
  if (ids.length === 0) return false
  const [hit] = await db
    .select({ id: childCase.id })
    .from(childCase)
    .where(
      and(
        inArray(childCase.personId, ids),
        sql`(exists (select 1 from ${plan} where ${plan.caseId} = ${childCase.id} and ${plan.kind} = 'child-protection')
          or exists (select 1 from ${lookedAfterPeriod} where ${lookedAfterPeriod.caseId} = ${childCase.id}))`,
      ),
    )
    .limit(1)
  return !!hit
}

export type LinkOutcome = 'linked' | 'awaiting-second'

/**
 * "Same person": links the review's source record to the candidate person. When either person has
 * a child protection plan or has been looked after, the first "same person" is recorded and the
 * pair waits ('awaiting-second') until a different reviewer agrees; only then is it linked.
 */
export async function linkReview(ctx: ServiceContext, reviewId: string, input: DecisionInput): Promise<LinkOutcome> {
  const ground = requireReview(ctx)
  return ctx.db.transaction(async (tx) => {
    const tctx = { ...ctx, db: tx }
    const review = await openReview(tctx, reviewId, input.version)
    const row = await recordRow(tctx, review.sourceRecordId)
    if (row.adoption === 'pre-adoption') throw new ValidationFailed({ decision: 'A pre-adoption identity is sealed: it is never linked to anyone.' })
    if (row.sourceSystem === 'together') {
      throw new ValidationFailed({ decision: 'Both are people in Together already; merging two people with their cases is not supported here. Link the other record instead.' })
    }
    if (await needsTwoReviewers(tx, [review.candidatePersonId, row.personId ?? ''])) {
      if (review.status === 'open') {
        await tx.insert(matchReviewApproval).values({ partnershipId: ctx.actor.partnershipId, reviewId, decidedBy: ctx.actor.userId, decidedAt: ctx.now(), reason: input.reason ?? null })
        await tx.update(matchReview).set({ status: 'awaiting-second', version: review.version + 1 }).where(eq(matchReview.id, reviewId))
        await appendAudit(tx, {
          ...actorOf(ctx, ground),
          actorUserId: ctx.actor.userId,
          action: 'person-index.link-first-reviewer',
          recordType: 'source_record',
          recordId: review.sourceRecordId,
          subjectPersonId: review.candidatePersonId,
          reason: input.reason ?? null,
          detail: { reviewId, awaiting: 'second reviewer' },
          occurredAt: ctx.now(),
        })
        return 'awaiting-second'
      }
      const [first] = await tx.select().from(matchReviewApproval).where(eq(matchReviewApproval.reviewId, reviewId)).orderBy(desc(matchReviewApproval.decidedAt)).limit(1)
      if (first?.decidedBy === ctx.actor.userId) {
        throw new ValidationFailed({ decision: 'You made the first decision on this pair: a second reviewer must agree before it is linked.' })
      }
    }
    await setLink(tx, row.id, review.candidatePersonId, actorOf(ctx, ground), {
      method: 'reviewer',
      score: Number(review.score),
      band: review.band,
      evidence: { reasons: review.reasons, reviewId },
      reason: input.reason ?? null,
    })
    await tx
      .update(matchReview)
      .set({ status: 'linked', decidedBy: ctx.actor.userId, decidedAt: ctx.now(), reason: input.reason ?? null, version: review.version + 1 })
      .where(eq(matchReview.id, reviewId))
    return 'linked' as const
  })
}

/** "Not the same person": closes the pair; it is never suggested again. */
export async function rejectReview(ctx: ServiceContext, reviewId: string, input: DecisionInput): Promise<void> {
  const ground = requireReview(ctx)
  await ctx.db.transaction(async (tx) => {
    const review = await openReview({ ...ctx, db: tx }, reviewId, input.version)
    await tx
      .update(matchReview)
      .set({ status: 'not-same', decidedBy: ctx.actor.userId, decidedAt: ctx.now(), reason: input.reason ?? null, version: review.version + 1 })
      .where(eq(matchReview.id, reviewId))
    await appendAudit(tx, {
      ...actorOf(ctx, ground),
      actorUserId: ctx.actor.userId,
      action: 'person-index.not-same',
      recordType: 'source_record',
      recordId: review.sourceRecordId,
      subjectPersonId: review.candidatePersonId,
      reason: input.reason ?? null,
      detail: { reviewId },
      occurredAt: ctx.now(),
    })
  })
}

/**
 * Unlinks a source record from its person: it returns to the person it belonged to before (or a
 * new one of its own). A pair linked from the queue reopens, so it can be decided again.
 */
export async function unlinkRecord(ctx: ServiceContext, sourceRecordId: string, reason: string): Promise<{ personId: string }> {
  const ground = requireReview(ctx)
  if (reason.trim().length < 5) throw new ValidationFailed({ reason: 'Say why the record is not this person' })
  return ctx.db.transaction(async (tx) => {
    const row = await recordRow({ ...ctx, db: tx }, sourceRecordId)
    if (row.sourceSystem === 'together') throw new ValidationFailed({ reason: 'A person’s own record in Together cannot be unlinked from them' })
    const personId = await unlink(tx, row, actorOf(ctx, ground), reason.trim())
    await tx
      .update(matchReview)
      .set({ status: 'open', decidedBy: null, decidedAt: null, version: sql`${matchReview.version} + 1` })
      .where(and(eq(matchReview.sourceRecordId, sourceRecordId), eq(matchReview.status, 'linked')))
    return { personId }
  })
}
