/**
 * Care plans, the independent reviewing officer and permanence on a period of care (issue 19, items
 * 3 and 6): the care plan with its permanence plan, the IRO allocated, each review's participation
 * and chair (recorded with the review by journey/looked-after.ts), IRO escalations, the decision that
 * the child should be placed for adoption with its match, adopters and reversal, and previous
 * permanence. Every read and change opens the case through the one gateway (policy, audit,
 * versions, revisions); the 903's Reviews, AD1, PlacedAdoption and PrevPerm rows are these records.
 */
import { and, arrayContains, asc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import {
  adoptionDecision,
  appUser,
  carePlan,
  iroAllocation,
  iroEscalation,
  lookedAfterPeriod,
  lookedAfterReview,
  previousPermanence,
} from '../../db/schema/index.ts'
import { ADOPTION_EXIT, adoptersError, datePermEarliest, laPermValid, participationError } from '../../domain/care/permanence.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { IRO_ROLE } from '../../domain/access/roles.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from '../journey/case-records.ts'
import type {
  AdoptionDecisionInput,
  AdoptionMatchInput,
  AdoptionReversalInput,
  CarePlanInput,
  IroAllocationInput,
  IroEscalationInput,
  IroEscalationUpdate,
  PreviousPermanenceInput,
  ReviewParticipation,
} from './permanence-input.ts'

export type CarePlanRow = typeof carePlan.$inferSelect
export type IroAllocationRow = typeof iroAllocation.$inferSelect
export type ReviewRow = typeof lookedAfterReview.$inferSelect
export type IroEscalationRow = typeof iroEscalation.$inferSelect
export type AdoptionDecisionRow = typeof adoptionDecision.$inferSelect
export type PreviousPermanenceRow = typeof previousPermanence.$inferSelect
type PeriodRow = typeof lookedAfterPeriod.$inferSelect

const SECTION = 'looked-after'

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

export interface PeriodPermanence {
  /** Oldest first; the last is in force. */
  carePlans: CarePlanRow[]
  /** Oldest first; the one with no toOn is current. */
  iros: (IroAllocationRow & { iroName: string })[]
  reviews: (ReviewRow & { chairName: string | null })[]
  escalations: IroEscalationRow[]
  adoptionDecisions: AdoptionDecisionRow[]
  previousPermanence: PreviousPermanenceRow | null
}

/** Each period's care plans, IROs, reviews, escalations, adoption decisions and previous permanence (in the caller's opened case). */
export async function permanenceOfPeriods(db: Db, periodIds: string[]): Promise<Record<string, PeriodPermanence>> {
  const result: Record<string, PeriodPermanence> = Object.fromEntries(
    periodIds.map((id) => [id, { carePlans: [], iros: [], reviews: [], escalations: [], adoptionDecisions: [], previousPermanence: null }]),
  )
  if (periodIds.length === 0) return result
  const [plans, iros, reviews, escalations, decisions, previous] = await Promise.all([
    db.select().from(carePlan).where(inArray(carePlan.periodId, periodIds)).orderBy(asc(carePlan.agreedOn), asc(carePlan.createdAt)),
    db
      .select({ row: iroAllocation, iroName: appUser.displayName })
      .from(iroAllocation)
      .innerJoin(appUser, eq(appUser.id, iroAllocation.iroId))
      .where(inArray(iroAllocation.periodId, periodIds))
      .orderBy(asc(iroAllocation.fromOn), asc(iroAllocation.createdAt)),
    db
      .select({ row: lookedAfterReview, chairName: appUser.displayName })
      .from(lookedAfterReview)
      .leftJoin(appUser, eq(appUser.id, lookedAfterReview.chairId))
      .where(inArray(lookedAfterReview.periodId, periodIds))
      .orderBy(asc(lookedAfterReview.heldOn)),
    db.select().from(iroEscalation).where(inArray(iroEscalation.periodId, periodIds)).orderBy(asc(iroEscalation.raisedOn), asc(iroEscalation.createdAt)),
    db.select().from(adoptionDecision).where(inArray(adoptionDecision.periodId, periodIds)).orderBy(asc(adoptionDecision.decidedOn), asc(adoptionDecision.createdAt)),
    db.select().from(previousPermanence).where(inArray(previousPermanence.periodId, periodIds)),
  ])
  for (const p of plans) result[p.periodId]!.carePlans.push(p)
  for (const { row, iroName } of iros) result[row.periodId]!.iros.push({ ...row, iroName })
  for (const { row, chairName } of reviews) result[row.periodId]!.reviews.push({ ...row, chairName })
  for (const e of escalations) result[e.periodId]!.escalations.push(e)
  for (const d of decisions) result[d.periodId]!.adoptionDecisions.push(d)
  for (const p of previous) result[p.periodId]!.previousPermanence = p
  return result
}

/** One period's permanence records, read through the policy (audited as a read of the looked-after section). */
export async function permanenceOfPeriod(ctx: ServiceContext, caseId: string, periodId: string): Promise<PeriodPermanence & { period: PeriodRow }> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const period = await getRecord<PeriodRow>(tx, open, lookedAfterPeriod, periodId)
      return { period, ...(await permanenceOfPeriods(tx, [period.id]))[period.id]! }
    },
    SECTION,
  )
}

