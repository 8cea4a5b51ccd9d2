/**
 * Looked-after children and pre-proceedings under the Public Law Outline.
 *
 * A period of care starts with what the SSDA903 needs (category of need, UASC, home postcode, the
 * first placement: services/care/placements.ts) and ends with the reason ceased; its legal status
 * changes, placements and temporary moves are recorded there, and its 903 episodes derived.
 *
 * A child becoming looked after moves the case to the 'looked-after' stage and starts the first
 * review clock (20 working days); each review held completes the running review clock and starts
 * the next (second review within 3 months, later ones within 6 months); leaving care completes
 * whatever is still running. Pre-proceedings record the census items of the 2026-27 module;
 * issuing care proceedings starts the 26-week clock, which ends with the record.
 */
import { and, desc, eq, inArray, isNull, like } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { cinEpisode, clock, lookedAfterPeriod, plan, preProceedings, task } from '../../db/schema/index.ts'
import { dueDate, type RuleId } from '../../domain/timescales/index.ts'
import { audit } from '../access/audit.ts'
import { createRecord, getRecord, localRulesOf, setCaseStage, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { clocksOfCase, completeClocks, startClockIfInForce, type ClockView } from './clocks.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { requireLateReason } from './clock-delays.ts'
import { leaveStage } from './episodes.ts'
import { recordCareLeaverOnLeaving } from './care-leavers.ts'
import { endCareClocks, startCareStartClocks } from './health-education.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import type {
  LacReviewInput,
  LookedAfterEnd,
  LookedAfterStart,
  PreProceedingsInput,
  PreProceedingsUpdate,
} from './looked-after-input.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { careOfPeriods, recordPeriodEnd, recordPeriodStart, type PeriodCare } from '../care/placements.ts'
import type { ReviewParticipation } from '../care/permanence-input.ts'
import { checkPermanenceAtEnd, permanenceOfPeriods, recordPreviousPermanenceAtStart, recordReviewParticipation, type PeriodPermanence } from '../care/permanence.ts'

export type PeriodRow = typeof lookedAfterPeriod.$inferSelect
export type PreProceedingsRow = typeof preProceedings.$inferSelect

const PERIOD = 'looked-after'
const PRE_PROCEEDINGS = 'pre-proceedings'

/** Which review clock follows a review held under each. */
const NEXT_REVIEW: Record<string, RuleId> = {
  'cla-first-review': 'cla-second-review',
  'cla-second-review': 'cla-review',
  'cla-review': 'cla-review',
}
const REVIEW_TASK: Record<string, string> = {
  'cla-first-review': 'Hold the first looked-after review',
  'cla-second-review': 'Hold the second looked-after review',
  'cla-review': 'Hold the next looked-after review',
}

export interface LacReview {
  heldOn: string
  /** The review clock this review met. */
  rule: string
  dueOn: string
  late: boolean
  delayReason: string | null
}

export interface PeriodView extends PeriodRow {
  reviews: LacReview[]
}

export interface LookedAfterPage {
  c: CaseFrame
  /** Newest first; at most one is open (endedOn null). */
  periods: PeriodView[]
  /** Newest first; at most one is open. */
  preProceedings: PreProceedingsRow[]
  /** The clocks of these periods and pre-proceedings. */
  clocks: ClockView[]
  /** Each period's legal statuses, placements, derived 903 episodes and placement stability, by period id. */
  care: Record<string, PeriodCare>
  /** Each period's care plans, IROs, reviews' participation, IRO escalations, adoption decisions and previous permanence, by period id. */
  permanence: Record<string, PeriodPermanence>
}

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

export async function lookedAfterOfCase(ctx: ServiceContext, caseId: string): Promise<LookedAfterPage> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const periods = await tx
        .select()
        .from(lookedAfterPeriod)
        .where(eq(lookedAfterPeriod.caseId, open.c.id))
        .orderBy(desc(lookedAfterPeriod.startedOn), desc(lookedAfterPeriod.createdAt))
      const pps = await tx
        .select()
        .from(preProceedings)
        .where(eq(preProceedings.caseId, open.c.id))
        .orderBy(desc(preProceedings.decisionOn), desc(preProceedings.createdAt))
      const subjects = new Set([...periods.map((p) => p.id), ...pps.map((p) => p.id)])
      const clocks = (await clocksOfCase(tx, open.c.id, londonDate(ctx.now()))).filter((k) => subjects.has(k.subjectId))
      return {
        c: await caseFrame(ctx, tx, open),
        periods: periods.map((p) => ({ ...p, reviews: reviewsOf(p.id, clocks) })),
        preProceedings: pps,
        clocks,
        care: await careOfPeriods(tx, open, periods, londonDate(ctx.now())),
        permanence: await permanenceOfPeriods(tx, periods.map((p) => p.id)),
      }
    },
    'looked-after',
  )
}

