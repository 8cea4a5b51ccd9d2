import { calendarDaysBetween, parseIsoDate, type IsoDate } from './calendar/iso-date.ts'
import { countingDaysOf, type TimescaleUnit } from './duration.ts'
import { resolveDue, type TimescaleQuery } from './due-date.ts'
import type { EditionYear } from './editions.ts'
import type { BankHolidayCalendar } from './calendar/working-days.ts'
import type { RuleId, Strength } from './rules.ts'

export type ClockState = 'due' | 'overdue' | 'completed-on-time' | 'completed-late'

export interface ClockQuery extends TimescaleQuery {
  /** Date of the ending event, if it has happened. */
  completed?: IsoDate | null | undefined
  /** Today's date (domain code never reads the clock). */
  today: IsoDate
  /** The practitioner's reason for a delay, if recorded. */
  delayReason?: string | null | undefined
}

export interface ClockStatus {
  rule: RuleId
  edition: EditionYear
  strength: Strength
  start: IsoDate
  limit: number
  unit: TimescaleUnit
  due: IsoDate
  completed: IsoDate | null
  state: ClockState
  /** How `daysRemaining` and `daysLate` are counted: working days for a working-day limit, else calendar days. */
  counting: 'working-days' | 'calendar-days'
  /** When on time: days from the completion date (or today) to the due date; 0 on the due date itself. */
  daysRemaining: number | null
  /**
   * When late: days after the due date up to and including the completion date (or today). In
   * working days this can be 0, e.g. due on a Friday and completed on the Saturday: late, but no
   * working day lost.
   */
  daysLate: number | null
  delayReason: string | null
  /** Late with no reason recorded. Informational only: clocks never block work. */
  needsReason: boolean
}

/**
 * Where a timescale stands. The reference date is the completion date when there is one, else
 * today; it is late when the reference date is after the due date. Never throws because a clock has
 * run out: the only errors are those of dueDate (bad dates, rules or editions).
 */
export function clockStatus(query: ClockQuery): ClockStatus {
  const { row, edition, limit, unit, due, calendar } = resolveDue(query)
  const completed = query.completed ?? null
  const delayReason = query.delayReason?.trim() ? query.delayReason : null
  return {
    rule: row.id,
    edition: edition.year,
    strength: row.strength,
    start: query.start,
    limit,
    unit,
    due,
    completed,
    delayReason,
    ...clockStateOn({ due, completed, today: query.today, unit, calendar, delayReason }),
  }
}

export type ClockProgress = Pick<ClockStatus, 'state' | 'counting' | 'daysRemaining' | 'daysLate' | 'needsReason'>

/**
 * The state of a clock whose due date is known (e.g. stored when it started): late when the
 * completion date, or today if not completed, is after the due date.
 */
export function clockStateOn(input: {
  due: IsoDate
  completed: IsoDate | null
  today: IsoDate
  unit: TimescaleUnit
  calendar: BankHolidayCalendar
  delayReason: string | null
}): ClockProgress {
  const { due, completed, today, unit, calendar } = input
  parseIsoDate(today)
  if (completed !== null) parseIsoDate(completed)
  const reference = completed ?? today
  const counting = countingDaysOf(unit)
  const days = (from: IsoDate, to: IsoDate): number =>
    counting === 'working-days' ? calendar.workingDaysBetween(from, to) : calendarDaysBetween(from, to)
  const late = reference > due
  const state: ClockState = completed === null ? (late ? 'overdue' : 'due') : late ? 'completed-late' : 'completed-on-time'
  return {
    state,
    counting,
    daysRemaining: late ? null : days(reference, due),
    daysLate: late ? days(due, reference) : null,
    needsReason: late && !input.delayReason?.trim(),
  }
}
