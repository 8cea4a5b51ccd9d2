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
  return dayOf(y, mo, d)
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(y: number, m: number): number {
  return m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]!
}

/** Whether a value is blank or a real date. */
export const blankOrDate = (value: string): boolean => value === '' || !Number.isNaN(day(value))

/** A day number from its parts. */
export function dayOf(y: number, m: number, d: number): number {
  // days-from-civil (Howard Hinnant), the inverse of ymd below
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/**
 * A day number as yyyymmdd (e.g. 20260331), worked out without allocating (rules ask for ages and
 * birthdays millions of times on a large return): Howard Hinnant's civil-from-days.
 */
function ymd(date: number): number {
  const z = date + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  return y * 10000 + m * 100 + d
}

/** The date `years` after a date (29 February goes to 28 February in a common year). */
export function addYears(date: number, years: number): number {
  if (Number.isNaN(date)) return NaN
  const v = ymd(date)
  const y = Math.floor(v / 10000) + years
  const m = Math.floor(v / 100) % 100
  return dayOf(y, m, Math.min(v % 100, daysInMonth(y, m)))
}

/** Whole years of age on a date (NaN if either is NaN): a 29 February birthday is 28 February in a common year. */
export function ageOn(dob: number, date: number): number {
  if (Number.isNaN(dob) || Number.isNaN(date)) return NaN
  const years = Math.floor(ymd(date) / 10000) - Math.floor(ymd(dob) / 10000)
  return addYears(dob, years) <= date ? years : years - 1
}

/** The year of a day number. */
export const yearOf = (date: number): number => Math.floor(ymd(date) / 10000)
