/**
 * Child protection conferences (working-together.md §2.1–2.2): initial, review and transfer-in.
 * Scheduling one invites its chair to the case; recording the meeting completes its timescale and
 * carries out its decision: a child protection plan starts (with its core group, review and visit
 * clocks), continues with its categories re-evaluated, or ends (optionally stepping down to a child
 * in need plan).
 */
import { and, arrayContains, asc, eq, gt, isNull, like, ne, or } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { accessGrant, appUser, conference, meetingInvitation, plan, section47Enquiry } from '../../db/schema/index.ts'
import {
  categoriesProblem,
  conferenceDateWarning,
  conferenceDecisionsFor,
  decisionNeedsCategories,
  icpcNotRequired,
  planCategoryOf,
} from '../../domain/journey/child-protection-rules.ts'
import { CONFERENCE_DECISION, CONFERENCE_KIND, labelOf } from '../../domain/journey/codes.ts'
import { dueDate } from '../../domain/timescales/index.ts'
import { audit } from '../access/audit.ts'
import { createRecord, getRecord, localRulesOf, setCaseStage, updateRecord, withCase, type OpenCase } from './case-records.ts'
import {
  agenciesById,
  checkNotFuture,
  closeClocks,
  conferenceTitle,
  episodeFor,
  inWords,
  Problems,
  startVisitClock,
  type ConferenceRow,
  type EpisodeRow,
  type PlanRow,
  type Section47Row,
  type StoredParticipant,
} from './child-protection.ts'
import type {
  ConferenceArrangementsInput,
  ConferenceInput,
  ConferenceOutcomeInput,
  ConferenceParticipantInput,
} from './child-protection-input.ts'
import { completeClocks, startClock } from './clocks.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { closeCaseIfNothingOpen } from './episodes.ts'
import { endConferenceInvitations } from '../multi-agency/participation.ts'
import { notifyUsers } from '../multi-agency/notifications.ts'
import { endOfLondonDay } from '../../domain/timescales/calendar/london-time.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

/** The partnership's active conference chairs, for the chair list. */
export async function conferenceChairs(db: Db, partnershipId: string) {
  return db
    .select({ id: appUser.id, name: appUser.displayName })
    .from(appUser)
    .where(
      and(eq(appUser.partnershipId, partnershipId), eq(appUser.active, true), arrayContains(appUser.roles, ['conference-chair'])),
    )
    .orderBy(asc(appUser.displayName))
}

// ---- Scheduling

/**
 * Schedules a conference with its chair and invitation list. The chair is granted access to the
 * case by invitation (which lets a conference chair record the outcome), ending when the outcome
 * is recorded or another chair is named. A transfer-in
 * conference's timescale starts from when this authority was told the child had moved here.
 */
export async function scheduleConference(ctx: ServiceContext, caseId: string, input: ConferenceInput): Promise<ConferenceRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const problems = new Problems()
    const chair = await chairOf(tx, ctx.actor.partnershipId, input.chairId)
    if (!chair) problems.add('chairId', 'Select a conference chair of this partnership')
    await checkParticipants(tx, ctx.actor.partnershipId, input.participants, problems)
    checkNotFuture(ctx, problems, { notifiedOn: input.notifiedOn })
    const subject = await conferenceSubject(tx, open, input, problems)
    problems.throwIfAny()

    const row = await createRecord<ConferenceRow>(ctx, tx, open, 'conference', conference, {
      episodeId: subject.episode.id,
      section47Id: subject.section47?.id ?? null,
      planId: subject.plan?.id ?? null,
      kind: input.kind,
      scheduledFor: input.scheduledFor,
      scheduledTime: input.scheduledTime,
      venue: input.venue,
      chairId: input.chairId,
      participants: input.participants.map(storedParticipant),
    })
    if (input.kind === 'transfer-in' && input.notifiedOn) {
      await startClock(ctx, tx, open, {
        rule: 'transfer-in-conference',
        start: input.notifiedOn,
        subjectType: 'conference',
        subjectId: row.id,
        task: 'Hold the transfer-in child protection conference',
      })
    }
    await inviteChair(ctx, tx, open, input.chairId, input.kind)
    await tellChair(ctx, tx, open, row)
    return row
  })
}

