/**
 * Partner participation in a case (issue 6 item 4, docs/multi-agency.md "Partner participation").
 * Partner practitioners invited to a strategy discussion or a conference get an invitation grant
 * that opens only the participation view (the policy's case:participate): the child's identifying
 * details, the meetings they are invited to, their agency's conference reports and the plan actions
 * their agency owns. They send their agency's report to a conference before it is held, and update
 * progress on their agency's actions (case:contribute). The grant ends when the meeting's
 * involvement ends: the conference is held, the strategy discussion recorded, or the invitation
 * withdrawn. Every view is audited with the policy's ground.
 */
import { and, arrayContains, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import {
  accessGrant,
  agency,
  appUser,
  childCase,
  conference,
  conferenceReport,
  meetingInvitation,
  person,
  plan,
  planActionUpdate,
  planItem,
  strategyDiscussion,
} from '../../db/schema/index.ts'
import { decideOnCase } from '../../domain/access/policy.ts'
import { londonInstant } from '../../domain/journey/child-protection-rules.ts'
import { ACTION_STATUS, CONFERENCE_KIND, labelOf, PLAN_KIND } from '../../domain/journey/codes.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from '../journey/case-records.ts'
import { childProtectionIn, conferenceTitle, inWords, type ChildProtectionView, type ConferenceRow, type StoredParticipant } from '../journey/child-protection.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { notifyUsers } from './notifications.ts'
import { recordAutomaticShare, sharedBy } from './information-sharing.ts'
import type { ActionProgressInput, ConferenceReportInput, StrategyInvitationInput } from './participation-input.ts'
import { agencyOwnsOpenAction, decideCaseAction, grantInForce, loadCase, shownByPolicy, type CaseSummary } from '../journey/case-access.ts'
import { FIRST_PAGE, pageCounted, totalOver, type Page, type PageRequest } from '../common/paging.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { onUniqueViolation } from '../common/unique.ts'

export type MeetingInvitationRow = typeof meetingInvitation.$inferSelect
export type ConferenceReportRow = typeof conferenceReport.$inferSelect
export type PlanItemRow = typeof planItem.$inferSelect
export type PlanActionUpdateRow = typeof planActionUpdate.$inferSelect

// ---- Inviting partners (by the social worker, the case's team or the conference chair: case:update)

/** The partnership's active partner practitioners, for the invitation list. */
export async function partnerPractitioners(db: Db, partnershipId: string) {
  return db
    .select({ id: appUser.id, name: appUser.displayName, agencyId: agency.id, agencyName: agency.name })
    .from(appUser)
    .innerJoin(agency, eq(agency.id, appUser.agencyId))
    .where(and(eq(appUser.partnershipId, partnershipId), eq(appUser.active, true), arrayContains(appUser.roles, ['partner-practitioner'])))
    .orderBy(asc(agency.name), asc(appUser.displayName))
}

async function invitee(tx: Db, partnershipId: string, userId: string) {
  const [u] = (await partnerPractitioners(tx, partnershipId)).filter((p) => p.id === userId)
  if (!u) throw new ValidationFailed({ userId: 'Select a partner practitioner of this partnership' })
  return u
}

/** Creates the invitation and its grant, audits both and tells the invitee. */
async function invite(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  values: { meeting: 'conference' | 'strategy-discussion'; conferenceId: string | null; meetingAt: Date | null; purpose: string; userId: string },
): Promise<MeetingInvitationRow> {
  const u = await invitee(tx, ctx.actor.partnershipId, values.userId)
  const [grant] = await tx
    .insert(accessGrant)
    .values({
      partnershipId: ctx.actor.partnershipId,
      caseId: open.c.id,
      userId: u.id,
      kind: 'invitation',
      reason: `Invited to ${values.purpose}`,
      grantedBy: ctx.actor.userId,
      startsAt: ctx.now(),
      endsAt: null,
    })
    .returning({ id: accessGrant.id })
  const row = await createRecord<MeetingInvitationRow>(ctx, tx, open, 'meeting-invitation', meetingInvitation, {
    ...values,
    agencyId: u.agencyId,
    grantId: grant!.id,
  })
  await audit(ctx, tx, {
    action: 'case.invitation',
    recordType: 'case',
    recordId: open.c.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    reason: `Invited to ${values.purpose}`,
    detail: { userId: u.id, invitationId: row.id },
  })
  await notifyUsers(ctx, tx, [u.id], {
    kind: 'conference-invitation',
    title: `You have been invited to ${values.purpose}`,
    link: `/cases/${open.c.id}/participation`,
    caseId: open.c.id,
  })
  return row
}

/** Invites a partner practitioner to a conference not yet held (once per person and conference). */
export async function inviteToConference(ctx: ServiceContext, caseId: string, conferenceId: string, userId: string): Promise<MeetingInvitationRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const k = await getRecord<ConferenceRow>(tx, open, conference, conferenceId)
    if (k.heldOn) throw new ValidationFailed({ userId: 'This conference has been held: no one can be invited to it now' })
    const [already] = await tx
      .select({ id: meetingInvitation.id })
      .from(meetingInvitation)
      .where(and(eq(meetingInvitation.conferenceId, k.id), eq(meetingInvitation.userId, userId), isNull(meetingInvitation.withdrawnAt)))
    if (already) throw new ValidationFailed({ userId: 'This person is already invited to this conference' })
    return invite(ctx, tx, open, { meeting: 'conference', conferenceId: k.id, meetingAt: null, purpose: conferenceTitle(k), userId })
  })
}

