/**
 * Times a child was missing from home or care, or away without permission (issue 19 §5). Recording
 * the child's return starts the return home interview clock (offered within 72 hours of the return,
 * as elapsed time: domain/timescales/protection.ts); recording the offer completes it, and an offer
 * after the 72 hours asks for the coded reason. A child's episodes never overlap and only the latest
 * may be open (the SSDA903's rule 574), so its Missing table and Annex A list 8's counts are queries.
 */
import { desc, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { clock, missingEpisode } from '../../db/schema/index.ts'
import { addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import { londonDate, londonInstant } from '../../domain/timescales/calendar/london-time.ts'
import { returnHomeInterviewDue } from '../../domain/timescales/index.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from './case-records.ts'
import { requireLateReason } from './clock-delays.ts'
import { clocksOfCase, completeClocks, moveClockCompletion, startClock, type ClockView } from './clocks.ts'
import type { MissingEpisodeReturn, MissingEpisodeStart, ReturnInterview } from './missing-episodes-input.ts'

export type MissingEpisodeRow = typeof missingEpisode.$inferSelect

const ENTITY = 'missing-episode'
const SECTION = 'missing'
const RULE = 'return-home-interview'

export interface MissingEpisodeView extends MissingEpisodeRow {
  /** The return home interview clock, once the child is back. */
  clocks: ClockView[]
  /** The instant the interview should have been offered by (null while the child is still missing). */
  interviewDueAt: Date | null
}

/** What Annex A list 8 asks about a child's last 12 months of missing episodes. */
export interface MissingSummary {
  /** Episodes that started in the 12 months to today, of each kind. */
  missingInYear: number
  awayInYear: number
  /** The latest missing (not away) episode's return home interview: offered, accepted (null: not known). */
  lastInterviewOffered: boolean | null
  lastInterviewAccepted: boolean | null
}

export interface MissingEpisodesPage {
  c: CaseFrame
  /** Newest first. */
  records: MissingEpisodeView[]
  summary: MissingSummary
}

function summaryOf(rows: MissingEpisodeRow[], today: string): MissingSummary {
  const yearAgo = addMonths(today, -12)
  const inYear = rows.filter((r) => r.startedOn > yearAgo)
  const lastMissing = rows.find((r) => r.kind === 'missing' && r.returnedOn !== null)
  return {
    missingInYear: inYear.filter((r) => r.kind === 'missing').length,
    awayInYear: inYear.filter((r) => r.kind === 'away').length,
    lastInterviewOffered: lastMissing ? lastMissing.interviewOfferedOn !== null : null,
    lastInterviewAccepted: lastMissing ? lastMissing.interviewAccepted : null,
  }
}

/** A case's missing episodes, newest first, with their clocks and the list 8 summary (audited read). */
export function missingEpisodesOfCase(ctx: ServiceContext, caseId: string): Promise<MissingEpisodesPage> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const rows = await episodesOf(tx, open)
    const today = londonDate(ctx.now())
    const clocks = await clocksOfCase(tx, open.c.id, today)
    return {
      c: await caseFrame(ctx, tx, open),
      records: rows.map((r) => ({
        ...r,
        clocks: clocks.filter((k) => k.subjectId === r.id),
        interviewDueAt: r.returnedAt ? returnHomeInterviewDue(r.returnedAt).at : null,
      })),
      summary: summaryOf(rows, today),
    }
  }, SECTION)
}

function episodesOf(tx: Db, open: OpenCase): Promise<MissingEpisodeRow[]> {
  return tx.select().from(missingEpisode).where(eq(missingEpisode.caseId, open.c.id)).orderBy(desc(missingEpisode.startedAt))
}

function refuseFuture(ctx: ServiceContext, instants: Record<string, [Date | null, string]>) {
  const errors: Record<string, string> = {}
  for (const [field, [at, what]] of Object.entries(instants)) if (at && at > ctx.now()) errors[field] = `${what} must not be in the future`
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

/**
 * Refuses an episode that would overlap another of the child's, or a second one still open: the
 * 903 counts episodes that follow one another (rule 574).
 */
function refuseOverlap(others: MissingEpisodeRow[], startedAt: Date, returnedAt: Date | null, field: string) {
  for (const other of others) {
    const otherEnd = other.returnedAt ?? null
    const startsInside = startedAt >= other.startedAt && (otherEnd === null || startedAt < otherEnd)
    const covers = startedAt < other.startedAt && (returnedAt === null || returnedAt > other.startedAt)
    if (startsInside || covers) {
      const when = `${other.startedOn}${other.returnedOn ? ` to ${other.returnedOn}` : ', and the child is not yet recorded as back'}`
      throw new ValidationFailed({ [field]: `This overlaps another time the child was missing or away (from ${when}): record the return of that one first, or correct the dates` })
    }
  }
}

async function startInterviewClock(ctx: ServiceContext, tx: Db, open: OpenCase, row: MissingEpisodeRow) {
  const due = returnHomeInterviewDue(row.returnedAt!)
  await startClock(ctx, tx, open, {
    rule: RULE,
    start: row.returnedOn!,
    subjectType: ENTITY,
    subjectId: row.id,
    task: 'Offer the child a return home interview',
    due: () => due.on,
  })
}

/** Records that a child went missing or was away (and, when already known, the return, which starts the interview clock). */
export async function recordMissingEpisode(ctx: ServiceContext, caseId: string, input: MissingEpisodeStart): Promise<MissingEpisodeRow> {
  const startedAt = londonInstant(input.startedOn, input.startedTime)
  const returnedAt = input.returnedOn && input.returnedTime ? londonInstant(input.returnedOn, input.returnedTime) : null
  refuseFuture(ctx, { startedOn: [startedAt, 'The date and time the child went missing'], returnedOn: [returnedAt, 'The date and time the child came back'] })
  if (returnedAt && returnedAt < startedAt) throw new ValidationFailed({ returnedOn: 'The child came back after going missing: check the dates and times' })
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    refuseOverlap(await episodesOf(tx, open), startedAt, returnedAt, 'startedOn')
    const row = await createRecord<MissingEpisodeRow>(ctx, tx, open, ENTITY, missingEpisode, {
      kind: input.kind,
      startedAt,
      startedOn: input.startedOn,
      returnedAt,
      returnedOn: returnedAt ? input.returnedOn : null,
      notes: input.notes,
    })
    if (returnedAt) await startInterviewClock(ctx, tx, open, row)
    return row
  }, SECTION)
}

