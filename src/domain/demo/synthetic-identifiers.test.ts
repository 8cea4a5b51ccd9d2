import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultBankHolidayCalendar } from '../timescales/calendar/load.ts'
import { SyntheticDays } from './days.ts'
import { isValidNhsNumber, laChildId, nhsCheckDigit, nhsNumberCapacity, nhsNumberGenerator, upnCheckLetter, upnGenerator } from './identifiers.ts'
import { Prng } from './prng.ts'

describe('seeded generator', () => {
  test('the same seeds give the same sequence; other seeds another', () => {
    const draw = (...seeds: number[]) => {
      const rng = new Prng(...seeds)
      return Array.from({ length: 5 }, () => rng.nextUint32())
    }
    assert.deepEqual(draw(1, 2), draw(1, 2))
    assert.notDeepEqual(draw(1, 2), draw(1, 3))
    assert.notDeepEqual(draw(1, 2), draw(2, 2))
  })

  test('draws stay in range and ids are version 4 UUIDs that do not repeat across streams', () => {
    const rng = new Prng(42)
    for (let i = 0; i < 10_000; i++) {
      const n = rng.int(3, 7)
      assert.ok(n >= 3 && n <= 7 && Number.isInteger(n))
      const x = rng.next()
      assert.ok(x >= 0 && x < 1)
    }
    const ids = new Set<string>()
    for (let child = 0; child < 2000; child++) {
      const stream = new Prng(1, child)
      for (let i = 0; i < 50; i++) {
        const id = stream.uuid()
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
        ids.add(id)
      }
    }
    assert.equal(ids.size, 2000 * 50)
  })

  test('ordered UUIDs are version 8, unique, and sort by prefix then counter', () => {
    const made: string[] = []
    for (const prefix of [1, 2, 255, 65_536, 300_000]) {
      const stream = new Prng(1, prefix)
      for (let counter = 0; counter < 300; counter++) made.push(stream.orderedUuid(prefix, counter))
    }
    for (const id of made) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(new Set(made).size, made.length)
    assert.deepEqual([...made].sort(), made)
    assert.equal(made[0]!.slice(0, 13), '00000001-0000')
  })

  test('weighted and sample choose only from what they are given', () => {
    const rng = new Prng(7)
    const seen = new Set<string>()
    for (let i = 0; i < 1000; i++) seen.add(rng.weighted([['a', 1], ['b', 3], ['never', 0]]))
    assert.deepEqual([...seen].sort(), ['a', 'b'])
    const picked = rng.sample(['p', 'q', 'r', 's'], 3)
    assert.equal(new Set(picked).size, 3)
  })
})

describe('identifiers', () => {
  test('NHS numbers: the modulus 11 check digit, and 999 test-range numbers unique per child', () => {
    assert.equal(nhsCheckDigit('943476591'), 9) // the NHS's own published example, 943 476 5919
    assert.equal(isValidNhsNumber('9434765919'), true)
    assert.equal(isValidNhsNumber('9434765918'), false)
    assert.equal(nhsCheckDigit('999000000'), null) // the check would be 10: no valid number starts so
    const nhs = nhsNumberGenerator(5)
    const seen = new Set<string>()
    for (let i = 0; i < 100_000; i++) {
      const n = nhs(i)
      assert.ok(n.startsWith('999') && isValidNhsNumber(n), n)
      seen.add(n)
    }
    assert.equal(seen.size, 100_000)
    assert.ok(nhsNumberCapacity() > 900_000)
    assert.notEqual(nhsNumberGenerator(6)(0), nhs(0))
  })

  test('UPNs carry the check letter DfE’s rule 1510 computes', () => {
    // From the DfE-validated synthetic CIN fixture in shared/reference/cin.
    for (const upn of ['U938983033764', 'H938425819382', 'X938296472252']) assert.equal(upnCheckLetter(upn.slice(1)), upn[0])
    const upn = upnGenerator(3)
    assert.match(upn(12), /^[A-Z]938\d{9}$/)
    assert.notEqual(upn(12), upn(13))
  })

  test('LA child ids are alphanumeric, at most 20 characters (rules 1570, 1580)', () => {
    for (const [seed, index] of [[1, 0], [4294967295, 899_999]] as const) assert.match(laChildId(seed, index), /^[A-Z0-9]{1,20}$/)
    assert.notEqual(laChildId(1, 1), laChildId(1, 2))
    assert.notEqual(laChildId(1, 1), laChildId(2, 1))
  })
})

describe('synthetic days', () => {
  const days = new SyntheticDays(defaultBankHolidayCalendar())

  test('times of day in England become UTC instants, in GMT and in BST', () => {
    assert.equal(days.instant(days.dayOf('2026-01-15'), 10 * 60 + 30), '2026-01-15T10:30:00.000Z')
    assert.equal(days.instant(days.dayOf('2026-07-01'), 10 * 60 + 30), '2026-07-01T09:30:00.000Z')
    assert.equal(days.instant(days.dayOf('2026-03-29'), 9 * 60), '2026-03-29T08:00:00.000Z') // the clocks went forward at 01:00 UTC
    assert.equal(days.instant(days.dayOf('2026-10-25'), 9 * 60), '2026-10-25T09:00:00.000Z') // and back
    assert.equal(days.instant(days.dayOf('2026-03-28'), 9 * 60, 5), '2026-03-28T09:00:05.000Z')
  })

  test('working days skip weekends and bank holidays', () => {
    const christmasEve = days.dayOf('2025-12-24')
    assert.equal(days.iso(days.addWorkingDays(christmasEve, 1)), '2025-12-29')
    assert.equal(days.iso(days.workingDayOnOrAfter(days.dayOf('2025-12-25'))), '2025-12-29')
    assert.equal(days.iso(days.workingDayOnOrBefore(days.dayOf('2025-12-28'))), '2025-12-24')
    assert.equal(days.iso(days.addMonths(days.dayOf('2026-01-31'), 1)), '2026-02-28')
  })
})
