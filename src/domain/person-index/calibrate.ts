/**
 * Estimating the model from a partnership's own records (docs/person-matching.md §2.6):
 * u from random pairs (almost all non-matches), m by expectation–maximisation over candidate pairs
 * from blocking with u held fixed, reviewers' decisions entering as pairs of known status, and
 * term frequencies counted from the records.
 */
import { FIELDS, LEVELS, type ComparisonVector, type Field } from './compare.ts'
import { DEFAULT_M, DEFAULT_U, type MatchModel, type Probabilities, type TermFrequencies } from './model.ts'
import type { MatchRecord } from './standardise.ts'

/**
 * Pseudo-counts of the default model mixed into every estimate (a Dirichlet prior): with few pairs
 * the estimate stays near the defaults, with many the data decide.
 */
const U_PRIOR_PAIRS = 2000
const M_PRIOR_PAIRS = 200

function emptyCounts(): Record<Field, Record<string, number>> {
  return Object.fromEntries(FIELDS.map((f) => [f, Object.fromEntries(LEVELS[f].map((l) => [l, 0]))])) as Record<Field, Record<string, number>>
}

function normalise(counts: Record<Field, Record<string, number>>, prior: Probabilities, strength: number): Probabilities {
  return Object.fromEntries(
    FIELDS.map((f) => {
      const levels = LEVELS[f]
      const total = levels.reduce((s, l) => s + counts[f][l]! + strength * prior[f][l]!, 0)
      return [f, Object.fromEntries(levels.map((l) => [l, (counts[f][l]! + strength * prior[f][l]!) / total]))]
    }),
  ) as Probabilities
}

/** u: the share of each level among random pairs of records (which are almost never the same person). */
export function estimateU(randomPairs: readonly ComparisonVector[]): Probabilities {
  const counts = emptyCounts()
  for (const v of randomPairs) for (const f of FIELDS) if (v[f]) counts[f][v[f]!]! += 1
  // Agreement levels rarely seen at random keep a small u from the prior, so their weight stays bounded.
  return normalise(counts, DEFAULT_U, U_PRIOR_PAIRS)
}

export interface LabelledPair {
  vector: ComparisonVector
  match: boolean
}

export interface EmResult {
  m: Probabilities
  /** Share of candidate pairs that are matches. */
  lambda: number
  iterations: number
}

/**
 * m by EM with u fixed: each pair's probability of being a match under the current m, then m as
 * the match-weighted share of each level. Labelled pairs keep their known status throughout.
 */
export function estimateM(
  pairs: readonly ComparisonVector[],
  u: Probabilities,
  labelled: readonly LabelledPair[] = [],
  iterations = 25,
  /** Fields the training pairs were chosen by (blocked on): left out of the likelihood and kept at `start`. */
  fixed: readonly Field[] = [],
  start: Probabilities = DEFAULT_M,
): EmResult {
  let m: Probabilities = structuredClone(start)
  const free = FIELDS.filter((f) => !fixed.includes(f))
  let lambda = 0.1
  let done = 0
  const all = [...pairs.map((vector) => ({ vector, fixed: null as number | null })), ...labelled.map((p) => ({ vector: p.vector, fixed: p.match ? 1 : 0 }))]
  for (; done < iterations; done++) {
    const counts = emptyCounts()
    let matchSum = 0
    for (const { vector, fixed } of all) {
      let p = fixed
      if (p === null) {
        let logOdds = Math.log2(lambda / (1 - lambda))
        for (const f of free) {
          const level = vector[f]
          if (level) logOdds += Math.log2(Math.max(m[f][level]!, 1e-9) / Math.max(u[f][level]!, 1e-9))
        }
        p = 1 / (1 + 2 ** -logOdds)
      }
      matchSum += p
      for (const f of FIELDS) if (vector[f]) counts[f][vector[f]!]! += p
    }
    const next = normalise(counts, DEFAULT_M, M_PRIOR_PAIRS)
    for (const f of fixed) next[f] = m[f]
    const nextLambda = Math.min(0.99, Math.max(1e-6, matchSum / Math.max(all.length, 1)))
    const change = Math.abs(nextLambda - lambda) + FIELDS.reduce((s, f) => s + LEVELS[f].reduce((t, l) => t + Math.abs(next[f][l]! - m[f][l]!), 0), 0)
    m = next
    lambda = nextLambda
    if (change < 1e-5) break
  }
  return { m, lambda, iterations: done + 1 }
}

/**
 * m in two training sessions, as Splink does, because fields are not independent within a
 * household (siblings share family name and postcode): pairs with the same date of birth estimate
 * the name, postcode, sex and NHS number levels; pairs with the same given and family name
 * estimate the date of birth levels.
 */
export function estimateMInSessions(pairs: readonly ComparisonVector[], u: Probabilities, labelled: readonly LabelledPair[] = []): EmResult {
  const sameDob = pairs.filter((v) => v.dob === 'exact')
  const sameName = pairs.filter((v) => v.given === 'exact' && v.family === 'exact')
  const a = estimateM(sameDob, u, labelled, 15, ['dob'])
  const b = estimateM(sameName, u, labelled, 15, ['given', 'family'], a.m)
  return { m: { ...a.m, dob: b.m.dob }, lambda: a.lambda, iterations: a.iterations + b.iterations }
}

/**
 * Term frequencies: the share of records with each first name, family name, date of birth and
 * postcode, for values held by at least `minCount` records (at most `limit` per field).
 */
export function termFrequencies(records: readonly MatchRecord[], minCount = 3, limit = 5000): TermFrequencies {
  const tally = (values: (string | null | undefined)[]) => {
    const counts = new Map<string, number>()
    let n = 0
    for (const v of values) {
      if (!v) continue
      n++
      counts.set(v, (counts.get(v) ?? 0) + 1)
    }
    const common = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]).slice(0, limit)
    return Object.fromEntries(common.map(([v, c]) => [v, c / Math.max(n, 1)]))
  }
  return {
    given: tally(records.map((r) => r.given[0])),
    family: tally(records.map((r) => r.familyJoined)),
    dob: tally(records.map((r) => r.dob)),
    postcode: tally(records.map((r) => r.postcode?.unit)),
  }
}

/** A model from estimated m and u, the frequencies and the record count. */
export function modelFrom(m: Probabilities, u: Probabilities, tf: TermFrequencies, records: number): MatchModel {
  return { m, u, tf, records }
}