/** Tells the conference's chair (unless they arranged it themselves) that they chair it, when and where. */
async function tellChair(ctx: ServiceContext, tx: Db, open: OpenCase, k: ConferenceRow) {
  if (!k.chairId || k.chairId === ctx.actor.userId) return
  await notifyUsers(ctx, tx, [k.chairId], {
    kind: 'conference-chair',
    title: `You are asked to chair ${conferenceTitle(k)}`,
    link: `/cases/${open.c.id}/conferences/${k.id}`,
    caseId: open.c.id,
  })
}

async function chairOf(tx: Db, partnershipId: string, userId: string) {
  const [chair] = await tx
    .select({ id: appUser.id })
    .from(appUser)
    .where(
      and(
        eq(appUser.id, userId),
        eq(appUser.partnershipId, partnershipId),
        eq(appUser.active, true),
        arrayContains(appUser.roles, ['conference-chair']),
      ),
    )
  return chair ?? null
}

async function checkParticipants(tx: Db, partnershipId: string, participants: readonly ConferenceParticipantInput[], problems: Problems) {
  const agencies = await agenciesById(
    tx,
    partnershipId,
    participants.flatMap((p) => (p.agencyId ? [p.agencyId] : [])),
  )
  participants.forEach((p, i) => {
    if (p.agencyId && !agencies.has(p.agencyId)) problems.add(`participants-${i}-agencyId`, 'Select one of the partnership’s agencies')
  })
}

function storedParticipant(p: ConferenceParticipantInput): StoredParticipant {
  return {
    party: p.party,
    name: p.name,
    agencyId: p.party === 'agency' ? (p.agencyId ?? null) : null,
    attendance: p.attendance,
    reportReceivedOn: p.reportReceivedOn ?? null,
  }
}

/** What a conference is about: the enquiry (initial), the plan (review) and the episode. */
async function conferenceSubject(
  tx: Db,
  open: OpenCase,
  input: ConferenceInput,
  problems: Problems,
): Promise<{ episode: EpisodeRow; section47: Section47Row | null; plan: PlanRow | null }> {
  if (input.kind === 'initial') {
    const s47 = input.section47Id ? await findOnCase<Section47Row>(tx, open, section47Enquiry, input.section47Id) : null
    if (!s47) {
      problems.add('section47Id', 'Select the section 47 enquiry that led to this conference')
      return { episode: await episodeFor(tx, open), section47: null, plan: null }
    }
    if (icpcNotRequired(s47.outcome)) {
      problems.add('section47Id', 'The enquiry concluded that the child is not at continuing risk, so no initial conference is needed')
    }
    const [existing] = await tx
      .select({ id: conference.id })
      .from(conference)
      .where(and(eq(conference.section47Id, s47.id), eq(conference.kind, 'initial')))
    if (existing) problems.add('section47Id', 'This enquiry already has an initial conference')
    checkScheduledFor(problems, input.scheduledFor, { section47: s47 })
    return { episode: await episodeFor(tx, open, s47.episodeId), section47: s47, plan: null }
  }
  if (input.kind === 'review') {
    const cp = input.planId ? await findOnCase<PlanRow>(tx, open, plan, input.planId) : null
    if (!cp || cp.kind !== 'child-protection' || cp.endedOn !== null) {
      problems.add('planId', 'Select the child protection plan under review (it must not have ended)')
      return { episode: await episodeFor(tx, open, input.episodeId), section47: null, plan: null }
    }
    const [pending] = await tx
      .select({ scheduledFor: conference.scheduledFor })
      .from(conference)
      .where(and(eq(conference.planId, cp.id), eq(conference.kind, 'review'), isNull(conference.heldOn)))
    if (pending) problems.add('planId', `A review conference is already scheduled for ${inWords(pending.scheduledFor)}`)
    checkScheduledFor(problems, input.scheduledFor, { plan: cp })
    return { episode: await episodeFor(tx, open, cp.episodeId ?? input.episodeId), section47: null, plan: cp }
  }
  return { episode: await episodeFor(tx, open, input.episodeId), section47: null, plan: null }
}