/** Records when the child came back, which starts the return home interview clock. */
export async function recordMissingReturn(ctx: ServiceContext, caseId: string, recordId: string, input: MissingEpisodeReturn): Promise<MissingEpisodeRow> {
  const returnedAt = londonInstant(input.returnedOn, input.returnedTime)
  refuseFuture(ctx, { returnedOn: [returnedAt, 'The date and time the child came back'] })
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<MissingEpisodeRow>(tx, open, missingEpisode, recordId)
    if (current.returnedAt) throw new ValidationFailed({ returnedOn: `The child's return was recorded already: ${current.returnedOn}` })
    if (returnedAt < current.startedAt) throw new ValidationFailed({ returnedOn: 'The child came back after going missing: check the date and time' })
    const others = (await episodesOf(tx, open)).filter((r) => r.id !== current.id)
    refuseOverlap(others, current.startedAt, returnedAt, 'returnedOn')
    const row = await updateRecord<MissingEpisodeRow>(ctx, tx, open, ENTITY, missingEpisode, current.id, input.version, {
      returnedAt,
      returnedOn: input.returnedOn,
    }, `${ENTITY}.return`)
    await startInterviewClock(ctx, tx, open, row)
    return row
  }, SECTION)
}

/**
 * Records the return home interview (offered, the child's answer, held and by whom) and the
 * exploitation screening. The first offer completes the clock (after 72 hours it asks for the coded
 * reason); a corrected offer date moves the completion.
 */
export async function recordReturnInterview(ctx: ServiceContext, caseId: string, recordId: string, input: ReturnInterview): Promise<MissingEpisodeRow> {
  const today = londonDate(ctx.now())
  const future = futureDateErrors(today, {
    interviewOfferedOn: [input.interviewOfferedOn, 'the date the interview was offered'],
    interviewHeldOn: [input.interviewHeldOn, 'the date the interview was held'],
    screenedOn: [input.screenedOn, 'the date of the exploitation screening'],
  })
  if (Object.keys(future).length > 0) throw new ValidationFailed(future)
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<MissingEpisodeRow>(tx, open, missingEpisode, recordId)
    if (!current.returnedOn) throw new ValidationFailed({ interviewOfferedOn: 'Record when the child came back first: the interview is offered after the return' })
    const errors: Record<string, string> = {}
    if (current.interviewOfferedOn && !input.interviewOfferedOn) errors.interviewOfferedOn = `The interview was offered on ${current.interviewOfferedOn}: correct the date rather than removing it`
    if (input.interviewOfferedOn && input.interviewOfferedOn < current.returnedOn) errors.interviewOfferedOn = `The interview is offered on or after the day the child came back, ${current.returnedOn}`
    if (input.interviewHeldOn && input.interviewOfferedOn && input.interviewHeldOn < input.interviewOfferedOn) errors.interviewHeldOn = 'The interview is held on or after the day it was offered'
    if (input.screenedOn && input.screenedOn < current.startedOn) errors.screenedOn = `The screening follows the episode, which started on ${current.startedOn}`
    if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
    const [own] = await tx.select().from(clock).where(eq(clock.subjectId, current.id))
    if (own && input.interviewOfferedOn) requireLateReason('lateReasonCode', 'the offer of the interview', own.dueOn, input.interviewOfferedOn, input.lateReasonCode)
    const row = await updateRecord<MissingEpisodeRow>(ctx, tx, open, ENTITY, missingEpisode, current.id, input.version, {
      interviewOfferedOn: input.interviewOfferedOn,
      interviewAccepted: input.interviewAccepted,
      interviewHeldOn: input.interviewHeldOn,
      interviewBy: input.interviewBy,
      screenedOn: input.screenedOn,
      screeningOutcome: input.screeningOutcome,
    }, `${ENTITY}.interview`)
    if (own && input.interviewOfferedOn) {
      const late = input.interviewOfferedOn > own.dueOn
      if (own.completedOn === null) {
        await completeClocks(ctx, tx, {
          subjectId: current.id,
          rule: RULE,
          completedOn: input.interviewOfferedOn,
          delayReason: late ? input.lateReason : null,
          delayReasonCode: late ? input.lateReasonCode : null,
        })
      } else if (own.completedOn !== input.interviewOfferedOn) {
        await moveClockCompletion(ctx, tx, { subjectId: current.id, rule: RULE, from: own.completedOn, to: input.interviewOfferedOn })
      }
    }
    return row
  }, SECTION)
}
