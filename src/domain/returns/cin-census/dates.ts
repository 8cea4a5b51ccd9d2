/**
 * Census dates are compared as `YYYY-MM-DD` strings (which sort as dates). A value that is not a
 * real date counts as absent, so the rule that needs the date reports it as missing.
 */
import { dayOfWeekOf, toDayNumber } from '../../timescales/calendar/iso-date.ts'

/**
 * Days since 1970-01-01 of a real `YYYY-MM-DD` date, or NaN for anything else (the same dates
 * isIsoDate accepts), read straight from the characters: census files hold hundreds of thousands
 * of dates, and this is cheaper than a regular expression or a lookup table of strings.
 */
function dayNumberOf(value: string): number {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return NaN
  const year = digits(value, 0, 4)
  const month = digits(value, 5, 7)
  const day = digits(value, 8, 10)
  if (!(year >= 1 && month >= 1 && month <= 12 && day >= 1)) return NaN
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const monthDays = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  if (day > monthDays) return NaN
  // Howard Hinnant's days_from_civil, as iso-date.ts computes it.
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  return era * 146097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719468
}

/** The number written by the ASCII digits value[from..to), or NaN if any is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i) - 48
    if (c < 0 || c > 9) return NaN
    n = n * 10 + c
  }
  return n
}

/** The value when it is a real `YYYY-MM-DD` date, else undefined. */
export function censusDate(value: string | undefined): string | undefined {
  return value !== undefined && !Number.isNaN(dayNumberOf(value)) ? value : undefined
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

/** Days since 1970-01-01 of a date already checked with censusDate. Throws InvalidDateError for a bad date. */
export function censusDayNumber(date: string): number {
  const n = dayNumberOf(date)
  return Number.isNaN(n) ? toDayNumber(date) : n
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