function withPeriod<T>(ctx: ServiceContext, caseId: string, periodId: string, openOnly: boolean, work: (tx: Db, open: OpenCase, period: PeriodRow) => Promise<T>): Promise<T> {
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const period = await getRecord<PeriodRow>(tx, open, lookedAfterPeriod, periodId)
      if (openOnly && period.endedOn) throw new ValidationFailed({ period: `This period of care ended on ${period.endedOn}` })
      return work(tx, open, period)
    },
    SECTION,
  )
}

const inPeriod = (period: PeriodRow, day: string, field: string, what: string) => {
  if (day < period.startedOn) throw new ValidationFailed({ [field]: `${what} cannot be before the period of care started, ${period.startedOn}` })
  if (period.endedOn && day > period.endedOn) throw new ValidationFailed({ [field]: `${what} cannot be after the period of care ended, ${period.endedOn}` })
}

// ---- The care plan and the IRO

/** The care plan agreed on a day with its permanence plan (a later one replaces it). */
export async function recordCarePlan(ctx: ServiceContext, caseId: string, periodId: string, input: CarePlanInput): Promise<CarePlanRow> {
  refuseFuture(ctx, { agreedOn: [input.agreedOn, 'the date the care plan was agreed'] })
  return withPeriod(ctx, caseId, periodId, true, async (tx, open, period) => {
    // A care plan may be agreed before the child is placed (guidance: before the placement or within 10 working days).
    return createRecord<CarePlanRow>(ctx, tx, open, 'care-plan', carePlan, { periodId: period.id, ...input })
  })
}

/** The users who may be an IRO: active, of the partnership, holding the independent-reviewing-officer role. */
const mayBeIro = (partnershipId: string) =>
  and(eq(appUser.partnershipId, partnershipId), eq(appUser.active, true), arrayContains(appUser.roles, [IRO_ROLE]))

/** The active users of the partnership who may be allocated as IRO: those with the role (and not the case's allocated worker). */
export async function iroCandidates(ctx: ServiceContext): Promise<{ id: string; displayName: string }[]> {
  return ctx.db
    .select({ id: appUser.id, displayName: appUser.displayName })
    .from(appUser)
    .where(mayBeIro(ctx.actor.partnershipId))
    .orderBy(asc(appUser.displayName))
}

