/**
 * Together's values as Annex A writes them: the canonical "x) Label" categories of the reference
 * column map, yes/no as True/False, and the child columns every list starts with.
 */
import { addMonths } from '../../timescales/calendar/iso-date.ts'

export type Cell = string | number | null

const GENDER: Record<string, string> = { M: 'a) Male', F: 'b) Female' }
export const gender = (sex: string | null) => GENDER[sex ?? ''] ?? 'c) Not stated/recorded'

/** Ofsted's broad ethnic groups a-f from the DfE ethnicity code. */
export function ethnicity(code: string | null): string {
  if (!code || code === 'REFU' || code === 'NOBT') return 'f) Not stated'
  if (code === 'CHNE' || code === 'OOTH') return 'e) Other ethnic group'
  const group: Record<string, string> = { W: 'a) White', M: 'b) Mixed', A: 'c) Asian or Asian British', B: 'd) Black or black British' }
  return group[code[0]!] ?? 'f) Not stated'
}

/** Contact and referral source (DfE ReferralSource) as Annex A's a-k. */
export function source(code: string | null): string {
  if (!code) return 'k) Unknown'
  if (code.startsWith('1')) return 'a) Individual'
  if (code === '2A') return 'b) Schools'
  if (code === '2B') return 'c) Education Services'
  if (code.startsWith('3')) return 'd) Health Services'
  if (code === '4') return 'e) Housing'
  if (code.startsWith('5')) return 'f) LA Services'
  const rest: Record<string, string> = { '6': 'g) Police', '7': 'h) Other legal agency', '8': 'i) Other', '9': 'j) Anonymous' }
  return rest[code] ?? 'k) Unknown'
}

const NEED: Record<string, string> = {
  N1: 'a) Abuse or neglect',
  N2: "b) Child's disability",
  N3: 'c) Parents illness or disability',
  N4: 'd) Family in acute stress',
  N5: 'e) Family dysfunction',
  N6: 'f) Socially unacceptable behaviour',
  N7: 'g) Low income',
  N8: 'h) Absent parenting',
  N9: 'i) Not CIN',
  N0: 'j) Not stated',
}
export const primaryNeed = (code: string | null) => NEED[code ?? ''] ?? 'j) Not stated'

const CLOSURE: Record<string, string> = {
  RC1: 'a) Adopted',
  RC2: 'b) Died',
  RC3: 'c) Residence Order',
  RC4: 'd) Special Guardianship Order',
  RC5: 'e) Transfer to another LA',
  RC6: 'f) Transfer to Adult Social Services',
  RC7: "g) 'Other' incl. Child no longer in need",
  RC8: 'h) Child not in need after assessment',
  // Closed after assessment and referred to early help: not in need of social care.
  RC9: 'h) Child not in need after assessment',
}
export const closureReason = (closedOn: string | null, code: string | null) => (closedOn ? (CLOSURE[code ?? ''] ?? 'i) Not Stated') : null)

const ABUSE: Record<string, string> = { NEG: 'a) Neglect', PHY: 'b) Physical Abuse', SAB: 'c) Sexual Abuse', EMO: 'd) Emotional Abuse', MUL: 'e) Multiple' }
export const abuseCategory = (code: string | null) => (code ? (ABUSE[code] ?? null) : null)

const LEGAL_STATUS: Record<string, string> = {
  C1: 'a) Interim care orders',
  C2: 'b) Full care orders',
  E1: 'd) Placement order granted',
  V2: 'e) Accommodated under S20',
  L1: 'f) Detained on child protection grounds in LA accommodation',
  L2: 'f) Detained on child protection grounds in LA accommodation',
  L3: 'f) Detained on child protection grounds in LA accommodation',
  J1: 'J1: Remanded to LA or youth detention',
  J2: 'J2: LA accommodation under PACE',
  J3: 'g) Youth justice legal Statuses',
  D1: 'c) Freed for  Adoption',
  V3: 'e) Accommodated under S20',
  V4: 'e) Accommodated under S20',
}
export const legalStatus = (code: string) => LEGAL_STATUS[code] ?? 'zzCodeError'

/** List 8's placement type from the 903 PLACE (the crosswalk of reference/annex-a/annex_a_lists_8_11_from_903.json). */
const PLACEMENT_TYPE: Record<string, string> = {
  ...Object.fromEntries(['U1', 'U2', 'U3', 'U4', 'U5', 'U6'].map((c) => [c, 'a) Foster Placement'])),
  ...Object.fromEntries(['A3', 'A4', 'A5', 'A6'].map((c) => [c, 'b) Placed for adoption'])),
  P1: 'c) Placed with parents',
  P2: 'd) Independent living',
  K3: 'd) Independent living',
  H5: 'd) Independent living',
  P3: 'e) Residential employment',
  K1: 'g) Secure Children’s Homes',
  K2: 'h) Children’s Homes',
  R1: 'i) Residential Care Home',
  R2: 'j) NHS/Health Trust',
  R3: 'k) Family Centre or Mother and Baby Unit',
  R5: 'l) Young Offender Institution',
  S1: 'm) Residential school',
  ...Object.fromEntries(['Z1', 'Z11', 'Z12', 'Z13', 'Z14'].map((c) => [c, 'n) Other placements'])),
  ...Object.fromEntries(['T0', 'T1', 'T2', 'T3', 'T4'].map((c) => [c, 'o) Temporary placement'])),
}
export const placementType = (code: string | null) => (code ? (PLACEMENT_TYPE[code] ?? 'n) Other placements') : null)

/** List 8's provider from the 903 PLACE_PROVIDER: the LA itself, private, or any other. */
export const placementProvider = (code: string | null) => (code === null ? null : code === 'PR1' ? 'a) Own LA' : code === 'PR4' ? 'b) Private' : 'c) Other')

/** List 8's placement location from the derived 903 PL_LOCATION. */
export const placementLocation = (location: 'IN' | 'OUT' | null | undefined) => (location === 'IN' ? 'a) In' : location === 'OUT' ? 'b) Out' : null)

export const yesNo = (value: boolean | null | undefined): Cell => (value === null || value === undefined ? null : value ? 'True' : 'False')

/** "Does the child have a disability": any code but NONE is True; no codes recorded is Unknown. */
export function disabled(codes: readonly string[] | null): string {
  if (!codes || codes.length === 0) return 'Unknown'
  return codes.some((c) => c !== 'NONE') ? 'True' : 'False'
}

/** Whole years on `on`; null for a child not yet born (or without a date of birth). */
export function ageOn(dateOfBirth: string | null, on: string): number | null {
  if (!dateOfBirth || dateOfBirth > on) return null
  let years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))
  if (on.slice(5) < dateOfBirth.slice(5)) years--
  return years
}

/** The first day of the 12 months that end on `on` (for "in the last 12 months" counts). */
export const twelveMonthsBefore = (on: string) => addMonths(on, -12)

export interface ChildFacts {
  la_child_id: string | null
  person_id: string
  sex: string | null
  ethnicity: string | null
  date_of_birth: string | null
  disabilities: string[] | null
}

/** The columns every list starts with. The child's id is the LA child ID, else Together's person id. */
export function childColumns(c: ChildFacts, to: string): Record<string, Cell> {
  return {
    'Child Unique ID': c.la_child_id ?? c.person_id,
    Gender: gender(c.sex),
    Ethnicity: ethnicity(c.ethnicity),
    'Date of Birth': c.date_of_birth,
    'Age of Child (Years)': ageOn(c.date_of_birth, to),
  }
}
