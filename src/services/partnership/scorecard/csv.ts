/** The scorecard as CSV for the partnership's yearly report: one row per figure (section, measure, breakdown, count, of, percent). */
import { CATEGORY_OF_ABUSE } from '../../../domain/journey/dfe-codes.ts'
import { labelOf, SECTION11_RATING } from '../../../domain/partnership/codes.ts'
import type { Rate } from '../../../domain/returns/performance/measures.ts'
import { csvText } from '../../common/csv.ts'
import type { Scorecard } from './scorecard.ts'

type Row = [section: string, measure: string, breakdown: string, count: number | null, of: number | null, percent: number | null]

const rateRow = (section: string, measure: string, r: Rate, breakdown = ''): Row => [section, measure, breakdown, r.count, r.of, r.percent]
const countRow = (section: string, measure: string, breakdown: string, n: number | null): Row => [section, measure, breakdown, n, null, null]
const ratingLabel = (code: string) => (code === 'not-rated' ? 'Not rated' : labelOf(SECTION11_RATING, code))

export function scorecardRows(s: Scorecard): Row[] {
  const front = 'Front door'
  const rows: Row[] = []
  for (const c of s.contactsBySource) rows.push(countRow(front, 'Contacts', c.agency, c.contacts), countRow(front, 'Referrals', c.agency, c.referrals))
  rows.push(
    rateRow(front, 'Decisions within 1 working day', s.decisionsWithin1),
    rateRow(front, 'Referrals converted to assessment', s.conversionToAssessment),
    countRow('Whole partnership', 'Referrals', '', s.system.referrals),
    rateRow('Whole partnership', 'Re-referrals within 12 months', s.system.rereferrals),
    rateRow('Whole partnership', 'Assessments within 45 working days', s.system.assessmentsWithin45),
    rateRow('Whole partnership', 'Initial conferences within 15 working days', s.system.icpcsWithin15),
    rateRow('Whole partnership', 'Review conferences on time', s.reviewConferencesOnTime),
    rateRow('Whole partnership', 'Repeat plans within 2 years', s.system.repeatPlans),
  )
  for (const [code, n] of s.system.plansByCategory) rows.push(countRow('Children on plans', 'By category', labelOf(CATEGORY_OF_ABUSE, code), n))
  for (const [band, n] of s.system.plansByDuration) rows.push(countRow('Children on plans', 'By duration', band, n))
  for (const r of s.informationRequests) {
    rows.push(countRow('Information requests', 'Sent', r.agency, r.sent), rateRow('Information requests', 'Answered on time', r.answeredOnTime, r.agency))
    rows.push(countRow('Information requests', 'Median hours to answer', r.agency, r.medianHours), countRow('Information requests', 'Open and overdue', r.agency, r.openOverdue))
  }
  for (const a of s.actions) rows.push(countRow('Review and section 11 actions', 'Open', a.agency, a.open), countRow('Review and section 11 actions', 'Overdue', a.agency, a.overdue))
  for (const a of s.section11.byAgency) for (const [rating, n] of Object.entries(a.counts)) rows.push(countRow('Section 11 ratings', `${a.agency} (${a.cycleName})`, ratingLabel(rating), n))
  for (const r of s.lateByReason.reasons) rows.push(countRow('Timescales completed late', 'By reason for delay', r.label, r.count))
  const care = 'Children in care and care leavers'
  rows.push(
    countRow(care, 'Children in care at the end of the period', '', s.placementStability.inCare),
    rateRow(care, '3 or more placements in 12 months', s.placementStability.threeOrMore),
    rateRow(care, 'Under 16, in care 2½ years or more, in the same placement 2 years or more', s.placementStability.longTermStable),
    countRow(care, 'Care leavers with their 19th to 21st birthday in the period', '', s.careLeavers.aged19to21),
    rateRow(care, 'Care leavers aged 19 to 21 in suitable accommodation', s.careLeavers.suitableAccommodation),
    rateRow(care, 'Care leavers aged 19 to 21 in education, employment or training', s.careLeavers.inEducationEmploymentTraining),
  )
  return rows
}

export function scorecardCsv(s: Scorecard): string {
  const header = ['Section', 'Measure', 'Breakdown', 'Count', 'Of', 'Percent']
  return csvText([header, ...scorecardRows(s)])
}
