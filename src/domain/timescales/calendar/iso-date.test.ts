import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  addDays,
  addMonths,
  addWeeks,
  calendarDaysBetween,
  fromDayNumber,
  InvalidDateError,
  isIsoDate,
  isWeekend,
  toDayNumber,
  weekOf,
} from './iso-date.ts'
import { londonDate } from './london-time.ts'

describe('ISO dates', () => {
  it('accepts real dates, including 29 February in leap years', () => {
    for (const date of ['2024-02-29', '2000-02-29', '2025-12-31', '0001-01-01', '2025-04-30']) {
      assert.ok(isIsoDate(date), date)
    }
  })

  it('rejects impossible or malformed dates', () => {
    for (const date of ['2025-02-30', '2023-02-29', '1900-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00',
      '0000-01-01', '2025-1-01', '25-01-01', '2025-01-01T00:00', ' 2025-01-01', '', '20250101']) {
      assert.equal(isIsoDate(date), false, date)
      assert.throws(() => toDayNumber(date), InvalidDateError, date)
    }
    for (const value of [null, undefined, 20250101, {}]) assert.equal(isIsoDate(value), false)
  })

  it('names the bad value in the error', () => {
    assert.throws(() => toDayNumber('2025-02-30'), { message: 'not a valid date (expected YYYY-MM-DD): "2025-02-30"' })
  })

  it('converts to and from day numbers exactly as UTC Date does, 1900 to 2100', () => {
    const first = Date.UTC(1900, 0, 1) / 86_400_000
    const last = Date.UTC(2100, 11, 31) / 86_400_000
    for (let day = first; day <= last; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10)
      assert.equal(fromDayNumber(day), iso)
      assert.equal(toDayNumber(iso), day)
    }
  })

  it('knows weekends', () => {
    assert.equal(isWeekend('2025-06-07'), true) // Saturday
    assert.equal(isWeekend('2025-06-08'), true)
    assert.equal(isWeekend('2025-06-09'), false)
    assert.equal(isWeekend('1969-12-27'), true) // before the epoch
  })

  it('adds calendar days across month, year and leap-day boundaries', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29')
    assert.equal(addDays('2023-02-28', 1), '2023-03-01')
    assert.equal(addDays('2025-12-31', 1), '2026-01-01')
    assert.equal(addDays('2026-01-01', -1), '2025-12-31')
    assert.equal(calendarDaysBetween('2024-01-01', '2025-01-01'), 366)
    assert.equal(calendarDaysBetween('2025-01-01', '2024-01-01'), -366)
  })

  it('counts N weeks as 7 × N calendar days', () => {
    assert.equal(addWeeks('2014-04-22', 26), '2014-10-21')
    assert.equal(addWeeks('2024-02-26', 1), '2024-03-04')
    assert.equal(addWeeks('2025-01-01', 0), '2025-01-01')
  })

  it('counts N months as the same day N months later, or that month\'s last day', () => {
    assert.equal(addMonths('2025-01-31', 1), '2025-02-28')
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29')
    assert.equal(addMonths('2025-08-31', 6), '2026-02-28')
    assert.equal(addMonths('2027-08-31', 6), '2028-02-29')
    assert.equal(addMonths('2025-03-31', 1), '2025-04-30')
    assert.equal(addMonths('2025-05-15', 3), '2025-08-15')
    assert.equal(addMonths('2025-11-30', 3), '2026-02-28')
    assert.equal(addMonths('2025-10-31', 4), '2026-02-28')
    assert.equal(addMonths('2024-02-29', 12), '2025-02-28')
    assert.equal(addMonths('2025-12-15', 1), '2026-01-15')
    assert.equal(addMonths('2025-03-31', -1), '2025-02-28')
  })

  it('rejects fractional amounts', () => {
    assert.throws(() => addMonths('2025-01-01', 1.5), RangeError)
    assert.throws(() => addDays('2025-01-01', Number.NaN), RangeError)
  })

  it('takes "this week" as Monday to Sunday on a weekday, and as the coming week on a Saturday or Sunday', () => {
    const week = { from: '2026-11-16', to: '2026-11-22' }
    for (const day of ['2026-11-16', '2026-11-18', '2026-11-20']) assert.deepEqual(weekOf(day), week, day)
    const coming = { from: '2026-11-23', to: '2026-11-29' }
    assert.deepEqual(weekOf('2026-11-21'), coming, 'Saturday')
    assert.deepEqual(weekOf('2026-11-22'), coming, 'Sunday')
    assert.deepEqual(weekOf('2026-12-27'), { from: '2026-12-28', to: '2027-01-03' }, 'a Sunday at the end of the year')
  })

  it('knows a Sunday by the day in London, not in UTC', () => {
    // Saturday 20 June 2026 at 23:30 UTC is already Sunday 00:30 in London (summer time): the coming week.
    assert.deepEqual(weekOf(londonDate(new Date('2026-06-20T23:30:00Z'))), { from: '2026-06-22', to: '2026-06-28' })
    // Sunday 21 June at 23:30 UTC is Monday 00:30 in London: the same week, now this week.
    assert.deepEqual(weekOf(londonDate(new Date('2026-06-21T23:30:00Z'))), { from: '2026-06-22', to: '2026-06-28' })
    // Sunday 22 November at 23:30 UTC is still Sunday in London (Greenwich Mean Time).
    assert.deepEqual(weekOf(londonDate(new Date('2026-11-22T23:30:00Z'))), { from: '2026-11-23', to: '2026-11-29' })
  })
})
