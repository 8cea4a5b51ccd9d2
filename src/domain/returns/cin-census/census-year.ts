/**
 * The CIN census year a day falls in. A census year runs from 1 April to 31 March and is named
 * by the year it ends in: 1 December 2026 is in 2027 (2026-27), 31 March 2026 in 2026 (2025-26).
 */
import { CENSUS_YEARS, DRAFT_CENSUS_YEAR } from './model.ts'

export function censusYearOf(day: string): number {
  const year = Number(day.slice(0, 4))
  const month = Number(day.slice(5, 7))
  return month >= 4 ? year + 1 : year
}

export interface CurrentCensusYear {
  /** The year the census ends in (2027 for 2026-27). */
  year: number
  /** "2026 to 2027". */
  label: string
  /** 1 April of the first year. */
  from: string
  /** 31 March, the reference date. */
  to: string
  /** Whether Together has the DfE's rules for it: "final", "draft" (DfE's draft rules), or "none". */
  rules: 'final' | 'draft' | 'none'
}

export function currentCensusYear(today: string): CurrentCensusYear {
  const year = censusYearOf(today)
  const rules = (CENSUS_YEARS as readonly number[]).includes(year) ? 'final' : year === DRAFT_CENSUS_YEAR ? 'draft' : 'none'
  return { year, label: `${year - 1} to ${year}`, from: `${year - 1}-04-01`, to: `${year}-03-31`, rules }
}

/** The census years Together checks: those with DfE's final rules, and the draft year once it is the current one. */
export function offeredCensusYears(today: string): number[] {
  return [...CENSUS_YEARS, ...(currentCensusYear(today).rules === 'draft' ? [DRAFT_CENSUS_YEAR] : [])]
}
