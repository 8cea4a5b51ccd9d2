/**
 * Annex A list 9's categories from a care leaver's record: the category, whether the authority is in
 * touch, and the accommodation and activity in the SSDA903's OC3 codes, by the crosswalk in
 * shared/reference/annex-a/annex_a_lists_8_11_from_903.json (ours, UNVERIFIED against Ofsted's current
 * guidance). Pure.
 */
import type { Cell } from './codes.ts'

const CATEGORY: Record<string, string> = {
  relevant: 'a) Relevant',
  'former-relevant': 'b) Former relevant',
  qualifying: 'c) Qualifying',
  eligible: 'd) Eligible',
}

/** "Eligibility Category". */
export const eligibilityCategory = (category: string | null): Cell => (category ? (CATEGORY[category] ?? 'e) Other') : null)

/** "LA in Touch": YES in touch; NO and REFU not; DIED, RHOM and NREQ excluded; nothing recorded, not recorded. */
export function laInTouch(inTouch: string | null): Cell {
  if (inTouch === 'YES') return 'a) In touch'
  if (inTouch === 'NO' || inTouch === 'REFU') return 'b) Not in touch'
  if (inTouch === 'DIED' || inTouch === 'RHOM' || inTouch === 'NREQ') return 'd) Exclude'
  return 'c) Not recorded'
}

const ACCOMMODATION: Record<string, string> = {
  B: 'a) With parents or relatives',
  C: 'b) Community home',
  D: 'c) Semi-independent transitional accommodation',
  E: 'd) Supported lodgings',
  G: 'e) Gone abroad',
  H: 'f) Deported',
  K: 'g) Ordinary lodgings',
  R: 'h) Residence not known',
  S: 'i) No fixed abode / homeless',
  T: 'j) Foyers',
  U: 'k) Independent living',
  V: 'l) Emergency accommodation',
  W: 'm) Bed and breakfast',
  X: 'n) In custody',
  Z: 'o) With Former Foster Carer',
  Y: 'p) Other accommodation',
}

/** "Type of Accommodation": the ACCOM code's letter. */
export const accommodationType = (accom: string | null): Cell => (!accom || accom === '0' ? null : (ACCOMMODATION[accom[0]!] ?? 'zzCodeError'))

/** "Suitability of Accommodation": the ACCOM code's digit (1 suitable, 2 not); nothing known, not recorded. */
export function accommodationSuitability(accom: string | null): Cell {
  if (accom?.endsWith('1')) return 'a) Suitable'
  if (accom?.endsWith('2')) return 'b) Not suitable'
  return 'c) Not in touch or not recorded'
}

const ACTIVITY: Record<string, string> = {
  F1: 'F1: Full time in higher education',
  P1: 'P1: Part time in higher education',
  F2: 'F2: Full time in education other than higher',
  P2: 'P2: Part time in education other than higher',
  F4: 'F4: Young person engaged full time in an apprenticeship',
  P4: 'P4: Young person engaged part time in an apprenticeship',
  F5: 'F5: Young person engaged full time in training or employment (not apprenticeship)',
  P5: 'P5: Young person engaged part time in training or employment (not apprenticeship)',
  G4: 'G4: Not in education, employment or training - illness or disability',
  G5: 'G5: Not in education, employment or training - other',
  G6: 'G6: Not in education, employment or training - pregnancy or parenting',
}

/** "Activity Status": the ACTIV code (0, not in touch, has none). */
export const activityStatus = (activ: string | null): Cell => (!activ || activ === '0' ? null : (ACTIVITY[activ] ?? null))
