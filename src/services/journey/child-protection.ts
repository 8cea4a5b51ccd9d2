/**
 * Child protection (working-together.md §2.1): what the case's child protection page shows, core
 * group meetings and statutory visits on a plan, and the helpers the strategy discussion, section
 * 47 and conference services share. Strategy discussions are in strategy-discussions.ts, enquiries
 * in section47.ts, conferences and the plans they make in conferences.ts.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import {
  agency,
  appUser,
  caseNote,
  cinEpisode,
  clock,
  conference,
  conferenceReport,
  coreGroupMeeting,
  plan,
  section47Enquiry,
  strategyDiscussion,
} from '../../db/schema/index.ts'
import {
  icpcNotRequired,
  icpcStatusOf,
  conferenceDateWarning,
  londonWallClock,
  type IcpcStatus,
} from '../../domain/journey/child-protection-rules.ts'
import { CONFERENCE_KIND, labelOf } from '../../domain/journey/codes.ts'
import { findRule, type RuleId } from '../../domain/timescales/index.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { clocksOfCase, completeClocks, startClock, type ClockRow, type ClockView } from './clocks.ts'
import { VISIT_KINDS } from './due-from-record.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import type { CoreGroupInput } from './child-protection-input.ts'
import { decideCaseAction, type CaseSummary } from './case-access.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type EpisodeRow = typeof cinEpisode.$inferSelect
export type StrategyDiscussionRow = typeof strategyDiscussion.$inferSelect
export type Section47Row = typeof section47Enquiry.$inferSelect
export type ConferenceRow = typeof conference.$inferSelect
export type PlanRow = typeof plan.$inferSelect
export type CoreGroupRow = typeof coreGroupMeeting.$inferSelect
export type CaseNoteRow = typeof caseNote.$inferSelect

/** The timescales of the child protection process (shown on its page). */
export const CHILD_PROTECTION_RULES: readonly RuleId[] = [
  'strategy-discussion',
  'icpc',
  'first-core-group',
  'core-group',
  'child-protection-visit',
  'first-review-conference',
  'review-conference',
  'transfer-in-conference',
  'prebirth-conference',
]

/** A strategy discussion attendee as stored in strategy_discussion.attendees. */
export interface StoredAttendee {
  name: string
  agencyId: string
  agencyType: string
  role: string | null
}

/**
 * A required agency (children's social care, police, health) that was not represented, with the
 * reason given. Stored in the same list as the attendees so the record says who was missing.
 */
export interface StoredAbsence {
  absent: true
  requiredAgency: string
  reason: string
}

export type StoredAttendance = StoredAttendee | StoredAbsence

export const isAbsence = (a: StoredAttendance): a is StoredAbsence => 'absent' in a && a.absent === true

/** A conference participant as stored in conference.participants. */
export interface StoredParticipant {
  party: 'agency' | 'family' | 'child'
  name: string
  agencyId: string | null
  attendance: string
  reportReceivedOn: string | null
}

// ---- Helpers shared by the child protection services

/** Collects field problems and throws them together, so a form shows every one at once. */
export class Problems {
  readonly fields: Record<string, string> = {}
  add(field: string, message: string): void {
    this.fields[field] ??= message
  }
  get any(): boolean {
    return Object.keys(this.fields).length > 0
  }
  throwIfAny(): void {
    if (this.any) throw new ValidationFailed(this.fields)
  }
}

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })

/** '2026-03-23' → '23 March 2026', for messages. */
export function inWords(date: string): string {
  return longDate.format(new Date(`${date}T00:00:00Z`))
}

/**
 * A conference in words, with its time and venue when they were given: "the initial child
 * protection conference on 20 March 2026 at 10:00, Room 2, Civic Centre". For invitations and
 * notifications.
 */
export function conferenceTitle(k: Pick<ConferenceRow, 'kind' | 'scheduledFor' | 'scheduledTime' | 'venue'>): string {
  const when = `${inWords(k.scheduledFor)}${k.scheduledTime ? ` at ${k.scheduledTime}` : ''}`
  return `the ${labelOf(CONFERENCE_KIND, k.kind).toLowerCase()} on ${when}${k.venue ? `, ${k.venue}` : ''}`
}

/** Today in England for this request. */
export const todayOf = (ctx: ServiceContext) => londonDate(ctx.now())

