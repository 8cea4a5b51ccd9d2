/**
 * Strategy discussions as a multi-agency record (issue 17 §5, docs/multi-agency.md "Strategy
 * discussions"). Partners invited to a strategy discussion keep their invitation once it is
 * recorded (the invitation is linked to the discussion) until the social worker closes the
 * discussion's record. Through it they see the decision and the agreed actions (case:participate,
 * audited as a view of the case's "strategy-discussion" section with the invitation's ground), add
 * their agency's information before and after the meeting (one contribution per agency and
 * discussion, with who and when, editable by its author until the record closes, at the version
 * read), and own the actions agreed at it: an agreed action is a plan action (plan_item) of the
 * discussion rather than of a plan, so "My agency's actions", progress updates and the
 * plan-action-owner relationship work for it as they do for a plan's actions.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { accessGrant, agency, appUser, meetingInvitation, planItem, strategyContribution, strategyDiscussion } from '../../db/schema/index.ts'
import { ACTION_STATUS, labelOf, STRATEGY_DECISION } from '../../domain/journey/codes.ts'
import { londonWallClock } from '../../domain/journey/child-protection-rules.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { auditGrouped } from '../access/audit.ts'
import { AccessDenied, EditConflict, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { onUniqueViolation } from '../common/unique.ts'
import { decideCaseAction, grantInForce, loadCase, type CaseSummary } from '../journey/case-access.ts'
import { createRecord, getRecord, requireCaseAction, updateRecord, withCase, type OpenCase } from '../journey/case-records.ts'
import type { StrategyDiscussionRow } from '../journey/child-protection.ts'
import { notifyUsers } from './notifications.ts'
import { actionUpdatesByItem, endInvitationGrants, partnerPractitioners, type MeetingInvitationRow, type PlanItemRow } from './participation.ts'
import type { StrategyActionInput, StrategyInformationInput } from './strategy-participation-input.ts'

export type StrategyContributionRow = typeof strategyContribution.$inferSelect

export interface StrategyContributionView extends StrategyContributionRow {
  agencyName: string
  recordedByName: string | null
}

export interface StrategyActionView extends PlanItemRow {
  ownerAgencyName: string | null
  ownerUserName: string | null
  statusLabel: string
  /** The latest progress recorded on it, if any. */
  latest: { progressOn: string; note: string; recordedByName: string | null; agencyName: string | null } | null
}

// ---- Recording and closing (the social worker's side)

/**
 * Recording a strategy discussion links the case's strategy invitations still in force (and the
 * agencies' information added before it) to it: the invited partners now see its decision and
 * actions, until its record is closed.
 */
export async function linkStrategyInvitations(tx: Db, open: OpenCase, discussionId: string, now: Date): Promise<void> {
  const pending = await tx
    .select({ id: meetingInvitation.id })
    .from(meetingInvitation)
    .innerJoin(accessGrant, eq(accessGrant.id, meetingInvitation.grantId))
    .where(
      and(
        eq(meetingInvitation.caseId, open.c.id),
        eq(meetingInvitation.meeting, 'strategy-discussion'),
        isNull(meetingInvitation.strategyDiscussionId),
        isNull(meetingInvitation.withdrawnAt),
        grantInForce(now),
      ),
    )
  if (pending.length > 0) {
    await tx.update(meetingInvitation).set({ strategyDiscussionId: discussionId }).where(inArray(meetingInvitation.id, pending.map((p) => p.id)))
  }
  await tx
    .update(strategyContribution)
    .set({ strategyDiscussionId: discussionId })
    .where(and(eq(strategyContribution.caseId, open.c.id), isNull(strategyContribution.strategyDiscussionId)))
}

/**
 * Closes a discussion's record (at the version read): the agencies' information can no longer be
 * changed, its actions leave "My agency's actions", and the invited partners' access through it
 * ends at once.
 */
export async function closeStrategyDiscussion(ctx: ServiceContext, caseId: string, discussionId: string, version: number): Promise<StrategyDiscussionRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const d = await getRecord<StrategyDiscussionRow>(tx, open, strategyDiscussion, discussionId)
    if (d.closedAt) throw new ValidationFailed({ form: 'This discussion’s record is already closed' })
    const row = await updateRecord<StrategyDiscussionRow>(ctx, tx, open, 'strategy-discussion', strategyDiscussion, d.id, version, { closedAt: ctx.now() }, 'strategy-discussion.close')
    const invitations = await tx.select().from(meetingInvitation).where(eq(meetingInvitation.strategyDiscussionId, d.id))
    await endInvitationGrants(ctx, tx, open, invitations, ctx.now(), 'Strategy discussion record closed')
    return row
  })
}

