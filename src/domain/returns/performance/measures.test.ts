import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { defaultBankHolidayCalendar } from '../../timescales/calendar/index.ts'
import {
  assessmentsWithin45,
  icpcsWithin15,
  plansByCategory,
  plansByDuration,
  referralsIn,
  repeatPlansWithin2Years,
  rereferrals,
} from './measures.ts'

const period = { from: '2025-04-01', to: '2026-03-31' }
const calendar = defaultBankHolidayCalendar()
const wd = (a: string, b: string) => calendar.workingDaysBetween(a, b)

describe('performance measures', () => {
  test('referrals and re-referrals within 12 months', () => {
    const rows = [
      { personId: 'a', referralDate: '2024-06-01' },
      { personId: 'a', referralDate: '2025-05-31' }, // within 12 months of 2024-06-01
      { personId: 'b', referralDate: '2024-01-01' },
      { personId: 'b', referralDate: '2025-06-01' }, // more than 12 months
      { personId: 'c', referralDate: '2026-04-01' }, // after the period
    ]
    assert.equal(referralsIn(rows, period), 2)
    assert.deepEqual(rereferrals(rows, period), { count: 1, of: 2, percent: 50 })
  })

  test('assessments within 45 working days and ICPCs within 15, counted in working days with bank holidays', () => {
    // 2025-12-01 + 45 working days (Christmas, Boxing Day and New Year's Day skipped) is 2026-02-05.
    const assessments = [
      { referralDate: '2025-12-01', completedOn: '2026-02-05' },
      { referralDate: '2025-12-01', completedOn: '2026-02-06' },
      { referralDate: '2025-12-01', completedOn: null },
    ]
    assert.deepEqual(assessmentsWithin45(assessments, period, wd), { count: 1, of: 2, percent: 50 })
    const icpcs = [
      { enquiryStartedOn: '2025-05-01', heldOn: '2025-05-23' }, // 15 working days (bank holiday 5 May)
      { enquiryStartedOn: '2025-05-01', heldOn: '2025-05-27' },
    ]
    assert.deepEqual(icpcsWithin15(icpcs, period, wd), { count: 1, of: 2, percent: 50 })
    assert.deepEqual(icpcsWithin15([], period, wd), { count: 0, of: 0, percent: null })
  })

  test('plans open at the end of the period by category and duration; repeat plans within 2 years', () => {
    const plans = [
      { personId: 'a', startedOn: '2026-02-01', endedOn: null, category: 'NEG' },
      { personId: 'b', startedOn: '2025-01-15', endedOn: null, category: 'EMO' },
      { personId: 'c', startedOn: '2023-01-15', endedOn: '2024-01-10', category: 'NEG' },
      { personId: 'c', startedOn: '2025-09-01', endedOn: '2026-03-31', category: 'PHY' }, // ended on the last day: not open
      { personId: 'd', startedOn: '2021-01-01', endedOn: '2023-05-01', category: 'NEG' },
      { personId: 'd', startedOn: '2025-06-01', endedOn: null, category: 'SAB' },
    ]
    assert.deepEqual([...plansByCategory(plans, period)], [['NEG', 1], ['EMO', 1], ['SAB', 1]])
    assert.deepEqual([...plansByDuration(plans, period)], [
      ['under 3 months', 1],
      ['3 to 6 months', 0],
      ['6 to 12 months', 1],
      ['1 to 2 years', 1],
      ['2 years or more', 0],
    ])
    // c's earlier plan ended 2024-01-10, within 2 years of 2025-09-01; d's ended 2023-05-01, more than 2 years before 2025-06-01.
    assert.deepEqual(repeatPlansWithin2Years(plans, period), { count: 1, of: 3, percent: 33 })
  })
})
