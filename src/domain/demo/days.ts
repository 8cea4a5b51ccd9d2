/**
 * Dates as day numbers for the synthetic generator, which handles millions of them: ISO strings
 * are made once per day and cached, working days come from the bank holiday calendar, and times of
 * day are turned into UTC instants by the England clock (GMT, or BST from the last Sunday of March
 * to the last Sunday of October).
 */
import { addMonths, dayOfWeekOf, fromDayNumber, toDayNumber, type IsoDate } from '../timescales/calendar/iso-date.ts'
import type { BankHolidayCalendar } from '../timescales/calendar/working-days.ts'

export class SyntheticDays {
  private readonly isoCache = new Map<number, IsoDate>()
  private readonly bstCache = new Map<number, [start: number, end: number]>()

  constructor(readonly calendar: BankHolidayCalendar) {}

  dayOf(date: IsoDate): number {
    return toDayNumber(date)
  }

  iso(day: number): IsoDate {
    let s = this.isoCache.get(day)
    if (s === undefined) {
      s = fromDayNumber(day)
      this.isoCache.set(day, s)
    }
    return s
  }

  isWorkingDay(day: number): boolean {
    return this.calendar.isWorkingDay(this.iso(day))
  }

  /** The Nth working day after `day` (day 0), as the timescales count. */
  addWorkingDays(day: number, n: number): number {
    return toDayNumber(this.calendar.addWorkingDays(this.iso(day), n))
  }

  /** `day` itself when it is a working day, else the next one. */
  workingDayOnOrAfter(day: number): number {
    return this.isWorkingDay(day) ? day : this.addWorkingDays(day, 1)
  }

  /** `day` itself when it is a working day, else the one before. */
  workingDayOnOrBefore(day: number): number {
    return this.isWorkingDay(day) ? day : this.addWorkingDays(day, -1)
  }

  addMonths(day: number, n: number): number {
    return toDayNumber(addMonths(this.iso(day), n))
  }

  weekday(day: number): number {
    return dayOfWeekOf(day)
  }

  /** The UTC instant (ISO 8601, as JSON writes a Date) of a time of day in England. */
  instant(day: number, minuteOfDay: number, second = 0): string {
    const offset = this.isSummerTime(day) ? 60 : 0
    let minutes = minuteOfDay - offset
    let d = day
    if (minutes < 0) {
      minutes += 1440
      d -= 1
    }
    const hh = Math.floor(minutes / 60)
    const mm = minutes % 60
    return `${this.iso(d)}T${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}:${second < 10 ? '0' : ''}${second}.000Z`
  }

  /** British Summer Time for the whole of the working day (clocks change at 01:00 UTC on Sundays). */
  isSummerTime(day: number): boolean {
    const year = Number(this.iso(day).slice(0, 4))
    let range = this.bstCache.get(year)
    if (!range) {
      const lastSunday = (month: number) => {
        const last = toDayNumber(addMonths(`${year}-${month < 10 ? '0' : ''}${month}-01`, 1)) - 1
        return last - dayOfWeekOf(last)
      }
      range = [lastSunday(3), lastSunday(10)]
      this.bstCache.set(year, range)
    }
    return day >= range[0] && day < range[1]
  }
}
