/**
 * Early help and child in need plans, and the goals and actions of every plan (child protection
 * plans are made by a conference, but their goals, actions and progress are kept here too).
 * Plans are reviewed, ended, and stepped up or down between early help and child in need; the
 * case's stage follows the open plans (child protection above child in need above early help).
 */
import { and, arrayOverlaps, asc, desc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { agency, appUser, cinEpisode, earlyHelpAssessment, plan, planItem, recordRevision } from '../../db/schema/index.ts'
import type { Role } from '../../domain/access/roles.ts'
import { labelOf, PLAN_KIND } from '../../domain/journey/codes.ts'
import { createRecord, getRecord, setCaseStage, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { clocksOfCase, completeClocks, type ClockView } from './clocks.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { closeCaseIfNothingOpen } from './episodes.ts'
import { actionUpdatesByItem } from '../multi-agency/participation.ts'
import type {
  EndPlanInput,
  PlanItemInput,
  PlanItemUpdate,
  ReviewPlanInput,
  StartPlanInput,
  StepPlanInput,
} from './plan-input.ts'
import { decideCaseAction, type CaseSummary } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type PlanRow = typeof plan.$inferSelect
export type PlanItemRow = typeof planItem.$inferSelect
type EpisodeRow = typeof cinEpisode.$inferSelect
type PlanKind = 'early-help' | 'child-in-need' | 'child-protection'

/** The stage each kind of plan puts a case in, strongest first. */
const PLAN_STAGES: readonly { kind: PlanKind; stage: string }[] = [
  { kind: 'child-protection', stage: 'child-protection' },
  { kind: 'child-in-need', stage: 'child-in-need' },
  { kind: 'early-help', stage: 'early-help' },
]

/** The stage the open plans put a case in (CP > CIN > early help), or null when none is open. */
export function stageForOpenPlans(kinds: readonly string[]): string | null {
  return PLAN_STAGES.find((s) => kinds.includes(s.kind))?.stage ?? null
}

const STEP_REASONS = ['step-up', 'step-down-cin', 'step-down-early-help']

/** The end reason for moving from one kind of plan to another. */
export function stepReason(from: string, to: string): 'step-up' | 'step-down-cin' | 'step-down-early-help' | null {
  if (from === 'early-help' && to === 'child-in-need') return 'step-up'
  if (from === 'child-in-need' && to === 'early-help') return 'step-down-early-help'
  return null
}

export interface Person {
  id: string
  name: string
  agencyId: string
  agencyName: string
}

export interface AgencyChoice {
  id: string
  name: string
}

/** Who can lead a plan or own an action, and which agencies can own one. */
export interface PlanOptions {
  users: Person[]
  agencies: AgencyChoice[]
}

export interface PlanSummaryView extends PlanRow {
  kindLabel: string
  leadName: string | null
  goals: number
  actions: number
  openActions: number
}

export interface PlanItemView extends PlanItemRow {
  ownerAgencyName: string | null
  ownerUserName: string | null
  /** Progress updates of an action (newest first), e.g. by the partner agency that owns it. */
  updates?: { progressOn: string; status: string; note: string; recordedByName: string | null; agencyName: string | null }[]
}

export interface GoalView extends PlanItemView {
  actions: PlanItemView[]
}

export interface PlanHistoryEntry {
  version: number
  recordedAt: Date
  recordedByName: string | null
  summary: string | null
  nextReviewOn: string | null
}

export interface PlanDetail {
  c: CaseSummary & { breakGlass: boolean }
  /** Whether the reader may change the plan, so pages offer only forms that would be accepted. */
  mayUpdate: boolean
  plan: PlanSummaryView & { referralDate: string | null; nextPlanId: string | null; previousKind: string | null }
  goals: GoalView[]
  /** Actions that serve no particular goal. */
  otherActions: PlanItemView[]
  /** The plan's summary and next review date as started and after each review, newest first. */
  history: PlanHistoryEntry[]
  clocks: ClockView[]
  options: PlanOptions
  openEpisodes: { id: string; referralDate: string }[]
}

export interface CasePlans {
  c: CaseSummary & { breakGlass: boolean }
  mayUpdate: boolean
  plans: PlanSummaryView[]
  /** The early help assessments of the case, newest first (recorded on their own pages). */
  earlyHelpAssessments: { id: string; startedOn: string; completedOn: string | null; organisation: string }[]
  openEpisodes: { id: string; referralDate: string }[]
  options: PlanOptions
}

const today = (ctx: ServiceContext) => londonDate(ctx.now())

function refuseIf(errors: Record<string, string>): void {
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

function notInFuture(ctx: ServiceContext, errors: Record<string, string>, fields: Record<string, string | null | undefined>) {
  for (const [field, value] of Object.entries(fields)) {
    if (value && value > today(ctx)) errors[field] ??= 'The date must be today or in the past'
  }
}

/** Roles whose holders lead plans and own actions (not administrators, auditors or analysts). */
const PRACTITIONER_ROLES: readonly Role[] = [
  'social-worker',
  'team-manager',
  'front-door-practitioner',
  'conference-chair',
  'partner-practitioner',
]

/** Active practitioners and agencies of the partnership: leads and owners of actions. */
export async function planOptions(db: Db, partnershipId: string): Promise<PlanOptions> {
  const users = await db
    .select({ id: appUser.id, name: appUser.displayName, agencyId: agency.id, agencyName: agency.name })
    .from(appUser)
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.active, true), arrayOverlaps(appUser.roles, [...PRACTITIONER_ROLES])))
    .orderBy(asc(appUser.displayName))
  const agencies = await db
    .select({ id: agency.id, name: agency.name })
    .from(agency)
    .where(and(eq(agency.partnershipId, partnershipId), eq(agency.active, true)))
    .orderBy(asc(agency.name))
  return { users, agencies }
}

