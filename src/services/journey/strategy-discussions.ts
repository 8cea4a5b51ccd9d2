/**
 * Strategy discussions (working-together.md §2.2): convened by children's social care when there
 * is reasonable cause to suspect significant harm, with the police and health at the least. The
 * discussion decides whether to start a section 47 enquiry; when it does, the enquiry starts in the
 * same transaction and its initial conference clock runs from the discussion's date.
 */
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { section47Enquiry, strategyDiscussion } from '../../db/schema/index.ts'
import {
  listInWords,
  londonInstant,
  missingRequiredAgencies,
  requiredAgencyLabel,
  startsSection47,
} from '../../domain/journey/child-protection-rules.ts'
import { findRule, type RuleId } from '../../domain/timescales/index.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from './case-records.ts'
import {
  agenciesById,
  checkNotFuture,
  closeClocks,
  episodeFor,
  inWords,
  Problems,
  type EpisodeRow,
  type Section47Row,
  type StoredAttendance,
  type StrategyDiscussionRow,
} from './child-protection.ts'
import type { StrategyDiscussionCorrection, StrategyDiscussionInput } from './child-protection-input.ts'
import { explainDelay, moveClockCompletion, restartClock } from './clocks.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { linkStrategyInvitations } from '../multi-agency/strategy-participation.ts'
import { beginSection47 } from './section47.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export interface RecordedStrategyDiscussion {
  strategyDiscussion: StrategyDiscussionRow
  /** The section 47 enquiry the discussion started, if it decided on one. */
  section47: Section47Row | null
}

/**
 * Records a strategy discussion on the case's episode. Refuses one without children's social care,
 * the police and health unless the reason for the absence is given. Completes the episode's
 * strategy discussion clock; a section 47 decision starts the enquiry.
 */
export async function recordStrategyDiscussion(
  ctx: ServiceContext,
  caseId: string,
  input: StrategyDiscussionInput,
): Promise<RecordedStrategyDiscussion> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const episode = await episodeFor(tx, open, input.episodeId)
    const attendance = await checkedAttendance(ctx, tx, episode, input)
    const discussion = await createRecord<StrategyDiscussionRow>(ctx, tx, open, 'strategy-discussion', strategyDiscussion, {
      episodeId: episode.id,
      heldAt: londonInstant(input.heldOn, input.heldAtTime),
      attendees: attendance,
      informationShared: input.informationShared,
      decision: input.decision,
      decisionDetail: input.decisionDetail ?? null,
      immediateSafetyActions: input.immediateSafetyActions ?? null,
    })
    await closeClocks(ctx, tx, {
      subjectId: episode.id,
      rules: ['strategy-discussion'],
      on: input.heldOn,
      delayReason: input.delayReason,
      delayReasonCode: input.delayReasonCode,
      field: 'delayReason',
    })
    const section47 = startsSection47(input.decision)
      ? await beginSection47(ctx, tx, open, {
          discussion,
          discussionOn: input.heldOn,
          episode,
          startedOn: input.section47StartedOn ?? input.heldOn,
          field: 'section47StartedOn',
        })
      : null
    // The partners invited to the discussion took part: they now see its decision and actions, and
    // add their agency's information, until its record is closed (strategy-participation.ts).
    await linkStrategyInvitations(tx, open, discussion.id, ctx.now())
    return { strategyDiscussion: discussion, section47 }
  })
}

type DiscussionFacts = Pick<StrategyDiscussionInput, 'heldOn' | 'attendees' | 'requiredAgencyAbsenceReason'>

/**
 * Checks a discussion's date and who took part, and returns the attendance as stored: the people
 * who took part, then each required agency that did not with the reason given.
 */
async function checkedAttendance(ctx: ServiceContext, tx: Db, episode: EpisodeRow, input: DiscussionFacts): Promise<StoredAttendance[]> {
  const agencies = await agenciesById(tx, ctx.actor.partnershipId, input.attendees.map((a) => a.agencyId))
  const problems = new Problems()
  checkNotFuture(ctx, problems, { heldOn: input.heldOn })
  if (input.heldOn < episode.referralDate) {
    problems.add('heldOn', `The discussion cannot be before the referral (${inWords(episode.referralDate)})`)
  }
  input.attendees.forEach((a, i) => {
    if (!agencies.has(a.agencyId)) problems.add(`attendees-${i}-agencyId`, 'Select one of the partnership’s agencies')
  })
  const missing = missingRequiredAgencies(input.attendees.map((a) => agencies.get(a.agencyId)?.type ?? ''))
  if (missing.length > 0 && !input.requiredAgencyAbsenceReason) {
    problems.add(
      'requiredAgencyAbsenceReason',
      `No one from ${listInWords(missing.map(requiredAgencyLabel))} took part. Add them, or give the reason they were absent`,
    )
  }
  problems.throwIfAny()
  return [
    ...input.attendees.map((a) => ({ name: a.name, agencyId: a.agencyId, agencyType: agencies.get(a.agencyId)!.type, role: a.role ?? null })),
    ...missing.map((requiredAgency) => ({ absent: true as const, requiredAgency, reason: input.requiredAgencyAbsenceReason! })),
  ]
}