/**
 * Reviews held in a period, read from its review clocks: a review completes the running clock and
 * starts the next from the same day, so a completed clock with a successor from its completion
 * date was met by a review (the last one, completed when the child left care, has none).
 */
function reviewsOf(periodId: string, clocks: ClockView[]): LacReview[] {
  const ofPeriod = clocks.filter((k) => k.subjectId === periodId && k.rule.startsWith('cla-'))
  const reviewed = (k: ClockView) =>
    k.completedOn !== null && ofPeriod.some((next) => next.rule === NEXT_REVIEW[k.rule] && next.startOn === k.completedOn && next.id !== k.id)
  return ofPeriod
    .filter(reviewed)
    .map((k) => ({ heldOn: k.completedOn!, rule: k.rule, dueOn: k.dueOn, late: k.completedOn! > k.dueOn, delayReason: k.delayReason }))
    .sort((a, b) => a.heldOn.localeCompare(b.heldOn))
}

async function openPeriodOf(tx: Db, caseId: string): Promise<PeriodRow | undefined> {
  const [row] = await tx
    .select()
    .from(lookedAfterPeriod)
    .where(and(eq(lookedAfterPeriod.caseId, caseId), isNull(lookedAfterPeriod.endedOn)))
  return row
}

/** Records that the child became looked after, with the first placement and previous permanence: stage 'looked-after', first review clock. */
export async function becomeLookedAfter(ctx: ServiceContext, caseId: string, input: LookedAfterStart): Promise<PeriodRow> {
  refuseFuture(ctx, { startedOn: [input.startedOn, 'the date the child became looked after'] })
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const current = await openPeriodOf(tx, open.c.id)
      if (current) {
        throw new ValidationFailed({ startedOn: `The child has been looked after since ${current.startedOn}: record that period’s end first` })
      }
      const { startedOn, legalStatus, prevPerm, laPerm, datePerm, ...context } = input
      const period = await createRecord<PeriodRow>(ctx, tx, open, PERIOD, lookedAfterPeriod, { startedOn, legalStatus })
      await recordPeriodStart(ctx, tx, open, period, context)
      await recordPreviousPermanenceAtStart(ctx, tx, open, period, { prevPerm, laPerm, datePerm })
      await setCaseStage(ctx, tx, open, 'looked-after', input.startedOn)
      await startClockIfInForce(ctx, tx, open, {
        rule: 'cla-first-review',
        start: input.startedOn,
        subjectType: PERIOD,
        subjectId: period.id,
        task: REVIEW_TASK['cla-first-review']!,
      })
      await startCareStartClocks(ctx, tx, open, period.id, input.startedOn)
      return period
    },
    'looked-after',
  )
}

async function openPeriod(tx: Db, open: OpenCase, periodId: string): Promise<PeriodRow> {
  const period = await getRecord<PeriodRow>(tx, open, lookedAfterPeriod, periodId)
  if (period.endedOn) throw new ValidationFailed({ period: `This period of care ended on ${period.endedOn}` })
  return period
}

/**
 * Records a looked-after review: completes the review clock running for the period and starts the
 * next one from the review's date.
 */
export async function recordLacReview(
  ctx: ServiceContext,
  caseId: string,
  periodId: string,
  input: Omit<LacReviewInput, keyof ReviewParticipation> & Partial<ReviewParticipation>,
): Promise<{ completed: string | null; next: string | null }> {
  refuseFuture(ctx, { heldOn: [input.heldOn, 'the date the review was held'] })
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const period = await openPeriod(tx, open, periodId)
      const reviewClocks = await tx
        .select()
        .from(clock)
        .where(and(eq(clock.subjectId, period.id), like(clock.rule, 'cla-%')))
      const running = reviewClocks.find((k) => k.completedOn === null)
      const since = running?.startOn ?? period.startedOn
      if (input.heldOn < since) {
        throw new ValidationFailed({ heldOn: `The review must be on or after ${since}, the start of the period or the previous review` })
      }
      // Pages and the API always give the participation (the 903's REVIEW_CODE); internal callers may not.
      if (input.participation) {
        await recordReviewParticipation(ctx, tx, open, period, input.heldOn, { participation: input.participation, chairId: input.chairId ?? null, reviewedPermanencePlan: input.reviewedPermanencePlan ?? null })
      }
      if (running) {
        const late = input.heldOn > running.dueOn
        await completeClocks(ctx, tx, {
          subjectId: period.id,
          rule: running.rule as RuleId,
          completedOn: input.heldOn,
          delayReason: input.delayReason,
          delayReasonCode: late ? (input.delayReasonCode ?? null) : null,
        })
      }
      // Without a running clock (a period from before the regulations), count the reviews held.
      const next = running ? NEXT_REVIEW[running.rule]! : reviewClocks.length === 0 ? 'cla-second-review' : 'cla-review'
      const started = await startClockIfInForce(ctx, tx, open, {
        rule: next,
        start: input.heldOn,
        subjectType: PERIOD,
        subjectId: period.id,
        task: REVIEW_TASK[next]!,
      })
      await audit(ctx, tx, {
        action: 'looked-after.review',
        recordType: PERIOD,
        recordId: period.id,
        subjectPersonId: open.c.personId,
        ground: open.ground,
        detail: { heldOn: input.heldOn, completed: running?.rule ?? null, next: started?.rule ?? null },
      })
      return { completed: running?.rule ?? null, next: started?.rule ?? null }
    },
    'looked-after',
  )
}

