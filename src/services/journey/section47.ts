/**
 * Section 47 enquiries (working-together.md §2.1): started by the strategy discussion that
 * initiated them, with the initial child protection conference due 15 working days from that
 * discussion (census InitialCPCtarget). The outcome decides whether the conference is needed: when
 * the child is not judged at continuing risk, the conference clock is closed as not required
 * (census ICPCnotRequired).
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { clock, conference, section47Enquiry, strategyDiscussion } from '../../db/schema/index.ts'
import { CONTINUING_RISK, icpcNotRequired, stageOnSection47Start } from '../../domain/journey/child-protection-rules.ts'
import { dueDate } from '../../domain/timescales/index.ts'
import {
  createRecord,
  getRecord,
  localRulesOf,
  setCaseStage,
  updateRecord,
  withCase,
  type OpenCase,
} from './case-records.ts'
import {
  checkNotFuture,
  episodeFor,
  inWords,
  Problems,
  type EpisodeRow,
  type Section47Row,
  type StrategyDiscussionRow,
} from './child-protection.ts'
import type { Section47Input, Section47Update } from './child-protection-input.ts'
import { completeClocks, startClock } from './clocks.ts'
import { requireLateReason } from './clock-delays.ts'
import { startPrebirthClock } from './birth-and-death-clocks.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

/**
 * Starts an enquiry inside an open transaction: stores it with its conference target, starts the
 * 'icpc' clock from the discussion's date and moves the case to the section 47 stage.
 */
export async function beginSection47(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  input: { discussion: StrategyDiscussionRow; discussionOn: string; episode: EpisodeRow; startedOn: string; field: string },
): Promise<Section47Row> {
  const problems = new Problems()
  checkNotFuture(ctx, problems, { [input.field]: input.startedOn })
  if (input.startedOn < input.episode.referralDate) {
    problems.add(input.field, `The enquiry cannot start before the referral (${inWords(input.episode.referralDate)})`)
  } else if (input.startedOn < input.discussionOn) {
    problems.add(input.field, `The enquiry cannot start before the strategy discussion (${inWords(input.discussionOn)})`)
  }
  problems.throwIfAny()

  const localRules = await localRulesOf(tx, ctx.actor.partnershipId)
  const target = dueDate({ rule: 'icpc', start: input.discussionOn, localRules }).due
  const enquiry = await createRecord<Section47Row>(ctx, tx, open, 'section47', section47Enquiry, {
    episodeId: input.episode.id,
    strategyDiscussionId: input.discussion.id,
    startedOn: input.startedOn,
    icpcTarget: target,
  })
  await startClock(ctx, tx, open, {
    rule: 'icpc',
    start: input.discussionOn,
    subjectType: 'section47',
    subjectId: enquiry.id,
    task: 'Hold the initial child protection conference (or record that it is not required)',
  })
  await startPrebirthClock(ctx, tx, open, enquiry.id)
  const stage = stageOnSection47Start(open.c.status)
  if (stage) await setCaseStage(ctx, tx, open, stage, input.startedOn)
  return enquiry
}

/**
 * Starts a section 47 enquiry from a strategy discussion that has none yet (one recorded with the
 * decision "other", say, or brought in from another system).
 */
export async function startSection47(ctx: ServiceContext, caseId: string, input: Section47Input): Promise<Section47Row> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const discussion = await getRecord<StrategyDiscussionRow>(tx, open, strategyDiscussion, input.strategyDiscussionId).catch((err) => {
      if (err instanceof NotFound) throw new ValidationFailed({ strategyDiscussionId: 'Select a strategy discussion of this case' })
      throw err
    })
    if (discussion.decision === 'no-s47') {
      throw new ValidationFailed({
        strategyDiscussionId: 'That strategy discussion decided on no section 47 enquiry. Record the discussion that initiated this one',
      })
    }
    const [existing] = await tx
      .select({ id: section47Enquiry.id })
      .from(section47Enquiry)
      .where(eq(section47Enquiry.strategyDiscussionId, discussion.id))
    if (existing) throw new ValidationFailed({ strategyDiscussionId: 'That strategy discussion has already started an enquiry' })
    const discussionOn = londonDate(discussion.heldAt)
    return beginSection47(ctx, tx, open, {
      discussion,
      discussionOn,
      episode: await episodeFor(tx, open, discussion.episodeId),
      startedOn: input.startedOn ?? discussionOn,
      field: 'startedOn',
    })
  })
}

