import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidDateError } from './calendar/iso-date.ts'
import { CalendarRangeError } from './calendar/working-days.ts'
import { dueDate } from './due-date.ts'
import type { TimescaleUnit } from './duration.ts'
import { EDITION_YEARS, EDITIONS, editionInForce, findEdition } from './editions.ts'
import {
  NoEditionInForceError,
  RuleNotInEditionError,
  RuleNotInForceError,
  UnknownEditionError,
  UnknownRuleError,
} from './errors.ts'
import { findRule, listRules, RULE_IDS } from './rules.ts'

type Limit = [number, TimescaleUnit]
const WD = 'working-days'
const every = (limit: Limit): Record<number, Limit> => Object.fromEntries(EDITION_YEARS.map((y) => [y, limit]))
const from = (first: number, limit: Limit): Record<number, Limit> =>
  Object.fromEntries(EDITION_YEARS.filter((y) => y >= first).map((y) => [y, limit]))

/** Issue 3, item 4 (and the local rules of item 5), written out independently of the data. */
const EXPECTED: Record<string, Record<number, Limit>> = {
  'referral-decision': every([1, WD]),
  'initial-assessment': { 2006: [7, WD], 2010: [10, WD] },
  'core-assessment': { 2006: [35, WD], 2010: [35, WD] },
  assessment: from(2013, [45, WD]),
  'strategy-discussion': every([24, 'hours']),
  icpc: every([15, WD]),
  'first-core-group': every([10, WD]),
  'core-group': every([4, 'weeks']),
  'child-protection-visit': every([10, WD]),
  'first-review-conference': every([3, 'months']),
  'review-conference': every([6, 'months']),
  'transfer-in-conference': every([15, WD]),
  'serious-incident-notification': from(2013, [5, WD]),
  'rapid-review': from(2018, [15, WD]),
  lcspr: from(2018, [6, 'months']),
  'scr-decision': { 2013: [1, 'months'], 2015: [1, 'months'] },
  'scr-completion': { 2006: [4, 'months'], 2010: [6, 'months'], 2013: [6, 'months'], 2015: [6, 'months'] },
  'lado-referral': from(2018, [1, WD]),
  'lado-resolution-month': from(2018, [1, 'months']),
  'lado-resolution-quarter': from(2018, [3, 'months']),
  'lado-resolution-year': from(2018, [12, 'months']),
  'review-advance-notice': from(2018, [7, WD]),
  'section-11-cycle': every([24, 'months']),
  'prebirth-conference': every([28, 'weeks']),
}

/** Rules made by legislation or other guidance (DHRs): in force from a date, whatever the edition. */
const REGULATION: Record<string, { from: string; limit: Limit }> = {
  'cla-first-review': { from: '2011-04-01', limit: [20, WD] },
  'cla-second-review': { from: '2011-04-01', limit: [3, 'months'] },
  'cla-review': { from: '2011-04-01', limit: [6, 'months'] },
  'care-proceedings': { from: '2014-04-22', limit: [26, 'weeks'] },
  'dhr-decision': { from: '2011-04-13', limit: [1, 'months'] },
  'dhr-completion': { from: '2011-04-13', limit: [6, 'months'] },
  'cdop-notification': { from: '2019-04-01', limit: [48, 'hours'] },
  'police-protection': { from: '1991-10-14', limit: [72, 'hours'] },
  'emergency-protection-order': { from: '1991-10-14', limit: [8, 'days'] },
  'epo-extension': { from: '1991-10-14', limit: [7, 'days'] },
  'return-home-interview': { from: '2014-01-01', limit: [72, 'hours'] },
  'initial-health-assessment': { from: '2011-04-01', limit: [20, WD] },
  'review-health-assessment-under-5': { from: '2011-04-01', limit: [6, 'months'] },
  'review-health-assessment': { from: '2011-04-01', limit: [12, 'months'] },
  sdq: { from: '2011-04-01', limit: [12, 'months'] },
  pep: { from: '2011-04-01', limit: [20, WD] },
  'pep-review': { from: '2011-04-01', limit: [4, 'months'] },
  'pathway-plan-review': { from: '2011-04-01', limit: [6, 'months'] },
  'leaving-care-support-21': { from: '2001-10-01', limit: [3, 'months'] },
  'leaving-care-support-25': { from: '2018-04-01', limit: [3, 'months'] },
}