async function openEpisodesOf(tx: Db, caseId: string): Promise<EpisodeRow[]> {
  return tx
    .select()
    .from(cinEpisode)
    .where(and(eq(cinEpisode.caseId, caseId), isNull(cinEpisode.closureDate)))
    .orderBy(asc(cinEpisode.referralDate))
}

async function openPlansOf(tx: Db, caseId: string): Promise<PlanRow[]> {
  return tx.select().from(plan).where(and(eq(plan.caseId, caseId), isNull(plan.endedOn)))
}

function summarise(p: PlanRow, items: PlanItemRow[], options: PlanOptions): PlanSummaryView {
  const mine = items.filter((i) => i.planId === p.id)
  const actions = mine.filter((i) => i.kind === 'action')
  return {
    ...p,
    kindLabel: labelOf(PLAN_KIND, p.kind),
    leadName: options.users.find((u) => u.id === p.leadUserId)?.name ?? null,
    goals: mine.filter((i) => i.kind === 'goal').length,
    actions: actions.length,
    openActions: actions.filter((a) => a.status === 'not-started' || a.status === 'in-progress').length,
  }
}

function viewItem(i: PlanItemRow, options: PlanOptions): PlanItemView {
  return {
    ...i,
    ownerAgencyName: options.agencies.find((a) => a.id === i.ownerAgencyId)?.name ?? null,
    ownerUserName: options.users.find((u) => u.id === i.ownerUserId)?.name ?? null,
  }
}

const episodeChoices = (episodes: EpisodeRow[]) => episodes.map((e) => ({ id: e.id, referralDate: e.referralDate }))

/** Every plan of a case, newest first, with what the start form needs. */
export async function plansOfCase(ctx: ServiceContext, caseId: string): Promise<CasePlans> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const options = await planOptions(tx, ctx.actor.partnershipId)
      const plans = await tx.select().from(plan).where(eq(plan.caseId, open.c.id)).orderBy(asc(plan.startedOn), asc(plan.createdAt))
      const items = await tx.select().from(planItem).where(eq(planItem.caseId, open.c.id))
      return {
        c: { ...open.c, breakGlass: open.breakGlass },
        mayUpdate: (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed,
        plans: plans.map((p) => summarise(p, items, options)).reverse(),
        earlyHelpAssessments: await tx
          .select({ id: earlyHelpAssessment.id, startedOn: earlyHelpAssessment.startedOn, completedOn: earlyHelpAssessment.completedOn, organisation: earlyHelpAssessment.organisation })
          .from(earlyHelpAssessment)
          .where(eq(earlyHelpAssessment.caseId, open.c.id))
          .orderBy(desc(earlyHelpAssessment.startedOn), desc(earlyHelpAssessment.createdAt)),
        openEpisodes: episodeChoices(await openEpisodesOf(tx, open.c.id)),
        options,
      }
    },
    'plans',
  )
}

