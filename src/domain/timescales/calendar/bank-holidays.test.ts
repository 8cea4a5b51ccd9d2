import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import Holidays from 'date-holidays'
import { BankHolidayDataError, createBankHolidayCalendar, parseBankHolidayData, type BankHolidayData } from './bank-holidays.ts'
import { isWeekend } from './iso-date.ts'
import { loadBankHolidayCalendar, readBankHolidayFile, SHIPPED_BANK_HOLIDAYS_FILE } from './load.ts'

const shipped = readBankHolidayFile(SHIPPED_BANK_HOLIDAYS_FILE)
const datesIn = (year: number): string[] =>
  shipped.events.filter((e) => e.date.startsWith(`${year}-`)).map((e) => e.date)

/** date-holidays' England list: bank and public holidays, without the weekend dates it lists beside substitutes. */
function oracle(year: number): string[] {
  return new Holidays('GB', 'ENG')
    .getHolidays(year)
    .filter((h) => h.type === 'public' || h.type === 'bank')
    .map((h) => h.date.slice(0, 10))
    .filter((date) => !isWeekend(date))
    .sort()
}

/**
 * Where date-holidays 3.37 is wrong, checked against the proclamations: in 2002 it keeps the spring
 * bank holiday on 27 May and omits the Golden Jubilee (3 June) and the moved spring holiday (4 June);
 * in 2011 it omits the royal wedding (29 April); in 2012 it keeps spring on 28 May instead of 4 June.
 */
const ORACLE_ERRORS: Record<number, { missing: string[]; extra: string[] }> = {
  2002: { missing: ['2002-06-03', '2002-06-04'], extra: ['2002-05-27'] },
  2011: { missing: ['2011-04-29'], extra: [] },
  2012: { missing: ['2012-06-04'], extra: ['2012-05-28'] },
}

describe('shipped bank holidays', () => {
  it('is a GOV.UK england-and-wales division with a source note', () => {
    assert.equal(shipped.division, 'england-and-wales')
    assert.match(shipped.source ?? '', /gov\.uk\/bank-holidays\.json/)
    for (const event of shipped.events) {
      assert.equal(typeof event.title, 'string')
      assert.equal(typeof event.bunting, 'boolean')
      assert.ok(!isWeekend(event.date), `${event.date} is a weekend day`)
    }
    const dates = shipped.events.map((e) => e.date)
    assert.deepEqual(dates, [...dates].sort(), 'events in date order')
    assert.equal(new Set(dates).size, dates.length, 'no duplicate dates')
  })

  it('covers every year from 2000 to 2032 with 8 to 10 days each', () => {
    for (let year = 2000; year <= 2032; year++) {
      const count = datesIn(year).length
      assert.ok(count >= 8 && count <= 10, `${year} has ${count} bank holidays`)
    }
  })

  it('matches date-holidays for every year both cover, except its known errors', () => {
    for (let year = 2000; year <= 2032; year++) {
      const fix = ORACLE_ERRORS[year] ?? { missing: [], extra: [] }
      const expected = [...oracle(year).filter((d) => !fix.extra.includes(d)), ...fix.missing].sort()
      assert.deepEqual(datesIn(year), expected, `bank holidays in ${year}`)
    }
  })

  it('has the one-off and moved days', () => {
    const has = (date: string, title: RegExp): void => {
      const event = shipped.events.find((e) => e.date === date)
      assert.ok(event, `${date} missing`)
      assert.match(event.title, title)
    }
    has('2002-06-03', /Golden Jubilee/)
    has('2002-06-04', /Spring/)
    has('2011-04-29', /wedding/i)
    has('2012-06-04', /Spring/)
    has('2012-06-05', /Diamond Jubilee/)
    has('2020-05-08', /VE day/)
    has('2022-06-02', /Spring/)
    has('2022-06-03', /Platinum Jubilee/)
    has('2022-09-19', /State Funeral/)
    has('2023-05-08', /coronation/i)
    for (const moved of ['2002-05-27', '2012-05-28', '2020-05-04', '2022-05-30']) {
      assert.ok(!datesIn(Number(moved.slice(0, 4))).includes(moved), `${moved} was moved`)
    }
  })

  it('has the substitute days for holidays at a weekend', () => {
    const substitutes = shipped.events.filter((e) => e.notes === 'Substitute day').map((e) => e.date)
    for (const date of ['2000-01-03', '2004-12-27', '2004-12-28', '2005-12-27', '2010-12-28', '2011-01-03',
      '2015-12-28', '2016-12-27', '2017-01-02', '2020-12-28', '2021-12-27', '2021-12-28', '2022-01-03',
      '2022-12-27', '2023-01-02', '2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03', '2032-12-27', '2032-12-28']) {
      assert.ok(substitutes.includes(date), `substitute day ${date}`)
    }
  })
})

