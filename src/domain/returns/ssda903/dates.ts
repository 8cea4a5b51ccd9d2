/**
 * 903 dates are dd/mm/yyyy. They are compared as day numbers (days since 1 January 1970); a blank
 * or a value that is not a real date is NaN, so every comparison with it is false and the rule
 * about that date's format reports it.
 */

const cache = new Map<string, number>()

/** Day number of a dd/mm/yyyy date (1 or 2 digit day and month), NaN when blank or not a real date. */
export function day(value: string): number {
  if (value === '') return NaN
  let n = cache.get(value)
  if (n === undefined) {
    n = parse(value)
    if (cache.size > 200_000) cache.clear()
    cache.set(value, n)
  }
  return n
}

function parse(value: string): number {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  if (!m) return NaN
  const d = Number(m[1])
  const mo = Number(m[2])
  const y = Number(m[3])
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN
  return Date.UTC(y, mo - 1, d) / 86_400_000
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/** Whether a value is blank or a real date. */
export const blankOrDate = (value: string): boolean => value === '' || !Number.isNaN(day(value))

/** A day number from its parts. */
export const dayOf = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000

/** The date `years` after a date (29 February goes to 28 February in a common year). */
export function addYears(date: number, years: number): number {
  if (Number.isNaN(date)) return NaN
  const t = new Date(date * 86_400_000)
  const y = t.getUTCFullYear() + years
  const m = t.getUTCMonth() + 1
  return dayOf(y, m, Math.min(t.getUTCDate(), daysInMonth(y, m)))
}

/** Whole years of age on a date (NaN if either is NaN). */
export function ageOn(dob: number, date: number): number {
  if (Number.isNaN(dob) || Number.isNaN(date)) return NaN
  const b = new Date(dob * 86_400_000)
  const t = new Date(date * 86_400_000)
  let age = t.getUTCFullYear() - b.getUTCFullYear()
  const bm = b.getUTCMonth()
  const tm = t.getUTCMonth()
  if (tm < bm || (tm === bm && t.getUTCDate() < b.getUTCDate())) {
    // A 29 February birthday falls on 28 February in a common year (as addYears).
    const leapDay = bm === 1 && b.getUTCDate() === 29 && tm === 1 && t.getUTCDate() === 28 && daysInMonth(t.getUTCFullYear(), 2) === 28
    if (!leapDay) age--
  }
  return age
}

/** The year of a day number. */
export const yearOf = (date: number): number => new Date(date * 86_400_000).getUTCFullYear()