/** One plan with its goals, their actions, the plans before and after it, and its clocks. */
export async function getPlan(ctx: ServiceContext, caseId: string, planId: string): Promise<PlanDetail> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const p = await getRecord<PlanRow>(tx, open, plan, planId)
      const options = await planOptions(tx, ctx.actor.partnershipId)
      const items = await tx
        .select()
        .from(planItem)
        .where(eq(planItem.planId, p.id))
        .orderBy(asc(planItem.createdAt))
      const updates = await actionUpdatesByItem(tx, items.filter((i) => i.kind === 'action').map((i) => i.id))
      const views = items.map((i) => ({ ...viewItem(i, options), updates: updates.get(i.id) ?? [] }))
      const goals = views.filter((i) => i.kind === 'goal').map((g) => ({ ...g, actions: views.filter((a) => a.goalId === g.id) }))
      const goalIds = new Set(goals.map((g) => g.id))
      const [next] = await tx.select({ id: plan.id }).from(plan).where(and(eq(plan.caseId, open.c.id), eq(plan.previousPlanId, p.id)))
      const [previous] = p.previousPlanId
        ? await tx.select({ kind: plan.kind }).from(plan).where(and(eq(plan.caseId, open.c.id), eq(plan.id, p.previousPlanId)))
        : []
      const [episode] = p.episodeId
        ? await tx.select({ referralDate: cinEpisode.referralDate }).from(cinEpisode).where(eq(cinEpisode.id, p.episodeId))
        : []
      return {
        c: { ...open.c, breakGlass: open.breakGlass },
        mayUpdate: (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed,
        plan: {
          ...summarise(p, items, options),
          referralDate: episode?.referralDate ?? null,
          nextPlanId: next?.id ?? null,
          previousKind: previous?.kind ?? null,
        },
        goals,
        history: await historyOf(tx, open.c.id, p.id),
        otherActions: views.filter((a) => a.kind === 'action' && !(a.goalId && goalIds.has(a.goalId))),
        clocks: (await clocksOfCase(tx, open.c.id, today(ctx))).filter((k) => k.subjectId === p.id),
        options,
        openEpisodes: episodeChoices(await openEpisodesOf(tx, open.c.id)),
      }
    },
    'plans',
  )
}

/** The versions of a plan whose summary or next review date changed: its start and its reviews. */
async function historyOf(tx: Db, caseId: string, planId: string): Promise<PlanHistoryEntry[]> {
  const revisions = await tx
    .select({ version: recordRevision.version, recordedAt: recordRevision.recordedAt, data: recordRevision.data, name: appUser.displayName })
    .from(recordRevision)
    .leftJoin(appUser, eq(appUser.id, recordRevision.recordedBy))
    .where(and(eq(recordRevision.caseId, caseId), eq(recordRevision.entity, 'plan'), eq(recordRevision.entityId, planId)))
    .orderBy(asc(recordRevision.version))
  const entries: PlanHistoryEntry[] = []
  for (const r of revisions) {
    const data = r.data as Pick<PlanRow, 'summary' | 'nextReviewOn'>
    const last = entries.at(-1)
    if (last && last.summary === data.summary && last.nextReviewOn === data.nextReviewOn) continue
    entries.push({ version: r.version, recordedAt: r.recordedAt, recordedByName: r.name, summary: data.summary, nextReviewOn: data.nextReviewOn })
  }
  return entries.reverse()
}

/** Checks the lead practitioner is an active user of the partnership. */
async function checkLead(tx: Db, ctx: ServiceContext, errors: Record<string, string>, leadUserId: string | null | undefined) {
  if (!leadUserId) return
  const [u] = await tx
    .select({ id: appUser.id })
    .from(appUser)
    .where(and(eq(appUser.id, leadUserId), eq(appUser.partnershipId, ctx.actor.partnershipId), eq(appUser.active, true)))
  if (!u) errors.leadUserId ??= 'Select a lead practitioner from the list'
}

interface NewPlan {
  kind: 'early-help' | 'child-in-need'
  startedOn: string
  episodeId: string | null
  summary: string
  leadUserId: string | null
  nextReviewOn: string | null
  previousPlanId: string | null
}

