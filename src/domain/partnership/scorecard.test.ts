import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  actionsOverdueByAgency,
  contactsBySource,
  conversionToAssessment,
  decisionsWithin1,
  informationRequestsByAgency,
  median,
  NO_AGENCY,
  reviewConferencesOnTime,
  section11Ratings,
} from './scorecard.ts'

const period = { from: '2026-04-01', to: '2027-03-31' }
/** Calendar days as working days, enough for these hand-made cases. */
const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000

describe('scorecard figures', () => {
  const contacts = [
    { receivedOn: '2026-03-31', decidedOn: '2026-04-01', agencyName: 'School', referral: true },
    { receivedOn: '2026-04-02', decidedOn: '2026-04-02', agencyName: 'School', referral: true },
    { receivedOn: '2026-04-03', decidedOn: '2026-04-07', agencyName: 'School', referral: false },
    { receivedOn: '2026-05-01', decidedOn: null, agencyName: null, referral: false },
    { receivedOn: '2026-05-02', decidedOn: '2026-05-03', agencyName: 'Police', referral: true },
  ]
  test('contacts and referrals by source agency count only contacts received in the period', () => {
    assert.deepEqual(contactsBySource(contacts, period), [
      { agency: 'School', contacts: 2, referrals: 1 },
      { agency: NO_AGENCY, contacts: 1, referrals: 0 },
      { agency: 'Police', contacts: 1, referrals: 1 },
    ])
  })
  test('decisions within 1 working day, of those decided in the period', () => {
    assert.deepEqual(decisionsWithin1(contacts, period, days), { count: 3, of: 4, percent: 75 })
  })
  test('conversion to assessment', () => {
    const rows = [
      { referralDate: '2026-04-01', assessed: true },
      { referralDate: '2026-06-01', assessed: false },
      { referralDate: '2026-07-01', assessed: true },
      { referralDate: '2027-04-01', assessed: true },
    ]
    assert.deepEqual(conversionToAssessment(rows, period), { count: 2, of: 3, percent: 67 })
    assert.deepEqual(conversionToAssessment([], period), { count: 0, of: 0, percent: null })
  })
  test('review conferences: 3 months after the initial, 6 months after a review', () => {
    const rows = [
      { heldOn: '2026-07-01', previousOn: '2026-04-01', previousKind: 'initial' },
      { heldOn: '2026-07-02', previousOn: '2026-04-01', previousKind: 'initial' },
      { heldOn: '2027-01-01', previousOn: '2026-07-01', previousKind: 'review' },
      { heldOn: '2026-03-01', previousOn: '2025-01-01', previousKind: 'review' },
    ]
    assert.deepEqual(reviewConferencesOnTime(rows, period), { count: 2, of: 3, percent: 67 })
  })
  test('information requests by agency: median hours of the answered, overdue of the open', () => {
    const rows = [
      { agencyName: 'Health', sentOn: '2026-05-01', hoursToAnswer: 2, answeredOnTime: true, openOverdue: false },
      { agencyName: 'Health', sentOn: '2026-05-02', hoursToAnswer: 30, answeredOnTime: false, openOverdue: false },
      { agencyName: 'Health', sentOn: '2026-05-03', hoursToAnswer: null, answeredOnTime: false, openOverdue: true },
      { agencyName: 'Police', sentOn: '2026-05-01', hoursToAnswer: 5, answeredOnTime: true, openOverdue: false },
      { agencyName: 'Police', sentOn: '2025-05-01', hoursToAnswer: 500, answeredOnTime: false, openOverdue: false },
    ]
    assert.deepEqual(informationRequestsByAgency(rows, period), [
      { agency: 'Health', sent: 3, answered: 2, answeredOnTime: { count: 1, of: 3, percent: 33 }, medianHours: 16, openOverdue: 1 },
      { agency: 'Police', sent: 1, answered: 1, answeredOnTime: { count: 1, of: 1, percent: 100 }, medianHours: 5, openOverdue: 0 },
    ])
    assert.equal(median([3, 1, 2]), 2)
    assert.equal(median([]), null)
  })
  test('actions open at the end of the period and overdue then, by owning agency', () => {
    const rows = [
      { agencyName: 'School', kind: 'section-11' as const, dueOn: '2027-01-01', closedOn: null, createdOn: '2026-06-01' },
      { agencyName: 'School', kind: 'practice-review' as const, dueOn: '2027-06-01', closedOn: null, createdOn: '2026-06-01' },
      { agencyName: 'School', kind: 'practice-review' as const, dueOn: '2026-07-01', closedOn: '2026-08-01', createdOn: '2026-06-01' },
      { agencyName: 'Police', kind: 'practice-review' as const, dueOn: '2026-07-01', closedOn: '2027-05-01', createdOn: '2026-06-01' },
      { agencyName: 'Police', kind: 'section-11' as const, dueOn: '2026-07-01', closedOn: null, createdOn: '2027-05-01' },
    ]
    assert.deepEqual(actionsOverdueByAgency(rows, period), [
      { agency: 'Police', open: 1, overdue: 1 },
      { agency: 'School', open: 2, overdue: 1 },
    ])
  })
  test("section 11 ratings: each agency's latest cycle issued by the end of the period", () => {
    const rows = [
      { agencyName: 'School', cycleName: '2024', issuedOn: '2024-10-01', ratings: ['not-met', 'not-met'] },
      { agencyName: 'School', cycleName: '2026', issuedOn: '2026-10-01', ratings: ['met', 'partly-met'] },
      { agencyName: 'School', cycleName: '2028', issuedOn: '2028-10-01', ratings: ['met', 'met'] },
      { agencyName: 'Police', cycleName: '2026', issuedOn: '2026-10-01', ratings: ['met', null] },
    ]
    const { byAgency, total } = section11Ratings(rows, period)
    assert.deepEqual(byAgency.map((a) => [a.agency, a.cycleName, a.counts]), [
      ['Police', '2026', { met: 1, 'partly-met': 0, 'not-met': 0, 'not-rated': 1 }],
      ['School', '2026', { met: 1, 'partly-met': 1, 'not-met': 0, 'not-rated': 0 }],
    ])
    assert.deepEqual(total, { met: 2, 'partly-met': 1, 'not-met': 0, 'not-rated': 1 })
  })
})
