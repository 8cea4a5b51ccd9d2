import { addDays, addMonths, addWeeks, type IsoDate } from './calendar/iso-date.ts'
import type { BankHolidayCalendar } from './calendar/working-days.ts'

export const TIMESCALE_UNITS = ['working-days', 'months', 'weeks', 'days', 'hours'] as const
export type TimescaleUnit = (typeof TIMESCALE_UNITS)[number]

/** A time limit: `limit` units from the starting event. */
export interface Duration {
  limit: number
  unit: TimescaleUnit
}

/**
 * The due date `limit` units after `start` (day 0), by the counting conventions:
 * - working-days: the Nth working day after `start`, whether or not `start` is a working day;
 * - months: the same day of the month N months later, or that month's last day;
 * - weeks: 7 × N calendar days; days: N calendar days;
 * - hours: the latest date an N-hour limit can end on when only the start date is known, i.e.
 *   `start` + ceil(N / 24) days (an event at 23:59 plus 24 hours ends the next day). A caller who
 *   knows the time of the event should work out the exact deadline itself.
 */
export function addDuration(start: IsoDate, { limit, unit }: Duration, calendar: BankHolidayCalendar): IsoDate {
  switch (unit) {
    case 'working-days':
      return calendar.addWorkingDays(start, limit)
    case 'months':
      return addMonths(start, limit)
    case 'weeks':
      return addWeeks(start, limit)
    case 'days':
      return addDays(start, limit)
    case 'hours':
      return addDays(start, Math.ceil(limit / 24))
  }
}

/** Whether time left or late for a limit in this unit is counted in working days or calendar days. */
export function countingDaysOf(unit: TimescaleUnit): 'working-days' | 'calendar-days' {
  return unit === 'working-days' ? 'working-days' : 'calendar-days'
}

const UNIT_NAMES: Record<TimescaleUnit, [one: string, many: string]> = {
  'working-days': ['working day', 'working days'],
  months: ['month', 'months'],
  weeks: ['week', 'weeks'],
  days: ['day', 'days'],
  hours: ['hour', 'hours'],
}

/** A limit in words: "1 working day", "6 months". */
export function describeDuration({ limit, unit }: Duration): string {
  const [one, many] = UNIT_NAMES[unit]
  return `${limit} ${limit === 1 ? one : many}`
}
