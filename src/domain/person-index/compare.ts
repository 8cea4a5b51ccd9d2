/**
 * Graded comparison of two standardised records, one field at a time (docs/person-matching.md
 * §2.5). Each field gets the first level it meets, best first; `null` when either side lacks it
 * (missing says nothing, so it weighs nothing). The thresholds (Jaro–Winkler 0.92 and 0.80) are
 * the doc's starting points.
 */
import jaroWinkler from 'talisman/metrics/jaro-winkler.js'
import { isNickname, isSpellingVariant } from './nicknames.ts'
import { surnameStem, type MatchRecord } from './standardise.ts'
import { editDistance, skeleton, soundsAlike } from './text.ts'

export const LEVELS = {
  given: ['exact', 'variant', 'nickname', 'close', 'sounds', 'middle', 'initial', 'similar', 'else'],
  family: ['exact', 'token', 'stem', 'close', 'sounds', 'history', 'similar', 'else'],
  dob: ['exact', 'swapped', 'typo', 'month', 'approx', 'year', 'else'],
  sex: ['same', 'different'],
  postcode: ['unit', 'history', 'typo', 'sector', 'district', 'area', 'else'],
  nhs: ['same', 'typo', 'different'],
} as const

export type Field = keyof typeof LEVELS
export type Level<F extends Field = Field> = (typeof LEVELS)[F][number]
export const FIELDS = Object.keys(LEVELS) as Field[]

/** The level of each field, null where a side has nothing to compare. */
export type ComparisonVector = { [F in Field]: Level<F> | null }

export interface Comparison {
  vector: ComparisonVector
  /** Names compared the other way round (given against family) because that agreed better. */
  swappedNames: boolean
  /** The values that met, for explanations: [query side, record side]. */
  pairs: Partial<Record<Field, [string, string]>>
}

const jw = (a: string, b: string) => (a === b ? 1 : jaroWinkler(a, b))

function compareGiven(q: readonly string[], r: readonly string[], rHistory: readonly string[] = []): [Level<'given'>, string, string] | null {
  const a = q[0]
  const b = r[0]
  if (!a || !b) return null
  if (a === b || rHistory.includes(a)) return ['exact', a, rHistory.includes(a) ? a : b]
  if (isSpellingVariant(a, b) || (a.length > 3 && skeleton(a) === skeleton(b) && skeleton(a).length >= 3)) return ['variant', a, b]
  if (isNickname(a, b)) return ['nickname', a, b]
  const score = jw(a, b)
  if (score >= 0.92) return ['close', a, b]
  if (soundsAlike(a, b)) return ['sounds', a, b]
  // Middle name used as first, or first and middle run together.
  const inOther = (x: string, ys: readonly string[]) => x.length > 1 && ys.slice(1).includes(x)
  if (inOther(a, r) || inOther(b, q) || q.join('') === r.join('') || a === r.slice(0, 2).join('') || b === q.slice(0, 2).join('')) {
    return ['middle', a, b]
  }
  if ((a.length === 1 || b.length === 1) && a[0] === b[0]) return ['initial', a, b]
  if (score >= 0.8) return ['similar', a, b]
  return ['else', a, b]
}

function compareFamily(q: MatchRecord, r: MatchRecord): [Level<'family'>, string, string] | null {
  const a = q.familyJoined
  const b = r.familyJoined
  if (!a || !b) return null
  if (a === b) return ['exact', a, b]
  if (q.family.some((t) => t.length > 1 && r.family.includes(t))) return ['token', a, b]
  if (surnameStem(a) === surnameStem(b) && surnameStem(a).length >= 3) return ['stem', a, b]
  if (isSpellingVariant(a, b)) return ['close', a, b]
  const score = jw(a, b)
  if (score >= 0.92) return ['close', a, b]
  if (soundsAlike(a, b)) return ['sounds', a, b]
  const earlier = r.familyHistory.find((h) => h === a || jw(h, a) >= 0.92) ?? q.familyHistory.find((h) => h === b || jw(h, b) >= 0.92)
  if (earlier) return ['history', a, earlier]
  if (score >= 0.8) return ['similar', a, b]
  return ['else', a, b]
}

const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000

