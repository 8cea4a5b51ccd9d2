/**
 * The multi-agency scorecard's own figures (those the returns' performance measures do not
 * already compute; see domain/returns/performance/measures.ts for referrals, re-referrals,
 * assessments, ICPCs and plans): pure functions over query rows, for a period and optionally
 * one agency's contributions.
 */
import { addMonths } from '../timescales/calendar/iso-date.ts'
import { rate, type Period, type Rate, type WorkingDays } from '../returns/performance/measures.ts'
import { SECTION11_RATING } from './codes.ts'
import { childStability, type StabilityPlacement } from '../care/stability.ts'

const within = (date: string, { from, to }: Period) => date >= from && date <= to

/** The name shown for contacts that no partner agency made (the public, family, anonymous). */
export const NO_AGENCY = 'Not a partner agency'

export interface ContactRow {
  receivedOn: string
  decidedOn: string | null
  /** The referrer's agency, null when it was not a partner agency. */
  agencyName: string | null
  /** The decision made it a referral to children's social care. */
  referral: boolean
}

export interface SourceCount {
  agency: string
  contacts: number
  referrals: number
}

/** Contacts received in the period, and those that became referrals, by the referrer's agency (most first). */
export function contactsBySource(rows: readonly ContactRow[], period: Period): SourceCount[] {
  const counts = new Map<string, SourceCount>()
  for (const r of rows.filter((c) => within(c.receivedOn, period))) {
    const agency = r.agencyName ?? NO_AGENCY
    const c = counts.get(agency) ?? { agency, contacts: 0, referrals: 0 }
    c.contacts++
    if (r.referral) c.referrals++
    counts.set(agency, c)
  }
  return [...counts.values()].sort((a, b) => b.contacts - a.contacts || a.agency.localeCompare(b.agency))
}

/** Contacts decided in the period within 1 working day of being received (WT T01). */
export function decisionsWithin1(rows: readonly ContactRow[], period: Period, workingDays: WorkingDays): Rate {
  const decided = rows.filter((r) => r.decidedOn !== null && within(r.decidedOn, period))
  return rate(decided.filter((r) => workingDays(r.receivedOn, r.decidedOn!) <= 1).length, decided.length)
}

export interface ReferralOutcomeRow {
  referralDate: string
  /** An assessment was started in the referral's episode. */
  assessed: boolean
}

/** Referrals in the period that went on to an assessment. */
export function conversionToAssessment(rows: readonly ReferralOutcomeRow[], period: Period): Rate {
  const referred = rows.filter((r) => within(r.referralDate, period))
  return rate(referred.filter((r) => r.assessed).length, referred.length)
}

export interface ReviewConferenceRow {
  heldOn: string
  /** The conference before it for the same child and episode. */
  previousOn: string
  previousKind: string
}

/** Review conferences held in the period on time: within 3 months of the initial conference, then within 6 months of the previous review (WT T15, T16). */
export function reviewConferencesOnTime(rows: readonly ReviewConferenceRow[], period: Period): Rate {
  const held = rows.filter((r) => within(r.heldOn, period))
  const onTime = held.filter((r) => r.heldOn <= addMonths(r.previousOn, r.previousKind === 'review' ? 6 : 3))
  return rate(onTime.length, held.length)
}

export interface InformationRequestRow {
  agencyName: string
  sentOn: string
  /** Hours from sending to the answer; null while unanswered. */
  hoursToAnswer: number | null
  answeredOnTime: boolean
  /** Still open and past its deadline. */
  openOverdue: boolean
}

export interface AgencyResponses {
  agency: string
  sent: number
  answered: number
  answeredOnTime: Rate
  medianHours: number | null
  openOverdue: number
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  const m = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
  return Math.round(m * 10) / 10
}

/** Information requests sent in the period, by the agency asked: answered, on time, median hours to answer, open and overdue. */
export function informationRequestsByAgency(rows: readonly InformationRequestRow[], period: Period): AgencyResponses[] {
  const by = new Map<string, InformationRequestRow[]>()
  for (const r of rows.filter((x) => within(x.sentOn, period))) by.set(r.agencyName, [...(by.get(r.agencyName) ?? []), r])
  return [...by.entries()]
    .map(([agency, rs]) => {
      const answered = rs.filter((r) => r.hoursToAnswer !== null)
      return {
        agency,
        sent: rs.length,
        answered: answered.length,
        answeredOnTime: rate(answered.filter((r) => r.answeredOnTime).length, rs.length),
        medianHours: median(answered.map((r) => r.hoursToAnswer!)),
        openOverdue: rs.filter((r) => r.openOverdue).length,
      }
    })
    .sort((a, b) => a.agency.localeCompare(b.agency))
}

export interface ActionRow {
  agencyName: string
  kind: 'practice-review' | 'section-11'
  dueOn: string
  /** When the partnership closed it; null while open. */
  closedOn: string | null
  createdOn: string
}

export interface AgencyActions {
  agency: string
  open: number
  overdue: number
}

/** Practice review and section 11 actions open at the end of the period, and those past their due date then, by owning agency. */
export function actionsOverdueByAgency(rows: readonly ActionRow[], period: Period): AgencyActions[] {
  const by = new Map<string, AgencyActions>()
  for (const r of rows) {
    if (r.createdOn > period.to || (r.closedOn !== null && r.closedOn <= period.to)) continue
    const a = by.get(r.agencyName) ?? { agency: r.agencyName, open: 0, overdue: 0 }
    a.open++
    if (r.dueOn < period.to) a.overdue++
    by.set(r.agencyName, a)
  }
  return [...by.values()].sort((a, b) => b.overdue - a.overdue || a.agency.localeCompare(b.agency))
}

