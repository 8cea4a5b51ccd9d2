/**
 * One agency's section 11 self-assessment in a cycle. The agency's own practitioners and managers
 * answer each standard with a rating and evidence and submit; the business unit challenges a
 * standard's answer (the agency answers the challenge, and may revise its rating), then agrees the
 * ratings. Each return is compared, standard by standard, with the agency's previous cycle.
 * Access by decideOnSection11Return: the agency sees only its own; every read is audited.
 */
import { and, desc, eq, lt, ne, or } from 'drizzle-orm'
import type { z } from 'zod'
import type { Db } from '../../../db/connection.ts'
import { agency, appUser, section11Cycle, section11Return, task } from '../../../db/schema/index.ts'
import { SECTION11_AGENCY_ROLES, type Section11ReturnAction } from '../../../domain/access/policy.ts'
import {
  agreedAnswers,
  compareCycles,
  openChallenges,
  ratingsCarriedForward,
  unansweredErrors,
  type Section11Answer,
  type Section11Reviews,
  type Section11Standard,
  type StandardComparison,
} from '../../../domain/partnership/section11.ts'
import { audit } from '../../access/audit.ts'
import { ValidationFailed, type ServiceContext } from '../../common/context.ts'
import { partnershipTransaction } from '../access.ts'
import { updateVersioned } from '../records.ts'
import { section11ActionsOf, type Section11ActionView } from './actions.ts'
import { mayOn, openReturn } from './return-access.ts'
import { answersOf, reviewsOf, standardsOf, type CycleRow, type ReturnRow } from './cycles.ts'
import type { agreementInput, AnswersInput, challengeInput, challengeResponseInput } from './input.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'

export interface ReturnView {
  ret: ReturnRow
  cycle: CycleRow
  standards: Section11Standard[]
  agencyName: string
  contactName: string
  answers: Record<string, Section11Answer>
  reviews: Section11Reviews
  /** Standards with a challenge the agency has not answered. */
  openChallenges: string[]
  actions: Section11ActionView[]
  /** The agency's previous cycle, standard by standard (agreed ratings where agreed). */
  comparison: { previousCycleName: string | null; rows: StandardComparison[] }
  /**
   * While the agency answers: the ratings agreed in its previous cycle (when that was agreed), per
   * standard of this cycle, which the answer form starts from where nothing is saved yet.
   */
  carriedForward: { cycleName: string; ratings: Record<string, string> } | null
  may: { answer: boolean; respond: boolean; manage: boolean }
}

async function previousReturn(db: Db, ret: ReturnRow, cycle: CycleRow) {
  const [prev] = await db
    .select({ r: section11Return, c: section11Cycle })
    .from(section11Return)
    .innerJoin(section11Cycle, eq(section11Cycle.id, section11Return.cycleId))
    .where(
      and(
        eq(section11Return.agencyId, ret.agencyId),
        ne(section11Return.id, ret.id),
        or(lt(section11Cycle.issuedOn, cycle.issuedOn), and(eq(section11Cycle.issuedOn, cycle.issuedOn), lt(section11Cycle.createdAt, cycle.createdAt))),
      ),
    )
    .orderBy(desc(section11Cycle.issuedOn), desc(section11Cycle.createdAt))
    .limit(1)
  return prev ?? null
}

export async function getReturn(ctx: ServiceContext, id: string): Promise<ReturnView> {
  const { ret, cycle } = await openReturn(ctx, ctx.db, id, 'read')
  const [names] = await ctx.db
    .select({ agencyName: agency.name, contactName: appUser.displayName })
    .from(section11Return)
    .innerJoin(agency, eq(agency.id, section11Return.agencyId))
    .innerJoin(appUser, eq(appUser.id, section11Return.contactUserId))
    .where(eq(section11Return.id, id))
  const standards = standardsOf(cycle)
  const answers = answersOf(ret)
  const reviews = reviewsOf(ret)
  const prev = await previousReturn(ctx.db, ret, cycle)
  const asAgreed = (r: ReturnRow) => (r.status === 'issued' ? {} : agreedAnswers(answersOf(r), reviewsOf(r)))
  return {
    ret,
    cycle,
    standards,
    agencyName: names!.agencyName,
    contactName: names!.contactName,
    answers,
    reviews,
    openChallenges: openChallenges(reviews),
    actions: await section11ActionsOf(ctx, ctx.db, { returnId: id }),
    comparison: {
      previousCycleName: prev?.c.name ?? null,
      rows: compareCycles({ standards, answers: asAgreed(ret) }, prev ? { standards: standardsOf(prev.c), answers: asAgreed(prev.r) } : null),
    },
    carriedForward:
      ret.status === 'issued' && prev?.r.status === 'agreed'
        ? { cycleName: prev.c.name, ratings: ratingsCarriedForward(standards, { standards: standardsOf(prev.c), answers: asAgreed(prev.r) }) }
        : null,
    may: {
      answer: ret.status === 'issued' && mayOn(ctx, 'answer', ret).allowed,
      respond: ret.status === 'challenged' && mayOn(ctx, 'answer', ret).allowed,
      manage: mayOn(ctx, 'manage', ret).allowed,
    },
  }
}

/** The self-assessments addressed to the user's agency (for its practitioners and managers). */
export async function myReturns(ctx: ServiceContext) {
  if (!ctx.actor.roles.some((r) => SECTION11_AGENCY_ROLES.includes(r))) return []
  return ctx.db
    .select({ id: section11Return.id, status: section11Return.status, cycleName: section11Cycle.name, answersDueOn: section11Cycle.answersDueOn })
    .from(section11Return)
    .innerJoin(section11Cycle, eq(section11Cycle.id, section11Return.cycleId))
    .where(and(eq(section11Return.agencyId, ctx.actor.agencyId), eq(section11Return.partnershipId, ctx.actor.partnershipId)))
    .orderBy(desc(section11Cycle.issuedOn))
}

