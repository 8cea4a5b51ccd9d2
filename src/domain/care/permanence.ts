/**
 * The codes of care plans, reviews and permanence, and the 903's checks on them made when they are
 * recorded rather than when the return is due: review participation by age (rules 440, 441), the
 * adopters' number, sexes and legal status together (rules 511-524) and DATE_PERM's partial dates
 * (rule 632). Code sets are the 903's (returns/ssda903/codesets.json, 2025-26); the permanence plan
 * and IRO escalation lists are ours (shared/docs/children-in-care.md 1.5). Pure.
 */
import data from '../returns/ssda903/codesets.json' with { type: 'json' }
import { ageOn } from '../returns/annex-a/codes.ts'
import type { CareCode } from './codes.ts'

type SetName = keyof typeof data.codesets
const codes = (name: SetName): CareCode[] => data.codesets[name].codes.map((c) => ({ code: c.code, label: c.label }))

/** 903 REVIEW_CODE: the child's participation in a review (PN0 only for a child under 4). */
export const REVIEW_CODE: CareCode[] = codes('REVIEW_CODE')
export const REASON_PLACED_CEASED: CareCode[] = codes('REASON_PLACED_CEASED')
export const SEX_ADOPTR: CareCode[] = codes('SEX_ADOPTR')
export const LS_ADOPTR: CareCode[] = codes('LS_ADOPTR')
export const PREV_PERM: CareCode[] = codes('PREV_PERM')
/** LA_PERM's special codes; otherwise an old-style 3-digit LA code. */
export const LA_PERM_SPECIAL: CareCode[] = codes('LA_PERM')

/** The permanence plan in a care plan (statutory guidance vol. 2; Annex A list 8's column). */
export const PERMANENCE_PLAN: CareCode[] = [
  { code: 'return-home', label: 'Return to parents or family' },
  { code: 'adoption', label: 'Adoption' },
  { code: 'sgo', label: 'Special guardianship order' },
  { code: 'cao', label: 'Child arrangements order' },
  { code: 'long-term-fostering', label: 'Long-term fostering' },
  { code: 'residential', label: 'Residential care' },
  { code: 'supported-living', label: 'Supported or independent living' },
  { code: 'not-decided', label: 'Not yet decided' },
]

/** The stages of an IRO's dispute resolution (local protocols name them alike; UNVERIFIED names). */
export const IRO_ESCALATION_STAGE: CareCode[] = [
  { code: 'informal', label: 'Informal: with the social worker' },
  { code: 'team-manager', label: 'Stage 1: team manager' },
  { code: 'service-manager', label: 'Stage 2: service manager' },
  { code: 'head-of-service', label: 'Stage 3: head of service or director' },
  { code: 'cafcass', label: 'Referred to Cafcass' },
]

export const IRO_ESCALATION_OUTCOME: CareCode[] = [
  { code: 'resolved', label: 'Resolved: the plan or action changed' },
  { code: 'not-upheld', label: 'Not upheld: the concern was answered' },
  { code: 'withdrawn', label: 'Withdrawn' },
  { code: 'cafcass-action', label: 'Cafcass took action' },
]

/** Ways a period of care ends in permanence (903 REC): adoption, special guardianship, child arrangements. */
export const ADOPTION_EXIT = new Set(['E11', 'E12'])
export const SGO_EXIT = new Set(['E45', 'E46', 'E47', 'E48'])
export const CAO_EXIT = new Set(['E41'])

/** Rules 440 and 441: PN0 for a child under 4 at the review, PN1-PN7 from 4. */
export function participationError(code: string, heldOn: string, dateOfBirth: string | null): string | null {
  if (!dateOfBirth) return null
  const age = ageOn(dateOfBirth, heldOn)
  // A review dated before the recorded birth is a date error, not a participation one.
  if (age === null) return null
  const under4 = age < 4
  if (under4 && code !== 'PN0') return 'The child was under 4 at the review: participation is PN0'
  if (!under4 && code === 'PN0') return 'PN0 is only for a child under 4 at the review: select how the child took part'
  return null
}

export interface Adopters {
  adopterCount: number
  adopterSex: string
  adopterLegalStatus: string
}

/** Rules 511, 514, 517-520, 524: the adopters' number, sexes and legal status agree. Field and message, or null. */
export function adoptersError(a: Adopters): [field: string, message: string] | null {
  const single = a.adopterSex === 'M1' || a.adopterSex === 'F1'
  if (a.adopterCount === 2 && single) return ['adopterSex', 'Two adopters cannot have a single adopter’s sex (M1 or F1)']
  if (a.adopterCount === 1 && !single) return ['adopterSex', 'One adopter is a single male (M1) or a single female (F1)']
  const needs: Record<string, string[]> = { L0: ['M1', 'F1'], L11: ['MF'], L12: ['MM', 'FF'], L2: ['MM', 'FF', 'MF'], L3: ['MF'], L4: ['MM', 'FF'] }
  const allowed = needs[a.adopterLegalStatus]
  if (allowed && !allowed.includes(a.adopterSex)) {
    return ['adopterLegalStatus', `The adopters’ legal status ${a.adopterLegalStatus} does not fit their sexes ${a.adopterSex} (it needs ${allowed.join(' or ')})`]
  }
  return null
}

/** LA_PERM (rule 633): a 3-digit LA code or one of the special codes. */
export const laPermValid = (code: string): boolean => /^\d{3}$/.test(code) || LA_PERM_SPECIAL.some((c) => c.code === code)

/** DATE_PERM (rule 632): dd/mm/yyyy with ZZ for an unknown day or month; the earliest day it can mean, or null when malformed. */
export function datePermEarliest(value: string): string | null {
  const m = /^(\d{2}|ZZ)\/(\d{2}|ZZ)\/(\d{4})$/.exec(value)
  if (!m) return null
  const [, d, mo, y] = m
  if (d !== 'ZZ' && mo === 'ZZ') return null
  const month = mo === 'ZZ' ? '01' : mo!
  const day = d === 'ZZ' ? '01' : d!
  const iso = `${y}-${month}-${day}`
  const parsed = new Date(`${iso}T00:00:00Z`)
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? null : iso
}
