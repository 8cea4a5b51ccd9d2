/**
 * Opening the partnership's restricted records: review material (members only) and allegations
 * (the designated officer's team and the employer's named contact). The policy decides
 * (decideOnPartnershipRecord); every read and every refusal is audited, like a child's record.
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { reviewMember } from '../../db/schema/index.ts'
import { decideOnPartnershipRecord, type Decision, type PartnershipRecord } from '../../domain/access/policy.ts'
import { audit, auditGrouped, type ActorEntry } from '../access/audit.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
export { requireGeneral } from '../common/require-general.ts'

export type ReviewSubject = 'incident' | 'practice-review' | 'dar-review'

export async function isReviewMember(db: Db, userId: string, subjectType: ReviewSubject, subjectId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: reviewMember.id })
    .from(reviewMember)
    .where(
      and(
        eq(reviewMember.subjectId, subjectId),
        eq(reviewMember.subjectType, subjectType),
        eq(reviewMember.userId, userId),
        isNull(reviewMember.endedAt),
      ),
    )
  return row !== undefined
}

export interface Opened {
  ground: string
  /** The policy's decision that opened the record: what the child's case it names is shown through (showLinkedCase). */
  decision: Decision
}

interface Target {
  recordType: string
  recordId: string
  subjectPersonId?: string | null
  record: PartnershipRecord
  /** The part viewed, for the audit entry ("rapid-review", "actions" ...). */
  section?: string
}

/** A refusal inside a transaction: audited once the transaction has rolled back (see partnershipTransaction). */
class RefusedInTransaction extends AccessDenied {
  constructor(
    message: string,
    readonly entry: ActorEntry,
  ) {
    super(message)
  }
}

/**
 * Decides `action` on a record. A read is audited here (group commit). A refusal is audited and
 * thrown; inside partnershipTransaction the refusal's entry is appended after the rollback, so
 * it is kept and the transaction never waits on the audit log's own connection.
 */
export async function openPartnershipRecord(ctx: ServiceContext, action: 'read' | 'update', target: Target): Promise<Opened> {
  return openDecided(ctx, action, target, decideOnPartnershipRecord(ctx.actor, action, target.record))
}

/** As openPartnershipRecord, for a decision the caller got from the policy (e.g. a section 11 return's). */
export async function openDecided(ctx: ServiceContext, action: string, target: Omit<Target, 'record'>, decision: Decision): Promise<Opened> {
  const base = { recordType: target.recordType, recordId: target.recordId, subjectPersonId: target.subjectPersonId ?? null }
  if (!decision.allowed) {
    const entry: ActorEntry = { ...base, action: `${target.recordType}.${action}.refused`, reason: decision.reason, detail: { section: target.section ?? 'overview' } }
    if (action !== 'read') throw new RefusedInTransaction(decision.reason, entry)
    await auditGrouped(ctx, entry)
    throw new AccessDenied(decision.reason)
  }
  if (action === 'read') {
    await auditGrouped(ctx, { ...base, action: `${target.recordType}.view`, ground: decision.ground, detail: { section: target.section ?? 'overview' } })
  }
  return { ground: decision.ground, decision }
}

/** Adds the user as a member of a review (no-op when they already are). */
export async function addReviewMember(
  ctx: ServiceContext,
  tx: Db,
  subjectType: ReviewSubject,
  subjectId: string,
  userId: string,
  role: 'lead' | 'member',
): Promise<void> {
  if (await isReviewMember(tx, userId, subjectType, subjectId)) return
  await tx.insert(reviewMember).values({ partnershipId: ctx.actor.partnershipId, subjectType, subjectId, userId, role, addedBy: ctx.actor.userId })
  await audit(ctx, tx, { action: 'review.member-added', recordType: subjectType, recordId: subjectId, detail: { userId, role } })
}

/** Runs a change in one transaction; a refusal met inside it is audited after the rollback. */
export async function partnershipTransaction<T>(ctx: ServiceContext, work: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(work)
  } catch (err) {
    if (err instanceof RefusedInTransaction) {
      await auditGrouped(ctx, err.entry)
      throw new AccessDenied(err.message)
    }
    throw err
  }
}

/** The ids of the records of one kind the user works on (a subquery for `inArray`). */
export function memberSubjectIds(db: Db, userId: string, subjectType: ReviewSubject) {
  return db
    .select({ id: reviewMember.subjectId })
    .from(reviewMember)
    .where(and(eq(reviewMember.userId, userId), eq(reviewMember.subjectType, subjectType), isNull(reviewMember.endedAt)))
}