/** Records that the child stopped being looked after; completes the period's running clocks. */
export async function endLookedAfter(ctx: ServiceContext, caseId: string, periodId: string, input: LookedAfterEnd): Promise<PeriodRow> {
  refuseFuture(ctx, { endedOn: [input.endedOn, 'the date the child stopped being looked after'] })
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const period = await openPeriod(tx, open, periodId)
      if (input.endedOn < period.startedOn) {
        throw new ValidationFailed({ endedOn: `The end must be on or after the start of the period, ${period.startedOn}` })
      }
      await checkPermanenceAtEnd(tx, period, input.endedOn, input.reasonCeased)
      await recordPeriodEnd(ctx, tx, open, period, input.endedOn, input.reasonCeased)
      const ended = await updateRecord<PeriodRow>(ctx, tx, open, PERIOD, lookedAfterPeriod, period.id, input.version, { endedOn: input.endedOn }, 'looked-after.end')
      await completeClocks(ctx, tx, { subjectId: period.id, completedOn: input.endedOn })
      await endCareClocks(ctx, tx, open.c.id, input.endedOn)
      await recordCareLeaverOnLeaving(ctx, tx, open, input)
      await leaveStage(ctx, tx, open, 'looked-after', input.endedOn)
      return ended
    },
    'looked-after',
  )
}

// ---- Pre-proceedings

type PreProceedingsState = Pick<
  PreProceedingsRow,
  | 'decisionOn'
  | 'letterSentOn'
  | 'fgdmOffered'
  | 'fgdmOfferedOn'
  | 'fgdmResponse'
  | 'fgdmNotOfferedReason'
  | 'fgdmMeetingOn'
  | 'initialMeetingOn'
  | 'proceedingsIssuedOn'
  | 'outcome'
  | 'endedOn'
>

/**
 * Care proceedings issued on or after this day need the family group decision-making offer, or
 * the reason none was made, on the record: Children Act 1989 s31ZA, inserted by the Children's
 * Wellbeing and Schools Act 2026 s1 (Royal Assent 29 April 2026; its commencement date is
 * UNVERIFIED, so the duty is taken from Royal Assent).
 */
export const FGDM_OFFER_REQUIRED_FROM = '2026-04-29'

const FGDM_FIELDS = ['fgdmOffered', 'fgdmOfferedOn', 'fgdmResponse', 'fgdmNotOfferedReason'] as const

/** The family group decision-making offer: its date and answer belong to an offer, a reason to no offer; issuing proceedings asks for one or the other. */
function fgdmOfferErrors(pp: PreProceedingsState, issuing: boolean): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!pp.fgdmOffered && pp.fgdmOfferedOn) errors.fgdmOffered = 'You gave the date the meeting was offered, so select yes: one was offered'
  if (!pp.fgdmOffered && pp.fgdmResponse) errors.fgdmOffered ??= 'You gave the family’s answer to the offer, so select yes: a meeting was offered'
  if (pp.fgdmOffered && pp.fgdmNotOfferedReason) errors.fgdmNotOfferedReason = 'A meeting was offered: leave the reason it was not offered empty'
  if (pp.fgdmOfferedOn && pp.fgdmOfferedOn < pp.decisionOn) errors.fgdmOfferedOn = `The offer must be on or after the decision to start pre-proceedings, ${pp.decisionOn}`
  if (issuing && pp.proceedingsIssuedOn && pp.proceedingsIssuedOn >= FGDM_OFFER_REQUIRED_FROM) {
    if (pp.fgdmOffered && !pp.fgdmOfferedOn) {
      errors.fgdmOfferedOn ??= 'Enter the date the family group decision-making meeting was offered: it is needed before care proceedings are issued'
    } else if (!pp.fgdmOffered && !pp.fgdmNotOfferedReason) {
      errors.fgdmNotOfferedReason ??=
        'Before care proceedings are issued, record the family group decision-making offer (select yes and give its date), or say why no meeting was offered'
    }
  }
  return errors
}

