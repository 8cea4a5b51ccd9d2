/**
 * Assessments of children in need (working-together.md §1.1 T04–T06): started on a referral's
 * episode, progressed through the assessment framework's domains, completed with the census
 * factors and an outcome, and authorised by a team manager. The kind offered, and the clock the
 * work is measured against, follow the edition of Working Together in force on the referral date.
 */
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, assessment, childCase, cinEpisode, clock, person } from '../../db/schema/index.ts'
import {
  assessmentKindsFor,
  clockRuleOf,
  factorProblem,
  isLate,
  outcomeProblem,
  ruleAppliesOn,
  type AssessmentKind,
} from '../../domain/journey/assessment-rules.ts'
import type {
  AssessmentProgressInput,
  AuthoriseAssessmentInput,
  CompleteAssessmentInput,
  ReopenAssessmentInput,
  ReturnAssessmentInput,
  StartAssessmentInput,
} from './assessment-input.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { clocksOfCase, completeClocks, startClock, viewClock, type ClockView } from './clocks.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { decideCaseAction, type CaseSummary } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type AssessmentRow = typeof assessment.$inferSelect
type EpisodeRow = typeof cinEpisode.$inferSelect

/** Returned: a manager sent it back to the worker with reasons, to be completed again. */
export type AssessmentState = 'in-progress' | 'returned' | 'completed' | 'authorised'

/** An assessment with where it stands and the clock it is measured against. */
export interface AssessmentView extends AssessmentRow {
  state: AssessmentState
  referralDate: string
  authorisedByName: string | null
  returnedByName: string | null
  reopenedByName: string | null
  /** The clock this assessment completes (the episode's, or the core assessment's own), if any. */
  clock: ClockView | null
}

/** An episode as the start form needs it: its referral and the kinds the guidance then offered. */
export interface EpisodeChoice {
  id: string
  referralDate: string
  closureDate: string | null
  kinds: AssessmentKind[]
}

/** What the reader may do here, so pages offer only the forms that would be accepted. */
export interface AssessmentPermissions {
  mayUpdate: boolean
  mayAuthorise: boolean
}

export interface CaseAssessments extends AssessmentPermissions {
  c: CaseSummary & { breakGlass: boolean }
  assessments: AssessmentView[]
  /** Open episodes an assessment can be started on. */
  episodes: EpisodeChoice[]
  /** Clocks of the case's episodes and assessments. */
  clocks: ClockView[]
}

export interface AssessmentDetail extends AssessmentPermissions {
  c: CaseSummary & { breakGlass: boolean }
  assessment: AssessmentView
  /** Clocks of the assessment's episode and of the assessment itself. */
  clocks: ClockView[]
}

const stateOf = (a: AssessmentRow): AssessmentState =>
  a.authorisedOn ? 'authorised' : a.completedOn ? 'completed' : a.returnedOn ? 'returned' : 'in-progress'

const today = (ctx: ServiceContext) => londonDate(ctx.now())

const longDateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
const longDate = (isoDate: string) => longDateFormat.format(new Date(`${isoDate}T00:00:00Z`))

function notInFuture(ctx: ServiceContext, fields: Record<string, string | null | undefined>): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const [field, value] of Object.entries(fields)) {
    if (value && value > today(ctx)) errors[field] = 'The date must be today or in the past'
  }
  return errors
}

function refuseIf(errors: Record<string, string>): void {
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/** The case's episode, or a refusal naming the field (an id from another case is not found). */
async function episodeOf(tx: Db, open: OpenCase, episodeId: string): Promise<EpisodeRow> {
  try {
    return await getRecord<EpisodeRow>(tx, open, cinEpisode, episodeId)
  } catch (err) {
    if (err instanceof NotFound) throw new ValidationFailed({ episodeId: 'Select a referral (episode) of this child' })
    throw err
  }
}

/**
 * The clock an assessment is measured against: for single and initial assessments the episode's
 * clock (open or the one this assessment completed), for a core assessment its own.
 */
async function clockOf(tx: Db, a: AssessmentRow, on: string): Promise<ClockView | null> {
  const { rule, subject } = clockRuleOf(a.kind as AssessmentKind)
  const subjectId = subject === 'episode' ? a.episodeId : a.id
  const rows = await tx
    .select()
    .from(clock)
    .where(and(eq(clock.subjectId, subjectId), eq(clock.rule, rule)))
    .orderBy(asc(clock.startOn))
  const open = rows.find((r) => r.completedOn === null)
  const mine = rows.find((r) => a.completedOn !== null && r.completedOn === a.completedOn)
  const row = open ?? mine ?? null
  return row ? viewClock(row, on) : null
}

async function viewOf(tx: Db, a: AssessmentRow, on: string): Promise<AssessmentView> {
  const [episode] = await tx.select({ referralDate: cinEpisode.referralDate }).from(cinEpisode).where(eq(cinEpisode.id, a.episodeId))
  const ids = [a.authorisedBy, a.returnedBy, a.reopenedBy].filter((id): id is string => id !== null)
  const managers = ids.length ? await tx.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, ids)) : []
  const nameOf = (id: string | null) => managers.find((m) => m.id === id)?.name ?? null
  return {
    ...a,
    state: stateOf(a),
    referralDate: episode!.referralDate,
    authorisedByName: nameOf(a.authorisedBy),
    returnedByName: nameOf(a.returnedBy),
    reopenedByName: nameOf(a.reopenedBy),
    clock: await clockOf(tx, a, on),
  }
}