/** Records events that have happened: their dates cannot be after today. */
export function checkNotFuture(ctx: ServiceContext, problems: Problems, dates: Record<string, string | null | undefined>): void {
  const today = todayOf(ctx)
  for (const [field, value] of Object.entries(dates)) {
    if (value && value > today) problems.add(field, 'The date must be today or in the past')
  }
}

/** The episode a record belongs to: the one named, or the case's open (latest) episode. */
export async function episodeFor(tx: Db, open: OpenCase, episodeId?: string): Promise<EpisodeRow> {
  if (episodeId) {
    const [row] = await tx
      .select()
      .from(cinEpisode)
      .where(and(eq(cinEpisode.id, episodeId), eq(cinEpisode.caseId, open.c.id)))
    if (!row) throw new ValidationFailed({ episodeId: 'Select an episode of this case' })
    return row
  }
  const [latest] = await tx
    .select()
    .from(cinEpisode)
    .where(and(eq(cinEpisode.caseId, open.c.id), isNull(cinEpisode.closureDate)))
    .orderBy(desc(cinEpisode.referralDate), desc(cinEpisode.createdAt))
    .limit(1)
  if (!latest) {
    throw new ValidationFailed({ episodeId: 'This case has no open child in need episode. Record the referral first.' })
  }
  return latest
}

/** The partnership's agencies with the given ids. */
export async function agenciesById(tx: Db, partnershipId: string, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { name: string; type: string; active: boolean }>()
  const rows = await tx
    .select({ id: agency.id, name: agency.name, type: agency.type, active: agency.active })
    .from(agency)
    .where(and(eq(agency.partnershipId, partnershipId), inArray(agency.id, [...new Set(ids)])))
  return new Map(rows.map((r) => [r.id, r]))
}

/** The partnership's active agencies, for attendee and participant lists. */
export async function agencyOptions(db: Db, partnershipId: string) {
  return db
    .select({ id: agency.id, name: agency.name, type: agency.type })
    .from(agency)
    .where(and(eq(agency.partnershipId, partnershipId), eq(agency.active, true)))
    .orderBy(asc(agency.name))
}

async function openClocksOf(tx: Db, subjectId: string, rules: readonly RuleId[]): Promise<ClockRow[]> {
  return tx
    .select()
    .from(clock)
    .where(and(eq(clock.subjectId, subjectId), isNull(clock.completedOn), inArray(clock.rule, [...rules])))
}

/**
 * Completes a record's open clocks of the given rules on `on`. When one of them is late, the
 * reason for the delay is required (asked for under `field`) and kept on that clock: clocks never
 * block the work, but work past its timescale is recorded with its reason.
 */
export async function closeClocks(
  ctx: ServiceContext,
  tx: Db,
  input: { subjectId: string; rules: readonly RuleId[]; on: string; delayReason?: string | undefined; delayReasonCode?: string | null | undefined; field?: string },
): Promise<ClockRow[]> {
  const clocks = await openClocksOf(tx, input.subjectId, input.rules)
  const late = clocks.find((k) => k.dueOn < input.on)
  if (late && !input.delayReason && !input.delayReasonCode && input.field) {
    const title = findRule(late.rule)[0]?.title ?? late.rule
    throw new ValidationFailed({
      [input.field]: `${title} was due by ${inWords(late.dueOn)}. Give the reason it was late`,
    })
  }
  const done: ClockRow[] = []
  for (const k of clocks) {
    const rows = await completeClocks(ctx, tx, {
      subjectId: input.subjectId,
      rule: k.rule as RuleId,
      completedOn: input.on,
      delayReason: k.dueOn < input.on ? (input.delayReason ?? null) : null,
      delayReasonCode: k.dueOn < input.on ? (input.delayReasonCode ?? null) : null,
    })
    done.push(...rows)
  }
  return done
}

/** A child protection plan of this case that is still open on `on`, or a ValidationFailed. */
export async function openProtectionPlan(tx: Db, open: OpenCase, planId: string, on: string, field: string): Promise<PlanRow> {
  const row = await getRecord<PlanRow>(tx, open, plan, planId)
  if (row.kind !== 'child-protection') throw new ValidationFailed({ planId: 'This is not a child protection plan' })
  const problems = new Problems()
  if (on < row.startedOn) problems.add(field, `The date must be on or after the plan started (${inWords(row.startedOn)})`)
  if (row.endedOn && on > row.endedOn) problems.add(field, `The plan ended on ${inWords(row.endedOn)}`)
  problems.throwIfAny()
  return row
}

