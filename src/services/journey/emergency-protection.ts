/**
 * Immediate protection of a child (issue 17): police protection (Children Act 1989 s46, at most 72
 * hours from the time the child was taken) and emergency protection orders (s44; up to 8 days, the
 * end moved past a public holiday, extended once by up to 7 days, s45). Recording one starts its
 * clock (the exact end worked out in domain/timescales/protection.ts); an order's extension
 * completes the first clock and starts the extension's; the end completes whatever runs, and an
 * end after the limit asks for the coded reason (changeable afterwards on the clock's reason page).
 */
import { desc, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { clock, emergencyProtection } from '../../db/schema/index.ts'
import { londonDate, londonInstant } from '../../domain/timescales/calendar/london-time.ts'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/load.ts'
import { emergencyProtectionOrderEnds, epoExtensionEnds, policeProtectionEnds, type RuleId } from '../../domain/timescales/index.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { futureDateErrors } from '../common/fields-input.ts'
import { caseFrame, type CaseFrame } from './case-notes.ts'
import { createRecord, getRecord, updateRecord, withCase } from './case-records.ts'
import { requireLateReason } from './clock-delays.ts'
import { clocksOfCase, completeClocks, startClock, type ClockView } from './clocks.ts'
import type { EmergencyProtectionEnd, EmergencyProtectionExtension, EmergencyProtectionStart } from './emergency-protection-input.ts'

export type EmergencyProtectionRow = typeof emergencyProtection.$inferSelect

const ENTITY = 'emergency-protection'
const SECTION = 'emergency-protection'

const TASK: Record<string, string> = {
  'police-protection': 'End police protection within 72 hours',
  'emergency-protection-order': 'The emergency protection order ends within 8 days',
  'epo-extension': 'The extended emergency protection order ends',
}

export interface EmergencyProtectionView extends EmergencyProtectionRow {
  /** Its clocks: the first, and an order's extension. */
  clocks: ClockView[]
  /** The latest lawful end of what is running (null once ended). */
  endsBy: string | null
  /** Police protection not yet ended: the instant its 72 hours run out. */
  endsAt: Date | null
  /** Whether an order may still be extended (an order, not ended, not extended before). */
  mayExtend: boolean
  /** The latest end an extension may give (the first end + 7 days), for an order that may be extended. */
  extensionLimit: string | null
}

export interface EmergencyProtectionPage {
  c: CaseFrame
  /** Newest first. */
  records: EmergencyProtectionView[]
}

function refuseFuture(ctx: ServiceContext, dates: Record<string, [string | null | undefined, string]>) {
  const errors = futureDateErrors(londonDate(ctx.now()), dates)
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
}

function viewOf(row: EmergencyProtectionRow, clocks: ClockView[]): EmergencyProtectionView {
  const own = clocks.filter((k) => k.subjectId === row.id).sort((a, b) => a.startOn.localeCompare(b.startOn) || a.rule.localeCompare(b.rule))
  const running = own.find((k) => k.completedOn === null)
  const first = own.find((k) => k.rule === 'emergency-protection-order')
  const mayExtend = row.kind === 'emergency-protection-order' && row.endedOn === null && row.extendedOn === null
  return {
    ...row,
    clocks: own,
    endsBy: row.endedOn ? null : (running?.dueOn ?? null),
    endsAt: row.kind === 'police-protection' && !row.endedOn ? policeProtectionEnds(row.startedAt).at : null,
    mayExtend,
    extensionLimit: mayExtend && first ? epoExtensionEnds(first.dueOn) : null,
  }
}

/** A case's police protection and emergency protection orders, with their clocks (audited read). */
export function emergencyProtectionOfCase(ctx: ServiceContext, caseId: string): Promise<EmergencyProtectionPage> {
  return withCase(ctx, caseId, 'case:read', async (tx, open) => {
    const rows = await tx
      .select()
      .from(emergencyProtection)
      .where(eq(emergencyProtection.caseId, open.c.id))
      .orderBy(desc(emergencyProtection.startedAt))
    const clocks = await clocksOfCase(tx, open.c.id, londonDate(ctx.now()))
    return { c: await caseFrame(ctx, tx, open), records: rows.map((r) => viewOf(r, clocks)) }
  }, SECTION)
}

/** Records police protection or an emergency protection order, and starts its clock. */
export async function recordEmergencyProtection(ctx: ServiceContext, caseId: string, input: EmergencyProtectionStart): Promise<EmergencyProtectionRow> {
  const startedAt = londonInstant(input.startedOn, input.startedTime)
  if (startedAt > ctx.now()) throw new ValidationFailed({ startedOn: 'The date and time it started must not be in the future' })
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const row = await createRecord<EmergencyProtectionRow>(ctx, tx, open, ENTITY, emergencyProtection, {
      kind: input.kind,
      startedAt,
      startedOn: input.startedOn,
      notes: input.notes,
    })
    const exactEnd =
      input.kind === 'police-protection'
        ? policeProtectionEnds(startedAt).on
        : emergencyProtectionOrderEnds(input.startedOn, defaultBankHolidayCalendar())
    await startClock(ctx, tx, open, {
      rule: input.kind,
      start: input.startedOn,
      subjectType: ENTITY,
      subjectId: row.id,
      task: TASK[input.kind]!,
      due: () => exactEnd,
    })
    return row
  }, SECTION)
}