describe('loading and layering bank holidays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'together-bank-holidays-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  const division = (events: [date: string, title: string][]): BankHolidayData => ({
    division: 'england-and-wales',
    events: events.map(([date, title]) => ({ title, date, notes: '', bunting: true })),
  })

  it('accepts a whole GOV.UK download and reads its england-and-wales division', () => {
    const download = {
      'england-and-wales': { division: 'england-and-wales', events: [{ title: 'X', date: '2030-01-01', notes: '', bunting: true }] },
      scotland: { division: 'scotland', events: [] },
    }
    assert.equal(parseBankHolidayData(download).events[0]?.date, '2030-01-01')
  })

  it('rejects another division, a bad date, or the wrong shape', () => {
    assert.throws(() => parseBankHolidayData({ division: 'scotland', events: [] }), BankHolidayDataError)
    assert.throws(
      () => parseBankHolidayData({ division: 'england-and-wales', events: [{ title: 'X', date: '2030-02-30' }] }, 'f.json'),
      { name: 'BankHolidayDataError', message: 'f.json: events.0.date: not a valid YYYY-MM-DD date' },
    )
    assert.throws(() => parseBankHolidayData([]), BankHolidayDataError)
  })

  it('lets a later file replace whole years, e.g. a fresh GOV.UK download', () => {
    // Suppose a proclamation moved 2031's early May bank holiday to Friday 9 May and added 2033.
    const fresh = division([
      ['2031-01-01', 'New Year’s Day'], ['2031-05-09', 'Early May bank holiday (moved)'],
      ['2033-01-03', 'New Year’s Day'],
    ])
    const file = join(dir, 'fresh.json')
    writeFileSync(file, JSON.stringify({ 'england-and-wales': fresh }))
    const calendar = loadBankHolidayCalendar({ files: [SHIPPED_BANK_HOLIDAYS_FILE, file] })
    assert.equal(calendar.lastYear, 2033)
    assert.equal(calendar.isWorkingDay('2031-05-05'), true) // the old date, from the shipped file, is gone
    assert.equal(calendar.isWorkingDay('2031-05-09'), false)
    assert.equal(calendar.isWorkingDay('2033-01-03'), false)
    assert.equal(calendar.isWorkingDay('2030-12-25'), false) // years the fresh file lacks are kept
  })

  it('adds single extra dates inside the covered years', () => {
    const calendar = loadBankHolidayCalendar({ extraDates: ['2030-07-01'] })
    assert.equal(calendar.isWorkingDay('2030-07-01'), false)
    assert.throws(() => loadBankHolidayCalendar({ extraDates: ['2040-07-01'] }), BankHolidayDataError)
    assert.throws(() => loadBankHolidayCalendar({ extraDates: ['2030-02-30'] }), BankHolidayDataError)
  })

  it('refuses a gap in the years or no data at all', () => {
    assert.throws(() => createBankHolidayCalendar([division([['2030-01-01', 'A'], ['2032-01-01', 'B']])]), {
      name: 'BankHolidayDataError',
      message: 'no bank holidays given for 2031 (the data runs from 2030 to 2032)',
    })
    assert.throws(() => createBankHolidayCalendar([]), BankHolidayDataError)
  })

  it('reports an unreadable file with its path', () => {
    const file = join(dir, 'broken.json')
    writeFileSync(file, '{ not json')
    assert.throws(() => loadBankHolidayCalendar({ files: [file] }), (err: Error) =>
      err instanceof BankHolidayDataError && err.message.includes(file))
  })
})