/** Invites a partner practitioner to a strategy discussion to be held; recording it ends the invitation. */
export async function inviteToStrategyDiscussion(ctx: ServiceContext, caseId: string, input: StrategyInvitationInput): Promise<MeetingInvitationRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const meetingAt = londonInstant(input.meetingOn, input.meetingTime)
    if (input.meetingOn < londonDate(ctx.now())) throw new ValidationFailed({ meetingOn: 'The strategy discussion must be today or later' })
    return invite(ctx, tx, open, {
      meeting: 'strategy-discussion',
      conferenceId: null,
      meetingAt,
      purpose: `a strategy discussion on ${inWords(input.meetingOn)} at ${input.meetingTime}: ${input.purpose}`,
      userId: input.userId,
    })
  })
}

/** Ends the grants of invitations at `at` (withdrawal: now; a held meeting: the end of its day; a closed strategy discussion record: now). */
export async function endInvitationGrants(ctx: ServiceContext, tx: Db, open: OpenCase, invitations: MeetingInvitationRow[], at: Date, why: string) {
  if (invitations.length === 0) return
  const ended = await tx
    .update(accessGrant)
    .set({ endsAt: at })
    .where(and(inArray(accessGrant.id, invitations.map((i) => i.grantId)), or(isNull(accessGrant.endsAt), sql`${accessGrant.endsAt} > ${at}`)))
    .returning({ userId: accessGrant.userId })
  if (ended.length === 0) return
  await audit(ctx, tx, {
    action: 'case.invitation.end',
    recordType: 'case',
    recordId: open.c.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    reason: why,
    detail: { userIds: ended.map((e) => e.userId), endsAt: at.toISOString() },
  })
}

/** Withdraws an invitation (at the version read): the partner's access through it ends at once. */
export async function withdrawInvitation(ctx: ServiceContext, caseId: string, invitationId: string, version: number): Promise<MeetingInvitationRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const inv = await getRecord<MeetingInvitationRow>(tx, open, meetingInvitation, invitationId)
    if (inv.withdrawnAt) throw new ValidationFailed({ form: 'This invitation has already been withdrawn' })
    const row = await updateRecord<MeetingInvitationRow>(ctx, tx, open, 'meeting-invitation', meetingInvitation, inv.id, version, { withdrawnAt: ctx.now() }, 'meeting-invitation.withdraw')
    await endInvitationGrants(ctx, tx, open, [row], ctx.now(), 'Invitation withdrawn')
    return row
  })
}

/** Holding a conference ends its partners' invitations at `at` (the end of the day it is recorded). */
export async function endConferenceInvitations(ctx: ServiceContext, tx: Db, open: OpenCase, conferenceId: string, at: Date) {
  const invitations = await tx
    .select()
    .from(meetingInvitation)
    .where(and(eq(meetingInvitation.conferenceId, conferenceId), isNull(meetingInvitation.withdrawnAt)))
  await endInvitationGrants(ctx, tx, open, invitations, at, 'Conference held')
}