/**
 * An action agreed at the discussion, given to an agency (and optionally one of its people): it
 * appears in that agency's "My agency's actions" and its partners record progress on it.
 */
export async function agreeStrategyAction(ctx: ServiceContext, caseId: string, discussionId: string, input: StrategyActionInput): Promise<PlanItemRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const d = await getRecord<StrategyDiscussionRow>(tx, open, strategyDiscussion, discussionId)
    if (d.closedAt) throw new ValidationFailed({ description: 'This discussion’s record is closed: no action can be added to it' })
    const [owner] = await tx
      .select({ id: agency.id })
      .from(agency)
      .where(and(eq(agency.id, input.ownerAgencyId), eq(agency.partnershipId, ctx.actor.partnershipId)))
    if (!owner) throw new ValidationFailed({ ownerAgencyId: 'Select one of the partnership’s agencies' })
    if (input.ownerUserId) {
      const [u] = await tx.select({ agencyId: appUser.agencyId }).from(appUser).where(and(eq(appUser.id, input.ownerUserId), eq(appUser.partnershipId, ctx.actor.partnershipId)))
      if (!u || u.agencyId !== owner.id) throw new ValidationFailed({ ownerUserId: 'Select someone who works for the agency that owns the action' })
    }
    if (input.dueOn && input.dueOn < londonDate(d.heldAt)) throw new ValidationFailed({ dueOn: 'The action cannot be due before the discussion' })
    const item = await createRecord<PlanItemRow>(ctx, tx, open, 'plan-item', planItem, {
      planId: null,
      strategyDiscussionId: d.id,
      kind: 'action',
      description: input.description,
      ownerAgencyId: owner.id,
      ownerUserId: input.ownerUserId ?? null,
      dueOn: input.dueOn ?? null,
    })
    if (input.ownerUserId && input.ownerUserId !== ctx.actor.userId) {
      await notifyUsers(ctx, tx, [input.ownerUserId], {
        kind: 'strategy-action',
        title: 'You have been given an action agreed at a strategy discussion',
        link: `/cases/${open.c.id}/participation/actions/${item.id}`,
        caseId: open.c.id,
      })
    }
    return item
  })
}

async function contributionsOf(tx: Db, where: ReturnType<typeof and>): Promise<StrategyContributionView[]> {
  const rows = await tx
    .select({ c: strategyContribution, agencyName: agency.name, recordedByName: appUser.displayName })
    .from(strategyContribution)
    .innerJoin(agency, eq(agency.id, strategyContribution.agencyId))
    .leftJoin(appUser, eq(appUser.id, strategyContribution.recordedBy))
    .where(where)
    .orderBy(asc(strategyContribution.submittedAt))
  return rows.map((r) => ({ ...r.c, agencyName: r.agencyName, recordedByName: r.recordedByName }))
}

const owner = appUser

async function actionsOf(tx: Db, discussionId: string): Promise<StrategyActionView[]> {
  const rows = await tx
    .select({ item: planItem, ownerAgencyName: agency.name, ownerUserName: owner.displayName })
    .from(planItem)
    .leftJoin(agency, eq(agency.id, planItem.ownerAgencyId))
    .leftJoin(owner, eq(owner.id, planItem.ownerUserId))
    .where(and(eq(planItem.strategyDiscussionId, discussionId), eq(planItem.kind, 'action')))
    .orderBy(asc(planItem.dueOn), asc(planItem.createdAt))
  const updates = await actionUpdatesByItem(tx, rows.map((r) => r.item.id))
  return rows.map((r) => {
    const u = updates.get(r.item.id)?.[0]
    return {
      ...r.item,
      ownerAgencyName: r.ownerAgencyName,
      ownerUserName: r.ownerUserName,
      statusLabel: labelOf(ACTION_STATUS, r.item.status),
      latest: u ? { progressOn: u.progressOn, note: u.note, recordedByName: u.recordedByName, agencyName: u.agencyName } : null,
    }
  })
}

export interface StrategyRecord {
  /** The case, for the page's frame. */
  c: CaseSummary & { breakGlass: boolean }
  discussion: StrategyDiscussionRow & { heldOn: string; heldAtTime: string; decisionLabel: string }
  contributions: StrategyContributionView[]
  actions: StrategyActionView[]
  /** Whether the user may add actions and close the record (case:update, the record open). */
  mayChange: boolean
  agencies: { id: string; name: string }[]
  partners: Awaited<ReturnType<typeof partnerPractitioners>>
}