/** The rules of guidance rather than of statute: 'should'. */
const GUIDANCE = new Set(['cdop-notification', 'return-home-interview', 'initial-health-assessment', 'review-health-assessment-under-5', 'review-health-assessment', 'sdq', 'pep', 'pep-review', 'pathway-plan-review', 'leaving-care-support-21', 'leaving-care-support-25'])

describe('the rules table', () => {
  it('has exactly the expected rule ids', () => {
    assert.deepEqual(new Set(RULE_IDS), new Set([...Object.keys(EXPECTED), ...Object.keys(REGULATION)]))
    assert.deepEqual(new Set(listRules().map((r) => r.id)), new Set(RULE_IDS))
  })

  it('gives every row its events, a strength and a source, and no rule two rows for one edition', () => {
    for (const row of listRules()) {
      assert.ok(row.title && row.startEvent && row.endEvent && row.source, row.id)
      assert.ok(Number.isInteger(row.limit) && row.limit > 0, row.id)
      assert.equal((row.editions === undefined) !== (row.inForceFrom === undefined), true, `${row.id}: editions xor inForceFrom`)
      assert.equal(row.strength === 'local', row.local !== undefined, `${row.id}: local rules name their setting`)
    }
    for (const id of RULE_IDS) {
      const rows = findRule(id)
      const editions = rows.flatMap((r) => r.editions ?? [])
      assert.equal(new Set(editions).size, editions.length, `${id} has one row per edition`)
      assert.ok(rows.every((r) => (r.inForceFrom === undefined) === (rows[0]?.inForceFrom === undefined)), id)
    }
  })

  it('marks legal duties as must and local rules as local', () => {
    const strength = (id: string): string | undefined => findRule(id)[0]?.strength
    for (const id of Object.keys(REGULATION)) assert.equal(strength(id), id.startsWith('dhr-') || GUIDANCE.has(id) ? 'should' : 'must')
    assert.equal(strength('serious-incident-notification'), 'must')
    for (const id of ['first-core-group', 'core-group', 'child-protection-visit', 'strategy-discussion', 'transfer-in-conference', 'review-advance-notice', 'section-11-cycle']) {
      assert.equal(strength(id), 'local')
    }
    assert.equal(strength('assessment'), 'should')
  })

  it('answers every rule in every edition it exists in, and errors in the others', () => {
    for (const [rule, byEdition] of Object.entries(EXPECTED)) {
      for (const edition of EDITION_YEARS) {
        const expected = byEdition[edition]
        const ask = (): ReturnType<typeof dueDate> => dueDate({ rule, start: '2027-06-01', edition })
        if (expected) {
          const result = ask()
          assert.deepEqual([result.limit, result.unit], expected, `${rule} in ${edition}`)
          assert.equal(result.edition, edition)
        } else {
          assert.throws(ask, RuleNotInEditionError, `${rule} must not exist in ${edition}`)
        }
      }
    }
  })

  it('answers regulation rules from their commencement in any edition, and not before', () => {
    for (const [rule, { from: inForce, limit }] of Object.entries(REGULATION)) {
      for (const edition of EDITION_YEARS) {
        const result = dueDate({ rule, start: inForce, edition })
        assert.deepEqual([result.limit, result.unit], limit)
      }
      const dayBefore = new Date(Date.parse(inForce) - 86_400_000).toISOString().slice(0, 10)
      assert.throws(() => dueDate({ rule, start: dayBefore }), RuleNotInForceError)
    }
  })
})