// ---- Core group meetings

/**
 * Records a core group meeting on a child protection plan. The first one turns the outline plan
 * into the detailed plan and completes the first-core-group timescale; each completes the running
 * core-group timescale and starts the next from its date (at the partnership's cadence).
 */
export async function recordCoreGroup(ctx: ServiceContext, caseId: string, planId: string, input: CoreGroupInput): Promise<CoreGroupRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const problems = new Problems()
    checkNotFuture(ctx, problems, { heldOn: input.heldOn })
    problems.throwIfAny()
    let cp = await openProtectionPlan(tx, open, planId, input.heldOn, 'heldOn')
    const meeting = await createRecord<CoreGroupRow>(ctx, tx, open, 'core-group', coreGroupMeeting, {
      planId,
      heldOn: input.heldOn,
      attendees: input.attendees,
      notes: input.notes ?? null,
    })
    await closeClocks(ctx, tx, {
      subjectId: planId,
      rules: ['first-core-group', 'core-group'],
      on: input.heldOn,
      delayReason: input.delayReason,
      delayReasonCode: input.delayReasonCode,
      field: 'delayReason',
    })
    if (cp.detailedPlanOn === null) {
      cp = await updateRecord<PlanRow>(ctx, tx, open, 'plan', plan, planId, cp.version, { detailedPlanOn: input.heldOn })
    }
    if (cp.endedOn === null) {
      await startClock(ctx, tx, open, {
        rule: 'core-group',
        start: input.heldOn,
        subjectType: 'plan',
        subjectId: planId,
        task: 'Hold the next core group meeting',
      })
    }
    return meeting
  })
}

// ---- Statutory visits

/**
 * The child protection plan of the case a visit on `on` was made under: the latest one started on
 * or before that day and not ended before it. A visit to a child on a plan is the statutory visit.
 */
export async function protectionPlanOn(tx: Db, open: OpenCase, on: string): Promise<PlanRow | null> {
  const [row] = await tx
    .select()
    .from(plan)
    .where(
      and(
        eq(plan.caseId, open.c.id),
        eq(plan.kind, 'child-protection'),
        lte(plan.startedOn, on),
        or(isNull(plan.endedOn), gte(plan.endedOn, on)),
      ),
    )
    .orderBy(desc(plan.startedOn))
    .limit(1)
  return row ?? null
}

/**
 * The clock work of a statutory visit (recorded as a note of kind visit, case-notes.ts): when the
 * child was seen, it completes the running visit timescale of the plan and starts the next from
 * its date (while the plan is open). A visit dated before the running timescale started (a late
 * entry of an earlier visit) leaves it alone. A late visit needs the reason for the delay.
 */
export async function visitOnPlan(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  cp: PlanRow,
  visit: { occurredOn: string; childSeen: boolean | null; delayReason?: string | null | undefined; delayReasonCode?: string | null | undefined },
): Promise<void> {
  if (!visit.childSeen) return
  const running = await openClocksOf(tx, cp.id, ['child-protection-visit'])
  if (running.some((k) => k.startOn > visit.occurredOn)) return
  await closeClocks(ctx, tx, {
    subjectId: cp.id,
    rules: ['child-protection-visit'],
    on: visit.occurredOn,
    delayReason: visit.delayReason ?? undefined,
    delayReasonCode: visit.delayReasonCode,
    field: 'delayReason',
  })
  if (cp.endedOn === null) await startVisitClock(ctx, tx, open, cp.id, visit.occurredOn)
}

export function startVisitClock(ctx: ServiceContext, tx: Db, open: OpenCase, planId: string, from: string) {
  return startClock(ctx, tx, open, {
    rule: 'child-protection-visit',
    start: from,
    subjectType: 'plan',
    subjectId: planId,
    task: 'Visit the child (seen, and seen alone)',
  })
}

// ---- What the child protection page shows

export interface StrategyDiscussionView extends Omit<StrategyDiscussionRow, 'attendees'> {
  heldOn: string
  heldAtTime: string
  attendees: (StoredAttendee & { agencyName: string })[]
  absences: StoredAbsence[]
  section47Id: string | null
}