// ---- Reports to a conference

export interface AgencyReportStatus {
  agencyId: string
  agencyName: string
  /** Invited people of the agency (the participants list and invitations). */
  invited: string[]
  report: (ConferenceReportRow & { recordedByName: string | null }) | null
  /** A report that reached the conference another way: the date recorded on the participants list. */
  receivedOn: string | null
}

export interface InvitationView extends MeetingInvitationRow {
  userName: string
  agencyName: string
  /** Whether the invitation's grant is in force now. */
  active: boolean
}

/** Agencies invited to a conference: named on its participants list or through an invitation. */
function invitedAgencies(k: ConferenceRow, invitations: { agencyId: string; withdrawnAt: Date | null }[]): Set<string> {
  const ids = new Set((k.participants as StoredParticipant[]).flatMap((p) => (p.party === 'agency' && p.agencyId ? [p.agencyId] : [])))
  for (const i of invitations) if (!i.withdrawnAt) ids.add(i.agencyId)
  return ids
}

/** Each name once (a person on the participants list and invited through Together, or invited twice), as first written. */
function onceEach(names: readonly string[]): string[] {
  const seen = new Map<string, string>()
  for (const name of names) {
    const key = name.trim().replace(/\s+/g, ' ').toLowerCase()
    if (key && !seen.has(key)) seen.set(key, name.trim())
  }
  return [...seen.values()]
}

/** Invitations to one conference, or to the strategy discussions of a case. */
async function invitationsOf(tx: Db, meeting: { conferenceId: string } | { caseId: string }, now: Date): Promise<InvitationView[]> {
  const rows = await tx
    .select({ i: meetingInvitation, userName: appUser.displayName, agencyName: agency.name, endsAt: accessGrant.endsAt })
    .from(meetingInvitation)
    .innerJoin(appUser, eq(appUser.id, meetingInvitation.userId))
    .innerJoin(agency, eq(agency.id, meetingInvitation.agencyId))
    .innerJoin(accessGrant, eq(accessGrant.id, meetingInvitation.grantId))
    .where(
      'conferenceId' in meeting
        ? eq(meetingInvitation.conferenceId, meeting.conferenceId)
        : and(eq(meetingInvitation.caseId, meeting.caseId), eq(meetingInvitation.meeting, 'strategy-discussion')),
    )
    .orderBy(asc(meetingInvitation.meetingAt), asc(agency.name), asc(appUser.displayName))
  return rows.map((r) => ({ ...r.i, userName: r.userName, agencyName: r.agencyName, active: r.endsAt === null || r.endsAt > now }))
}

export interface StrategyInvitations {
  /** The case, for the page's frame. */
  c: CaseSummary & { breakGlass: boolean }
  /** Every invitation to the case's strategy discussions, in force or ended, by meeting time. */
  invitations: InvitationView[]
  partners: Awaited<ReturnType<typeof partnerPractitioners>>
  /** Whether the user may invite partners and withdraw invitations (case:update). */
  mayInvite: boolean
}

/**
 * For the child protection page and the strategy discussion invitations page (those who read the
 * case): the partners invited to strategy discussions still to be held or already recorded.
 * Audited as a read of the case's "strategy-invitations" section.
 */
export async function strategyInvitations(ctx: ServiceContext, caseId: string): Promise<StrategyInvitations> {
  return withCase(ctx, caseId, 'case:read', (tx, open) => strategyInvitationsIn(ctx, tx, open), 'strategy-invitations')
}

async function strategyInvitationsIn(ctx: ServiceContext, tx: Db, open: OpenCase): Promise<StrategyInvitations> {
  const mayInvite = (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed
  return {
    c: { ...open.c, breakGlass: open.breakGlass },
    invitations: await invitationsOf(tx, { caseId: open.c.id }, ctx.now()),
    partners: mayInvite ? await partnerPractitioners(tx, ctx.actor.partnershipId) : [],
    mayInvite,
  }
}

/** The child protection page: the case's child protection records and its strategy invitations, read (and audited) once. */
export async function childProtectionPage(ctx: ServiceContext, caseId: string): Promise<{ view: ChildProtectionView; strategy: StrategyInvitations }> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => ({ view: await childProtectionIn(ctx, tx, open), strategy: await strategyInvitationsIn(ctx, tx, open) }),
    'child-protection',
  )
}

