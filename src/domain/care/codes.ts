/**
 * The codes a period of care is recorded in: the SSDA903 code sets (returns/ssda903/codesets.json,
 * 2025-26) as the lists users choose from, with the collection years a placement type is valid in,
 * and the kinds of carer. Users never choose RNE or X1: those are derived (episodes.ts).
 */
import data from '../returns/ssda903/codesets.json' with { type: 'json' }

export interface CareCode {
  code: string
  label: string
}

type SetName = keyof typeof data.codesets
const codes = (name: SetName): CareCode[] => data.codesets[name].codes.map((c) => ({ code: c.code, label: c.label }))

/**
 * 903 LS that a period of care is recorded under here. D1 (freeing orders) is historic; V3/V4 short
 * breaks are each their own period with no placement postcode, which these pages do not record yet.
 */
export const CARE_LEGAL_STATUS: CareCode[] = codes('LS').filter((c) => !['D1', 'V3', 'V4'].includes(c.code))

/** 903 CIN: categories of need N1-N8 (the census' N9, "not in need", is not a reason to be looked after). */
export const CATEGORY_OF_NEED: CareCode[] = codes('CIN')

/** 903 PLACE of the 2025-26 list (retired codes are kept in PLACE_YEARS, for placements made before). */
export const PLACE_TYPE: CareCode[] = codes('PLACE')

/** Temporary moves (T0-T4): the child goes back to the placement they interrupt. */
export const TEMPORARY_PLACE = new Set(['T0', 'T1', 'T2', 'T3', 'T4'])
/** Placements with no provider (903 rules 178, 213, 526). */
export const NO_PROVIDER_PLACE = new Set([...TEMPORARY_PLACE, 'Z11', 'Z12', 'Z13', 'Z14'])
/** Placements with no Ofsted URN (rules 218, 222). */
export const NO_URN_PLACE = new Set(['P1', 'P3', 'R1', 'R2', 'R5', ...NO_PROVIDER_PLACE])
export const FOSTER_PLACE = new Set(['U1', 'U2', 'U3', 'U4', 'U5', 'U6'])
export const ADOPTION_PLACE = new Set(['A3', 'A4', 'A5', 'A6'])
/** The 903's "URN not known". */
export const URN_NOT_KNOWN = 'XXXXXXX'

/** Placement types a permanent placement can have (the temporary ones are recorded as temporary moves). */
export const PERMANENT_PLACE_TYPE: CareCode[] = PLACE_TYPE.filter((c) => !TEMPORARY_PLACE.has(c.code))
export const TEMPORARY_PLACE_TYPE: CareCode[] = PLACE_TYPE.filter((c) => TEMPORARY_PLACE.has(c.code))

/**
 * The collection years (the year a return ends in: 2026 for 2025-26) a placement type is valid in,
 * when not every year: K3 from 2024-25, Z11-Z14 from 2025-26; H5 and P2 to 2023-24, Z1 to 2024-25
 * (shared/docs/children-in-care.md §3.3).
 */
export const PLACE_YEARS: Record<string, { from?: number; to?: number; label?: string }> = {
  K3: { from: 2025 },
  Z11: { from: 2026 },
  Z12: { from: 2026 },
  Z13: { from: 2026 },
  Z14: { from: 2026 },
  ...Object.fromEntries(data.codesets.PLACE.retired.map((c) => [c.code, { to: c.code === 'Z1' ? 2025 : 2024, label: c.label }])),
}

/** The collection year a day falls in: 1 April to 31 March, named by the year it ends in. */
export function collectionYearOf(day: string): number {
  const y = Number(day.slice(0, 4))
  return day.slice(5) >= '04-01' ? y + 1 : y
}

/** "2025-26" for 2026. */
export const yearName = (year: number): string => `${year - 1}-${String(year % 100).padStart(2, '0')}`

/** Whether a placement type may start on a day: a code of the list, valid in that day's collection year. */
export function placeTypeValidOn(code: string, day: string): boolean {
  const years = PLACE_YEARS[code]
  if (!years) return PLACE_TYPE.some((c) => c.code === code)
  const year = collectionYearOf(day)
  return (years.from === undefined || year >= years.from) && (years.to === undefined || year <= years.to)
}

/** 903 PLACE_PROVIDER. */
export const PLACE_PROVIDER: CareCode[] = codes('PLACE_PROVIDER')

/** 903 REC without X1: why a period of care ended (X1 is derived, never chosen). */
export const REASON_CEASED: CareCode[] = codes('REC').filter((c) => c.code !== 'X1')

/** 903 REASON_PLACE_CHANGE: why a placement ended while the child stayed in care. */
export const REASON_PLACE_CHANGE: CareCode[] = codes('REASON_PLACE_CHANGE')

/** 903 RNE, for labelling derived episodes. */
export const REASON_NEW_EPISODE: CareCode[] = codes('RNE')

/** Who a carer or household is: what makes "the same carer" recognisable across placements. */
export const CARER_KIND: CareCode[] = [
  { code: 'foster-connected', label: 'Foster carer who is a relative or friend (connected person)' },
  { code: 'foster', label: 'Foster carer (in-house or agency)' },
  { code: 'adopter', label: 'Approved adopter' },
  { code: 'childrens-home', label: 'Children’s home' },
  { code: 'supported-accommodation', label: 'Supported accommodation' },
  { code: 'parent', label: 'Parent or person with parental responsibility' },
  { code: 'other', label: 'Other setting (hospital, school, secure estate …)' },
]

export const codesOf = (list: readonly CareCode[]): [string, ...string[]] => list.map((c) => c.code) as [string, ...string[]]
export const careLabel = (list: readonly CareCode[], code: string | null | undefined): string =>
  code ? (list.find((c) => c.code === code)?.label ?? code) : ''

/** The lists by name, for templates. */
export const CARE_CODE_LISTS = {
  CARE_LEGAL_STATUS,
  CATEGORY_OF_NEED,
  PLACE_TYPE,
  PERMANENT_PLACE_TYPE,
  TEMPORARY_PLACE_TYPE,
  PLACE_PROVIDER,
  REASON_CEASED,
  REASON_PLACE_CHANGE,
  REASON_NEW_EPISODE,
  CARER_KIND,
} as const