function discussionFacts(d: StrategyDiscussionRow) {
  const [heldOn, heldAtTime] = londonWallClock(d.heldAt).split(' ') as [string, string]
  return { heldOn, heldAtTime, decisionLabel: labelOf(STRATEGY_DECISION, d.decision) }
}

/**
 * The discussion's record for those who read the case (the social worker, the chair of a later
 * conference): what was decided, each agency's information with who added it and when, and the
 * agreed actions with their owners and progress. Audited as a read of the case's
 * "strategy-discussion" section.
 */
export async function strategyRecord(ctx: ServiceContext, caseId: string, discussionId: string): Promise<StrategyRecord> {
  return withCase(
    ctx,
    caseId,
    'case:read',
    async (tx, open) => {
      const d = await getRecord<StrategyDiscussionRow>(tx, open, strategyDiscussion, discussionId)
      const open_ = d.closedAt === null && (await decideCaseAction(tx, ctx, open.c, 'case:update')).allowed
      return {
        c: { ...open.c, breakGlass: open.breakGlass },
        discussion: { ...d, ...discussionFacts(d) },
        contributions: await contributionsOf(tx, and(eq(strategyContribution.strategyDiscussionId, d.id))),
        actions: await actionsOf(tx, d.id),
        mayChange: open_,
        agencies: open_
          ? await tx.select({ id: agency.id, name: agency.name }).from(agency).where(eq(agency.partnershipId, ctx.actor.partnershipId)).orderBy(asc(agency.name))
          : [],
        partners: open_ ? await partnerPractitioners(tx, ctx.actor.partnershipId) : [],
      }
    },
    'strategy-discussion',
  )
}

// ---- The invited partner's side

/**
 * The actor's own strategy invitation in force, or a refusal: the policy decides `action` first
 * (its refusal audited, a concealed record a 404), then someone else's or an ended invitation is
 * refused and the refusal audited, as another agency's plan action is.
 */
async function ownInvitation(ctx: ServiceContext, caseId: string, invitationId: string, action: 'case:participate' | 'case:contribute'): Promise<MeetingInvitationRow> {
  await requireCaseAction(ctx, caseId, action, 'strategy-discussion')
  const c = await loadCase(ctx.db, ctx.actor, caseId)
  const [mine] = await ctx.db
    .select({ i: meetingInvitation })
    .from(meetingInvitation)
    .innerJoin(accessGrant, eq(accessGrant.id, meetingInvitation.grantId))
    .where(
      and(
        eq(meetingInvitation.id, invitationId),
        eq(meetingInvitation.caseId, c.id),
        eq(meetingInvitation.meeting, 'strategy-discussion'),
        eq(meetingInvitation.userId, ctx.actor.userId),
        isNull(meetingInvitation.withdrawnAt),
        grantInForce(ctx.now()),
      ),
    )
  if (mine) return mine.i
  const reason = 'This is not your invitation to a strategy discussion, or it has ended.'
  await auditGrouped(ctx, {
    action: action === 'case:participate' ? 'case.participate.refused' : 'case.contribute.refused',
    recordType: 'case',
    recordId: c.id,
    subjectPersonId: c.personId,
    reason,
    detail: { section: 'strategy-discussion', invitationId },
  })
  throw new AccessDenied(reason)
}

export interface PartnerStrategyView {
  invitation: { id: string; purpose: string; meetingAt: Date | null }
  /** The discussion once recorded: only its date, decision and what was decided to keep the child safe. */
  discussion: {
    id: string
    heldOn: string
    heldAtTime: string
    decision: string
    decisionLabel: string
    decisionDetail: string | null
    immediateSafetyActions: string | null
    closed: boolean
  } | null
  /** The actions agreed at it, with their owners and status. */
  actions: StrategyActionView[]
  /** The actor's agency's information (before or after the discussion), if added. */
  contribution: StrategyContributionView | null
  /** Whether the actor may add or change their agency's information now. */
  mayContribute: boolean
  agencyId: string
}

async function partnerViewIn(ctx: ServiceContext, tx: Db, inv: MeetingInvitationRow): Promise<PartnerStrategyView> {
  const d = inv.strategyDiscussionId ? await tx.select().from(strategyDiscussion).where(eq(strategyDiscussion.id, inv.strategyDiscussionId)).then((r) => r[0] ?? null) : null
  const [contribution] = await contributionsOf(
    tx,
    and(
      eq(strategyContribution.caseId, inv.caseId),
      eq(strategyContribution.agencyId, ctx.actor.agencyId),
      d ? eq(strategyContribution.strategyDiscussionId, d.id) : isNull(strategyContribution.strategyDiscussionId),
    ),
  )
  const closed = d?.closedAt != null
  return {
    invitation: { id: inv.id, purpose: inv.purpose, meetingAt: inv.meetingAt },
    discussion: d
      ? {
          id: d.id,
          ...discussionFacts(d),
          decision: d.decision,
          decisionDetail: d.decisionDetail,
          immediateSafetyActions: d.immediateSafetyActions,
          closed,
        }
      : null,
    actions: d ? await actionsOf(tx, d.id) : [],
    contribution: contribution ?? null,
    mayContribute: !closed && (!contribution || contribution.recordedBy === ctx.actor.userId),
    agencyId: ctx.actor.agencyId,
  }
}