async function reportsOf(tx: Db, conferenceId: string) {
  const rows = await tx
    .select({ r: conferenceReport, recordedByName: appUser.displayName })
    .from(conferenceReport)
    .leftJoin(appUser, eq(appUser.id, conferenceReport.recordedBy))
    .where(eq(conferenceReport.conferenceId, conferenceId))
  return rows.map((x) => ({ ...x.r, recordedByName: x.recordedByName }))
}

export interface ConferenceReports {
  invitations: InvitationView[]
  agencies: AgencyReportStatus[]
  partners: Awaited<ReturnType<typeof partnerPractitioners>>
}

/**
 * For the conference page (the chair and the social worker, who read the case): the partners
 * invited, and every invited agency with its report or none yet. Audited as a read of the case.
 */
export async function conferenceReports(ctx: ServiceContext, caseId: string, conferenceId: string): Promise<ConferenceReports> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const k = await getRecord<ConferenceRow>(tx, open, conference, conferenceId)
      const invitations = await invitationsOf(tx, { conferenceId: k.id }, ctx.now())
      const reports = await reportsOf(tx, k.id)
      const ids = invitedAgencies(k, invitations)
      for (const r of reports) ids.add(r.agencyId)
      const names = ids.size
        ? await tx.select({ id: agency.id, name: agency.name }).from(agency).where(inArray(agency.id, [...ids])).orderBy(asc(agency.name))
        : []
      const participants = k.participants as StoredParticipant[]
      return {
        invitations,
        partners: await partnerPractitioners(tx, ctx.actor.partnershipId),
        agencies: names.map((a) => ({
          agencyId: a.id,
          agencyName: a.name,
          invited: onceEach([
            ...participants.filter((p) => p.agencyId === a.id).map((p) => p.name),
            ...invitations.filter((i) => i.agencyId === a.id && !i.withdrawnAt).map((i) => i.userName),
          ]),
          report: reports.find((r) => r.agencyId === a.id) ?? null,
          receivedOn: participants.find((p) => p.agencyId === a.id && p.reportReceivedOn)?.reportReceivedOn ?? null,
        })),
      }
    },
    'conference-reports',
  )
}

/** The conference, if the actor's agency is invited to it; otherwise NotFound (it is not theirs to see). */
async function conferenceForAgency(tx: Db, open: OpenCase, conferenceId: string, agencyId: string): Promise<ConferenceRow> {
  const k = await getRecord<ConferenceRow>(tx, open, conference, conferenceId).catch(() => null)
  if (!k) throw new NotFound('No such conference on this case')
  const invitations = await tx
    .select({ agencyId: meetingInvitation.agencyId, withdrawnAt: meetingInvitation.withdrawnAt })
    .from(meetingInvitation)
    .where(eq(meetingInvitation.conferenceId, k.id))
  if (!invitedAgencies(k, invitations).has(agencyId)) throw new NotFound('Your agency is not invited to this conference')
  return k
}

/**
 * Sends (or amends, at the version read) the actor's agency's report to a conference, until the
 * conference is held. The social worker and the chair are told.
 */