async function runningClock(tx: Db, recordId: string) {
  const rows = await tx.select().from(clock).where(eq(clock.subjectId, recordId))
  return { running: rows.find((k) => k.completedOn === null) ?? null, all: rows }
}

/**
 * Records the court's one extension of an emergency protection order: made while the order was in
 * force, to a day after its first end and at most 7 days after it. The first clock is met on the
 * day of the extension; the extension's clock runs from the first end.
 */
export async function extendEmergencyProtectionOrder(
  ctx: ServiceContext,
  caseId: string,
  recordId: string,
  input: EmergencyProtectionExtension,
): Promise<EmergencyProtectionRow> {
  refuseFuture(ctx, { extendedOn: [input.extendedOn, 'the date the court extended the order'] })
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<EmergencyProtectionRow>(tx, open, emergencyProtection, recordId)
    if (current.kind !== 'emergency-protection-order') throw new ValidationFailed({ extendedOn: 'Only an emergency protection order can be extended' })
    if (current.endedOn) throw new ValidationFailed({ extendedOn: `This order ended on ${current.endedOn}` })
    if (current.extendedOn) throw new ValidationFailed({ extendedOn: 'This order has been extended once already: the court may extend it only once (section 45(6))' })
    const { running } = await runningClock(tx, current.id)
    const firstEnd = running?.dueOn ?? emergencyProtectionOrderEnds(current.startedOn, defaultBankHolidayCalendar())
    const errors: Record<string, string> = {}
    if (input.extendedOn < current.startedOn || input.extendedOn > firstEnd) {
      errors.extendedOn = `The court extends an order while it is in force: between ${current.startedOn} and ${firstEnd}`
    }
    const limit = epoExtensionEnds(firstEnd)
    if (input.extendedTo <= firstEnd || input.extendedTo > limit) {
      errors.extendedTo = `The extended order ends after ${firstEnd} and no later than ${limit} (7 days at most, section 45(5))`
    }
    if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
    const row = await updateRecord<EmergencyProtectionRow>(ctx, tx, open, ENTITY, emergencyProtection, current.id, input.version, {
      extendedOn: input.extendedOn,
      extendedTo: input.extendedTo,
    }, `${ENTITY}.extend`)
    await completeClocks(ctx, tx, { subjectId: current.id, rule: 'emergency-protection-order', completedOn: input.extendedOn })
    await startClock(ctx, tx, open, {
      rule: 'epo-extension',
      start: firstEnd,
      subjectType: ENTITY,
      subjectId: current.id,
      task: TASK['epo-extension']!,
      due: () => input.extendedTo,
    })
    return row
  }, SECTION)
}

/**
 * Records the end of police protection or an order: completes its running clock; an end after its
 * limit must say why (coded, with the words), as every late clock does.
 */
export async function endEmergencyProtection(ctx: ServiceContext, caseId: string, recordId: string, input: EmergencyProtectionEnd): Promise<EmergencyProtectionRow> {
  refuseFuture(ctx, { endedOn: [input.endedOn, 'the date it ended'] })
  return withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<EmergencyProtectionRow>(tx, open, emergencyProtection, recordId)
    if (current.endedOn) throw new ValidationFailed({ endedOn: `This ended on ${current.endedOn}` })
    if (input.endedOn < current.startedOn) throw new ValidationFailed({ endedOn: `The end must be on or after the start, ${current.startedOn}` })
    const { running } = await runningClock(tx, current.id)
    const what = current.kind === 'police-protection' ? 'the end of police protection' : 'the end of the order'
    requireLateReason('lateReasonCode', what, running?.dueOn ?? null, input.endedOn, input.lateReasonCode)
    const row = await updateRecord<EmergencyProtectionRow>(ctx, tx, open, ENTITY, emergencyProtection, current.id, input.version, { endedOn: input.endedOn }, `${ENTITY}.end`)
    if (running) {
      const late = input.endedOn > running.dueOn
      await completeClocks(ctx, tx, {
        subjectId: current.id,
        rule: running.rule as RuleId,
        completedOn: input.endedOn,
        delayReason: late ? input.lateReason : null,
        delayReasonCode: late ? input.lateReasonCode : null,
      })
    }
    return row
  }, SECTION)
}
