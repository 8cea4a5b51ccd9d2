/**
 * Child-in-need episodes (CIN census CINdetails): opened by a front door referral decision, given
 * a primary need, closed with a date and reason, or flagged as a referral that led to no further
 * action. Closing the last open piece of work on a case closes the case.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import {
  assessment,
  careLeaver,
  careLeaverRecord,
  cinEpisode,
  clock,
  contact,
  contactChild,
  lookedAfterPeriod,
  plan,
  section47Enquiry,
  task,
} from '../../db/schema/index.ts'
import { getRecord, localRulesOf, setCaseStage, showCase, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { decideCaseAction, type CaseSummary } from './case-access.ts'
import { closureBlockers, planBlocksClosure, type OpenWork } from '../../domain/journey/episode-closure.ts'
import { ASSESSMENT_KIND, PLAN_KIND, SUPPORT_ENDED } from '../../domain/journey/codes.ts'
import { labelOf } from '../../domain/journey/dfe-codes.ts'
import { completeClocks, viewClock, type ClockView } from './clocks.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import type { EpisodeClosureInput, PrimaryNeedInput } from './front-door-input.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export type EpisodeRow = typeof cinEpisode.$inferSelect

export interface EpisodeView extends EpisodeRow {
  /** The episode's timescales (assessment, strategy discussion ...). */
  clocks: ClockView[]
  /** Assessments, section 47 enquiries or plans recorded on it: a referral with any is not NFA. */
  hasActivity: boolean
}

/** What else keeps a case open besides `except`: an open episode or plan, a looked-after period, an undecided contact. */
export async function caseHasOpenWork(
  tx: Db,
  caseId: string,
  except: { episodeId?: string; contactId?: string } = {},
): Promise<boolean> {
  const [episodes] = await tx
    .select({ n: count() })
    .from(cinEpisode)
    .where(and(eq(cinEpisode.caseId, caseId), isNull(cinEpisode.closureDate), except.episodeId ? ne(cinEpisode.id, except.episodeId) : undefined))
  const [plans] = await tx.select({ n: count() }).from(plan).where(and(eq(plan.caseId, caseId), isNull(plan.endedOn)))
  const [periods] = await tx
    .select({ n: count() })
    .from(lookedAfterPeriod)
    .where(and(eq(lookedAfterPeriod.caseId, caseId), isNull(lookedAfterPeriod.endedOn)))
  const [contacts] = await tx
    .select({ n: count() })
    .from(contactChild)
    .innerJoin(contact, eq(contact.id, contactChild.contactId))
    .where(and(eq(contactChild.caseId, caseId), isNull(contact.decidedAt), except.contactId ? ne(contact.id, except.contactId) : undefined))
  return episodes!.n + plans!.n + periods!.n + contacts!.n > 0
}

/** Whether the case's young person is a care leaver whose leaving care support has not ended: their details recorded, no end of support. */
export async function careLeaverSupportOpen(tx: Db, caseId: string): Promise<boolean> {
  const [details] = await tx.select({ id: careLeaver.id }).from(careLeaver).where(eq(careLeaver.caseId, caseId))
  if (!details) return false
  const [ended] = await tx
    .select({ id: careLeaverRecord.id })
    .from(careLeaverRecord)
    .where(and(eq(careLeaverRecord.caseId, caseId), eq(careLeaverRecord.kind, SUPPORT_ENDED)))
    .limit(1)
  return !ended
}

/**
 * The stage the case's open work gives it once care or leaving care support ends: a child
 * protection plan, then leaving care support, then a child in need or early help plan, then an
 * open episode; null when none of them is open.
 */