/** Checks and inserts a plan, then moves the case to the stage the open plans give it. */
async function insertPlan(ctx: ServiceContext, tx: Db, open: OpenCase, input: NewPlan, errors: Record<string, string>) {
  notInFuture(ctx, errors, { startedOn: input.startedOn })
  if (input.nextReviewOn && input.nextReviewOn < input.startedOn) {
    errors.nextReviewOn ??= 'The next review cannot be before the plan starts'
  }
  await checkLead(tx, ctx, errors, input.leadUserId)
  if (input.episodeId) {
    const [episode] = await tx
      .select()
      .from(cinEpisode)
      .where(and(eq(cinEpisode.id, input.episodeId), eq(cinEpisode.caseId, open.c.id)))
    if (!episode) errors.episodeId ??= 'Select a referral (episode) of this child'
    else if (episode.closureDate !== null) errors.episodeId ??= 'This episode is closed: choose an open one'
    else if (input.startedOn < episode.referralDate) errors.startedOn ??= 'The plan cannot start before the referral date'
  } else if (input.kind === 'child-in-need') {
    errors.episodeId ??= 'A child in need plan needs an open referral (episode): make a referral to children’s social care first'
  }
  const sameKind = (await openPlansOf(tx, open.c.id)).filter((p) => p.kind === input.kind)
  if (sameKind.length > 0) errors.kind ??= `This child already has an open ${labelOf(PLAN_KIND, input.kind).toLowerCase()}`
  refuseIf(errors)
  const row = await createRecord<PlanRow>(ctx, tx, open, 'plan', plan, { ...input })
  await followOpenPlans(ctx, tx, open, input.startedOn)
  return row
}

/** Moves the case to the stage its open plans give it; a looked-after child stays looked after, a care leaver a care leaver. */
async function followOpenPlans(ctx: ServiceContext, tx: Db, open: OpenCase, on: string, endedKind?: string) {
  if (open.c.status === 'looked-after' || open.c.status === 'care-leaver') return
  // After an ending, the stage moves only if it was the ended plan's.
  if (endedKind !== undefined && open.c.status !== stageForOpenPlans([endedKind])) return
  const stage = stageForOpenPlans((await openPlansOf(tx, open.c.id)).map((p) => p.kind))
  if (stage) await setCaseStage(ctx, tx, open, stage, on)
}

/** Starts an early help or child in need plan. Child protection plans are made by a conference. */
export async function startPlan(ctx: ServiceContext, caseId: string, input: StartPlanInput): Promise<PlanRow> {
  if (input.kind === 'child-protection') {
    throw new ValidationFailed({ kind: 'A child protection plan is made by an initial child protection conference, not started here' })
  }
  const kind = input.kind
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const errors: Record<string, string> = {}
    if (input.previousPlanId) {
      const [previous] = await tx
        .select({ endedOn: plan.endedOn })
        .from(plan)
        .where(and(eq(plan.id, input.previousPlanId), eq(plan.caseId, open.c.id)))
      if (!previous) errors.previousPlanId = 'The previous plan is not a plan of this child'
      else if (!previous.endedOn) errors.previousPlanId = 'The previous plan has not ended: step it up or down instead'
    }
    return insertPlan(
      ctx,
      tx,
      open,
      {
        kind,
        startedOn: input.startedOn,
        episodeId: input.episodeId ?? null,
        summary: input.summary,
        leadUserId: input.leadUserId ?? null,
        nextReviewOn: input.nextReviewOn ?? null,
        previousPlanId: input.previousPlanId ?? null,
      },
      errors,
    )
  })
}

async function planOf(tx: Db, open: OpenCase, planId: string): Promise<PlanRow> {
  return getRecord<PlanRow>(tx, open, plan, planId)
}

function refuseIfEnded(p: PlanRow): void {
  if (p.endedOn) throw new ValidationFailed({ form: 'This plan has ended and can no longer be changed' })
}

function refuseIfChildProtection(p: PlanRow, what: string): void {
  if (p.kind === 'child-protection') {
    throw new ValidationFailed({ form: `A child protection plan is ${what} by a child protection conference` })
  }
}