/** Allocates the IRO from a day; the previous IRO's allocation ends that day. The IRO is independent of the case: never its allocated worker. */
export async function allocateIro(ctx: ServiceContext, caseId: string, periodId: string, input: IroAllocationInput): Promise<IroAllocationRow> {
  refuseFuture(ctx, { fromOn: [input.fromOn, 'the date the IRO was allocated'] })
  return withPeriod(ctx, caseId, periodId, true, async (tx, open, period) => {
    const [user] = await tx
      .select()
      .from(appUser)
      .where(and(eq(appUser.id, input.iroId), eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
    if (!user) throw new ValidationFailed({ iroId: 'Select the independent reviewing officer from the list' })
    if (open.c.allocatedWorkerId === user.id) throw new ValidationFailed({ iroId: 'The IRO must be independent of the case: not its allocated social worker' })
    if (!user.roles.includes(IRO_ROLE)) throw new ValidationFailed({ iroId: `${user.displayName} is not an independent reviewing officer: select one from the list` })
    inPeriod(period, input.fromOn, 'fromOn', 'The allocation')
    const current = await tx.select().from(iroAllocation).where(and(eq(iroAllocation.periodId, period.id), isNull(iroAllocation.toOn)))
    for (const c of current) {
      if (c.iroId === user.id) throw new ValidationFailed({ iroId: `${user.displayName} is already the IRO` })
      if (input.fromOn < c.fromOn) throw new ValidationFailed({ fromOn: `The current IRO was allocated on ${c.fromOn}: the new allocation must be on or after it` })
      await updateRecord(ctx, tx, open, 'iro-allocation', iroAllocation, c.id, c.version, { toOn: input.fromOn }, 'iro-allocation.end')
    }
    return createRecord<IroAllocationRow>(ctx, tx, open, 'iro-allocation', iroAllocation, { periodId: period.id, iroId: user.id, fromOn: input.fromOn })
  })
}

/**
 * The review's 903 row (REVIEW, REVIEW_CODE), its chair and the permanence plan it left, in the
 * transaction of journey/looked-after.ts's recordLacReview. The chair defaults to the IRO allocated.
 */
export async function recordReviewParticipation(ctx: ServiceContext, tx: Db, open: OpenCase, period: PeriodRow, heldOn: string, fields: ReviewParticipation): Promise<ReviewRow> {
  const error = participationError(fields.participation, heldOn, open.c.dateOfBirth)
  if (error) throw new ValidationFailed({ participation: error })
  const [same] = await tx.select({ id: lookedAfterReview.id }).from(lookedAfterReview).where(and(eq(lookedAfterReview.periodId, period.id), eq(lookedAfterReview.heldOn, heldOn)))
  if (same) throw new ValidationFailed({ heldOn: `A review is already recorded on ${heldOn}` })
  let chairId = fields.chairId
  if (chairId) {
    const [user] = await tx.select({ id: appUser.id }).from(appUser).where(and(eq(appUser.id, chairId), eq(appUser.partnershipId, ctx.actor.partnershipId)))
    if (!user) throw new ValidationFailed({ chairId: 'Select who chaired the review from the list' })
  } else {
    const iros = await tx.select().from(iroAllocation).where(eq(iroAllocation.periodId, period.id))
    chairId = iros.find((a) => a.fromOn <= heldOn && (a.toOn === null || a.toOn > heldOn))?.iroId ?? null
  }
  return createRecord<ReviewRow>(ctx, tx, open, 'looked-after-review', lookedAfterReview, {
    periodId: period.id,
    heldOn,
    participation: fields.participation,
    chairId,
    permanencePlan: fields.reviewedPermanencePlan,
  })
}

// ---- IRO escalations

export async function raiseIroEscalation(ctx: ServiceContext, caseId: string, periodId: string, input: IroEscalationInput): Promise<IroEscalationRow> {
  refuseFuture(ctx, { raisedOn: [input.raisedOn, 'the date the escalation was raised'] })
  return withPeriod(ctx, caseId, periodId, false, async (tx, open, period) => {
    inPeriod(period, input.raisedOn, 'raisedOn', 'The escalation')
    return createRecord<IroEscalationRow>(ctx, tx, open, 'iro-escalation', iroEscalation, { periodId: period.id, ...input })
  })
}

/** Moves an escalation to another stage or resolves it (date and outcome together), named by the version read. */
export async function changeIroEscalation(ctx: ServiceContext, caseId: string, escalationId: string, input: IroEscalationUpdate): Promise<IroEscalationRow> {
  refuseFuture(ctx, { resolvedOn: [input.resolvedOn, 'the date it was resolved'] })
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const row = await getRecord<IroEscalationRow>(tx, open, iroEscalation, escalationId)
      if ((input.resolvedOn === null) !== (input.outcome === null)) {
        throw new ValidationFailed(input.resolvedOn === null ? { resolvedOn: 'Enter the date it was resolved with the outcome' } : { outcome: 'Select the outcome with the date it was resolved' })
      }
      if (input.resolvedOn && input.resolvedOn < row.raisedOn) throw new ValidationFailed({ resolvedOn: `It cannot be resolved before it was raised, ${row.raisedOn}` })
      const { version, ...changes } = input
      return updateRecord<IroEscalationRow>(ctx, tx, open, 'iro-escalation', iroEscalation, row.id, version, changes)
    },
    SECTION,
  )
}