function compareDob(q: MatchRecord, r: MatchRecord): Level<'dob'> | null {
  const a = q.dob
  const b = r.dob
  if (!a || !b) return null
  const rough = (p: string) => p === 'year' || p === 'estimated'
  if (rough(q.dobPrecision) || rough(r.dobPrecision)) {
    return Math.abs(Number(a.slice(0, 4)) - Number(b.slice(0, 4))) <= 1 ? 'approx' : 'else'
  }
  if (q.dobPrecision === 'expected' || r.dobPrecision === 'expected') {
    return Math.abs(days(a) - days(b)) <= 60 ? 'approx' : 'else'
  }
  if (a === b) return 'exact'
  if (a.slice(0, 4) === b.slice(0, 4) && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7)) return 'swapped'
  if (editDistance(a.replace(/-/g, ''), b.replace(/-/g, ''), 1) <= 1) return 'typo'
  if (a.slice(0, 7) === b.slice(0, 7)) return 'month'
  if (Math.abs(days(a) - days(b)) <= 3) return 'typo'
  if (a.slice(0, 4) === b.slice(0, 4)) return 'year'
  return 'else'
}

function comparePostcode(q: MatchRecord, r: MatchRecord): Level<'postcode'> | null {
  const a = q.postcode
  const b = r.postcode
  if (!a || !b) {
    // A postcode that cannot be one may still be a slip of the other side's.
    const slip = !a && q.postcodeInvalid && b?.unit ? [q.postcodeInvalid, b.unit] : !b && r.postcodeInvalid && a?.unit ? [r.postcodeInvalid, a.unit] : null
    return slip && editDistance(slip[0]!, slip[1]!, 1) <= 1 ? 'typo' : null
  }
  if (a.unit && a.unit === b.unit) return 'unit'
  if (a.unit && (r.postcodeHistory.includes(a.unit) || (b.unit && q.postcodeHistory.includes(b.unit)))) return 'history'
  if (a.unit && b.unit && editDistance(a.unit, b.unit, 1) <= 1) return 'typo'
  if (a.sector && a.sector === b.sector) return 'sector'
  if (a.district === b.district) return 'district'
  if (a.area === b.area) return 'area'
  return 'else'
}

function compareNhs(q: MatchRecord, r: MatchRecord): Level<'nhs'> | null {
  if (q.nhs && r.nhs) return q.nhs === r.nhs ? 'same' : 'different'
  const typed = q.nhsInvalid ?? r.nhsInvalid
  const valid = q.nhs ?? r.nhs
  if (typed && valid) return editDistance(typed, valid, 1) <= 1 ? 'typo' : 'different'
  return null
}

const NAME_RANK: Record<string, number> = { exact: 0, variant: 1, nickname: 1, token: 1, stem: 2, close: 2, sounds: 3, history: 3, middle: 4, initial: 5, similar: 6, else: 9 }
const nameRank = (l: string | undefined | null) => (l ? (NAME_RANK[l] ?? 9) : 7)

/** Compares a query (or one record) with a source record, field by field. */
export function compare(q: MatchRecord, r: MatchRecord): Comparison {
  const given = compareGiven(q.given, r.given, r.givenHistory)
  const family = compareFamily(q, r)
  let swappedNames = false
  let g = given
  let f = family
  // Names the other way round: compare typed given with recorded family and the reverse (only worth
  // trying when the names as typed agree no better than a close spelling each).
  const asTyped = nameRank(g?.[0]) + nameRank(f?.[0])
  if (asTyped > 2 && q.given.length > 0 && q.family.length > 0 && r.given.length > 0 && r.family.length > 0) {
    const asRecordGiven = { ...q, given: q.family, family: q.given, familyJoined: q.given.join(''), familyHistory: [] }
    const sg = compareGiven(q.family, r.given)
    const sf = compareFamily(asRecordGiven, r)
    if (sg && sf && nameRank(sg[0]) + nameRank(sf[0]) + 2 < asTyped && nameRank(sg[0]) <= 3 && nameRank(sf[0]) <= 3) {
      swappedNames = true
      g = sg
      f = sf
    }
  }
  const pairs: Comparison['pairs'] = {}
  if (g) pairs.given = [g[1], g[2]]
  if (f) pairs.family = [f[1], f[2]]
  return {
    vector: {
      given: g?.[0] ?? null,
      family: f?.[0] ?? null,
      dob: compareDob(q, r),
      sex: q.sex && r.sex ? (q.sex === r.sex ? 'same' : 'different') : null,
      postcode: comparePostcode(q, r),
      nhs: compareNhs(q, r),
    },
    swappedNames,
    pairs,
  }
}