export interface Section47View extends Section47Row {
  strategyDiscussionHeldOn: string | null
  icpcStatus: IcpcStatus
  /** Census ICPCnotRequired. */
  icpcNotRequired: boolean
  initialConferenceId: string | null
  /** Census DateOfInitialCPC. */
  initialConferenceHeldOn: string | null
}

export interface ParticipantView extends StoredParticipant {
  agencyName: string | null
  /**
   * When the agency's report reached the conference: the date recorded on the list, or else the
   * day the agency first sent it through Together.
   */
  reportReceivedOn: string | null
  /** The agency's report was sent through Together (and reportReceivedOn is that day unless one was recorded). */
  reportThroughTogether: boolean
}

export interface ConferenceView extends Omit<ConferenceRow, 'participants'> {
  chairName: string | null
  participants: ParticipantView[]
  warning: string | null
  /** Held on another day than it was scheduled for (rescheduleReason says why). */
  heldOnAnotherDay: boolean
}

export interface ProtectionPlanView extends PlanRow {
  coreGroups: CoreGroupRow[]
  visits: CaseNoteRow[]
  clocks: ClockView[]
  conferences: string[]
}

export interface ChildProtectionView {
  /** mayUpdate: whether the user may change the case (offered links to upload a document about a record). */
  c: CaseSummary & { breakGlass: boolean; mayUpdate: boolean }
  /** The episode new records attach to by default. */
  openEpisode: EpisodeRow | null
  /** Every episode of the case, latest referral first. */
  episodes: EpisodeRow[]
  strategyDiscussions: StrategyDiscussionView[]
  section47s: Section47View[]
  conferences: ConferenceView[]
  plans: ProtectionPlanView[]
  /** Plans that followed a child protection plan (step-down), by id. */
  followingPlans: PlanRow[]
  clocks: ClockView[]
}

/** Everything about the child protection process on one case, newest first. */
export async function childProtectionOf(ctx: ServiceContext, caseId: string): Promise<ChildProtectionView> {
  return withCase(ctx, caseId, 'case:read', (tx, open) => childProtectionIn(ctx, tx, open), 'child-protection')
}

/** The child protection view of a case already opened (and its read audited) by the caller. */
export async function childProtectionIn(ctx: ServiceContext, tx: Db, open: OpenCase): Promise<ChildProtectionView> {
    const byCase = open.c.id
    const [episodes, discussions, enquiries, conferences, plans, coreGroups, visits, reports] = await Promise.all([
      tx.select().from(cinEpisode).where(eq(cinEpisode.caseId, byCase)).orderBy(desc(cinEpisode.referralDate)),
      tx.select().from(strategyDiscussion).where(eq(strategyDiscussion.caseId, byCase)).orderBy(desc(strategyDiscussion.heldAt)),
      tx.select().from(section47Enquiry).where(eq(section47Enquiry.caseId, byCase)).orderBy(desc(section47Enquiry.startedOn)),
      tx.select().from(conference).where(eq(conference.caseId, byCase)).orderBy(desc(conference.scheduledFor)),
      tx.select().from(plan).where(eq(plan.caseId, byCase)).orderBy(desc(plan.startedOn)),
      tx.select().from(coreGroupMeeting).where(eq(coreGroupMeeting.caseId, byCase)).orderBy(desc(coreGroupMeeting.heldOn)),
      tx
        .select()
        .from(caseNote)
        .where(and(eq(caseNote.caseId, byCase), inArray(caseNote.kind, VISIT_KINDS)))
        .orderBy(desc(caseNote.occurredOn)),
      tx
        .select({ conferenceId: conferenceReport.conferenceId, agencyId: conferenceReport.agencyId, createdAt: conferenceReport.createdAt })
        .from(conferenceReport)
        .where(eq(conferenceReport.caseId, byCase)),
    ])
    const agencyIds = [
      ...discussions.flatMap((d) => (d.attendees as StoredAttendance[]).filter((a) => !isAbsence(a)).map((a) => (a as StoredAttendee).agencyId)),
      ...conferences.flatMap((k) => (k.participants as StoredParticipant[]).flatMap((p) => (p.agencyId ? [p.agencyId] : []))),
    ]
    const agencies = await agenciesById(tx, ctx.actor.partnershipId, agencyIds)
    const chairIds = conferences.flatMap((k) => (k.chairId ? [k.chairId] : []))
    const chairs = chairIds.length
      ? new Map(
          (await tx.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, chairIds))).map((u) => [
            u.id,
            u.name,
          ]),
        )
      : new Map<string, string>()
    const allClocks = (await clocksOfCase(tx, byCase, todayOf(ctx))).filter((k) => CHILD_PROTECTION_RULES.includes(k.rule as RuleId))

    const protectionPlans = plans.filter((p) => p.kind === 'child-protection')
    const mayUpdate = (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed
    return {
      c: { ...open.c, breakGlass: open.breakGlass, mayUpdate },
      openEpisode: episodes.find((e) => e.closureDate === null) ?? null,
      episodes,
      strategyDiscussions: discussions.map((d) => viewDiscussion(d, agencies, enquiries)),
      section47s: enquiries.map((s) => viewSection47(s, discussions, conferences)),
      conferences: conferences.map((k) => viewConference(k, agencies, chairs, reports)),
      plans: protectionPlans.map((p) => ({
        ...p,
        coreGroups: coreGroups.filter((g) => g.planId === p.id),
        visits: visits.filter((v) => v.occurredOn >= p.startedOn && (p.endedOn === null || v.occurredOn <= p.endedOn)),
        clocks: allClocks.filter((k) => k.subjectId === p.id),
        conferences: conferences.filter((k) => k.planId === p.id).map((k) => k.id),
      })),
      followingPlans: plans.filter((p) => p.previousPlanId !== null && protectionPlans.some((cp) => cp.id === p.previousPlanId)),
      clocks: allClocks,
    }
}