/** The enquiry's narrative: recorded with its outcome, the reasons (and what was found) required then. */
const NARRATIVE = ['findings', 'childsAccount', 'outcomeReasons'] as const
const RECORDED = ['childSeenOn', 'outcome', 'completedOn', ...NARRATIVE] as const

type Section47State = { [K in (typeof RECORDED)[number]]: string | null }

/**
 * Records the child seen, the outcome, the completion and the narrative of an enquiry (what was
 * found, the child's account, the reasons for the outcome) at the version read. An outcome other
 * than continuing risk closes the conference clock as not required; an unborn child's pre-birth
 * conference clock too, and when that was past its due date the coded reason is asked (issue 17
 * §3) and kept on the clock with the words.
 */
export async function updateSection47(
  ctx: ServiceContext,
  caseId: string,
  section47Id: string,
  input: Section47Update,
): Promise<Section47Row> {
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<Section47Row>(tx, open, section47Enquiry, section47Id)
    const next = Object.fromEntries(RECORDED.map((f) => [f, input[f] ?? current[f]])) as Section47State
    await checkSection47(ctx, tx, current, next)
    const concluding = current.outcome === null && icpcNotRequired(next.outcome)
    const [prebirth] = concluding
      ? await tx.select().from(clock).where(and(eq(clock.subjectId, section47Id), eq(clock.rule, 'prebirth-conference'), isNull(clock.completedOn)))
      : []
    if (prebirth) requireLateReason('lateReasonCode', 'the pre-birth conference timescale', prebirth.dueOn, next.completedOn!, input.lateReasonCode ?? null)

    const changes = Object.fromEntries(RECORDED.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]))
    const updated = await updateRecord<Section47Row>(ctx, tx, open, 'section47', section47Enquiry, section47Id, input.version, changes)
    if (concluding) {
      await completeClocks(ctx, tx, { subjectId: section47Id, rule: 'icpc', completedOn: next.completedOn!, delayReason: null })
      const late = !!prebirth && next.completedOn! > prebirth.dueOn
      await completeClocks(ctx, tx, {
        subjectId: section47Id,
        rule: 'prebirth-conference',
        completedOn: next.completedOn!,
        delayReason: late ? (input.lateReason ?? null) : null,
        delayReasonCode: late ? (input.lateReasonCode ?? null) : null,
      })
    }
    return updated
  })
}

async function checkSection47(
  ctx: ServiceContext,
  tx: Db,
  current: Section47Row,
  next: Section47State,
): Promise<void> {
  const problems = new Problems()
  checkNotFuture(ctx, problems, { childSeenOn: next.childSeenOn, completedOn: next.completedOn })
  const started = inWords(current.startedOn)
  if (next.childSeenOn && next.childSeenOn < current.startedOn) {
    problems.add('childSeenOn', `The child cannot be seen for the enquiry before it started (${started})`)
  }
  if (next.completedOn && next.completedOn < current.startedOn) {
    problems.add('completedOn', `The enquiry cannot be completed before it started (${started})`)
  }
  if (next.outcome && !next.completedOn) problems.add('completedOn', 'Enter the date the enquiry was completed')
  if (next.completedOn && !next.outcome) problems.add('outcome', 'Select the outcome of the enquiry')
  if (next.outcome && !next.findings) problems.add('findings', 'Enter what the enquiry found')
  if (next.outcome && !next.outcomeReasons) problems.add('outcomeReasons', 'Enter the reasons for the outcome')
  const wasContinuingRisk = current.outcome === CONTINUING_RISK
  if (current.outcome !== null && next.outcome !== null && wasContinuingRisk !== (next.outcome === CONTINUING_RISK)) {
    problems.add(
      'outcome',
      'Whether the child was judged at continuing risk has been recorded and decided whether a conference is needed. It cannot be changed here',
    )
  }
  if (current.outcome === null && icpcNotRequired(next.outcome)) {
    const [scheduled] = await tx
      .select({ id: conference.id })
      .from(conference)
      .where(and(eq(conference.section47Id, current.id), isNull(conference.heldOn)))
    if (scheduled) {
      problems.add('outcome', 'An initial conference is scheduled for this enquiry. Hold it, or record this outcome at the conference')
    }
  }
  problems.throwIfAny()
}