async function permissionsOn(tx: Db, ctx: ServiceContext, open: OpenCase): Promise<AssessmentPermissions> {
  const [update, authorise] = await Promise.all([
    decideCaseAction(tx, ctx, open.c, 'case:update'),
    decideCaseAction(tx, ctx, open.c, 'case:authorise'),
  ])
  return { mayUpdate: update.allowed, mayAuthorise: authorise.allowed }
}

/** Every assessment of a case, the episodes one may be started on and the clocks that apply. */
export async function assessmentsOfCase(ctx: ServiceContext, caseId: string): Promise<CaseAssessments> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const on = today(ctx)
      const rows = await tx
        .select()
        .from(assessment)
        .where(eq(assessment.caseId, open.c.id))
        .orderBy(asc(assessment.startedOn), asc(assessment.createdAt))
      const episodes = await tx
        .select()
        .from(cinEpisode)
        .where(eq(cinEpisode.caseId, open.c.id))
        .orderBy(asc(cinEpisode.referralDate))
      const subjects = new Set([...episodes.map((e) => e.id), ...rows.map((a) => a.id)])
      const clocks = (await clocksOfCase(tx, open.c.id, on)).filter((k) => subjects.has(k.subjectId))
      return {
        ...(await permissionsOn(tx, ctx, open)),
        c: { ...open.c, breakGlass: open.breakGlass },
        assessments: await Promise.all(rows.map((a) => viewOf(tx, a, on))),
        episodes: episodes
          .filter((e) => e.closureDate === null)
          .map((e) => ({ id: e.id, referralDate: e.referralDate, closureDate: e.closureDate, kinds: assessmentKindsFor(e.referralDate) })),
        clocks,
      }
    },
    'assessments',
  )
}

/** One assessment with the clocks of its episode and its own. */
export async function getAssessment(ctx: ServiceContext, caseId: string, assessmentId: string): Promise<AssessmentDetail> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const on = today(ctx)
      const a = await getRecord<AssessmentRow>(tx, open, assessment, assessmentId)
      const clocks = (await clocksOfCase(tx, open.c.id, on)).filter((k) => k.subjectId === a.episodeId || k.subjectId === a.id)
      return {
        ...(await permissionsOn(tx, ctx, open)),
        c: { ...open.c, breakGlass: open.breakGlass },
        assessment: await viewOf(tx, a, on),
        clocks,
      }
    },
    'assessments',
  )
}

/**
 * Starts an assessment on an open episode. The single or initial assessment's clock was started
 * at referral (subject: the episode); a core assessment starts its own clock.
 */
export async function startAssessment(ctx: ServiceContext, caseId: string, input: StartAssessmentInput): Promise<AssessmentRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const episode = await episodeOf(tx, open, input.episodeId)
    const errors: Record<string, string> = notInFuture(ctx, { startedOn: input.startedOn })
    if (episode.closureDate !== null) errors.episodeId = 'This episode is closed: an assessment needs an open episode'
    const kinds = assessmentKindsFor(episode.referralDate)
    if (!kinds.includes(input.kind)) errors.kind = kindRefusal(kinds)
    if (input.startedOn < episode.referralDate) errors.startedOn ??= 'The assessment cannot start before the referral date'
    const unfinished = await tx
      .select({ id: assessment.id })
      .from(assessment)
      .where(and(eq(assessment.episodeId, episode.id), isNull(assessment.completedOn)))
    if (unfinished.length > 0) errors.episodeId ??= 'Another assessment on this episode is not yet completed'
    refuseIf(errors)

    const row = await createRecord<AssessmentRow>(ctx, tx, open, 'assessment', assessment, {
      episodeId: episode.id,
      kind: input.kind,
      startedOn: input.startedOn,
    })
    if (input.kind === 'core' && ruleAppliesOn('core-assessment', input.startedOn)) {
      await startClock(ctx, tx, open, {
        rule: 'core-assessment',
        start: input.startedOn,
        subjectType: 'assessment',
        subjectId: row.id,
        task: 'Complete the core assessment',
      })
    }
    return row
  })
}