function viewDiscussion(
  d: StrategyDiscussionRow,
  agencies: Map<string, { name: string }>,
  enquiries: Section47Row[],
): StrategyDiscussionView {
  const stored = d.attendees as StoredAttendance[]
  const [heldOn, heldAtTime] = londonWallClock(d.heldAt).split(' ') as [string, string]
  return {
    ...d,
    heldOn,
    heldAtTime,
    attendees: stored
      .filter((a): a is StoredAttendee => !isAbsence(a))
      .map((a) => ({ ...a, agencyName: agencies.get(a.agencyId)?.name ?? 'Unknown agency' })),
    absences: stored.filter(isAbsence),
    section47Id: enquiries.find((s) => s.strategyDiscussionId === d.id)?.id ?? null,
  }
}

function viewSection47(s: Section47Row, discussions: StrategyDiscussionRow[], conferences: ConferenceRow[]): Section47View {
  const initial = conferences.find((k) => k.section47Id === s.id && k.kind === 'initial') ?? null
  const discussion = discussions.find((d) => d.id === s.strategyDiscussionId)
  return {
    ...s,
    strategyDiscussionHeldOn: discussion ? londonDate(discussion.heldAt) : null,
    icpcStatus: icpcStatusOf(s, initial),
    icpcNotRequired: icpcNotRequired(s.outcome),
    initialConferenceId: initial?.id ?? null,
    initialConferenceHeldOn: initial?.heldOn ?? null,
  }
}

function viewConference(
  k: ConferenceRow,
  agencies: Map<string, { name: string }>,
  chairs: Map<string, string>,
  reports: { conferenceId: string; agencyId: string; createdAt: Date }[],
): ConferenceView {
  const sent = new Map(reports.filter((r) => r.conferenceId === k.id).map((r) => [r.agencyId, londonDate(r.createdAt)]))
  return {
    ...k,
    chairName: k.chairId ? (chairs.get(k.chairId) ?? null) : null,
    participants: (k.participants as StoredParticipant[]).map((p) => {
      const throughTogether = p.party === 'agency' && p.agencyId !== null ? (sent.get(p.agencyId) ?? null) : null
      return {
        ...p,
        agencyName: p.agencyId ? (agencies.get(p.agencyId)?.name ?? 'Unknown agency') : null,
        reportReceivedOn: p.reportReceivedOn ?? throughTogether,
        reportThroughTogether: throughTogether !== null,
      }
    }),
    warning: k.heldOn ? conferenceDateWarning(k.heldOn) : null,
    heldOnAnotherDay: k.heldOn !== null && k.heldOn !== k.scheduledFor,
  }
}
