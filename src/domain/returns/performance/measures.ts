/**
 * The performance measures the returns imply, as small pure functions over query rows, so that
 * other views (a partnership scorecard) can reuse them: referrals and re-referrals within 12
 * months, assessments within 45 working days, ICPCs within 15 working days, children on child
 * protection plans by category and by duration, and repeat plans within 2 years.
 */
import { addMonths } from '../../timescales/calendar/iso-date.ts'

export interface Period {
  from: string
  to: string
}

/** Working days from a to b, as the calendar counts them (a's day not counted). */
export type WorkingDays = (a: string, b: string) => number

export interface Rate {
  count: number
  of: number
  /** Whole percent, null when there is nothing to count. */
  percent: number | null
}

export const rate = (count: number, of: number): Rate => ({ count, of, percent: of === 0 ? null : Math.round((count / of) * 100) })

const within = (date: string, { from, to }: Period) => date >= from && date <= to

export interface ReferralRow {
  personId: string
  referralDate: string
}

/** Referrals in the period; `rows` may include earlier referrals (for re-referrals). */
export function referralsIn(rows: readonly ReferralRow[], period: Period): number {
  return rows.filter((r) => within(r.referralDate, period)).length
}

/** Referrals in the period that came within 12 months of the same child's previous referral. */
export function rereferrals(rows: readonly ReferralRow[], period: Period): Rate {
  const byChild = new Map<string, string[]>()
  for (const r of rows) byChild.set(r.personId, [...(byChild.get(r.personId) ?? []), r.referralDate])
  let count = 0
  let of = 0
  for (const dates of byChild.values()) {
    const sorted = [...dates].sort()
    sorted.forEach((d, i) => {
      if (!within(d, period)) return
      of++
      if (i > 0 && sorted[i - 1]! >= addMonths(d, -12)) count++
    })
  }
  return rate(count, of)
}

export interface AssessmentRow {
  referralDate: string
  completedOn: string | null
}

/** Assessments completed in the period within 45 working days of the referral. */
export function assessmentsWithin45(rows: readonly AssessmentRow[], period: Period, workingDays: WorkingDays): Rate {
  const done = rows.filter((r) => r.completedOn !== null && within(r.completedOn, period))
  return rate(done.filter((r) => workingDays(r.referralDate, r.completedOn!) <= 45).length, done.length)
}

export interface IcpcRow {
  /** The strategy discussion that started the section 47 enquiry. */
  enquiryStartedOn: string
  heldOn: string
}

/** Initial conferences held in the period within 15 working days of the strategy discussion. */
export function icpcsWithin15(rows: readonly IcpcRow[], period: Period, workingDays: WorkingDays): Rate {
  const held = rows.filter((r) => within(r.heldOn, period))
  return rate(held.filter((r) => workingDays(r.enquiryStartedOn, r.heldOn) <= 15).length, held.length)
}

export interface PlanRow {
  personId: string
  startedOn: string
  endedOn: string | null
  category: string | null
}

const openOn = (p: PlanRow, day: string) => p.startedOn <= day && (p.endedOn === null || p.endedOn > day)

/** Children on a plan at the end of the period, by latest category of abuse. */
export function plansByCategory(rows: readonly PlanRow[], period: Period): Map<string, number> {
  const counts = new Map<string, number>()
  for (const p of rows.filter((r) => openOn(r, period.to))) counts.set(p.category ?? 'not recorded', (counts.get(p.category ?? 'not recorded') ?? 0) + 1)
  return counts
}

export const DURATION_BANDS = ['under 3 months', '3 to 6 months', '6 to 12 months', '1 to 2 years', '2 years or more'] as const

/** Plans open at the end of the period, by how long they had lasted. */
export function plansByDuration(rows: readonly PlanRow[], period: Period): Map<(typeof DURATION_BANDS)[number], number> {
  const counts = new Map(DURATION_BANDS.map((b) => [b, 0]))
  const to = period.to
  for (const p of rows.filter((r) => openOn(r, to))) {
    const band =
      p.startedOn > addMonths(to, -3)
        ? DURATION_BANDS[0]
        : p.startedOn > addMonths(to, -6)
          ? DURATION_BANDS[1]
          : p.startedOn > addMonths(to, -12)
            ? DURATION_BANDS[2]
            : p.startedOn > addMonths(to, -24)
              ? DURATION_BANDS[3]
              : DURATION_BANDS[4]
    counts.set(band, counts.get(band)! + 1)
  }
  return counts
}

/** Plans started in the period for a child whose previous plan ended within the 2 years before. */
export function repeatPlansWithin2Years(rows: readonly PlanRow[], period: Period): Rate {
  const started = rows.filter((r) => within(r.startedOn, period))
  const repeats = started.filter((p) =>
    rows.some((q) => q !== p && q.personId === p.personId && q.endedOn !== null && q.endedOn <= p.startedOn && q.endedOn >= addMonths(p.startedOn, -24)),
  )
  return rate(repeats.length, started.length)
}
