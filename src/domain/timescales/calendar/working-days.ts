import { dayOfWeekOf, fromDayNumber, toDayNumber, type IsoDate } from './iso-date.ts'

/** A date outside the years for which bank holidays are known, so working days cannot be counted. */
export class CalendarRangeError extends Error {
  override name = 'CalendarRangeError'
  constructor(
    readonly date: IsoDate,
    readonly firstYear: number,
    readonly lastYear: number,
    message = `no bank holiday data for ${date}: the working-day calendar covers ${firstYear} to ${lastYear}`,
  ) {
    super(message)
  }
}

/**
 * England working days: Monday to Friday except bank holidays, for a run of whole years.
 *
 * Counting conventions (shared by every timescale):
 * - The start date is day 0. "N working days from S" is the Nth working day after S, whether or not
 *   S is itself a working day: 1 working day from Friday, Saturday or Sunday is the next Monday
 *   (when that Monday is not a bank holiday).
 * - Dates outside the covered years throw CalendarRangeError rather than guess.
 *
 * Everything is precomputed once, so each query is a map lookup and an array index.
 */
export class BankHolidayCalendar {
  readonly firstYear: number
  readonly lastYear: number
  private readonly firstDay: number
  /** Offset from firstDay, for every date string in the covered years. */
  private readonly offsets = new Map<IsoDate, number>()
  private readonly holiday: Uint8Array
  /** workingUpTo[i] = number of working days on or before firstDay + i. */
  private readonly workingUpTo: Int32Array
  /** The covered working days, in order. */
  private readonly workingDays: IsoDate[] = []

  /** @param bankHolidays every bank holiday in firstYear..lastYear (weekend dates are ignored). */
  constructor(bankHolidays: Iterable<IsoDate>, coverage: { firstYear: number; lastYear: number }) {
    const { firstYear, lastYear } = coverage
    if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || firstYear > lastYear) {
      throw new RangeError(`bad calendar coverage: ${firstYear} to ${lastYear}`)
    }
    this.firstYear = firstYear
    this.lastYear = lastYear
    this.firstDay = toDayNumber(`${String(firstYear).padStart(4, '0')}-01-01`)
    const length = toDayNumber(`${String(lastYear).padStart(4, '0')}-12-31`) - this.firstDay + 1
    this.holiday = new Uint8Array(length)
    for (const date of bankHolidays) {
      const offset = toDayNumber(date) - this.firstDay
      if (offset < 0 || offset >= length) throw new CalendarRangeError(date, firstYear, lastYear)
      this.holiday[offset] = 1
    }
    this.workingUpTo = new Int32Array(length)
    let count = 0
    for (let offset = 0; offset < length; offset++) {
      const date = fromDayNumber(this.firstDay + offset)
      this.offsets.set(date, offset)
      const weekday = dayOfWeekOf(this.firstDay + offset)
      if (weekday !== 0 && weekday !== 6 && this.holiday[offset] === 0) {
        this.workingDays.push(date)
        count++
      }
      this.workingUpTo[offset] = count
    }
  }

  private offsetOf(date: IsoDate): number {
    const offset = this.offsets.get(date)
    if (offset !== undefined) return offset
    toDayNumber(date) // throws InvalidDateError for a malformed date
    throw new CalendarRangeError(date, this.firstYear, this.lastYear)
  }

  /** Whether bank holidays are known for this date's year. */
  covers(date: IsoDate): boolean {
    toDayNumber(date)
    return this.offsets.has(date)
  }

  /** A bank holiday falling on a weekday (a weekend date is never one: substitute days are listed instead). */
  isBankHoliday(date: IsoDate): boolean {
    const offset = this.offsetOf(date)
    const weekday = dayOfWeekOf(this.firstDay + offset)
    return this.holiday[offset] === 1 && weekday !== 0 && weekday !== 6
  }

  /** Monday to Friday and not a bank holiday. */
  isWorkingDay(date: IsoDate): boolean {
    const offset = this.offsetOf(date)
    return this.workingUpTo[offset] !== (offset === 0 ? 0 : this.workingUpTo[offset - 1])
  }

  /**
   * The Nth working day after `start` (day 0), whether or not `start` is a working day.
   * `n` = 0 returns `start` itself; a negative `n` counts back: -1 is the last working day before `start`.
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    if (!Number.isSafeInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`)
    const offset = this.offsetOf(start)
    if (n === 0) return start
    const upToStart = this.workingUpTo[offset] as number
    const index = n > 0 ? upToStart + n - 1 : upToStart - (this.isWorkingDay(start) ? 1 : 0) + n
    const result = this.workingDays[index]
    if (result === undefined) {
      const range = `${this.firstYear} to ${this.lastYear}`
      throw new CalendarRangeError(start, this.firstYear, this.lastYear,
        `${n} working days from ${start} falls outside the working-day calendar (${range})`)
    }
    return result
  }

  /**
   * The working days after `a` up to and including `b`; negative (minus those after `b` up to and
   * including `a`) when `b` is before `a`. So `addWorkingDays(a, workingDaysBetween(a, b)) === b`
   * whenever `b` is a working day after `a`.
   */
  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    return (this.workingUpTo[this.offsetOf(b)] as number) - (this.workingUpTo[this.offsetOf(a)] as number)
  }
}
