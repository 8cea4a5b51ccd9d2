/**
 * Statutory clocks on a case. A clock starts when its starting event is recorded: the rule, the
 * edition in force on the start date and the due date are stored then (working-together.md §9),
 * and a task is made for the allocated worker (or the case's team). Recording the ending event
 * completes the clock and its task. Clocks inform; nothing is ever blocked by one.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { preparedOn } from '../../db/prepared.ts'
import { clock, task } from '../../db/schema/index.ts'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/load.ts'
import {
  applyRule,
  clockStateOn,
  dueDate,
  findRule,
  TimescaleError,
  type ClockProgress,
  type RuleId,
} from '../../domain/timescales/index.ts'
import type { OpenCase } from './case-records.ts'
import { localRulesOf } from './case-records.ts'
import type { ServiceContext } from '../common/context.ts'

export type ClockRow = typeof clock.$inferSelect

export interface StartClock {
  rule: RuleId
  /** Date of the starting event. */
  start: string
  /** The record whose event will stop the clock. */
  subjectType: string
  subjectId: string
  /** What the task says must be done, e.g. "Complete the assessment". */
  task: string
  /**
   * The record's own due date from the rule's (e.g. an urgent contact's decision is due the day it
   * was received); the rule and edition stored are still the rule's.
   */
  due?: (ruleDue: string) => string
}

/** Starts a clock on an open case and makes its task. Returns the stored clock. */
export async function startClock(ctx: ServiceContext, tx: Db, open: OpenCase, input: StartClock): Promise<ClockRow> {
  const localRules = await localRulesOf(tx, ctx.actor.partnershipId)
  const ruled = dueDate({ rule: input.rule, start: input.start, localRules })
  const due = { ...ruled, due: input.due?.(ruled.due) ?? ruled.due }
  const [row] = await tx
    .insert(clock)
    .values({
      partnershipId: ctx.actor.partnershipId,
      caseId: open.c.id,
      rule: input.rule,
      edition: due.edition,
      startOn: input.start,
      dueOn: due.due,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
    })
    .returning()
  await tx.insert(task).values({
    partnershipId: ctx.actor.partnershipId,
    caseId: open.c.id,
    clockId: row!.id,
    title: input.task,
    dueOn: due.due,
    assigneeUserId: open.c.allocatedWorkerId,
    assigneeTeamId: open.c.allocatedWorkerId ? null : open.c.teamId,
    createdBy: ctx.actor.userId,
  })
  return row!
}

/** Starts a clock unless its rule was not in force on the start date (LAC reviews before April 2011, a death before April 2019). */
export async function startClockIfInForce(ctx: ServiceContext, tx: Db, open: OpenCase, input: StartClock): Promise<ClockRow | null> {
  try {
    return await startClock(ctx, tx, open, input)
  } catch (err) {
    if (err instanceof TimescaleError) return null
    throw err
  }
}

/**
 * Completes the open clocks of a record (optionally only one rule's) on `completedOn`, with the
 * practitioner's reason when it was late, and marks their tasks done.
 */
export async function completeClocks(
  ctx: ServiceContext,
  tx: Db,
  input: { subjectId: string; rule?: RuleId; completedOn: string; delayReason?: string | null; delayReasonCode?: string | null },
): Promise<ClockRow[]> {
  const rows = await tx
    .update(clock)
    .set({
      completedOn: input.completedOn,
      delayReason: input.delayReason?.trim() || null,
      ...(input.delayReasonCode === undefined ? {} : { delayReasonCode: input.delayReasonCode }),
      updatedAt: ctx.now(),
    })
    .where(
      and(
        eq(clock.subjectId, input.subjectId),
        isNull(clock.completedOn),
        input.rule ? eq(clock.rule, input.rule) : undefined,
      ),
    )
    .returning()
  if (rows.length > 0) {
    await tx
      .update(task)
      .set({ status: 'done', doneOn: input.completedOn, updatedAt: ctx.now() })
      .where(inArray(
        task.clockId,
        rows.map((r) => r.id),
      ))
  }
  return rows
}

/**
 * Moves the completion of a record's clock of `rule` that was completed on `from` to `to` (a
 * corrected date of the event that stopped it), with its task. Returns the clocks moved.
 */
export async function moveClockCompletion(
  ctx: ServiceContext,
  tx: Db,
  input: { subjectId: string; rule: RuleId; from: string; to: string },
): Promise<ClockRow[]> {
  const rows = await tx
    .update(clock)
    .set({ completedOn: input.to, updatedAt: ctx.now() })
    .where(and(eq(clock.subjectId, input.subjectId), eq(clock.rule, input.rule), eq(clock.completedOn, input.from)))
    .returning()
  if (rows.length > 0) {
    await tx
      .update(task)
      .set({ doneOn: input.to, updatedAt: ctx.now() })
      .where(and(inArray(task.clockId, rows.map((r) => r.id)), eq(task.status, 'done')))
  }
  return rows
}