/** A conference cannot be before what it is about began: the enquiry (initial) or the plan under review. */
function checkScheduledFor(problems: Problems, scheduledFor: string, subject: { section47?: Section47Row | null; plan?: PlanRow | null }) {
  if (subject.section47 && scheduledFor < subject.section47.startedOn) {
    problems.add('scheduledFor', `The conference cannot be before the enquiry started (${inWords(subject.section47.startedOn)})`)
  }
  if (subject.plan && scheduledFor < subject.plan.startedOn) {
    problems.add('scheduledFor', `The review cannot be before the plan started (${inWords(subject.plan.startedOn)})`)
  }
}

async function findOnCase<T extends { id: string; version: number }>(tx: Db, open: OpenCase, table: Parameters<typeof getRecord>[2], id: string) {
  try {
    return await getRecord<T & Record<string, unknown>>(tx, open, table, id)
  } catch (err) {
    if (err instanceof NotFound) return null
    throw err
  }
}

/**
 * Gives the chair access to the case by invitation (once), and audits it. An invitation still in
 * force but due to end (its last conference was held today) runs on for the new conference.
 */
async function inviteChair(ctx: ServiceContext, tx: Db, open: OpenCase, chairId: string, kind: string): Promise<void> {
  const [already] = await tx
    .select({ id: accessGrant.id, endsAt: accessGrant.endsAt })
    .from(accessGrant)
    .where(
      and(
        eq(accessGrant.caseId, open.c.id),
        eq(accessGrant.userId, chairId),
        eq(accessGrant.kind, 'invitation'),
        like(accessGrant.reason, `${CHAIR_INVITATION} %`),
        or(isNull(accessGrant.endsAt), gt(accessGrant.endsAt, ctx.now())),
      ),
    )
  if (already?.endsAt === null) return
  const reason = `${CHAIR_INVITATION} ${kind} conference`
  if (already) {
    await tx.update(accessGrant).set({ endsAt: null, reason }).where(eq(accessGrant.id, already.id))
  } else {
    await tx.insert(accessGrant).values({
      partnershipId: ctx.actor.partnershipId,
      caseId: open.c.id,
      userId: chairId,
      kind: 'invitation',
      reason,
      grantedBy: ctx.actor.userId,
      startsAt: ctx.now(),
      endsAt: null,
    })
  }
  await audit(ctx, tx, {
    action: 'case.invitation',
    recordType: 'case',
    recordId: open.c.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    reason,
    detail: { userId: chairId },
  })
}

/** How a chair's invitation grant's reason starts ("Chair of initial conference"). */
const CHAIR_INVITATION = 'Chair of'

/**
 * Ends a chair's invitation to the case at `at`, unless they chair another conference of the case
 * still to be held (scheduling invites a chair once per case). Audited when a grant ends.
 */
async function endChairInvitation(ctx: ServiceContext, tx: Db, open: OpenCase, chairId: string, conferenceId: string, at: Date): Promise<void> {
  const [another] = await tx
    .select({ id: conference.id })
    .from(conference)
    .where(and(eq(conference.caseId, open.c.id), eq(conference.chairId, chairId), isNull(conference.heldOn), ne(conference.id, conferenceId)))
    .limit(1)
  if (another) return
  const ended = await tx
    .update(accessGrant)
    .set({ endsAt: at })
    .where(
      and(
        eq(accessGrant.caseId, open.c.id),
        eq(accessGrant.userId, chairId),
        eq(accessGrant.kind, 'invitation'),
        like(accessGrant.reason, `${CHAIR_INVITATION} %`),
        isNull(accessGrant.endsAt),
      ),
    )
    .returning({ id: accessGrant.id })
  if (ended.length === 0) return
  await audit(ctx, tx, {
    action: 'case.invitation.end',
    recordType: 'case',
    recordId: open.c.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    detail: { userId: chairId, endsAt: at.toISOString() },
  })
}

