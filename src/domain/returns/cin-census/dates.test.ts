import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isIsoDate, toDayNumber } from '../../timescales/calendar/iso-date.ts'
import { censusDate, censusDayNumber } from './dates.ts'

test('census dates read from the characters agree with the calendar on real dates and on every kind of bad one', () => {
  const values = [
    '2025-03-31', '2024-02-29', '2023-02-29', '2000-02-29', '1900-02-29', '2025-04-31', '2025-06-31', '2025-09-31', '2025-11-31', '2025-12-31', '2025-13-01', '2025-00-10',
    '2025-01-00', '0000-01-01', '0001-01-01', '1969-12-31', '1970-01-01', '2025-1-01', '2025/01/01', '2025-01-01 ', ' 2025-01-01',
    '２０２５-01-01', '2025-0a-01', '20250101xx', '', 'yesterday', '9999-12-31',
  ]
  for (let day = toDayNumber('1999-12-25'); day < toDayNumber('2031-01-07'); day += 7) {
    values.push(new Date(day * 86_400_000).toISOString().slice(0, 10))
  }
  for (const value of values) {
    assert.equal(censusDate(value), isIsoDate(value) ? value : undefined, value)
    if (isIsoDate(value)) assert.equal(censusDayNumber(value), toDayNumber(value), value)
    else assert.throws(() => censusDayNumber(value), value)
  }
  assert.equal(censusDate(undefined), undefined)
})