export async function stageOfOpenWork(tx: Db, caseId: string): Promise<string | null> {
  const plans = await tx
    .select({ kind: plan.kind })
    .from(plan)
    .where(and(eq(plan.caseId, caseId), isNull(plan.endedOn)))
  const kinds = new Set(plans.map((p) => p.kind))
  if (kinds.has('child-protection')) return 'child-protection'
  if (await careLeaverSupportOpen(tx, caseId)) return 'care-leaver'
  if (kinds.has('child-in-need')) return 'child-in-need'
  if (kinds.has('early-help')) return 'early-help'
  const [episode] = await tx
    .select({ id: cinEpisode.id })
    .from(cinEpisode)
    .where(and(eq(cinEpisode.caseId, caseId), isNull(cinEpisode.closureDate)))
    .limit(1)
  return episode ? 'child-in-need' : null
}

/**
 * What every end of a piece of work (a plan, an episode, a looked-after period, a contact's
 * decision) does to the case: when nothing else is open on it, the case closes on `on` — or moves
 * to `stage` instead (a contact decided as early help waits there for its plan), or to
 * 'care-leaver' while the young person's leaving care support runs. Returns whether the case moved.
 */
export async function closeCaseIfNothingOpen(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  on: string,
  options: { except?: { episodeId?: string; contactId?: string }; stage?: string } = {},
): Promise<boolean> {
  if (open.c.status === (options.stage ?? 'closed')) return false
  if (await caseHasOpenWork(tx, open.c.id, options.except)) return false
  const stage = (await careLeaverSupportOpen(tx, open.c.id)) ? 'care-leaver' : (options.stage ?? 'closed')
  if (open.c.status === stage) return false
  await setCaseStage(ctx, tx, open, stage, on)
  return true
}

/**
 * The case leaves the stage `from` (care, or leaving care support, has ended): to the stage its
 * open work gives it, or closed when nothing is open. A case already at another stage (one a plan
 * gave it) closes only when nothing is open.
 */
export async function leaveStage(ctx: ServiceContext, tx: Db, open: OpenCase, from: string, on: string): Promise<void> {
  const stage = await stageOfOpenWork(tx, open.c.id)
  if (stage && open.c.status === from) await setCaseStage(ctx, tx, open, stage, on)
  else await closeCaseIfNothingOpen(ctx, tx, open, on)
}

/** Whether anything beyond the referral itself was recorded on the episode. */
async function episodeHasActivity(tx: Db, episodeId: string): Promise<boolean> {
  const [assessments] = await tx.select({ n: count() }).from(assessment).where(eq(assessment.episodeId, episodeId))
  const [enquiries] = await tx.select({ n: count() }).from(section47Enquiry).where(eq(section47Enquiry.episodeId, episodeId))
  const [plans] = await tx.select({ n: count() }).from(plan).where(eq(plan.episodeId, episodeId))
  return assessments!.n + enquiries!.n + plans!.n > 0
}

/** The episodes of an open case, newest referral first, each with its clocks. */
export async function episodesOf(tx: Db, open: OpenCase, today: string): Promise<EpisodeView[]> {
  const rows = await tx
    .select()
    .from(cinEpisode)
    .where(eq(cinEpisode.caseId, open.c.id))
    .orderBy(desc(cinEpisode.referralDate), desc(cinEpisode.createdAt))
  if (rows.length === 0) return []
  const clocks = await tx
    .select()
    .from(clock)
    .where(inArray(clock.subjectId, rows.map((r) => r.id)))
    .orderBy(asc(clock.dueOn))
  const views: EpisodeView[] = []
  for (const row of rows) {
    views.push({
      ...row,
      clocks: clocks.filter((k) => k.subjectId === row.id).map((k) => viewClock(k, today)),
      hasActivity: await episodeHasActivity(tx, row.id),
    })
  }
  return views
}

/** A versioned change to an episode, with its revision and audit entry. */
function changeEpisode(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  episodeId: string,
  version: number,
  changes: Partial<EpisodeRow>,
  action: string,
): Promise<EpisodeRow> {
  return updateRecord<EpisodeRow>(ctx, tx, open, 'cin-episode', cinEpisode, episodeId, version, changes, action)
}

/** A case's child-in-need episodes (needs read access to the case). */
export function listEpisodes(ctx: ServiceContext, caseId: string): Promise<EpisodeView[]> {
  return withCase(ctx, caseId, 'case:read', (tx, open) => episodesOf(tx, open, londonDate(ctx.now())), 'contacts')
}