describe('due dates worked out by hand', () => {
  const cases: [rule: string, start: string, edition: number, due: string, why: string][] = [
    ['referral-decision', '2024-03-28', 2023, '2024-04-02', 'Thu before Easter: Good Friday, Easter Monday skipped'],
    ['referral-decision', '2007-12-24', 2006, '2007-12-27', 'Christmas Eve: 25, 26 skipped'],
    ['initial-assessment', '2008-03-20', 2006, '2008-04-02', '7 WD over Easter 2008 (21, 24 March)'],
    ['initial-assessment', '2012-08-23', 2010, '2012-09-07', '10 WD over the summer bank holiday (27 Aug)'],
    ['core-assessment', '2008-01-02', 2006, '2008-02-20', '35 WD, no holidays'],
    ['core-assessment', '2011-04-21', 2010, '2011-06-16', '35 WD over Easter, the royal wedding, early May and spring'],
    ['assessment', '2013-04-15', 2013, '2013-06-19', 'first day of WT2013; early May and spring holidays'],
    ['assessment', '2024-03-28', 2023, '2024-06-05', '45 WD over Easter, early May and spring'],
    ['icpc', '2025-12-19', 2023, '2026-01-14', '15 WD over Christmas and New Year'],
    ['first-core-group', '2026-03-02', 2026, '2026-03-16', '10 WD, WT2026 in force'],
    ['first-review-conference', '2025-11-30', 2023, '2026-02-28', '3 months, clamped to February'],
    ['review-conference', '2023-08-31', 2018, '2024-02-29', '6 months, clamped to a leap February'],
    ['serious-incident-notification', '2022-09-14', 2018, '2022-09-22', '5 WD over the State Funeral'],
    ['rapid-review', '2022-05-26', 2018, '2022-06-20', '15 WD over the Platinum Jubilee days'],
    ['lcspr', '2019-08-31', 2018, '2020-02-29', '6 months to a leap February'],
    ['scr-decision', '2014-01-31', 2013, '2014-02-28', '1 month, clamped'],
    ['scr-completion', '2009-10-31', 2006, '2010-02-28', '4 months under WT2006'],
    ['scr-completion', '2010-03-01', 2010, '2010-09-01', '6 months under WT2010'],
    ['lado-referral', '2023-05-05', 2018, '2023-05-09', 'Fri before the coronation Monday'],
    ['cla-first-review', '2011-04-01', 2010, '2011-05-05', '20 WD over Easter, the royal wedding and early May'],
    ['cla-second-review', '2024-11-30', 2023, '2025-02-28', '3 months, clamped'],
    ['cla-review', '2024-08-31', 2023, '2025-02-28', '6 months, clamped'],
    ['care-proceedings', '2014-04-22', 2013, '2014-10-21', '26 weeks = 182 days'],
    ['strategy-discussion', '2025-06-13', 2023, '2025-06-14', '24 hours from any time on the start date'],
    ['core-group', '2025-06-13', 2023, '2025-07-11', '4 weeks'],
    ['child-protection-visit', '2025-08-20', 2023, '2025-09-04', '10 WD over the summer bank holiday'],
    ['transfer-in-conference', '2025-04-17', 2023, '2025-05-13', '15 WD over Easter and early May'],
  ]
  for (const [rule, start, edition, due, why] of cases) {
    it(`${rule} from ${start}: ${why}`, () => {
      const result = dueDate({ rule, start })
      assert.equal(result.edition, edition, 'edition in force on the start date')
      assert.equal(result.due, due)
      assert.deepEqual(Object.keys(result), ['rule', 'start', 'edition', 'limit', 'unit', 'due'])
    })
  }
})