function kindRefusal(kinds: AssessmentKind[]): string {
  return kinds.includes('single')
    ? 'Referrals from 15 April 2013 (Working Together 2013) have a single assessment'
    : 'Referrals before 15 April 2013 have an initial assessment, then a core assessment if needed'
}

/** An assessment that may still change: an authorised one is read-only until a manager reopens it. */
async function editable(tx: Db, open: OpenCase, assessmentId: string): Promise<AssessmentRow> {
  const a = await getRecord<AssessmentRow>(tx, open, assessment, assessmentId)
  if (a.authorisedOn) {
    throw new ValidationFailed({ form: 'This assessment has been authorised: it is read-only until a team manager reopens it' })
  }
  return a
}

/** Records progress: the framework's three domains, the analysis and when the child was seen. */
export async function updateAssessment(
  ctx: ServiceContext,
  caseId: string,
  assessmentId: string,
  input: AssessmentProgressInput,
): Promise<AssessmentRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await editable(tx, open, assessmentId)
    const { version, ...changes } = input
    const seen = changes.childSeenOn === undefined ? current.childSeenOn : changes.childSeenOn
    const seenAlone = changes.childSeenAloneOn === undefined ? current.childSeenAloneOn : changes.childSeenAloneOn
    const errors = notInFuture(ctx, { childSeenOn: changes.childSeenOn, childSeenAloneOn: changes.childSeenAloneOn })
    if (seenAlone && !seen) errors.childSeenOn ??= 'Enter the date the child was seen: a child seen alone was seen'
    refuseIf(errors)
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined))
    return updateRecord<AssessmentRow>(ctx, tx, open, 'assessment', assessment, assessmentId, version, defined)
  })
}

/**
 * Completes an assessment: the census factors, the outcome and, when the clock ran late, the
 * reason. Completes the clock it was measured against; an outcome of a strategy discussion starts
 * that clock from the completion date.
 */
export async function completeAssessment(
  ctx: ServiceContext,
  caseId: string,
  assessmentId: string,
  input: CompleteAssessmentInput,
): Promise<AssessmentRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await editable(tx, open, assessmentId)
    const kind = current.kind as AssessmentKind
    const errors = notInFuture(ctx, { completedOn: input.completedOn })
    if (current.completedOn) errors.form = 'This assessment is already completed'
    if (input.completedOn < current.startedOn) errors.completedOn ??= 'The completion date cannot be before the start date'
    const factors = factorProblem(input.factors, input.outcome, kind)
    if (factors) errors.factors = factors
    const outcome = outcomeProblem(input.outcome, kind)
    if (outcome) errors.outcome = outcome
    const clockNow = await clockOf(tx, current, today(ctx))
    const delayReason = input.delayReason?.trim() || null
    const late = clockNow !== null && clockNow.completedOn === null && isLate(clockNow.dueOn, input.completedOn)
    if (clockNow && late && !delayReason && !input.delayReasonCode) {
      errors.delayReason = `The assessment was due on ${longDate(clockNow.dueOn)}: give the reason it took longer`
    }
    refuseIf(errors)

    const row = await updateRecord<AssessmentRow>(
      ctx,
      tx,
      open,
      'assessment',
      assessment,
      assessmentId,
      input.version,
      { completedOn: input.completedOn, factors: input.factors, outcome: input.outcome, delayReason },
      'assessment.complete',
    )
    const { rule, subject } = clockRuleOf(kind)
    await completeClocks(ctx, tx, {
      subjectId: subject === 'episode' ? row.episodeId : row.id,
      rule,
      completedOn: input.completedOn,
      delayReason,
      delayReasonCode: late ? (input.delayReasonCode ?? null) : null,
    })
    if (input.outcome === 'strategy-discussion') await startStrategyClock(ctx, tx, open, row)
    return row
  })
}

/** Starts the episode's strategy discussion clock unless one is already running. */
async function startStrategyClock(ctx: ServiceContext, tx: Db, open: OpenCase, a: AssessmentRow): Promise<void> {
  const running = await tx
    .select({ id: clock.id })
    .from(clock)
    .where(and(eq(clock.subjectId, a.episodeId), eq(clock.rule, 'strategy-discussion'), isNull(clock.completedOn)))
  if (running.length > 0) return
  await startClock(ctx, tx, open, {
    rule: 'strategy-discussion',
    start: a.completedOn!,
    subjectType: 'cin-episode',
    subjectId: a.episodeId,
    task: 'Hold the strategy discussion',
  })
}