export async function submitConferenceReport(
  ctx: ServiceContext,
  caseId: string,
  conferenceId: string,
  input: ConferenceReportInput,
): Promise<ConferenceReportRow> {
  // Two first submissions at once: the one the unique index refuses gets the answer a second,
  // sequential first submission gets.
  return onUniqueViolation(() => withCase(ctx, caseId, 'case:contribute', async (tx, open) => {
    const k = await conferenceForAgency(tx, open, conferenceId, ctx.actor.agencyId)
    if (k.heldOn) throw new ValidationFailed({ body: `The conference was held on ${inWords(k.heldOn)}: its reports can no longer change` })
    const [existing] = await tx
      .select()
      .from(conferenceReport)
      .where(and(eq(conferenceReport.conferenceId, k.id), eq(conferenceReport.agencyId, ctx.actor.agencyId)))
    let row: ConferenceReportRow
    if (existing) {
      if (input.version === undefined || input.version !== existing.version) {
        throw new EditConflict(
          `Someone in your agency changed this report (now version ${existing.version}) after you opened it. Your changes have not been saved.`,
          existing,
        )
      }
      row = await updateRecord<ConferenceReportRow>(ctx, tx, open, 'conference-report', conferenceReport, existing.id, input.version, {
        body: input.body,
        submittedAt: ctx.now(),
      })
    } else {
      if (input.version !== undefined) throw new EditConflict('Your agency’s report is not there any more. Your changes have not been saved.')
      row = await createRecord<ConferenceReportRow>(ctx, tx, open, 'conference-report', conferenceReport, {
        conferenceId: k.id,
        agencyId: ctx.actor.agencyId,
        body: input.body,
        submittedAt: ctx.now(),
      })
    }
    // The report is shared with the conference: on the child's sharing ledger with its basis.
    await recordAutomaticShare(tx, { ...sharedBy(ctx), kind: 'conference-report', sourceId: row.id, recipientUserId: k.chairId, caseIds: [open.c.id] })
    const [a] = await tx.select({ name: agency.name }).from(agency).where(eq(agency.id, ctx.actor.agencyId))
    await notifyUsers(ctx, tx, [open.c.allocatedWorkerId, k.chairId].filter((u): u is string => u !== null && u !== ctx.actor.userId), {
      kind: 'conference-report',
      title: `${a?.name ?? 'A partner agency'} ${existing ? 'amended' : 'sent'} its report to ${conferenceTitle(k)}`,
      link: `/cases/${open.c.id}/conferences/${k.id}`,
      caseId: open.c.id,
    })
    return row
  }), {
    conference_report_agency_unique: () =>
      new EditConflict('Someone in your agency sent this report after you opened it. Your changes have not been saved.'),
  })
}

// ---- Plan actions owned by partner agencies

/** What an action agreed at a strategy discussion (not in a plan) is called where plans' actions name their plan. */
const STRATEGY_ACTION = 'strategy-discussion'
const actionSourceLabel = (planKind: string | null) => (planKind ? labelOf(PLAN_KIND, planKind) : 'Strategy discussion')

export interface AgencyActionView extends PlanItemRow {
  planKind: string
  planKindLabel: string
  statusLabel: string
  updates: (PlanActionUpdateRow & { recordedByName: string | null; agencyName: string | null })[]
}

async function updatesOf(tx: Db, itemIds: string[]) {
  if (itemIds.length === 0) return []
  const rows = await tx
    .select({ u: planActionUpdate, recordedByName: appUser.displayName, agencyName: agency.name })
    .from(planActionUpdate)
    .leftJoin(appUser, eq(appUser.id, planActionUpdate.recordedBy))
    .leftJoin(agency, eq(agency.id, planActionUpdate.agencyId))
    .where(inArray(planActionUpdate.planItemId, itemIds))
    .orderBy(desc(planActionUpdate.progressOn), desc(planActionUpdate.createdAt))
  return rows.map((r) => ({ ...r.u, recordedByName: r.recordedByName, agencyName: r.agencyName }))
}

/** Progress updates of the given plan actions, newest first, keyed by action: for the plan page. */
export async function actionUpdatesByItem(tx: Db, itemIds: string[]) {
  const byItem = new Map<string, Awaited<ReturnType<typeof updatesOf>>>()
  for (const u of await updatesOf(tx, itemIds)) byItem.set(u.planItemId, [...(byItem.get(u.planItemId) ?? []), u])
  return byItem
}

/** The actions of the case's open plans that the agency owns (not dropped), with their updates. */
async function agencyActionsOfCase(tx: Db, caseId: string, agencyId: string): Promise<AgencyActionView[]> {
  const rows = await tx
    .select({ item: planItem, planKind: plan.kind })
    .from(planItem)
    .leftJoin(plan, eq(plan.id, planItem.planId))
    .leftJoin(strategyDiscussion, eq(strategyDiscussion.id, planItem.strategyDiscussionId))
    .where(and(eq(planItem.caseId, caseId), agencyOwnsOpenAction(agencyId)))
    .orderBy(asc(planItem.dueOn), asc(planItem.createdAt))
  const updates = await actionUpdatesByItem(tx, rows.map((r) => r.item.id))
  return rows.map((r) => ({
    ...r.item,
    planKind: r.planKind ?? STRATEGY_ACTION,
    planKindLabel: actionSourceLabel(r.planKind),
    statusLabel: labelOf(ACTION_STATUS, r.item.status),
    updates: updates.get(r.item.id) ?? [],
  }))
}