// ---- Changing the arrangements

/**
 * Changes a conference's date, chair and invitation list before it is held (at the version read).
 * A new chair is invited to the case and the old chair's invitation ends now.
 */
export async function changeConferenceArrangements(
  ctx: ServiceContext,
  caseId: string,
  conferenceId: string,
  input: ConferenceArrangementsInput,
): Promise<ConferenceRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const k = await getRecord<ConferenceRow>(tx, open, conference, conferenceId)
    if (k.heldOn) {
      throw new ValidationFailed({
        scheduledFor: `The outcome of this conference (held on ${inWords(k.heldOn)}) has been recorded, so its arrangements can no longer change`,
      })
    }
    const problems = new Problems()
    if (input.chairId !== k.chairId && !(await chairOf(tx, ctx.actor.partnershipId, input.chairId))) {
      problems.add('chairId', 'Select a conference chair of this partnership')
    }
    await checkParticipants(tx, ctx.actor.partnershipId, input.participants, problems)
    checkScheduledFor(problems, input.scheduledFor, {
      section47: k.section47Id ? await getRecord<Section47Row>(tx, open, section47Enquiry, k.section47Id) : null,
      plan: k.kind === 'review' && k.planId ? await getRecord<PlanRow>(tx, open, plan, k.planId) : null,
    })
    problems.throwIfAny()

    const updated = await updateRecord<ConferenceRow>(
      ctx,
      tx,
      open,
      'conference',
      conference,
      k.id,
      input.version,
      {
        scheduledFor: input.scheduledFor,
        scheduledTime: input.scheduledTime,
        venue: input.venue,
        chairId: input.chairId,
        participants: input.participants.map(storedParticipant),
      },
      'conference.arrangements',
    )
    if (k.chairId !== input.chairId) {
      if (k.chairId) await endChairInvitation(ctx, tx, open, k.chairId, k.id, ctx.now())
      await inviteChair(ctx, tx, open, input.chairId, k.kind)
      await tellChair(ctx, tx, open, updated)
    }
    const moved = conferenceTitle(k) !== conferenceTitle(updated)
    if (moved) await tellOfNewArrangements(ctx, tx, open, k, updated)
    return updated
  })
}

/**
 * A conference's date, time or venue changed: the chair (when still the chair) and the partners
 * invited through Together are told where and when it meets now.
 */