/** A team manager of the case's team authorises a completed assessment. */
export async function authoriseAssessment(
  ctx: ServiceContext,
  caseId: string,
  assessmentId: string,
  input: AuthoriseAssessmentInput,
): Promise<AssessmentRow> {
  return withCase(ctx, caseId, 'case:authorise', async (tx, open) => {
    const current = await getRecord<AssessmentRow>(tx, open, assessment, assessmentId)
    const errors = notInFuture(ctx, { authorisedOn: input.authorisedOn })
    if (current.authorisedOn) errors.form = 'This assessment is already authorised'
    else if (!current.completedOn) errors.form = 'Only a completed assessment can be authorised'
    else if (input.authorisedOn < current.completedOn) errors.authorisedOn ??= 'The authorisation date cannot be before the completion date'
    refuseIf(errors)
    return updateRecord<AssessmentRow>(
      ctx,
      tx,
      open,
      'assessment',
      assessment,
      assessmentId,
      input.version,
      { authorisedOn: input.authorisedOn, authorisedBy: ctx.actor.userId, authorisationComment: input.comment.trim() },
      'assessment.authorise',
    )
  })
}

/**
 * A team manager returns a completed assessment to the worker with the reasons: its completion is
 * cleared (the worker sees the reasons, changes it and completes it again); its factors and outcome
 * stay as the worker left them, and its clock keeps the first completion.
 */
export async function returnAssessment(ctx: ServiceContext, caseId: string, assessmentId: string, input: ReturnAssessmentInput): Promise<AssessmentRow> {
  return withCase(ctx, caseId, 'case:authorise', async (tx, open) => {
    const current = await getRecord<AssessmentRow>(tx, open, assessment, assessmentId)
    if (current.authorisedOn) refuseIf({ form: 'This assessment is authorised: reopen it instead' })
    if (!current.completedOn) refuseIf({ form: 'Only a completed assessment can be returned to the worker' })
    const changes = { completedOn: null, returnedOn: today(ctx), returnedBy: ctx.actor.userId, returnReasons: input.reasons.trim() }
    return updateRecord<AssessmentRow>(ctx, tx, open, 'assessment', assessment, assessmentId, input.version, changes, 'assessment.return')
  })
}

/**
 * A team manager reopens an authorised assessment, with the reason (kept on the record and its
 * revision, audited as 'assessment.reopen'): its authorisation is cleared, so it can change again
 * and is authorised anew.
 */
export async function reopenAssessment(ctx: ServiceContext, caseId: string, assessmentId: string, input: ReopenAssessmentInput): Promise<AssessmentRow> {
  return withCase(ctx, caseId, 'case:authorise', async (tx, open) => {
    const current = await getRecord<AssessmentRow>(tx, open, assessment, assessmentId)
    if (!current.authorisedOn) refuseIf({ form: 'Only an authorised assessment can be reopened' })
    const changes = {
      authorisedOn: null,
      authorisedBy: null,
      authorisationComment: null,
      reopenedOn: today(ctx),
      reopenedBy: ctx.actor.userId,
      reopenReason: input.reason.trim(),
    }
    return updateRecord<AssessmentRow>(ctx, tx, open, 'assessment', assessment, assessmentId, input.version, changes, 'assessment.reopen')
  })
}

export interface AwaitingAuthorisation {
  assessmentId: string
  caseId: string
  childName: string
  completedOn: string
}

/**
 * Completed assessments of a team's cases that no manager has authorised yet, oldest first. No
 * access check here: the caller (team oversight) has decided the user may oversee the team.
 */
export async function assessmentsAwaitingAuthorisation(db: Db, teamId: string): Promise<AwaitingAuthorisation[]> {
  const rows = await db
    .select({
      assessmentId: assessment.id,
      caseId: assessment.caseId,
      givenName: person.givenName,
      familyName: person.familyName,
      completedOn: assessment.completedOn,
    })
    .from(assessment)
    .innerJoin(childCase, eq(childCase.id, assessment.caseId))
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(childCase.teamId, teamId), isNotNull(assessment.completedOn), isNull(assessment.authorisedOn)))
    .orderBy(asc(assessment.completedOn))
  return rows.map((r) => ({
    assessmentId: r.assessmentId,
    caseId: r.caseId,
    childName: `${r.givenName} ${r.familyName}`,
    completedOn: r.completedOn!,
  }))
}
