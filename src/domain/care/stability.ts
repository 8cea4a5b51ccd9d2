/**
 * Placement stability, the standard measures (DfE's "children looked after" indicators, Ofsted
 * Annex A list 8): for a child, the placements in the last 12 months and how long the current one
 * has lasted; for a team, children with 3 or more placements in 12 months, and children looked
 * after for 2½ years or more (and under 16) who have been in their current placement for less than 2
 * years. Temporary moves are not placements here, as in the 903's count. The date is a parameter.
 */
import { addMonths, calendarDaysBetween } from '../timescales/calendar/iso-date.ts'
import { TEMPORARY_PLACE } from './codes.ts'

export interface StabilityPlacement {
  placeType: string
  startedOn: string
  endedOn: string | null
}

export interface ChildStability {
  /** Placements (not temporary moves) that were open at any time in the 12 months to `on`. */
  placementsIn12Months: number
  /** The placement open on `on`, if any, and its length in days. */
  currentSince: string | null
  currentDays: number | null
  /** 3 or more placements in 12 months. */
  threeOrMore: boolean
  /** In care 2½ years or more (continuously, this period) and under 16, with under 2 years in the current placement. */
  longTermUnstable: boolean
}

export function childStability(
  placements: readonly StabilityPlacement[],
  periodStartedOn: string | null,
  dateOfBirth: string | null,
  on: string,
): ChildStability {
  const from = addMonths(on, -12)
  const permanent = placements.filter((p) => !TEMPORARY_PLACE.has(p.placeType) && p.startedOn <= on)
  const inYear = permanent.filter((p) => p.endedOn === null || p.endedOn > from)
  const current = permanent.filter((p) => p.endedOn === null || p.endedOn > on).sort((a, b) => b.startedOn.localeCompare(a.startedOn))[0]
  const currentDays = current ? calendarDaysBetween(current.startedOn, on) : null
  const under16 = dateOfBirth === null || addMonths(dateOfBirth, 16 * 12) > on
  const longInCare = periodStartedOn !== null && addMonths(periodStartedOn, 30) <= on
  return {
    placementsIn12Months: inYear.length,
    currentSince: current?.startedOn ?? null,
    currentDays,
    threeOrMore: inYear.length >= 3,
    longTermUnstable: longInCare && under16 && current !== undefined && addMonths(current.startedOn, 24) > on,
  }
}