/**
 * The actor's agency's action, or a refusal: another agency's action (or a goal) is refused and
 * the refusal audited, as any refused access to a case is.
 */
async function ownAction(ctx: ServiceContext, caseId: string, itemId: string): Promise<AgencyActionView> {
  const c = await loadCase(ctx.db, ctx.actor, caseId)
  const mine = (await agencyActionsOfCase(ctx.db, c.id, ctx.actor.agencyId)).find((a) => a.id === itemId)
  if (mine) return mine
  const reason = 'Your agency does not own this action, or its plan has ended.'
  await auditGrouped(ctx, {
    action: 'case.contribute.refused',
    recordType: 'case',
    recordId: c.id,
    subjectPersonId: c.personId,
    reason,
    detail: { section: 'plan-action', itemId },
  })
  throw new AccessDenied(reason)
}

/** One action of the actor's agency, with its progress updates: the progress form's page. */
export async function agencyAction(ctx: ServiceContext, caseId: string, itemId: string): Promise<{ participation: ParticipationCase; action: AgencyActionView }> {
  const action = await ownAction(ctx, caseId, itemId)
  return withCase(
    ctx,
    caseId,
    'case:participate',
    async (_tx, open) => ({ participation: caseOf(open), action }),
    'plan-action',
  )
}

/**
 * Where an action belongs, for its progress: a plan (ended when the plan ends, progress from its
 * start, its lead told) or a strategy discussion (ended when its record is closed, progress from the
 * day it was held).
 */
async function actionSourceOf(tx: Db, open: OpenCase, item: PlanItemRow) {
  if (item.planId) {
    const [p] = await tx.select().from(plan).where(eq(plan.id, item.planId))
    return { ended: p!.endedOn !== null, startedOn: p!.startedOn, started: 'the plan started', leadUserId: p!.leadUserId, what: 'a plan action', link: `/cases/${open.c.id}/plans/${p!.id}` }
  }
  const [d] = await tx.select().from(strategyDiscussion).where(eq(strategyDiscussion.id, item.strategyDiscussionId!))
  return {
    ended: d!.closedAt !== null,
    startedOn: londonDate(d!.heldAt),
    started: 'the strategy discussion',
    leadUserId: null,
    what: 'an action agreed at a strategy discussion',
    link: `/cases/${open.c.id}/strategy-discussions/${d!.id}`,
  }
}

/**
 * Records progress on an action the actor's agency owns (at the version read): its status and a
 * note, with the date. The update is its own record (so the chronology shows each one) and the
 * action takes its status and latest note. The social worker and the plan's lead are told.
 */
export async function updateActionProgress(
  ctx: ServiceContext,
  caseId: string,
  itemId: string,
  input: ActionProgressInput,
): Promise<{ item: PlanItemRow; update: PlanActionUpdateRow }> {
  await ownAction(ctx, caseId, itemId)
  return withCase(ctx, caseId, 'case:contribute', async (tx, open) => {
    const item = await getRecord<PlanItemRow>(tx, open, planItem, itemId)
    const from = await actionSourceOf(tx, open, item)
    if (item.ownerAgencyId !== ctx.actor.agencyId || from.ended) throw new AccessDenied('Your agency does not own this action, or its plan has ended.')
    if (input.progressOn > londonDate(ctx.now())) throw new ValidationFailed({ progressOn: 'The date must be today or in the past' })
    if (input.progressOn < from.startedOn) throw new ValidationFailed({ progressOn: `The date cannot be before ${from.started} (${inWords(from.startedOn)})` })
    const updated = await updateRecord<PlanItemRow>(ctx, tx, open, 'plan-item', planItem, item.id, input.version, {
      status: input.status,
      progress: input.note,
    }, 'plan-item.progress')
    const update = await createRecord<PlanActionUpdateRow>(ctx, tx, open, 'plan-action-update', planActionUpdate, {
      planId: item.planId,
      strategyDiscussionId: item.strategyDiscussionId,
      planItemId: item.id,
      agencyId: ctx.actor.agencyId,
      status: input.status,
      note: input.note,
      progressOn: input.progressOn,
    })
    const [a] = await tx.select({ name: agency.name }).from(agency).where(eq(agency.id, ctx.actor.agencyId))
    await notifyUsers(ctx, tx, [open.c.allocatedWorkerId, from.leadUserId].filter((u): u is string => u !== null && u !== ctx.actor.userId), {
      kind: 'plan-action-updated',
      title: `${a?.name ?? 'A partner agency'} updated ${from.what}: ${labelOf(ACTION_STATUS, input.status).toLowerCase()}`,
      link: from.link,
      caseId: open.c.id,
    })
    return { item: updated, update }
  })
}