/** Sets the episode's primary need (census PrimaryNeedCode). */
export function setPrimaryNeed(ctx: ServiceContext, caseId: string, episodeId: string, input: PrimaryNeedInput): Promise<EpisodeRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    await getRecord<EpisodeRow>(tx, open, cinEpisode, episodeId)
    return changeEpisode(ctx, tx, open, episodeId, input.version, { primaryNeed: input.primaryNeed }, 'cin-episode.primary-need')
  }, 'contacts')
}

/** Why an episode cannot close as asked, field by field (census rules 8610, 8630, 2990). */
async function closureProblems(tx: Db, episode: EpisodeRow, input: EpisodeClosureInput, today: string): Promise<Record<string, string>> {
  const problems: Record<string, string> = {}
  if (episode.closureDate) problems.closureDate = 'This episode is already closed'
  else if (input.closureDate < episode.referralDate) problems.closureDate = 'The closure date cannot be before the referral date'
  else if (input.closureDate > today) problems.closureDate = 'The closure date must be today or in the past'
  if (!episode.primaryNeed && !episode.referralNfa) {
    problems.primaryNeed = 'Set the primary need before closing the episode (unless the referral led to no further action)'
  }
  if (input.closureReason === 'RC8' || input.closureReason === 'RC9') {
    const [enquiries] = await tx.select({ n: count() }).from(section47Enquiry).where(eq(section47Enquiry.episodeId, episode.id))
    const [plans] = await tx.select({ n: count() }).from(plan).where(eq(plan.episodeId, episode.id))
    if (enquiries!.n + plans!.n > 0) {
      problems.closureReason = 'An episode with a section 47 enquiry or a plan cannot close as “closed after assessment”'
    }
  }
  return problems
}

/** What is still open on an episode: plans that stop its closure, section 47 enquiries, assessments, the case's tasks. */
export async function openWorkOf(tx: Db, open: OpenCase, episodeId: string): Promise<OpenWork[]> {
  const caseId = open.c.id
  const plans = await tx
    .select({ id: plan.id, kind: plan.kind, episodeId: plan.episodeId, startedOn: plan.startedOn })
    .from(plan)
    .where(and(eq(plan.caseId, caseId), isNull(plan.endedOn)))
    .orderBy(asc(plan.startedOn))
  const enquiries = await tx
    .select({ id: section47Enquiry.id, startedOn: section47Enquiry.startedOn })
    .from(section47Enquiry)
    .where(and(eq(section47Enquiry.episodeId, episodeId), isNull(section47Enquiry.completedOn)))
  const assessments = await tx
    .select({ id: assessment.id, kind: assessment.kind, startedOn: assessment.startedOn })
    .from(assessment)
    .where(and(eq(assessment.episodeId, episodeId), isNull(assessment.authorisedOn)))
  const tasks = await tx
    .select({ id: task.id, title: task.title, dueOn: task.dueOn })
    .from(task)
    .where(and(eq(task.caseId, caseId), eq(task.status, 'open')))
    .orderBy(asc(task.dueOn))
  return [
    ...plans
      .filter((p) => planBlocksClosure(p, episodeId))
      .map((p): OpenWork => ({ kind: 'plan', id: p.id, title: labelOf(PLAN_KIND, p.kind), date: p.startedOn, link: `/cases/${caseId}/plans/${p.id}` })),
    ...enquiries.map((e): OpenWork => ({ kind: 'section47', id: e.id, title: 'Section 47 enquiry', date: e.startedOn, link: `/cases/${caseId}/section47/${e.id}` })),
    ...assessments.map((a): OpenWork => ({
      kind: 'assessment',
      id: a.id,
      title: `${labelOf(ASSESSMENT_KIND, a.kind)} not yet authorised`,
      date: a.startedOn,
      link: `/cases/${caseId}/assessments/${a.id}`,
    })),
    ...tasks.map((t): OpenWork => ({ kind: 'task', id: t.id, title: t.title, date: t.dueOn, link: `/cases/${caseId}/tasks` })),
  ]
}