/** The owner of an action: the user's agency when only the user is named. */
async function resolveOwner(
  tx: Db,
  ctx: ServiceContext,
  errors: Record<string, string>,
  owner: { ownerAgencyId: string | null; ownerUserId: string | null },
): Promise<{ ownerAgencyId: string | null; ownerUserId: string | null }> {
  let { ownerAgencyId } = owner
  if (owner.ownerUserId) {
    const [u] = await tx
      .select({ agencyId: appUser.agencyId })
      .from(appUser)
      .where(and(eq(appUser.id, owner.ownerUserId), eq(appUser.partnershipId, ctx.actor.partnershipId)))
    if (!u) errors.ownerUserId ??= 'Select the person who owns the action from the list'
    else if (ownerAgencyId && ownerAgencyId !== u.agencyId) errors.ownerUserId ??= 'This person does not work for the agency chosen'
    else ownerAgencyId = u.agencyId
  }
  if (ownerAgencyId && owner.ownerAgencyId) {
    const [a] = await tx
      .select({ id: agency.id })
      .from(agency)
      .where(and(eq(agency.id, ownerAgencyId), eq(agency.partnershipId, ctx.actor.partnershipId)))
    if (!a) errors.ownerAgencyId ??= 'Select the agency that owns the action from the list'
  }
  if (!ownerAgencyId && !owner.ownerUserId) errors.ownerAgencyId ??= 'Select the agency or the person who owns the action'
  return { ownerAgencyId, ownerUserId: owner.ownerUserId }
}

async function checkGoal(tx: Db, p: PlanRow, errors: Record<string, string>, goalId: string | null | undefined) {
  if (!goalId) return
  const [goal] = await tx
    .select({ kind: planItem.kind })
    .from(planItem)
    .where(and(eq(planItem.id, goalId), eq(planItem.planId, p.id)))
  if (goal?.kind !== 'goal') errors.goalId ??= 'Select a goal of this plan'
}

/** The fields an item of this kind may hold: goals have no owner, due date or parent goal. */
function goalOnlyFields(errors: Record<string, string>, fields: Partial<PlanItemInput>) {
  if (fields.ownerAgencyId || fields.ownerUserId) errors.ownerAgencyId ??= 'A goal has no owner: add an action for it'
  if (fields.dueOn) errors.dueOn ??= 'A goal has no due date: add an action for it'
  if (fields.goalId) errors.goalId ??= 'A goal cannot belong to another goal'
}

/** Adds a goal or an action to a plan of any kind. */
export async function addPlanItem(ctx: ServiceContext, caseId: string, planId: string, input: PlanItemInput): Promise<PlanItemRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const p = await planOf(tx, open, planId)
    refuseIfEnded(p)
    const errors: Record<string, string> = {}
    let owner = { ownerAgencyId: null as string | null, ownerUserId: null as string | null }
    if (input.kind === 'goal') goalOnlyFields(errors, input)
    else {
      owner = await resolveOwner(tx, ctx, errors, { ownerAgencyId: input.ownerAgencyId ?? null, ownerUserId: input.ownerUserId ?? null })
      await checkGoal(tx, p, errors, input.goalId)
    }
    refuseIf(errors)
    return createRecord<PlanItemRow>(ctx, tx, open, 'plan-item', planItem, {
      planId: p.id,
      kind: input.kind,
      description: input.description,
      goalId: input.kind === 'action' ? (input.goalId ?? null) : null,
      ...owner,
      dueOn: input.kind === 'action' ? (input.dueOn ?? null) : null,
      status: input.status ?? 'not-started',
      progress: input.progress ?? null,
    })
  })
}

/** Changes a goal or an action: its wording, owner, due date, status or progress. */
export async function updatePlanItem(
  ctx: ServiceContext,
  caseId: string,
  planId: string,
  itemId: string,
  input: PlanItemUpdate,
): Promise<PlanItemRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const p = await planOf(tx, open, planId)
    const item = await getRecord<PlanItemRow>(tx, open, planItem, itemId)
    if (item.planId !== p.id) throw new NotFound('No such goal or action on this plan')
    refuseIfEnded(p)
    const { version, ...fields } = input
    const changes: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
    const errors: Record<string, string> = {}
    if (item.kind === 'goal') goalOnlyFields(errors, fields)
    else {
      const ownerChanged = fields.ownerAgencyId !== undefined || fields.ownerUserId !== undefined
      if (ownerChanged) {
        Object.assign(
          changes,
          await resolveOwner(tx, ctx, errors, {
            ownerAgencyId: fields.ownerAgencyId === undefined ? item.ownerAgencyId : fields.ownerAgencyId,
            ownerUserId: fields.ownerUserId === undefined ? item.ownerUserId : fields.ownerUserId,
          }),
        )
      }
      if (fields.goalId === item.id) errors.goalId = 'An action cannot serve itself'
      await checkGoal(tx, p, errors, fields.goalId)
    }
    refuseIf(errors)
    return updateRecord<PlanItemRow>(ctx, tx, open, 'plan-item', planItem, itemId, version, changes)
  })
}