export interface MyAgencyAction extends PlanItemRow {
  planKindLabel: string
  statusLabel: string
  childName: string
  dateOfBirth: string | null
}

/**
 * "My agency's actions": the actions of open plans the actor's agency owns, across the
 * partnership's cases (restricted cases only with explicit permission), soonest due first, a page
 * at a time with how many there are. Whom the policy shows each case to is asked in SQL, so the
 * count is of the actions shown. The listing is audited (which cases were shown), as home page
 * case lists are.
 */
export async function myAgencyActions(ctx: ServiceContext, page: PageRequest = FIRST_PAGE): Promise<Page<MyAgencyAction>> {
  const { actor } = ctx
  const shown = shownByPolicy(ctx.db, actor, ctx.now(), [{ relationships: ['plan-action-owner'], where: sql`true` }], (record) =>
    decideOnCase(actor, 'case:participate', record).allowed,
  )
  const listed = await pageCounted(page, (at) =>
    ctx.db
      .select({ item: planItem, planKind: plan.kind, givenName: person.givenName, familyName: person.familyName, dateOfBirth: person.dateOfBirth, total: totalOver() })
      .from(planItem)
      .leftJoin(plan, eq(plan.id, planItem.planId))
      .leftJoin(strategyDiscussion, eq(strategyDiscussion.id, planItem.strategyDiscussionId))
      .innerJoin(childCase, eq(childCase.id, planItem.caseId))
      .innerJoin(person, eq(person.id, childCase.personId))
      .where(and(eq(planItem.partnershipId, actor.partnershipId), agencyOwnsOpenAction(actor.agencyId), shown))
      .orderBy(asc(planItem.dueOn), asc(person.familyName), asc(planItem.id))
      .limit(at.limit)
      .offset(at.offset),
  )
  const visible = listed.items
  if (visible.length > 0) {
    await auditGrouped(ctx, { action: 'plan-action.list', ground: 'plan-action-owner', detail: { caseIds: [...new Set(visible.map((r) => r.item.caseId))] } })
  }
  return {
    ...listed,
    items: visible.map((r) => ({
      ...r.item,
      planKindLabel: actionSourceLabel(r.planKind),
      statusLabel: labelOf(ACTION_STATUS, r.item.status),
      childName: `${r.givenName} ${r.familyName}`,
      dateOfBirth: r.dateOfBirth,
    })),
  }
}

// ---- The participation view

/** What a participant sees of the case itself: who the child is and who to contact. */
export interface ParticipationCase {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  sex: string | null
  nhsNumber: string | null
  allocatedWorkerName: string | null
  teamName: string | null
  ground: string
}

function caseOf(open: OpenCase): ParticipationCase {
  const c = open.c
  return {
    id: c.id,
    givenName: c.givenName,
    familyName: c.familyName,
    dateOfBirth: c.dateOfBirth,
    sex: c.sex,
    nhsNumber: c.nhsNumber,
    allocatedWorkerName: c.allocatedWorkerName,
    teamName: c.teamName,
    ground: open.ground,
  }
}

export interface ParticipationMeeting {
  invitationId: string
  meeting: 'conference' | 'strategy-discussion'
  purpose: string
  meetingAt: Date | null
  /** A strategy discussion that has been recorded (its decision and actions can be seen). */
  recorded: boolean
}

export interface ParticipationConference {
  id: string
  kind: string
  kindLabel: string
  scheduledFor: string
  /** 'HH:MM', London time, and where it meets (none on conferences scheduled before they were asked). */
  scheduledTime: string | null
  venue: string | null
  heldOn: string | null
  /** Why it was held on another day than scheduledFor. */
  rescheduleReason: string | null
  chairName: string | null
  report: ConferenceReportRow | null
  /** The agency's report can still be sent or amended (the conference is not held). */
  mayReport: boolean
}

