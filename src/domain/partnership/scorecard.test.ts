import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  actionsOverdueByAgency,
  careLeaverOutcomes,
  contactsBySource,
  conversionToAssessment,
  decisionsWithin1,
  informationRequestsByAgency,
  median,
  NO_AGENCY,
  placementStability,
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

  test('placement stability on the period’s last day: 3 or more placements in 12 months, and long-term stability of the under-16s in care 2½ years', () => {
    const placed = (placeType: string, startedOn: string, endedOn: string | null = null) => ({ placeType, startedOn, endedOn })
    const rows = [
      // Three placements in the 12 months (one began before them but was still open), a temporary move not counted.
      { startedOn: '2025-01-01', endedOn: null, dateOfBirth: '2015-01-01', placements: [placed('U4', '2025-01-01', '2026-06-01'), placed('U6', '2026-06-01', '2026-12-01'), placed('T1', '2026-07-01', '2026-07-05'), placed('K2', '2026-12-01')] },
      // Two placements and a temporary move: not 3 or more.
      { startedOn: '2026-05-01', endedOn: null, dateOfBirth: '2012-01-01', placements: [placed('U6', '2026-05-01', '2026-08-01'), placed('T0', '2026-08-01', '2026-08-03'), placed('U4', '2026-08-01')] },
      // In care since 2023 (2½ years and more), under 16, same placement since 2024-01-01 (over 2 years): stable.
      { startedOn: '2023-06-01', endedOn: null, dateOfBirth: '2014-05-01', placements: [placed('U6', '2023-06-01', '2024-01-01'), placed('U4', '2024-01-01')] },
      // In care since 2024-06-01, under 16: its current placement since 2025-12-01 is under 2 years: not stable.
      { startedOn: '2024-06-01', endedOn: null, dateOfBirth: '2013-01-01', placements: [placed('U4', '2024-06-01', '2025-12-01'), placed('U4', '2025-12-01')] },
      // Over 16 on the day: not in the long-term measure.
      { startedOn: '2020-01-01', endedOn: null, dateOfBirth: '2010-01-01', placements: [placed('K2', '2020-01-01')] },
      // Left care on the last day, and one starting after it: neither counted.
      { startedOn: '2026-01-01', endedOn: '2027-03-31', dateOfBirth: '2016-01-01', placements: [placed('U4', '2026-01-01', '2026-02-01'), placed('U4', '2026-02-01', '2026-03-01'), placed('U4', '2026-03-01', '2027-03-31')] },
      { startedOn: '2027-04-01', endedOn: null, dateOfBirth: '2016-01-01', placements: [] },
    ]
    const figures = placementStability(rows, period)
    assert.equal(figures.inCare, 5)
    assert.deepEqual(figures.threeOrMore, { count: 1, of: 5, percent: 20 })
    assert.deepEqual(figures.longTermStable, { count: 1, of: 2, percent: 50 }, 'the first (in care from 2025-01-01) is 2¼ years in care: not counted')
  })

  test('care leavers at 19 to 21: in touch, suitable accommodation and education, employment or training around the birthday', () => {
    const contact = (on: string, inTouch: string | null, accommodation: string | null = null, activity: string | null = null) => ({ on, inTouch, accommodation, activity })
    const rows = [
      // 19 on 2026-06-10; the latest contact in the window (a month after) is in touch, Z1 suitable, F2 education.
      { dateOfBirth: '2007-06-10', contacts: [contact('2026-04-01', 'YES', 'S2', 'G5'), contact('2026-07-01', 'YES', 'Z1', 'F2'), contact('2026-08-01', 'YES', 'S2', 'G5')] },
      // 21 on 2027-01-15: in touch, unsuitable accommodation (ending 2), part-time work.
      { dateOfBirth: '2006-01-15', contacts: [contact('2027-01-10', 'YES', 'U2', 'P5')] },
      // 20 on 2026-09-01: not in touch: counted, neither.
      { dateOfBirth: '2006-09-01', contacts: [contact('2026-09-02', 'NO')] },
      // 20 on 2026-11-01: no contact in the window (3 months before to 1 month after): counted, neither.
      { dateOfBirth: '2006-11-01', contacts: [contact('2026-07-01', 'YES', 'U1', 'F1')] },
      // 18 and 22 in the period: not in the cohort.
      { dateOfBirth: '2008-06-01', contacts: [contact('2026-06-01', 'YES', 'U1', 'F1')] },
      { dateOfBirth: '2004-06-01', contacts: [contact('2026-06-01', 'YES', 'U1', 'F1')] },
    ]
    const figures = careLeaverOutcomes(rows, period)
    assert.equal(figures.aged19to21, 4)
    assert.deepEqual(figures.suitableAccommodation, { count: 1, of: 4, percent: 25 })
    assert.deepEqual(figures.inEducationEmploymentTraining, { count: 2, of: 4, percent: 50 })
  })
})
