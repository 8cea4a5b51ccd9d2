/**
 * Whether a young person leaving care is a care leaver the authority goes on supporting (Children
 * Act 1989 as amended by the Children (Leaving Care) Act 2000; shared/docs/children-in-care.md 1.8):
 * looked after for 13 weeks in total since their 14th birthday, with some of it on or after their
 * 16th — "relevant" when they leave at 16 or 17, "former relevant" from 18. Not a care leaver: a
 * child adopted (E11, E12), who died (E2), or whose care another authority took over (E3); nor one
 * who left before 18 to live with parents or family or under a child arrangements or special
 * guardianship order (E4A, E4B, E13, E41, E45-E48; a worker who judges otherwise records the care
 * leaver's details, which keeps the case open). Pure.
 */
import { addMonths, toDayNumber } from '../timescales/calendar/iso-date.ts'
import { ADOPTION_EXIT, CAO_EXIT, SGO_EXIT } from './permanence.ts'

/** Looked after 13 weeks (91 days) since 14. */
export const CARE_LEAVER_DAYS = 91

/** Exits after which the young person is never a care leaver of this authority. */
export const NEVER_CARE_LEAVER_EXIT: ReadonlySet<string> = new Set([...ADOPTION_EXIT, 'E2', 'E3'])
/** Exits before 18 to the family or under an order: not a care leaver (qualifying at most). */
export const HOME_EXIT: ReadonlySet<string> = new Set(['E4A', 'E4B', 'E13', ...CAO_EXIT, ...SGO_EXIT])

export interface CarePeriodDates {
  startedOn: string
  /** Null while open. */
  endedOn: string | null
}

/** Days looked after in the periods from `from` (an open period counts to `until`). */
export function daysLookedAfterSince(periods: readonly CarePeriodDates[], from: string, until: string): number {
  let days = 0
  for (const p of periods) {
    const start = Math.max(toDayNumber(p.startedOn), toDayNumber(from))
    const end = toDayNumber(p.endedOn ?? until)
    if (end > start) days += end - start
  }
  return days
}

/**
 * The care leaver category of a young person whose care ends on `endedOn` for `reasonCeased`,
 * given all their periods of care (the ending one with its end), or null when they are not a care
 * leaver (or their date of birth is not known).
 */
export function careLeaverCategoryOnLeaving(input: {
  dateOfBirth: string | null
  periods: readonly CarePeriodDates[]
  endedOn: string
  reasonCeased: string
}): 'relevant' | 'former-relevant' | null {
  const { dateOfBirth, periods, endedOn, reasonCeased } = input
  if (!dateOfBirth || NEVER_CARE_LEAVER_EXIT.has(reasonCeased)) return null
  const sixteen = addMonths(dateOfBirth, 16 * 12)
  const eighteen = addMonths(dateOfBirth, 18 * 12)
  if (endedOn <= sixteen) return null
  if (endedOn < eighteen && HOME_EXIT.has(reasonCeased)) return null
  if (daysLookedAfterSince(periods, addMonths(dateOfBirth, 14 * 12), endedOn) < CARE_LEAVER_DAYS) return null
  return endedOn < eighteen ? 'relevant' : 'former-relevant'
}