export interface Section11ReturnRow {
  agencyName: string
  cycleName: string
  issuedOn: string
  /** The rating of each standard (agreed where agreed), null when not rated. */
  ratings: (string | null)[]
}

export interface AgencyRatings {
  agency: string
  cycleName: string
  counts: Record<string, number>
}

/**
 * Each agency's latest answered self-assessment issued by the end of the period: how many
 * standards at each rating, per agency and in total.
 */
export function section11Ratings(rows: readonly Section11ReturnRow[], period: Period): { byAgency: AgencyRatings[]; total: Record<string, number> } {
  const latest = new Map<string, Section11ReturnRow>()
  for (const r of rows) {
    if (r.issuedOn > period.to) continue
    const seen = latest.get(r.agencyName)
    if (!seen || seen.issuedOn < r.issuedOn) latest.set(r.agencyName, r)
  }
  const empty = () => Object.fromEntries([...SECTION11_RATING.map((x) => x.code as string), 'not-rated'].map((c) => [c, 0]))
  const total = empty()
  const byAgency = [...latest.values()]
    .sort((a, b) => a.agencyName.localeCompare(b.agencyName))
    .map((r) => {
      const counts = empty()
      for (const rating of r.ratings) {
        const key = rating !== null && rating in counts ? rating : 'not-rated'
        counts[key]!++
        total[key]!++
      }
      return { agency: r.agencyName, cycleName: r.cycleName, counts }
    })
  return { byAgency, total }
}

export interface InCareRow {
  startedOn: string
  endedOn: string | null
  dateOfBirth: string | null
  placements: StabilityPlacement[]
}

export interface PlacementStabilityFigures {
  /** Children looked after on the last day of the period. */
  inCare: number
  /** Of them, those with 3 or more placements (not temporary moves) in the 12 months to that day. */
  threeOrMore: Rate
  /** Of those under 16 looked after for 2½ years or more, those in their current placement for 2 years or more. */
  longTermStable: Rate
}

/**
 * Placement stability on the period's last day, as DfE's children looked after indicators count it
 * (domain/care/stability.ts for one child): children looked after that day with 3 or more
 * placements in the 12 months before; and of the children under 16 looked after continuously for
 * 2½ years or more, those who have lived in the same placement for 2 years or more.
 */
export function placementStability(rows: readonly InCareRow[], period: Period): PlacementStabilityFigures {
  const on = period.to
  const inCare = rows.filter((r) => r.startedOn <= on && (r.endedOn === null || r.endedOn > on))
  const each = inCare.map((r) => ({ r, s: childStability(r.placements, r.startedOn, r.dateOfBirth, on) }))
  const longTerm = each.filter(({ r }) => addMonths(r.startedOn, 30) <= on && (r.dateOfBirth === null || addMonths(r.dateOfBirth, 16 * 12) > on) && r.placements.length > 0)
  return {
    inCare: inCare.length,
    threeOrMore: rate(each.filter(({ s }) => s.threeOrMore).length, each.length),
    longTermStable: rate(longTerm.filter(({ s }) => !s.longTermUnstable && s.currentSince !== null).length, longTerm.length),
  }
}

export interface CareLeaverContactRow {
  on: string
  inTouch: string | null
  accommodation: string | null
  activity: string | null
}

export interface CareLeaverRow {
  dateOfBirth: string | null
  contacts: CareLeaverContactRow[]
}

export interface CareLeaverFigures {
  /** Care leavers whose 19th, 20th or 21st birthday fell in the period. */
  aged19to21: number
  /** Of them, in touch and in suitable accommodation (903 ACCOM ending 1) around that birthday. */
  suitableAccommodation: Rate
  /** Of them, in touch and in education, employment or training (903 ACTIV F1-F5, P1-P5) around that birthday. */
  inEducationEmploymentTraining: Rate
}

const EET = /^[FP][1-5]$/

/**
 * Care leavers' accommodation and activity at 19 to 21, as the 903's OC3 asks them: the young people
 * whose 19th, 20th or 21st birthday fell in the period (the latest such birthday), with the latest
 * contact recorded from 3 months before that birthday to 1 month after it. No contact in that window,
 * or not in touch, counts as neither suitable nor in education, employment or training, as the DfE
 * counts "not known".
 */
export function careLeaverOutcomes(rows: readonly CareLeaverRow[], period: Period): CareLeaverFigures {
  const cohort: CareLeaverContactRow[] = []
  let size = 0
  for (const r of rows) {
    if (!r.dateOfBirth) continue
    const birthday = [21, 20, 19].map((age) => addMonths(r.dateOfBirth!, age * 12)).find((d) => within(d, period))
    if (!birthday) continue
    size++
    const from = addMonths(birthday, -3)
    const to = addMonths(birthday, 1)
    const latest = r.contacts.filter((c) => c.on >= from && c.on <= to).sort((a, b) => b.on.localeCompare(a.on))[0]
    if (latest && latest.inTouch === 'YES') cohort.push(latest)
  }
  return {
    aged19to21: size,
    suitableAccommodation: rate(cohort.filter((c) => c.accommodation?.endsWith('1')).length, size),
    inEducationEmploymentTraining: rate(cohort.filter((c) => EET.test(c.activity ?? '')).length, size),
  }
}