/** Records a review of an early help or child in need plan: how it stands, and the next review. */
export async function reviewPlan(ctx: ServiceContext, caseId: string, planId: string, input: ReviewPlanInput): Promise<PlanRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const p = await planOf(tx, open, planId)
    refuseIfEnded(p)
    refuseIfChildProtection(p, 'reviewed')
    if (input.nextReviewOn <= today(ctx)) throw new ValidationFailed({ nextReviewOn: 'The next review must be after today' })
    return updateRecord<PlanRow>(
      ctx,
      tx,
      open,
      'plan',
      plan,
      planId,
      input.version,
      { summary: input.summary, nextReviewOn: input.nextReviewOn },
      'plan.review',
    )
  })
}

/**
 * Ends a plan on an open case: completes its open clocks so they stop showing as due and moves
 * the stage to the next open plan's, if the ended plan set it. The caller has checked access,
 * and closes the case if nothing is left open (not when stepping, which starts the next plan).
 */
export async function closePlan(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  p: PlanRow,
  input: { version: number; endedOn: string; endReason: string },
): Promise<PlanRow> {
  const errors: Record<string, string> = {}
  refuseIfEnded(p)
  notInFuture(ctx, errors, { endedOn: input.endedOn })
  if (input.endedOn < p.startedOn) errors.endedOn ??= 'The plan cannot end before it started'
  refuseIf(errors)
  const row = await updateRecord<PlanRow>(
    ctx,
    tx,
    open,
    'plan',
    plan,
    p.id,
    input.version,
    { endedOn: input.endedOn, endReason: input.endReason },
    'plan.end',
  )
  await completeClocks(ctx, tx, { subjectId: p.id, completedOn: input.endedOn })
  await followOpenPlans(ctx, tx, open, input.endedOn, p.kind)
  return row
}

/**
 * Ends an early help or child in need plan for a reason other than a step up or down. When
 * nothing else is open on the case (an early-help-only case, say), the case closes too.
 */
export async function endPlan(ctx: ServiceContext, caseId: string, planId: string, input: EndPlanInput): Promise<PlanRow> {
  if (STEP_REASONS.includes(input.endReason)) {
    throw new ValidationFailed({ endReason: 'To step a plan up or down, use “Step up or down”, which starts the next plan too' })
  }
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const p = await planOf(tx, open, planId)
    refuseIfChildProtection(p, 'ended')
    const ended = await closePlan(ctx, tx, open, p, input)
    await closeCaseIfNothingOpen(ctx, tx, open, input.endedOn)
    return ended
  })
}

/**
 * Steps a plan up (early help → child in need) or down (child in need → early help) in one
 * transaction: the current plan ends with the step as its reason and the next starts the same
 * day, linked to it. Stepping up needs an open referral (episode).
 */
export async function stepPlan(
  ctx: ServiceContext,
  caseId: string,
  planId: string,
  input: StepPlanInput,
): Promise<{ ended: PlanRow; started: PlanRow }> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const p = await planOf(tx, open, planId)
    refuseIfChildProtection(p, 'stepped down')
    const reason = stepReason(p.kind, input.to)
    if (!reason) throw new ValidationFailed({ to: 'Choose the other kind of plan: early help steps up to child in need, child in need steps down to early help' })
    const episodeId = input.episodeId ?? (input.to === 'child-in-need' ? ((await openEpisodesOf(tx, open.c.id)).at(-1)?.id ?? null) : null)
    if (input.to === 'child-in-need' && !episodeId) {
      throw new ValidationFailed({ to: 'Stepping up to a child in need plan needs a referral to children’s social care: record the contact and referral first' })
    }
    const ended = await closePlan(ctx, tx, open, p, { version: input.version, endedOn: input.steppedOn, endReason: reason })
    const started = await insertPlan(
      ctx,
      tx,
      open,
      {
        kind: input.to,
        startedOn: input.steppedOn,
        episodeId,
        summary: input.summary,
        leadUserId: input.leadUserId === undefined ? p.leadUserId : input.leadUserId,
        nextReviewOn: input.nextReviewOn ?? null,
        previousPlanId: p.id,
      },
      {},
    )
    return { ended, started }
  })
}
