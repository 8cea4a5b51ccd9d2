/**
 * Calendar dates as ISO `YYYY-MM-DD` strings: no times, no time zones.
 *
 * Arithmetic runs on day numbers (days since 1970-01-01) using Howard Hinnant's civil-calendar
 * algorithms (proleptic Gregorian), so nothing here depends on the host's clock or zone.
 */

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string

/** A string that is not a real `YYYY-MM-DD` date (wrong shape, or e.g. 2025-02-30). */
export class InvalidDateError extends Error {
  override name = 'InvalidDateError'
  constructor(readonly value: unknown) {
    super(`not a valid date (expected YYYY-MM-DD): ${JSON.stringify(value) ?? String(value)}`)
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function dayNumberFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

function civilFromDayNumber(dayNumber: number): [year: number, month: number, day: number] {
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const dayOfEra = z - era * 146097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

/** Splits a date into numbers, or throws InvalidDateError. */
export function parseIsoDate(value: unknown): [year: number, month: number, day: number] {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null
  if (!match) throw new InvalidDateError(value)
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidDateError(value)
  }
  return [year, month, day]
}

export function isIsoDate(value: unknown): value is IsoDate {
  try {
    parseIsoDate(value)
    return true
  } catch {
    return false
  }
}

/** Days since 1970-01-01 (negative before it). Throws InvalidDateError for a bad date. */
export function toDayNumber(date: IsoDate): number {
  const [year, month, day] = parseIsoDate(date)
  return dayNumberFromCivil(year, month, day)
}

export function fromDayNumber(dayNumber: number): IsoDate {
  const [year, month, day] = civilFromDayNumber(dayNumber)
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeekOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7
}

export function isWeekend(date: IsoDate): boolean {
  const weekday = dayOfWeekOf(toDayNumber(date))
  return weekday === 0 || weekday === 6
}

/**
 * The week "due by the end of this week" means to someone looking on `today` (a calendar date in
 * Europe/London: `londonDate(now)`), Monday to Sunday. On a weekday, the week holding today; on a
 * Saturday or Sunday, when the working week is over, the coming week.
 */
export function weekOf(today: IsoDate): { from: IsoDate; to: IsoDate } {
  const weekday = dayOfWeekOf(toDayNumber(today))
  const from = weekday === 6 ? addDays(today, 2) : weekday === 0 ? addDays(today, 1) : addDays(today, 1 - weekday)
  return { from, to: addDays(from, 6) }
}

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, got ${n}`)
}

/** `date` plus `n` calendar days (`n` may be negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'days')
  return fromDayNumber(toDayNumber(date) + n)
}

/** "N weeks from S" is 7 × N calendar days after S. */
export function addWeeks(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'weeks')
  return addDays(date, 7 * n)
}

/**
 * "N months from S" is the same day of the month N months later, or that month's last day when it
 * has no such day: 31 Jan + 1 month = 28 Feb (29 Feb in a leap year); 31 Aug + 6 months = 28 Feb.
 */
export function addMonths(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'months')
  const [year, month, day] = parseIsoDate(date)
  const monthIndex = year * 12 + (month - 1) + n
  const newYear = Math.floor(monthIndex / 12)
  const newMonth = monthIndex - newYear * 12 + 1
  return fromDayNumber(dayNumberFromCivil(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth))))
}

/** Calendar days from `a` to `b`: positive when `b` is later. */
export function calendarDaysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a)
}