async function tellOfNewArrangements(ctx: ServiceContext, tx: Db, open: OpenCase, was: ConferenceRow, now: ConferenceRow) {
  const invited = await tx
    .select({ userId: meetingInvitation.userId })
    .from(meetingInvitation)
    .where(and(eq(meetingInvitation.conferenceId, now.id), isNull(meetingInvitation.withdrawnAt)))
  const sameChair = was.chairId !== null && was.chairId === now.chairId ? [was.chairId] : []
  const to = [...sameChair, ...invited.map((i) => i.userId)].filter((u) => u !== ctx.actor.userId)
  await notifyUsers(ctx, tx, to, {
    kind: 'conference-arrangements',
    title: `${capitalised(conferenceTitle(was).replace(/^the /, ''))} now meets ${conferenceTitle(now).replace(/^the .*? on /, 'on ')}`,
    link: `/cases/${open.c.id}/conferences/${now.id}`,
    caseId: open.c.id,
  })
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

// ---- Recording the meeting

export interface RecordedConference {
  conference: ConferenceRow
  /** The child protection plan the conference started, continued or ended. */
  plan: PlanRow | null
  /** The child in need plan started when the child protection plan ended (or none was made). */
  childInNeedPlan: PlanRow | null
  /** Things to check, never blocks: e.g. a conference dated at a weekend. */
  warnings: string[]
}

/**
 * Records what happened at a conference (at the version read): the date, attendance, decision,
 * categories, outline plan and dissent. Completes the conference's timescale and carries out the
 * decision. The chair may do this through the invitation scheduling gave them.
 */
export async function recordConferenceOutcome(
  ctx: ServiceContext,
  caseId: string,
  conferenceId: string,
  input: ConferenceOutcomeInput,
): Promise<RecordedConference> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const k = await getRecord<ConferenceRow>(tx, open, conference, conferenceId)
    if (k.version !== input.version) {
      throw new EditConflict(
        `Someone else changed this conference (now version ${k.version}) after you opened it (version ${input.version}). Your changes have not been saved.`,
        k,
      )
    }
    const context = await outcomeContext(tx, open, k)
    await checkOutcome(ctx, tx, k, context, input)

    const heldOn = input.heldOn
    await closeConferenceClock(ctx, tx, k, input)
    const result = await carryOutDecision(ctx, tx, open, k, context, input)
    const updated = await updateRecord<ConferenceRow>(
      ctx,
      tx,
      open,
      'conference',
      conference,
      k.id,
      input.version,
      {
        heldOn,
        rescheduleReason: heldOn === k.scheduledFor ? null : (input.rescheduleReason ?? null),
        decision: input.decision,
        categories: decisionNeedsCategories(input.decision) ? input.categories : [],
        outlinePlan: input.outlinePlan ?? null,
        dissent: input.dissent ?? null,
        delayReason: input.delayReason ?? null,
        ...(input.participants ? { participants: input.participants.map(storedParticipant) } : {}),
        ...(result.plan && k.planId === null ? { planId: result.plan.id } : {}),
      },
      'conference.outcome',
    )
    // The chair's invitation ends with the conference: at the end of the day, so they can still
    // check what they recorded.
    if (k.chairId) await endChairInvitation(ctx, tx, open, k.chairId, k.id, endOfLondonDay(londonDate(ctx.now())))
    // So do the partners' invitations: their reports are read-only from now.
    await endConferenceInvitations(ctx, tx, open, k.id, endOfLondonDay(londonDate(ctx.now())))
    const warning = conferenceDateWarning(heldOn)
    return { conference: updated, ...result, warnings: warning ? [warning] : [] }
  })
}

interface OutcomeContext {
  section47: Section47Row | null
  plan: PlanRow | null
  /** The child protection plan open on the case, if any (a new plan cannot start beside it). */
  openProtectionPlan: PlanRow | null
}

async function outcomeContext(tx: Db, open: OpenCase, k: ConferenceRow): Promise<OutcomeContext> {
  const [openCp] = await tx
    .select()
    .from(plan)
    .where(and(eq(plan.caseId, open.c.id), eq(plan.kind, 'child-protection'), isNull(plan.endedOn)))
  return {
    section47: k.section47Id ? await getRecord<Section47Row>(tx, open, section47Enquiry, k.section47Id) : null,
    plan: k.planId ? await getRecord<PlanRow>(tx, open, plan, k.planId) : null,
    openProtectionPlan: openCp ?? null,
  }
}

