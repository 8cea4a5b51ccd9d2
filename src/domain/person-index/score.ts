/**
 * Scoring a candidate: the Fellegi–Sunter weight, then the child-specific hard rules
 * (docs/person-matching.md §2.8), then the band. Bands use the FHIR match-grade words:
 * certain (may be linked automatically: only a valid NHS number with agreeing date of birth and
 * names), probable (P ≥ 0.95), possible (P ≥ 0.5), unlikely (shown only to rank the rest).
 */
import { compare, type Comparison } from './compare.ts'
import { fieldScores, priorWeight, type FieldScore, type MatchModel } from './model.ts'
import type { MatchRecord } from './standardise.ts'

export type Band = 'certain' | 'probable' | 'possible' | 'unlikely'
export const BANDS: readonly Band[] = ['certain', 'probable', 'possible', 'unlikely']

/** Why a hard rule held a candidate back. */
export type Hazard =
  /** Same date of birth and family name, clearly different first names: a twin or triplet. */
  | 'multiple-birth'
  /** Same family name and address, a clearly different first name or date of birth: a brother or sister. */
  | 'sibling'
  /** "Baby of…", unborn or placeholder names: a person must decide. */
  | 'baby-or-unborn'
  /** The same NHS number on records years apart in age: probably the mother's number on a newborn's record. */
  | 'mothers-nhs-number'
  /** Both NHS numbers valid and different. */
  | 'nhs-differs'
  /** Two or more candidates score within 2 bits of each other at the top: the search cannot tell them apart. */
  | 'cannot-distinguish'
  /** One is a pre-adoption identity, the other a post-adoption one: never linked. */
  | 'adoption'
  /** Neither the first nor the last name agrees even loosely (or no name was given): a person must look. */
  | 'no-name-agrees'
  /** The candidate has a twin or triplet among the candidates whom the query's details do not rule out. */
  | 'twin-not-ruled-out'

export interface Scored {
  /** Match weight in bits: field weights plus the prior. */
  weight: number
  probability: number
  band: Band
  hazards: Hazard[]
  fields: FieldScore[]
  comparison: Comparison
}

/** log2 odds for P = 0.95 and 0.5. */
export const PROBABLE_WEIGHT = Math.log2(0.95 / 0.05)
export const POSSIBLE_WEIGHT = 0

/** Hazards that keep a candidate at "possible" at most: a person must look. */
const CAP_AT_POSSIBLE: readonly Hazard[] = ['multiple-birth', 'sibling', 'mothers-nhs-number', 'nhs-differs', 'baby-or-unborn', 'no-name-agrees']
const SAME_GIVEN = new Set(['exact', 'variant', 'nickname', 'close'])
const NAME_AGREES = new Set(['exact', 'variant', 'nickname', 'close', 'sounds', 'middle', 'token', 'stem', 'history'])
const LOOSE_GIVEN = new Set([...NAME_AGREES, 'initial', 'similar'])
const LOOSE_FAMILY = new Set([...NAME_AGREES, 'similar'])
const yearsApart = (a: string | null, b: string | null) => (a && b ? Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4))) : 0)

function hazardsOf(q: MatchRecord, r: MatchRecord, c: Comparison): Hazard[] {
  const v = c.vector
  const out: Hazard[] = []
  const familyAgrees = v.family !== null && v.family !== 'else' && v.family !== 'similar'
  // Twins share everything but the first name: anything short of the same name (or a known variant or short form of it) is a warning.
  const dobAgrees = v.dob === 'exact' || v.dob === 'swapped' || v.dob === 'typo'
  // Boy-and-girl twins may carry two forms of one name (Andrei and Andreea): there the sex tells them apart.
  const givenDiffersForTwins = v.given !== null && (!SAME_GIVEN.has(v.given) || (v.given !== 'exact' && v.sex === 'different'))
  if (dobAgrees && familyAgrees && givenDiffersForTwins) out.push('multiple-birth')
  const sameAddress = v.postcode === 'unit' || v.postcode === 'history'
  const givenDiffers = v.given !== null && !SAME_GIVEN.has(v.given)
  const dobDiffers = (v.dob === 'else' || v.dob === 'year') && q.dobPrecision === 'day' && r.dobPrecision === 'day'
  if (familyAgrees && sameAddress && !out.includes('multiple-birth') && (givenDiffers || dobDiffers)) out.push('sibling')
  if (q.placeholder || r.placeholder || q.unborn || r.unborn) out.push('baby-or-unborn')
  if (!LOOSE_GIVEN.has(v.given ?? '') && !LOOSE_FAMILY.has(v.family ?? '')) out.push('no-name-agrees')
  if (v.nhs === 'same' && yearsApart(q.dob, r.dob) >= 12) out.push('mothers-nhs-number')
  if (v.nhs === 'different') out.push('nhs-differs')
  if ((q.adoption === 'pre-adoption') !== (r.adoption === 'pre-adoption') && (q.adoption || r.adoption)) out.push('adoption')
  return out
}

/** The auto-link test: a valid NHS number the same, the date of birth the same (or day and month swapped), both names agreeing. */
export function isCertain(c: Comparison): boolean {
  const v = c.vector
  return v.nhs === 'same' && (v.dob === 'exact' || v.dob === 'swapped') && NAME_AGREES.has(v.given ?? '') && NAME_AGREES.has(v.family ?? '')
}

export function score(model: MatchModel, q: MatchRecord, r: MatchRecord): Scored {
  const comparison = compare(q, r)
  const fields = fieldScores(model, q, comparison)
  const hazards = hazardsOf(q, r, comparison)
  if (hazards.includes('mothers-nhs-number')) {
    // The shared number says nothing about this child: take its weight out.
    const nhs = fields.find((f) => f.field === 'nhs')!
    nhs.weight = 0
  }
  if (hazards.includes('multiple-birth') && comparison.vector.given === 'else') {
    // A strong negative override when the first names are clearly different: twins share everything else.
    const given = fields.find((f) => f.field === 'given')!
    given.weight -= 10
  }
  let weight = priorWeight(model)
  for (const f of fields) weight += f.weight
  if (comparison.swappedNames) weight -= 2
  let band: Band = weight >= PROBABLE_WEIGHT ? 'probable' : weight >= POSSIBLE_WEIGHT ? 'possible' : 'unlikely'
  if (isCertain(comparison) && hazards.length === 0) band = 'certain'
  if (hazards.includes('adoption')) band = 'unlikely'
  else if (CAP_AT_POSSIBLE.some((h) => hazards.includes(h)) && band !== 'unlikely') band = 'possible'
  return { weight, probability: 1 / (1 + 2 ** -weight), band, hazards, fields, comparison }
}

export const bandRank = (b: Band) => BANDS.indexOf(b)