/** The action closing an episode needs: a manager's ('case:authorise') when the partnership's local rules ask for one. */
async function closureAction(ctx: ServiceContext): Promise<'case:update' | 'case:authorise'> {
  const rules = await localRulesOf(ctx.db, ctx.actor.partnershipId)
  return rules.episodeClosureAuthorisation ? 'case:authorise' : 'case:update'
}

/** The confirmation page of an episode's closure: what is still open, what stops it, who may close it. */
export interface EpisodeClosureView {
  c: CaseSummary & { breakGlass: boolean }
  episode: EpisodeRow
  open: OpenWork[]
  /** Why it cannot close yet (an open plan), keyed by field; empty when it may. */
  blockers: Record<string, string>
  /** The partnership's local rules ask for a team manager to close episodes. */
  authorisationNeeded: boolean
  /** The reader may close it (a manager when authorisation is needed). */
  mayClose: boolean
}

/** What closing the episode would leave open, for the confirmation page or an API client (decided as a change of the case). */
export async function episodeClosure(ctx: ServiceContext, caseId: string, episodeId: string): Promise<EpisodeClosureView> {
  const action = await closureAction(ctx)
  return showCase(ctx, caseId, 'case:update', async (db, open) => {
    const episode = await getRecord<EpisodeRow>(db, open, cinEpisode, episodeId)
    const work = await openWorkOf(db, open, episodeId)
    const may = action === 'case:update' || (await decideCaseAction(db, ctx, open.c, action)).allowed
    return {
      c: { ...open.c, breakGlass: open.breakGlass },
      episode,
      open: work,
      blockers: closureBlockers(work),
      authorisationNeeded: action === 'case:authorise',
      mayClose: may && episode.closureDate === null,
    }
  }, 'contacts')
}

/**
 * Closes an episode: refused while a plan of it is open (end the plan first), and, where the local
 * rules ask for it, unless a manager closes it. Its open clocks complete on the closure date, and
 * when nothing else is open on the case (plan, episode, looked-after period, undecided contact) the
 * case closes too.
 */
export async function closeEpisode(ctx: ServiceContext, caseId: string, episodeId: string, input: EpisodeClosureInput): Promise<EpisodeRow> {
  return withCase(ctx, caseId, await closureAction(ctx), async (tx, open) => {
    const episode = await getRecord<EpisodeRow>(tx, open, cinEpisode, episodeId)
    const blockers = episode.closureDate ? {} : closureBlockers(await openWorkOf(tx, open, episodeId))
    if (Object.keys(blockers).length > 0) throw new ValidationFailed(blockers)
    const problems = await closureProblems(tx, episode, input, londonDate(ctx.now()))
    if (Object.keys(problems).length > 0) throw new ValidationFailed(problems)
    const changes = { closureDate: input.closureDate, closureReason: input.closureReason }
    const closed = await changeEpisode(ctx, tx, open, episodeId, input.version, changes, 'cin-episode.close')
    await completeClocks(ctx, tx, { subjectId: episodeId, completedOn: input.closureDate })
    await closeCaseIfNothingOpen(ctx, tx, open, input.closureDate)
    return closed
  }, 'contacts')
}

/** Flags the referral as leading to no further action (census ReferralNFA): only with no assessment, s47 or plan on it. */
export function markReferralNfa(ctx: ServiceContext, caseId: string, episodeId: string, input: { version: number }): Promise<EpisodeRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const episode = await getRecord<EpisodeRow>(tx, open, cinEpisode, episodeId)
    if (episode.referralNfa) throw new ValidationFailed({ referralNfa: 'This referral is already marked as no further action' })
    if (await episodeHasActivity(tx, episodeId)) {
      throw new ValidationFailed({ referralNfa: 'A referral with an assessment, section 47 enquiry or plan is not a no-further-action referral' })
    }
    return changeEpisode(ctx, tx, open, episodeId, input.version, { referralNfa: true }, 'cin-episode.referral-nfa')
  }, 'contacts')
}