// ---- Adoption

/**
 * The agency decision maker's decision that the child should be placed for adoption (903
 * DATE_PLACED): within the period of care (rules 118, 1003), not before birth (184), and only when
 * every earlier decision has been reversed (rules 579, 583).
 */
export async function recordAdoptionDecision(ctx: ServiceContext, caseId: string, periodId: string, input: AdoptionDecisionInput): Promise<AdoptionDecisionRow> {
  refuseFuture(ctx, { decidedOn: [input.decidedOn, 'the date of the decision'] })
  return withPeriod(ctx, caseId, periodId, true, async (tx, open, period) => {
    inPeriod(period, input.decidedOn, 'decidedOn', 'The decision')
    if (open.c.dateOfBirth && input.decidedOn < open.c.dateOfBirth) throw new ValidationFailed({ decidedOn: 'The decision cannot be before the child was born' })
    const earlier = await tx.select().from(adoptionDecision).where(eq(adoptionDecision.caseId, open.c.id))
    const stillOpen = earlier.find((d) => d.ceasedOn === null)
    if (stillOpen) throw new ValidationFailed({ decidedOn: `A decision of ${stillOpen.decidedOn} still stands: record its reversal first` })
    const lastCeased = earlier.map((d) => d.ceasedOn!).sort().at(-1)
    if (lastCeased && input.decidedOn < lastCeased) throw new ValidationFailed({ decidedOn: `An earlier decision was reversed on ${lastCeased}: a new one must be on or after it` })
    return createRecord<AdoptionDecisionRow>(ctx, tx, open, 'adoption-decision', adoptionDecision, { periodId: period.id, decidedOn: input.decidedOn })
  })
}

async function decisionOf(tx: Db, open: OpenCase, decisionId: string) {
  const row = await getRecord<AdoptionDecisionRow>(tx, open, adoptionDecision, decisionId)
  const period = await getRecord<PeriodRow>(tx, open, lookedAfterPeriod, row.periodId)
  return { row, period }
}

/** Matching with the adopters and AD1's items about them: on or after the decision (rule 333), which still stands, with consistent codes (511-524). */
export async function recordAdoptionMatch(ctx: ServiceContext, caseId: string, decisionId: string, input: AdoptionMatchInput): Promise<AdoptionDecisionRow> {
  refuseFuture(ctx, { matchedOn: [input.matchedOn, 'the date of the match'] })
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const { row, period } = await decisionOf(tx, open, decisionId)
      if (row.ceasedOn) throw new ValidationFailed({ matchedOn: `The decision was reversed on ${row.ceasedOn}: a match needs a decision that stands` })
      if (input.matchedOn < row.decidedOn) throw new ValidationFailed({ matchedOn: `The match cannot be before the decision to place for adoption, ${row.decidedOn}` })
      inPeriod(period, input.matchedOn, 'matchedOn', 'The match')
      const error = adoptersError(input)
      if (error) throw new ValidationFailed({ [error[0]]: error[1] })
      const { version, ...changes } = input
      return updateRecord<AdoptionDecisionRow>(ctx, tx, open, 'adoption-decision', adoptionDecision, row.id, version, changes, 'adoption-decision.match')
    },
    SECTION,
  )
}

/** The decision that the child should no longer be placed for adoption (903 DATE_PLACED_CEASED, RD1-RD4), on or after the decision (rule 522). */
export async function reverseAdoptionDecision(ctx: ServiceContext, caseId: string, decisionId: string, input: AdoptionReversalInput): Promise<AdoptionDecisionRow> {
  refuseFuture(ctx, { ceasedOn: [input.ceasedOn, 'the date of the decision'] })
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const { row, period } = await decisionOf(tx, open, decisionId)
      if (row.ceasedOn) throw new ValidationFailed({ ceasedOn: `The decision was already reversed on ${row.ceasedOn}` })
      if (input.ceasedOn < row.decidedOn) throw new ValidationFailed({ ceasedOn: `The reversal cannot be before the decision, ${row.decidedOn}` })
      if (period.endedOn && input.ceasedOn > period.endedOn) throw new ValidationFailed({ ceasedOn: `The reversal cannot be after the period of care ended, ${period.endedOn}` })
      const { version, ...changes } = input
      return updateRecord<AdoptionDecisionRow>(ctx, tx, open, 'adoption-decision', adoptionDecision, row.id, version, changes, 'adoption-decision.reverse')
    },
    SECTION,
  )
}