/**
 * Corrects a recorded discussion (at the version read): its date and time, who took part, what
 * was shared and decided in detail. The decision itself is not changed here: a section 47 decision
 * has started an enquiry, and a discussion that decided otherwise starts one from the enquiry
 * page. A corrected date moves what was measured from it: the completion of the referral's
 * strategy discussion timescale and, for an enquiry it started, the initial conference's target
 * and clock (census StrategyDiscussionInitiatingSection47Date and InitialCPCtarget). A timescale
 * the new date makes late needs the reason, as when it was first recorded.
 */
export async function correctStrategyDiscussion(
  ctx: ServiceContext,
  caseId: string,
  discussionId: string,
  input: StrategyDiscussionCorrection,
): Promise<StrategyDiscussionRow> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<StrategyDiscussionRow>(tx, open, strategyDiscussion, discussionId)
    const episode = await episodeFor(tx, open, current.episodeId)
    const attendance = await checkedAttendance(ctx, tx, episode, input)
    const wasOn = londonDate(current.heldAt)
    if (input.heldOn !== wasOn) await moveDiscussionDate(ctx, tx, open, { current, episode, wasOn, input })
    return updateRecord<StrategyDiscussionRow>(
      ctx,
      tx,
      open,
      'strategy-discussion',
      strategyDiscussion,
      current.id,
      input.version,
      {
        heldAt: londonInstant(input.heldOn, input.heldAtTime),
        attendees: attendance,
        informationShared: input.informationShared,
        decisionDetail: input.decisionDetail ?? null,
        immediateSafetyActions: input.immediateSafetyActions ?? null,
      },
      'strategy-discussion.correct',
    )
  })
}

async function moveDiscussionDate(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  move: { current: StrategyDiscussionRow; episode: EpisodeRow; wasOn: string; input: StrategyDiscussionCorrection },
): Promise<void> {
  const { current, episode, wasOn, input } = move
  const [enquiry] = await tx.select().from(section47Enquiry).where(eq(section47Enquiry.strategyDiscussionId, current.id))
  // An enquiry that started on the day of the discussion (the default) moves with it.
  const enquiryStart = enquiry && enquiry.startedOn === wasOn ? input.heldOn : enquiry?.startedOn
  if (enquiry && enquiryStart) checkEnquiryStillFits(enquiry, enquiryStart, input.heldOn)
  const moved = await moveClockCompletion(ctx, tx, {
    subjectId: episode.id,
    rule: 'strategy-discussion',
    from: wasOn,
    to: input.heldOn,
  })
  if (enquiry) {
    const restarted = await restartClock(ctx, tx, { subjectId: enquiry.id, rule: 'icpc', start: input.heldOn })
    if (restarted) moved.push(restarted)
    await updateRecord<Section47Row>(ctx, tx, open, 'section47', section47Enquiry, enquiry.id, enquiry.version, {
      startedOn: enquiryStart,
      icpcTarget: restarted?.dueOn ?? enquiry.icpcTarget,
    })
  }
  const unexplained = moved.filter((k) => k.completedOn !== null && k.completedOn > k.dueOn && !k.delayReason && !k.delayReasonCode)
  const late = unexplained[0]
  if (late) {
    if (!input.delayReason && !input.delayReasonCode) {
      throw new ValidationFailed({
        delayReason: `With this date, ${findRule(late.rule as RuleId)[0]?.title ?? late.rule} was late (due by ${inWords(late.dueOn)}). Give the reason it was late`,
      })
    }
    for (const k of unexplained) {
      await explainDelay(tx, open.c.id, k.id, { words: input.delayReason, code: input.delayReasonCode })
    }
  }
}

/** The enquiry a discussion started cannot begin before it, nor after the child was seen for it or it ended. */
function checkEnquiryStillFits(enquiry: Section47Row, startedOn: string, discussionOn: string): void {
  if (discussionOn > startedOn) {
    throw new ValidationFailed({
      heldOn: `The section 47 enquiry this discussion started began on ${inWords(startedOn)}, so the discussion cannot be later than that`,
    })
  }
  const seen = enquiry.childSeenOn && enquiry.childSeenOn < startedOn ? enquiry.childSeenOn : null
  const ended = enquiry.completedOn && enquiry.completedOn < startedOn ? enquiry.completedOn : null
  if (seen || ended) {
    throw new ValidationFailed({
      heldOn: `The section 47 enquiry started on the day of this discussion, and ${seen ? `the child was seen for it on ${inWords(seen)}` : `it was completed on ${inWords(ended!)}`}, so the discussion cannot be later than that`,
    })
  }
}