/**
 * What an invited partner sees of the strategy discussion they are invited to: before it is
 * recorded, the meeting and their agency's information; after, also its decision and the agreed
 * actions. Audited as a view of the case's "strategy-discussion" section with the policy's ground.
 */
export async function partnerStrategyView(ctx: ServiceContext, caseId: string, invitationId: string): Promise<PartnerStrategyView & { c: OpenCase['c'] }> {
  const inv = await ownInvitation(ctx, caseId, invitationId, 'case:participate')
  return withCase(ctx, caseId, 'case:participate', async (tx, open) => ({ ...(await partnerViewIn(ctx, tx, inv)), c: open.c }), 'strategy-discussion')
}

/**
 * Adds or changes the actor's agency's information for the discussion they are invited to, before
 * or after it is held, until its record is closed: one per agency; only its author changes it, at
 * the version read. The social worker is told.
 */
export async function saveStrategyInformation(
  ctx: ServiceContext,
  caseId: string,
  invitationId: string,
  input: StrategyInformationInput,
): Promise<StrategyContributionRow> {
  const inv = await ownInvitation(ctx, caseId, invitationId, 'case:contribute')
  return onUniqueViolation(
    () =>
      withCase(ctx, caseId, 'case:contribute', async (tx, open) => {
        const view = await partnerViewIn(ctx, tx, inv)
        if (view.discussion?.closed) throw new ValidationFailed({ body: 'This discussion’s record is closed: your agency’s information can no longer be changed' })
        const existing = view.contribution
        if (existing && existing.recordedBy !== ctx.actor.userId) {
          throw new ValidationFailed({ body: `${existing.recordedByName ?? 'Someone else'} added your agency’s information; only they can change it` })
        }
        let row: StrategyContributionRow
        if (existing) {
          if (input.version === undefined || input.version !== existing.version) {
            throw new EditConflict(`You changed your agency’s information elsewhere (now version ${existing.version}) after you opened it. Your changes have not been saved.`, existing as unknown as Record<string, unknown>)
          }
          row = await updateRecord<StrategyContributionRow>(ctx, tx, open, 'strategy-contribution', strategyContribution, existing.id, input.version, {
            body: input.body,
            submittedAt: ctx.now(),
          })
        } else {
          if (input.version !== undefined) throw new EditConflict('Your agency’s information is not there any more. Your changes have not been saved.')
          row = await createRecord<StrategyContributionRow>(ctx, tx, open, 'strategy-contribution', strategyContribution, {
            strategyDiscussionId: view.discussion?.id ?? null,
            agencyId: ctx.actor.agencyId,
            body: input.body,
            submittedAt: ctx.now(),
          })
        }
        const [a] = await tx.select({ name: agency.name }).from(agency).where(eq(agency.id, ctx.actor.agencyId))
        await notifyUsers(ctx, tx, [open.c.allocatedWorkerId].filter((u): u is string => u !== null && u !== ctx.actor.userId), {
          kind: 'strategy-information',
          title: `${a?.name ?? 'A partner agency'} ${existing ? 'changed' : 'added'} its information for a strategy discussion`,
          link: view.discussion ? `/cases/${open.c.id}/strategy-discussions/${view.discussion.id}` : `/cases/${open.c.id}/strategy-discussions/invitations`,
          caseId: open.c.id,
        })
        return row
      }),
    {
      strategy_contribution_agency_unique: () => new EditConflict('Someone in your agency added its information after you opened the page. Your changes have not been saved.'),
      strategy_contribution_pending_unique: () => new EditConflict('Someone in your agency added its information after you opened the page. Your changes have not been saved.'),
    },
  )
}

/** The agencies' information added for a discussion still to be held (the invitations page shows it). */
export async function pendingStrategyInformation(tx: Db, caseId: string): Promise<StrategyContributionView[]> {
  return contributionsOf(tx, and(eq(strategyContribution.caseId, caseId), isNull(strategyContribution.strategyDiscussionId)))
}