/**
 * Checks made when a period of care ends (in journey/looked-after.ts's transaction): an adoption
 * order (E11, E12) needs a standing decision with the match and the adopters (rule 601); any other
 * ending with a decision still standing needs its reversal recorded first (rule 557).
 */
export async function checkPermanenceAtEnd(tx: Db, period: PeriodRow, endedOn: string, reasonCeased: string): Promise<void> {
  const decisions = await tx.select().from(adoptionDecision).where(eq(adoptionDecision.periodId, period.id))
  const standing = decisions.find((d) => d.ceasedOn === null)
  if (ADOPTION_EXIT.has(reasonCeased)) {
    if (!standing) throw new ValidationFailed({ reasonCeased: 'An adoption order needs the decision that the child should be placed for adoption: record it first' })
    if (!standing.matchedOn || standing.adopterCount === null) throw new ValidationFailed({ reasonCeased: 'An adoption order needs the match and the adopters recorded first (the AD1 return)' })
    if (standing.matchedOn > endedOn) throw new ValidationFailed({ endedOn: `The adoption order cannot be before the match, ${standing.matchedOn}` })
  } else if (standing) {
    throw new ValidationFailed({ reasonCeased: `The decision of ${standing.decidedOn} that the child should be placed for adoption still stands: record its reversal first` })
  }
}

// ---- Previous permanence

/**
 * 903 PrevPerm for the period, asked when care starts (one per period; a correction replaces it).
 * P1-P3 need the authority and the date (rule 630); the date, partial with ZZ, before the period
 * started (632); the authority a 3-digit code or a special code (633).
 */
export async function recordPreviousPermanence(ctx: ServiceContext, caseId: string, periodId: string, input: PreviousPermanenceInput): Promise<PreviousPermanenceRow> {
  return withPeriod(ctx, caseId, periodId, false, async (tx, open, period) => {
    const values = checkedPreviousPermanence(input, period.startedOn)
    const [existing] = await tx.select().from(previousPermanence).where(eq(previousPermanence.periodId, period.id))
    if (existing) return updateRecord<PreviousPermanenceRow>(ctx, tx, open, 'previous-permanence', previousPermanence, existing.id, existing.version, values)
    return createRecord<PreviousPermanenceRow>(ctx, tx, open, 'previous-permanence', previousPermanence, { periodId: period.id, ...values })
  })
}

/** Previous permanence as given when a period starts (in its transaction). */
export async function recordPreviousPermanenceAtStart(ctx: ServiceContext, tx: Db, open: OpenCase, period: PeriodRow, input: PreviousPermanenceInput): Promise<void> {
  await createRecord(ctx, tx, open, 'previous-permanence', previousPermanence, { periodId: period.id, ...checkedPreviousPermanence(input, period.startedOn) })
}

function checkedPreviousPermanence(input: PreviousPermanenceInput, startedOn: string): PreviousPermanenceInput {
  const needsDetail = ['P1', 'P2', 'P3'].includes(input.prevPerm)
  if (!needsDetail) {
    if (input.laPerm || input.datePerm) {
      throw new ValidationFailed({ [input.laPerm ? 'laPerm' : 'datePerm']: 'Give the authority and the date only for an adoption, special guardianship or child arrangements order that ended' })
    }
    return { prevPerm: input.prevPerm, laPerm: null, datePerm: null }
  }
  if (!input.laPerm) throw new ValidationFailed({ laPerm: 'Enter the authority that arranged the order (999 when not known)' })
  if (!laPermValid(input.laPerm)) throw new ValidationFailed({ laPerm: 'The authority is an old-style 3-digit code, or 999, WAL, SCO, NIR or NUK' })
  if (!input.datePerm) throw new ValidationFailed({ datePerm: 'Enter the date of the order, dd/mm/yyyy (ZZ for an unknown day or month)' })
  const earliest = datePermEarliest(input.datePerm)
  if (!earliest) throw new ValidationFailed({ datePerm: 'The date is dd/mm/yyyy, with ZZ for an unknown day or month (like ZZ/03/2019)' })
  if (earliest >= startedOn) throw new ValidationFailed({ datePerm: `The order must be before the child started to be looked after, ${startedOn}` })
  return input
}