/** The rules between the items, checked on the record as it would be after the change. */
function preProceedingsErrors(ctx: ServiceContext, pp: PreProceedingsState, issuing: boolean): Record<string, string> {
  const errors = futureDateErrors(londonDate(ctx.now()), {
    decisionOn: [pp.decisionOn, 'the date of the decision'],
    letterSentOn: [pp.letterSentOn, 'the date the letter was sent'],
    fgdmOfferedOn: [pp.fgdmOfferedOn, 'the date the meeting was offered'],
    fgdmMeetingOn: [pp.fgdmMeetingOn, 'the date of the family group decision-making meeting'],
    initialMeetingOn: [pp.initialMeetingOn, 'the date of the initial meeting'],
    proceedingsIssuedOn: [pp.proceedingsIssuedOn, 'the date proceedings were issued'],
    endedOn: [pp.endedOn, 'the end date'],
  })
  const afterDecision: [keyof PreProceedingsState, string][] = [
    ['letterSentOn', 'The letter before proceedings'],
    ['fgdmMeetingOn', 'The family group decision-making meeting'],
    ['initialMeetingOn', 'The initial pre-proceedings meeting'],
    ['proceedingsIssuedOn', 'The issue of care proceedings'],
    ['endedOn', 'The end of pre-proceedings'],
  ]
  for (const [field, what] of afterDecision) {
    const value = pp[field]
    if (typeof value === 'string' && value < pp.decisionOn) errors[field] ??= `${what} must be on or after the decision, ${pp.decisionOn}`
  }
  if (pp.fgdmMeetingOn && !pp.fgdmOffered) {
    errors.fgdmMeetingOn ??= 'A family group decision-making meeting was held, so select yes: one was offered'
  }
  if (pp.outcome === 'B' && !pp.proceedingsIssuedOn) {
    errors.proceedingsIssuedOn ??= 'Enter the date care proceedings were issued, as the outcome is that they were'
  }
  if (pp.proceedingsIssuedOn && pp.outcome && pp.outcome !== 'B') {
    errors.outcome ??= 'Care proceedings were issued, so the outcome is “Care proceedings issued”'
  }
  if (pp.endedOn && !pp.outcome) errors.outcome ??= 'Select the outcome of pre-proceedings before recording its end'
  for (const [field, message] of Object.entries(fgdmOfferErrors(pp, issuing))) errors[field] ??= message
  return errors
}

const CARE_PROCEEDINGS_TASK = 'Conclude the care proceedings within 26 weeks'

async function latestOpenEpisode(tx: Db, caseId: string): Promise<string | null> {
  const [episode] = await tx
    .select({ id: cinEpisode.id })
    .from(cinEpisode)
    .where(and(eq(cinEpisode.caseId, caseId), isNull(cinEpisode.closureDate)))
    .orderBy(desc(cinEpisode.referralDate))
    .limit(1)
  return episode?.id ?? null
}

/** Records the decision to start pre-proceedings (and whatever has happened since). */
export async function startPreProceedings(ctx: ServiceContext, caseId: string, input: PreProceedingsInput): Promise<PreProceedingsRow> {
  const errors = preProceedingsErrors(ctx, input, true)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const [running] = await tx
        .select({ decisionOn: preProceedings.decisionOn })
        .from(preProceedings)
        .where(and(eq(preProceedings.caseId, open.c.id), isNull(preProceedings.endedOn)))
      if (running) {
        throw new ValidationFailed({ decisionOn: `Pre-proceedings started on ${running.decisionOn} have not ended: change that record instead` })
      }
      const { lateReasonCode, lateReason, ...fields } = input
      const row = await createRecord<PreProceedingsRow>(ctx, tx, open, PRE_PROCEEDINGS, preProceedings, {
        ...fields,
        episodeId: await latestOpenEpisode(tx, open.c.id),
      })
      await syncCareProceedingsClock(ctx, tx, open, null, row, { lateReasonCode, lateReason })
      return row
    },
    'looked-after',
  )
}