async function checkOutcome(ctx: ServiceContext, tx: Db, k: ConferenceRow, context: OutcomeContext, input: ConferenceOutcomeInput) {
  if (k.heldOn) {
    throw new ValidationFailed({ heldOn: `The outcome of this conference (held on ${inWords(k.heldOn)}) has already been recorded` })
  }
  const problems = new Problems()
  checkNotFuture(ctx, problems, { heldOn: input.heldOn })
  if (input.heldOn !== k.scheduledFor && !input.rescheduleReason) {
    problems.add(
      'rescheduleReason',
      `The conference was scheduled for ${inWords(k.scheduledFor)}. Give the reason it was held on ${inWords(input.heldOn)} instead`,
    )
  }
  if (context.section47 && input.heldOn < context.section47.startedOn) {
    problems.add('heldOn', `The conference cannot be before the enquiry started (${inWords(context.section47.startedOn)})`)
  }
  if (context.plan && input.heldOn < context.plan.startedOn) {
    problems.add('heldOn', `The review cannot be before the plan started (${inWords(context.plan.startedOn)})`)
  }
  const allowed = conferenceDecisionsFor(k.kind)
  if (!allowed.includes(input.decision)) {
    problems.add(
      'decision',
      `A ${labelOf(CONFERENCE_KIND, k.kind).toLowerCase()} decides: ${allowed.map((d) => labelOf(CONFERENCE_DECISION, d).toLowerCase()).join(' or ')}`,
    )
  }
  const categories = categoriesProblem(input.decision, input.categories)
  if (categories) problems.add('categories', categories)
  if (input.decision === 'plan' && !input.outlinePlan) problems.add('outlinePlan', 'Enter the outline child protection plan')
  if (input.decision === 'plan' && context.openProtectionPlan) {
    problems.add(
      'decision',
      `The child already has a child protection plan (from ${inWords(context.openProtectionPlan.startedOn)}). Hold a review conference instead`,
    )
  }
  if (k.kind === 'review' && (!context.plan || context.plan.endedOn)) {
    problems.add('decision', 'The plan under review has already ended')
  }
  if (input.decision === 'end' && !input.endReason && !input.startChildInNeedPlan) {
    problems.add('endReason', 'Select why the plan ends')
  }
  if (input.startChildInNeedPlan && input.decision !== 'end' && input.decision !== 'no-plan') {
    problems.add('startChildInNeedPlan', 'A child in need plan can start here only when there is no child protection plan')
  }
  if (input.participants) await checkParticipants(tx, ctx.actor.partnershipId, input.participants, problems)
  problems.throwIfAny()
}

/** Holding a conference completes its own timescale (with the reason, when it is late). */
async function closeConferenceClock(ctx: ServiceContext, tx: Db, k: ConferenceRow, input: ConferenceOutcomeInput) {
  const on = input.heldOn
  const common = { on, delayReason: input.delayReason, delayReasonCode: input.delayReasonCode, field: 'delayReason' }
  if (k.kind === 'initial' && k.section47Id) {
    await closeClocks(ctx, tx, { subjectId: k.section47Id, rules: ['icpc', 'prebirth-conference'], ...common })
  } else if (k.kind === 'review' && k.planId) {
    await closeClocks(ctx, tx, { subjectId: k.planId, rules: ['first-review-conference', 'review-conference'], ...common })
  } else if (k.kind === 'transfer-in') {
    await closeClocks(ctx, tx, { subjectId: k.id, rules: ['transfer-in-conference'], ...common })
  }
}

async function carryOutDecision(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  k: ConferenceRow,
  context: OutcomeContext,
  input: ConferenceOutcomeInput,
): Promise<{ plan: PlanRow | null; childInNeedPlan: PlanRow | null }> {
  switch (input.decision) {
    case 'plan':
      return { plan: await startProtectionPlan(ctx, tx, open, k, input), childInNeedPlan: null }
    case 'continue':
      return { plan: await continuePlan(ctx, tx, open, context.plan!, input), childInNeedPlan: null }
    case 'end': {
      const ended = await endPlan(ctx, tx, open, context.plan!, input)
      const cin = input.startChildInNeedPlan ? await startChildInNeedPlan(ctx, tx, open, k, ended.id, input) : null
      if (!cin) await closeCaseIfNothingOpen(ctx, tx, open, input.heldOn)
      return { plan: ended, childInNeedPlan: cin }
    }
    default: {
      const cin = input.startChildInNeedPlan ? await startChildInNeedPlan(ctx, tx, open, k, null, input) : null
      return { plan: null, childInNeedPlan: cin }
    }
  }
}

/**
 * A conference's decision to make a child protection plan: ends any early help or child in need
 * plan (stepped up), starts the plan with its category, its first core group, first review and
 * visit clocks, and moves the case to the child protection stage.
 */