export interface ParticipationView {
  c: ParticipationCase
  /** The user's own invitations in force. */
  meetings: ParticipationMeeting[]
  /** Conferences of the case the user's agency is invited to, with its report. */
  conferences: ParticipationConference[]
  /** The actions of open plans the user's agency owns. */
  actions: AgencyActionView[]
  /** Whether the user may also open the whole case record (e.g. through their agency's involvement). */
  mayReadCase: boolean
}

const chair = appUser

/**
 * A partner's participation view of a case (case:participate), audited as a view of the case's
 * "participation" section with the policy's ground (invitation, plan action owner, agency
 * involvement). Nothing else of the record: no notes, assessments or other agencies' reports.
 */
export async function participationOf(ctx: ServiceContext, caseId: string): Promise<ParticipationView> {
  return withCase(
    ctx,
    caseId,
    'case:participate',
    async (tx, open) => {
      const now = ctx.now()
      const mine = await tx
        .select({ i: meetingInvitation })
        .from(meetingInvitation)
        .innerJoin(accessGrant, eq(accessGrant.id, meetingInvitation.grantId))
        .where(and(eq(meetingInvitation.caseId, open.c.id), eq(meetingInvitation.userId, ctx.actor.userId), grantInForce(now)))
        .orderBy(asc(meetingInvitation.createdAt))
      const conferences = await tx
        .select({ k: conference, chairName: chair.displayName })
        .from(conference)
        .leftJoin(chair, eq(chair.id, conference.chairId))
        .where(eq(conference.caseId, open.c.id))
        .orderBy(asc(conference.scheduledFor))
      const invitations = conferences.length
        ? await tx
            .select({ conferenceId: meetingInvitation.conferenceId, agencyId: meetingInvitation.agencyId, withdrawnAt: meetingInvitation.withdrawnAt })
            .from(meetingInvitation)
            .where(inArray(meetingInvitation.conferenceId, conferences.map((x) => x.k.id)))
        : []
      const ours = conferences.filter((x) =>
        invitedAgencies(x.k, invitations.filter((i) => i.conferenceId === x.k.id)).has(ctx.actor.agencyId),
      )
      const reports = ours.length
        ? await tx
            .select()
            .from(conferenceReport)
            .where(and(inArray(conferenceReport.conferenceId, ours.map((x) => x.k.id)), eq(conferenceReport.agencyId, ctx.actor.agencyId)))
        : []
      return {
        c: caseOf(open),
        meetings: mine.map(({ i }) => {
          // A conference's invitation names it as it is arranged now (its date, time or venue may have moved since).
          const live = i.conferenceId ? conferences.find((x) => x.k.id === i.conferenceId)?.k : undefined
          return {
            invitationId: i.id,
            meeting: i.meeting as ParticipationMeeting['meeting'],
            purpose: live ? conferenceTitle(live) : i.purpose,
            meetingAt: i.meetingAt,
            recorded: i.strategyDiscussionId !== null,
          }
        }),
        conferences: ours.map(({ k, chairName }) => ({
          id: k.id,
          kind: k.kind,
          kindLabel: labelOf(CONFERENCE_KIND, k.kind),
          scheduledFor: k.scheduledFor,
          scheduledTime: k.scheduledTime,
          venue: k.venue,
          heldOn: k.heldOn,
          rescheduleReason: k.rescheduleReason,
          chairName,
          report: reports.find((r) => r.conferenceId === k.id) ?? null,
          mayReport: k.heldOn === null,
        })),
        actions: await agencyActionsOfCase(tx, open.c.id, ctx.actor.agencyId),
        mayReadCase: (await decideCaseAction(tx, ctx, open.c, 'case:read')).allowed,
      }
    },
    'participation',
  )
}

/** The report form's page: the conference and the agency's report (read-only once held). */
export async function agencyReportPage(ctx: ServiceContext, caseId: string, conferenceId: string): Promise<{ c: ParticipationCase; conference: ParticipationConference }> {
  const view = await participationOf(ctx, caseId)
  const k = view.conferences.find((x) => x.id === conferenceId)
  if (!k) throw new NotFound('Your agency is not invited to this conference')
  return { c: view.c, conference: k }
}