/**
 * Starts a record's clock of `rule` again from a corrected start date: the edition and due date
 * are those of the new date, and an open task moves with it. Returns the clock, or null if the
 * record has none.
 */
export async function restartClock(
  ctx: ServiceContext,
  tx: Db,
  input: { subjectId: string; rule: RuleId; start: string },
): Promise<ClockRow | null> {
  const localRules = await localRulesOf(tx, ctx.actor.partnershipId)
  const due = dueDate({ rule: input.rule, start: input.start, localRules })
  const [row] = await tx
    .update(clock)
    .set({ startOn: input.start, dueOn: due.due, edition: due.edition, updatedAt: ctx.now() })
    .where(and(eq(clock.subjectId, input.subjectId), eq(clock.rule, input.rule)))
    .returning()
  if (!row) return null
  await tx
    .update(task)
    .set({ dueOn: due.due, updatedAt: ctx.now() })
    .where(and(eq(task.clockId, row.id), ne(task.status, 'done')))
  return row
}

/** Takes away a clock started in error (its starting event recorded in error), with its task. */
export async function withdrawClock(tx: Db, clockId: string): Promise<void> {
  await tx.delete(task).where(eq(task.clockId, clockId))
  await tx.delete(clock).where(eq(clock.id, clockId))
}

/** Records the reason a clock ran late (or will), without completing it: the words and, when given, the code (DELAY_REASON). */
export async function explainDelay(tx: Db, caseId: string, clockId: string, reason: { words?: string | null | undefined; code?: string | null | undefined }): Promise<void> {
  await tx
    .update(clock)
    .set({ delayReason: reason.words?.trim() || null, ...(reason.code ? { delayReasonCode: reason.code } : {}) })
    .where(and(eq(clock.id, clockId), eq(clock.caseId, caseId)))
}

/** A clock as shown to people: its rule's title, edition, due date and state today. */
export interface ClockView extends ClockProgress {
  id: string
  caseId: string
  rule: string
  title: string
  edition: number
  /** Set for rules from other law than Working Together (e.g. domestic homicide reviews): the day they came into force. */
  inForceFrom: string | null
  strength: string
  startOn: string
  dueOn: string
  completedOn: string | null
  /** Why it was late, in the worker's words. */
  delayReason: string | null
  /** Why it was late, coded (DELAY_REASON): given alone, with the words, or not at all. */
  delayReasonCode: string | null
  subjectType: string
  subjectId: string
}

/** How a stored clock stands on `today`. */
export function viewClock(row: ClockRow, today: string): ClockView {
  const rows = findRule(row.rule)
  const applied = (() => {
    try {
      return applyRule({ rule: row.rule, start: row.startOn, edition: row.edition })
    } catch {
      return null
    }
  })()
  const ruleRow = applied?.row ?? rows[0]!
  return {
    id: row.id,
    caseId: row.caseId,
    rule: row.rule,
    title: ruleRow.title,
    edition: row.edition,
    inForceFrom: ruleRow.inForceFrom ?? null,
    strength: ruleRow.strength,
    startOn: row.startOn,
    dueOn: row.dueOn,
    completedOn: row.completedOn,
    delayReason: row.delayReason,
    delayReasonCode: row.delayReasonCode,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    ...clockStateOn({
      due: row.dueOn,
      completed: row.completedOn,
      today,
      unit: applied?.unit ?? ruleRow.unit,
      calendar: defaultBankHolidayCalendar(),
      // A coded reason alone is a reason given.
      delayReason: row.delayReason ?? row.delayReasonCode,
    }),
  }
}

/** A case's clocks, soonest due first: on every case overview, so prepared once for each database handle (db/prepared.ts). */
const prepareClocksOfCase = (db: Db) =>
  db.select().from(clock).where(eq(clock.caseId, sql.placeholder('caseId'))).orderBy(asc(clock.dueOn)).prepare('together_clocks_of_case')

/** Every clock of a case, open ones first, each by due date. */
export async function clocksOfCase(db: Db, caseId: string, today: string): Promise<ClockView[]> {
  const rows = await preparedOn(db, prepareClocksOfCase).execute({ caseId })
  const views = rows.map((r) => viewClock(r, today))
  return [...views.filter((v) => v.completedOn === null), ...views.filter((v) => v.completedOn !== null)]
}
