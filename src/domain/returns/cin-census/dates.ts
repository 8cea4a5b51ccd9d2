/**
 * Census dates are compared as `YYYY-MM-DD` strings (which sort as dates). A value that is not a
 * real date counts as absent, so the rule that needs the date reports it as missing.
 */
import { dayOfWeekOf, isIsoDate, toDayNumber } from '../../timescales/calendar/iso-date.ts'

const seen = new Map<string, boolean>()

/** The value when it is a real `YYYY-MM-DD` date, else undefined. */
export function censusDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let ok = seen.get(value)
  if (ok === undefined) {
    ok = isIsoDate(value)
    if (seen.size > 100_000) seen.clear()
    seen.set(value, ok)
  }
  return ok ? value : undefined
}

const TRUE_VALUES = new Set(['1', 'true'])
const FALSE_VALUES = new Set(['0', 'false'])

/** A census yes/no (0/1; DfE's own tools also accept true/false): true, false, or undefined if neither. */
export function censusFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  const v = value.toLowerCase()
  if (TRUE_VALUES.has(v)) return true
  if (FALSE_VALUES.has(v)) return false
  return undefined
}

const dayNumbers = new Map<string, number>()

/** Days since 1970-01-01 of a date already checked with censusDate (remembered: census dates repeat). */
export function censusDayNumber(date: string): number {
  let n = dayNumbers.get(date)
  if (n === undefined) {
    n = toDayNumber(date)
    if (dayNumbers.size > 100_000) dayNumbers.clear()
    dayNumbers.set(date, n)
  }
  return n
}

export function isCensusWeekend(date: string): boolean {
  const weekday = dayOfWeekOf(censusDayNumber(date))
  return weekday === 0 || weekday === 6
}

/** Both are real dates and `a` is before `b`. */
export function isBefore(a: string | undefined, b: string | undefined): boolean {
  const x = censusDate(a)
  const y = censusDate(b)
  return x !== undefined && y !== undefined && x < y
}
