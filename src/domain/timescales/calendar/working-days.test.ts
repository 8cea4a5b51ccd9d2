import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addDays, InvalidDateError, isWeekend } from './iso-date.ts'
import { loadBankHolidayCalendar } from './load.ts'
import { BankHolidayCalendar, CalendarRangeError } from './working-days.ts'

const calendar = loadBankHolidayCalendar()

describe('working days (shipped England and Wales calendar)', () => {
  it('covers 2000 to 2032', () => {
    assert.equal(calendar.firstYear, 2000)
    assert.equal(calendar.lastYear, 2032)
  })

  it('treats weekends and bank holidays, including substitute days, as non-working', () => {
    assert.equal(calendar.isWorkingDay('2025-06-09'), true) // Monday
    assert.equal(calendar.isWorkingDay('2025-06-07'), false) // Saturday
    assert.equal(calendar.isWorkingDay('2025-12-25'), false)
    assert.equal(calendar.isWorkingDay('2026-12-28'), false) // Boxing Day substitute (26th is a Saturday)
    assert.equal(calendar.isWorkingDay('2027-12-27'), false) // Christmas Day substitute
    assert.equal(calendar.isWorkingDay('2027-12-28'), false) // Boxing Day substitute
    assert.equal(calendar.isWorkingDay('2022-01-03'), false) // New Year's Day substitute
    assert.equal(calendar.isWorkingDay('2022-09-19'), false) // State Funeral
    assert.equal(calendar.isBankHoliday('2026-12-26'), false) // the Saturday itself: not a weekday holiday
    assert.equal(calendar.isBankHoliday('2026-12-28'), true)
  })

  it('counts from day 0: N working days from S is the Nth working day after S', () => {
    assert.equal(calendar.addWorkingDays('2025-06-09', 0), '2025-06-09')
    assert.equal(calendar.addWorkingDays('2025-06-09', 1), '2025-06-10') // Mon → Tue
    assert.equal(calendar.addWorkingDays('2025-06-13', 1), '2025-06-16') // Fri → Mon
    assert.equal(calendar.addWorkingDays('2025-06-09', 10), '2025-06-23')
  })

  it('counts the same from a weekend or bank holiday start as from the working day before it', () => {
    assert.equal(calendar.addWorkingDays('2025-06-14', 1), '2025-06-16') // Sat → Mon
    assert.equal(calendar.addWorkingDays('2025-06-15', 1), '2025-06-16') // Sun → Mon
    assert.equal(calendar.addWorkingDays('2025-06-14', 5), '2025-06-20')
    assert.equal(calendar.addWorkingDays('2025-12-25', 1), '2025-12-29') // Christmas (Thu) → Mon
    assert.equal(calendar.addWorkingDays('2025-04-18', 1), '2025-04-22') // Good Friday → Tue after Easter Monday
    assert.equal(calendar.addWorkingDays('2025-04-21', 0), '2025-04-21') // day 0 is the start, working or not
  })

  it('skips Christmas and New Year together', () => {
    assert.equal(calendar.addWorkingDays('2025-12-24', 1), '2025-12-29')
    assert.equal(calendar.addWorkingDays('2025-12-24', 4), '2026-01-02') // 29, 30, 31, (1 Jan), 2
    assert.equal(calendar.addWorkingDays('2020-12-24', 1), '2020-12-29') // 25 Fri, 28 Mon Boxing Day substitute
    assert.equal(calendar.addWorkingDays('2021-12-24', 1), '2021-12-29') // 27 and 28 substitutes
    assert.equal(calendar.addWorkingDays('2021-12-31', 1), '2022-01-04') // 3 Jan substitute
    assert.equal(calendar.addWorkingDays('2010-12-24', 4), '2011-01-04') // 29, 30, 31, (3 Jan substitute), 4
  })

  it('counts across year ends and leap days', () => {
    assert.equal(calendar.addWorkingDays('2024-02-28', 1), '2024-02-29')
    assert.equal(calendar.addWorkingDays('2024-02-29', 1), '2024-03-01')
    assert.equal(calendar.addWorkingDays('2023-02-28', 1), '2023-03-01')
    assert.equal(calendar.addWorkingDays('2000-02-28', 1), '2000-02-29') // 2000 is a leap year
    assert.equal(calendar.addWorkingDays('2031-12-31', 1), '2032-01-02')
  })

  it('counts backwards with a negative N', () => {
    assert.equal(calendar.addWorkingDays('2025-06-16', -1), '2025-06-13') // Mon → Fri
    assert.equal(calendar.addWorkingDays('2025-06-14', -1), '2025-06-13') // Sat → Fri
    assert.equal(calendar.addWorkingDays('2025-12-29', -1), '2025-12-24')
    assert.equal(calendar.addWorkingDays('2025-12-27', -2), '2025-12-23')
  })

  it('counts working days between two dates (after a, up to and including b)', () => {
    assert.equal(calendar.workingDaysBetween('2025-06-09', '2025-06-09'), 0)
    assert.equal(calendar.workingDaysBetween('2025-06-09', '2025-06-13'), 4)
    assert.equal(calendar.workingDaysBetween('2025-06-13', '2025-06-14'), 0) // Fri → Sat
    assert.equal(calendar.workingDaysBetween('2025-12-24', '2026-01-02'), 4)
    assert.equal(calendar.workingDaysBetween('2026-01-02', '2025-12-24'), -4)
    // 2024: 262 weekdays less 8 bank holidays; 1 January is one of them, so all 254 lie after it.
    assert.equal(calendar.workingDaysBetween('2024-01-01', '2024-12-31'), 254)
  })

  it('agrees with a day-by-day count everywhere', () => {
    let seed = 42
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    for (let trial = 0; trial < 2000; trial++) {
      const start = addDays('2000-01-10', random(365 * 32))
      const n = random(80)
      let date = start
      for (let left = n; left > 0; ) {
        date = addDays(date, 1)
        if (!isWeekend(date) && !calendar.isBankHoliday(date)) left--
      }
      assert.equal(calendar.addWorkingDays(start, n), date, `${n} working days from ${start}`)
      assert.equal(calendar.workingDaysBetween(start, date), n)
      const lastWorkingDayFromStart = calendar.isWorkingDay(start) ? start : calendar.addWorkingDays(start, -1)
      if (n > 0) assert.equal(calendar.addWorkingDays(date, -n), lastWorkingDayFromStart)
    }
  })

  it('is fast: 100,000 additions well under a second', () => {
    const began = performance.now()
    for (let i = 0; i < 100_000; i++) calendar.addWorkingDays(i % 2 ? '2024-03-28' : '2019-12-20', (i % 60) + 1)
    const ms = performance.now() - began
    assert.ok(ms < 250, `took ${ms.toFixed(0)} ms`)
  })

  it('refuses dates outside the covered years rather than guess', () => {
    assert.throws(() => calendar.addWorkingDays('2033-01-04', 1), CalendarRangeError)
    assert.throws(() => calendar.isWorkingDay('1999-12-31'), CalendarRangeError)
    assert.throws(() => calendar.addWorkingDays('2032-12-20', 30), {
      name: 'CalendarRangeError',
      message: '30 working days from 2032-12-20 falls outside the working-day calendar (2000 to 2032)',
    })
    assert.throws(() => calendar.addWorkingDays('2000-01-05', -5), CalendarRangeError)
  })

  it('rejects malformed dates and fractional counts', () => {
    assert.throws(() => calendar.addWorkingDays('2025-02-30', 1), InvalidDateError)
    assert.throws(() => calendar.isWorkingDay('yesterday'), InvalidDateError)
    assert.throws(() => calendar.addWorkingDays('2025-02-03', 1.5), RangeError)
  })

  it('can be built from any list of holidays', () => {
    const tiny = new BankHolidayCalendar(['2030-01-01', '2030-01-02'], { firstYear: 2030, lastYear: 2030 })
    assert.equal(tiny.addWorkingDays('2030-01-01', 1), '2030-01-03')
    assert.throws(() => new BankHolidayCalendar(['2031-01-01'], { firstYear: 2030, lastYear: 2030 }), CalendarRangeError)
  })
})