describe('editions', () => {
  it('has the seven editions in order, marking dates that are not established to the day', () => {
    assert.deepEqual(
      EDITIONS.map((e) => [e.year, e.inForce, e.precision]),
      [
        [2006, '2006-04-01', 'year'],
        [2010, '2010-03-01', 'month'],
        [2013, '2013-04-15', 'day'],
        [2015, '2015-03-26', 'day'],
        [2018, '2018-07-04', 'day'],
        [2023, '2023-12-15', 'day'],
        [2026, '2026-03-01', 'month'],
      ],
    )
  })

  it('applies the edition in force on the start date, switching on the in-force date', () => {
    assert.equal(editionInForce('2006-03-31'), null)
    for (const edition of EDITIONS) {
      const dayBefore = new Date(Date.parse(edition.inForce) - 86_400_000).toISOString().slice(0, 10)
      assert.equal(editionInForce(edition.inForce)?.year, edition.year, edition.inForce)
      assert.notEqual(editionInForce(dayBefore)?.year, edition.year, dayBefore)
    }
    assert.equal(editionInForce('2040-01-01')?.year, 2026)
    assert.throws(() => editionInForce('2025-02-30'), InvalidDateError)
  })

  it('changes the limit on the boundary day', () => {
    assert.deepEqual(dueDate({ rule: 'initial-assessment', start: '2010-02-26' }), {
      rule: 'initial-assessment', start: '2010-02-26', edition: 2006, limit: 7, unit: WD, due: '2010-03-09',
    })
    assert.deepEqual(dueDate({ rule: 'initial-assessment', start: '2010-03-01' }), {
      rule: 'initial-assessment', start: '2010-03-01', edition: 2010, limit: 10, unit: WD, due: '2010-03-15',
    })
    assert.equal(dueDate({ rule: 'scr-completion', start: '2010-02-28' }).due, '2010-06-28')
  })

  it('makes a rule absent from the edition in force an error, not a default', () => {
    assert.throws(() => dueDate({ rule: 'assessment', start: '2013-04-14' }), {
      name: 'RuleNotInEditionError',
      message: 'rule assessment is not in Working Together 2010 (it is in 2013, 2015, 2018, 2023, 2026)',
    })
    assert.equal(dueDate({ rule: 'assessment', start: '2013-04-15' }).edition, 2013)
    assert.throws(() => dueDate({ rule: 'core-assessment', start: '2013-04-15' }), RuleNotInEditionError)
    assert.throws(() => dueDate({ rule: 'rapid-review', start: '2018-07-03' }), RuleNotInEditionError)
    assert.equal(dueDate({ rule: 'rapid-review', start: '2018-07-04' }).edition, 2018)
    assert.throws(() => dueDate({ rule: 'scr-decision', start: '2018-07-04' }), RuleNotInEditionError)
  })

  it('uses a named edition instead of the one in force', () => {
    const result = dueDate({ rule: 'initial-assessment', start: '2024-03-28', edition: 2010 })
    assert.equal(result.edition, 2010)
    assert.equal(result.limit, 10)
    assert.throws(() => dueDate({ rule: 'assessment', start: '2024-03-28', edition: 2010 }), RuleNotInEditionError)
  })

  it('rejects unknown editions, unknown rules, bad dates and starts before any edition', () => {
    assert.throws(() => findEdition(2011), UnknownEditionError)
    assert.throws(() => dueDate({ rule: 'icpc', start: '2024-01-01', edition: 1999 }), UnknownEditionError)
    assert.throws(() => dueDate({ rule: 'nope', start: '2024-01-01' }), UnknownRuleError)
    assert.throws(() => findRule('constructor'), UnknownRuleError)
    assert.throws(() => dueDate({ rule: 'icpc', start: '2025-02-30' }), InvalidDateError)
    assert.throws(() => dueDate({ rule: 'icpc', start: '2006-03-31' }), NoEditionInForceError)
    assert.throws(() => dueDate({ rule: 'icpc', start: '2033-01-04' }), CalendarRangeError)
    assert.equal(dueDate({ rule: 'cla-review', start: '2040-08-31' }).due, '2041-02-28') // months need no bank holidays
  })
})