async function changeReturn(
  ctx: ServiceContext,
  id: string,
  action: Section11ReturnAction,
  version: number,
  auditAction: string,
  change: (ret: ReturnRow, cycle: CycleRow, tx: Db) => Promise<Partial<ReturnRow>> | Partial<ReturnRow>,
): Promise<ReturnRow> {
  return partnershipTransaction(ctx, async (tx) => {
    const { ret, cycle, ground } = await openReturn(ctx, tx, id, action)
    const set = await change(ret, cycle, tx)
    const row = await updateVersioned<ReturnRow>(ctx, tx, section11Return, id, version, set)
    await audit(ctx, tx, { action: auditAction, recordType: 'section11-return', recordId: id, ground, detail: { status: row.status } })
    return row
  })
}

const setTask = (ctx: ServiceContext, tx: Db, taskId: string | null, done: boolean) =>
  taskId
    ? tx.update(task).set({ status: done ? 'done' : 'open', doneOn: done ? londonDate(ctx.now()) : null, updatedAt: ctx.now() }).where(eq(task.id, taskId))
    : Promise.resolve()

const refuse = (field: string, message: string) => new ValidationFailed({ [field]: message })

/** The agency saves its answers, and with `submit` sends them (every standard rated with evidence). */
export async function saveAnswers(ctx: ServiceContext, id: string, input: AnswersInput): Promise<ReturnRow> {
  return changeReturn(ctx, id, 'answer', input.version, input.submit ? 'section11-return.submit' : 'section11-return.answer', async (ret, cycle, tx) => {
    if (ret.status !== 'issued') throw refuse('version', 'This self-assessment has already been submitted.')
    const answers: Record<string, Partial<Section11Answer>> = {}
    for (const s of standardsOf(cycle)) {
      const a = input.answers[s.code]
      answers[s.code] = { rating: a?.rating ?? undefined, evidence: a?.evidence ?? undefined }
    }
    if (!input.submit) return { answers }
    const errors = unansweredErrors(standardsOf(cycle), answers)
    if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
    await setTask(ctx, tx, ret.taskId, true)
    return { answers, status: 'submitted', submittedOn: londonDate(ctx.now()) }
  })
}

const standardOf = (cycle: CycleRow, code: string) => {
  if (!standardsOf(cycle).some((s) => s.code === code)) throw refuse('standardCode', 'Select a standard of this cycle')
}

/** The business unit challenges the agency's answer to one standard; the agency is asked to answer. */
export async function raiseChallenge(ctx: ServiceContext, id: string, input: z.infer<typeof challengeInput>): Promise<ReturnRow> {
  return changeReturn(ctx, id, 'manage', input.version, 'section11-return.challenge', async (ret, cycle, tx) => {
    if (ret.status !== 'submitted' && ret.status !== 'challenged') throw refuse('comment', 'Challenge a self-assessment once it is submitted and before it is agreed.')
    standardOf(cycle, input.standardCode)
    const reviews = structuredClone(reviewsOf(ret))
    const review = (reviews[input.standardCode] ??= { challenges: [], agreedRating: null })
    review.challenges.push({ comment: input.comment, raisedOn: londonDate(ctx.now()), raisedBy: ctx.actor.displayName, response: null, respondedOn: null })
    await setTask(ctx, tx, ret.taskId, false)
    return { challenges: reviews, status: 'challenged' }
  })
}

/** The agency answers a challenge (and may revise that standard's rating); once all are answered it is back with the partnership. */
export async function respondToChallenge(ctx: ServiceContext, id: string, input: z.infer<typeof challengeResponseInput>): Promise<ReturnRow> {
  return changeReturn(ctx, id, 'answer', input.version, 'section11-return.challenge-answer', async (ret, cycle, tx) => {
    standardOf(cycle, input.standardCode)
    const reviews = structuredClone(reviewsOf(ret))
    const open = reviews[input.standardCode]?.challenges.find((c) => c.response === null)
    if (!open) throw refuse('response', 'There is no open challenge on this standard.')
    open.response = input.response
    open.respondedOn = londonDate(ctx.now())
    const answers = structuredClone(answersOf(ret))
    if (input.rating) answers[input.standardCode] = { evidence: answers[input.standardCode]?.evidence ?? '', rating: input.rating }
    const allAnswered = openChallenges(reviews).length === 0
    if (allAnswered) await setTask(ctx, tx, ret.taskId, true)
    return { challenges: reviews, answers, status: allAnswered ? 'submitted' : 'challenged' }
  })
}

/** The business unit and the agency agree a rating for every standard. */
export async function agreeReturn(ctx: ServiceContext, id: string, input: z.infer<typeof agreementInput>): Promise<ReturnRow> {
  return changeReturn(ctx, id, 'manage', input.version, 'section11-return.agree', (ret, cycle) => {
    if (ret.status !== 'submitted') {
      throw refuse('version', ret.status === 'challenged' ? 'Wait for the agency to answer the open challenges.' : 'Agree ratings once the agency has submitted its self-assessment.')
    }
    const reviews = structuredClone(reviewsOf(ret))
    const errors: Record<string, string> = {}
    for (const s of standardsOf(cycle)) {
      const rating = input.ratings[s.code]
      if (!rating) errors[`agreed-${s.code}`] = `Select the agreed rating for standard ${s.code}`
      else (reviews[s.code] ??= { challenges: [], agreedRating: null }).agreedRating = rating
    }
    if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
    return { challenges: reviews, status: 'agreed', agreedOn: londonDate(ctx.now()) }
  })
}