async function startProtectionPlan(ctx: ServiceContext, tx: Db, open: OpenCase, k: ConferenceRow, input: ConferenceOutcomeInput) {
  const on = input.heldOn
  const previous = await endPlansSteppedUp(ctx, tx, open, on)
  const category = planCategoryOf(input.categories)
  const localRules = await localRulesOf(tx, ctx.actor.partnershipId)
  const created = await createRecord<PlanRow>(ctx, tx, open, 'plan', plan, {
    episodeId: k.episodeId,
    kind: 'child-protection',
    startedOn: on,
    previousPlanId: previous?.id ?? null,
    leadUserId: open.c.allocatedWorkerId,
    summary: input.outlinePlan ?? null,
    initialCategory: category,
    latestCategory: category,
    nextReviewOn: dueDate({ rule: 'first-review-conference', start: on, localRules }).due,
  })
  const subject = { subjectType: 'plan', subjectId: created.id, start: on }
  await startClock(ctx, tx, open, { ...subject, rule: 'first-core-group', task: 'Hold the first core group meeting' })
  await startClock(ctx, tx, open, { ...subject, rule: 'first-review-conference', task: 'Hold the first review conference' })
  await startVisitClock(ctx, tx, open, created.id, on)
  await setCaseStage(ctx, tx, open, 'child-protection', on)
  return created
}

/** Ends the case's open early help and child in need plans as stepped up; returns the latest. */
async function endPlansSteppedUp(ctx: ServiceContext, tx: Db, open: OpenCase, on: string): Promise<PlanRow | null> {
  const others = await tx
    .select()
    .from(plan)
    .where(and(eq(plan.caseId, open.c.id), ne(plan.kind, 'child-protection'), isNull(plan.endedOn)))
    .orderBy(asc(plan.startedOn))
  let latest: PlanRow | null = null
  for (const p of others) {
    latest = await updateRecord<PlanRow>(ctx, tx, open, 'plan', plan, p.id, p.version, { endedOn: on, endReason: 'step-up' }, 'plan.end')
    await completeClocks(ctx, tx, { subjectId: p.id, completedOn: on })
  }
  return latest
}

/** A review continues the plan: the latest category is re-evaluated and the next review is due in 6 months. */
async function continuePlan(ctx: ServiceContext, tx: Db, open: OpenCase, cp: PlanRow, input: ConferenceOutcomeInput) {
  const review = await startClock(ctx, tx, open, {
    rule: 'review-conference',
    start: input.heldOn,
    subjectType: 'plan',
    subjectId: cp.id,
    task: 'Hold the next review conference',
  })
  return updateRecord<PlanRow>(ctx, tx, open, 'plan', plan, cp.id, cp.version, {
    latestCategory: planCategoryOf(input.categories),
    nextReviewOn: review.dueOn,
  })
}

/** A review ends the plan: its open clocks stop so nothing shows as due. */
async function endPlan(ctx: ServiceContext, tx: Db, open: OpenCase, cp: PlanRow, input: ConferenceOutcomeInput) {
  const ended = await updateRecord<PlanRow>(
    ctx,
    tx,
    open,
    'plan',
    plan,
    cp.id,
    cp.version,
    { endedOn: input.heldOn, endReason: input.endReason ?? 'step-down-cin', nextReviewOn: null },
    'plan.end',
  )
  await completeClocks(ctx, tx, { subjectId: cp.id, completedOn: input.heldOn })
  return ended
}

async function startChildInNeedPlan(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  k: ConferenceRow,
  previousPlanId: string | null,
  input: ConferenceOutcomeInput,
) {
  const cin = await createRecord<PlanRow>(ctx, tx, open, 'plan', plan, {
    episodeId: k.episodeId,
    kind: 'child-in-need',
    startedOn: input.heldOn,
    previousPlanId,
    leadUserId: open.c.allocatedWorkerId,
    summary: input.childInNeedPlanSummary ?? null,
  })
  await setCaseStage(ctx, tx, open, 'child-in-need', input.heldOn)
  return cin
}