/** Changes pre-proceedings read at `input.version`; fields left out keep their values. */
export async function changePreProceedings(
  ctx: ServiceContext,
  caseId: string,
  ppId: string,
  input: PreProceedingsUpdate,
): Promise<PreProceedingsRow> {
  const { version, lateReasonCode, lateReason, ...given } = input
  const changes = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<PreProceedingsState>
  return withCase(
    ctx,
    caseId,
    'case:update',
    async (tx, open) => {
      const current = await getRecord<PreProceedingsRow>(tx, open, preProceedings, ppId)
      const after = { ...current, ...changes }
      // Issuing proceedings, or changing the offer of a record whose proceedings were issued, asks for the offer (records from before it was asked keep their other changes).
      const issuing = !current.proceedingsIssuedOn || FGDM_FIELDS.some((f) => f in changes) || 'proceedingsIssuedOn' in changes
      const errors = preProceedingsErrors(ctx, after, issuing)
      if (current.proceedingsIssuedOn && !after.proceedingsIssuedOn) {
        errors.proceedingsIssuedOn ??= 'The date care proceedings were issued can be corrected but not removed: their 26-week timescale has started'
      }
      if (current.endedOn && !after.endedOn) {
        errors.endedOn ??= 'These pre-proceedings have ended: record new pre-proceedings instead of reopening them'
      }
      if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
      const row = await updateRecord<PreProceedingsRow>(ctx, tx, open, PRE_PROCEEDINGS, preProceedings, ppId, version, changes)
      await syncCareProceedingsClock(ctx, tx, open, current, row, { lateReasonCode, lateReason })
      return row
    },
    'looked-after',
  )
}

/**
 * Keeps the 26-week care proceedings clock in step with the record: issuing proceedings starts
 * it; a corrected issue date moves its start and due date (the clock follows its starting event);
 * the end of the record completes it, and a corrected end date moves its completion. An end after
 * the due date asks for the coded reason (issue 17 §3), kept on the clock with the words; a
 * corrected end keeps the reason the clock has unless another is given.
 */
async function syncCareProceedingsClock(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  before: PreProceedingsRow | null,
  after: PreProceedingsRow,
  why: { lateReasonCode: string | null | undefined; lateReason: string | null | undefined },
): Promise<void> {
  const issued = after.proceedingsIssuedOn
  const [existing] = await tx
    .select()
    .from(clock)
    .where(and(eq(clock.subjectId, after.id), eq(clock.rule, 'care-proceedings')))
  if (issued && !existing) {
    await startClockIfInForce(ctx, tx, open, {
      rule: 'care-proceedings',
      start: issued,
      subjectType: PRE_PROCEEDINGS,
      subjectId: after.id,
      task: CARE_PROCEEDINGS_TASK,
    })
  } else if (issued && existing && issued !== existing.startOn) {
    const due = dueDate({ rule: 'care-proceedings', start: issued, localRules: await localRulesOf(tx, ctx.actor.partnershipId) })
    await tx.update(clock).set({ startOn: issued, edition: due.edition, dueOn: due.due, updatedAt: ctx.now() }).where(eq(clock.id, existing.id))
    await tx.update(task).set({ dueOn: due.due, updatedAt: ctx.now() }).where(eq(task.clockId, existing.id))
  }
  if (!after.endedOn || after.endedOn === before?.endedOn) return
  const [k] = await tx.select().from(clock).where(and(eq(clock.subjectId, after.id), eq(clock.rule, 'care-proceedings')))
  const late = !!k && after.endedOn > k.dueOn
  // A reason already on the clock (given while it ran late, or at an earlier end) stands unless another is given.
  const given = why.lateReasonCode ? { delayReasonCode: why.lateReasonCode, delayReason: why.lateReason ?? null } : null
  const reason = given ?? { delayReasonCode: k?.delayReasonCode ?? null, delayReason: k?.delayReason ?? null }
  if (k) requireLateReason('lateReasonCode', 'the end of care proceedings', k.dueOn, after.endedOn, reason.delayReasonCode)
  if (!late) Object.assign(reason, { delayReasonCode: null, delayReason: null })
  if (!before?.endedOn) {
    await completeClocks(ctx, tx, { subjectId: after.id, completedOn: after.endedOn, ...reason })
  } else {
    const completed = await tx
      .update(clock)
      .set({ completedOn: after.endedOn, ...reason, updatedAt: ctx.now() })
      .where(and(eq(clock.subjectId, after.id), eq(clock.completedOn, before.endedOn)))
      .returning({ id: clock.id })
    if (completed.length > 0) {
      await tx.update(task).set({ doneOn: after.endedOn, updatedAt: ctx.now() }).where(inArray(task.clockId, completed.map((k) => k.id)))
    }
  }
}
