/**
 * The Fellegi–Sunter model: for each field and level, m (how often true matches show that level)
 * and u (how often non-matches do). A level's weight is log2(m/u) bits; agreement on a common
 * value (Smith, Muhammad, 1 January) is worth less through term-frequency adjustment. The sum plus
 * the prior (one person among N) is the match weight; bands come from it and from the hard rules.
 */
import { FIELDS, LEVELS, type Comparison, type Field } from './compare.ts'
import type { MatchRecord } from './standardise.ts'

export type Probabilities = { [F in Field]: Record<string, number> }

/** Share of records holding a value, for the values common enough to matter. */
export interface TermFrequencies {
  given: Record<string, number>
  family: Record<string, number>
  dob: Record<string, number>
  postcode: Record<string, number>
}

export interface MatchModel {
  m: Probabilities
  u: Probabilities
  tf: TermFrequencies
  /** How many source records the frequencies and prior were taken from. */
  records: number
}

/** Starting values, before a partnership's own data calibrates them (`together match calibrate`). */
export const DEFAULT_M: Probabilities = {
  given: { exact: 0.84, variant: 0.02, nickname: 0.04, close: 0.03, sounds: 0.02, middle: 0.015, initial: 0.01, similar: 0.01, else: 0.005 },
  family: { exact: 0.86, token: 0.03, stem: 0.01, close: 0.04, sounds: 0.02, history: 0.02, similar: 0.01, else: 0.01 },
  dob: { exact: 0.93, swapped: 0.01, typo: 0.025, month: 0.005, approx: 0.02, year: 0.005, else: 0.005 },
  sex: { same: 0.99, different: 0.01 },
  postcode: { unit: 0.8, history: 0.06, typo: 0.01, sector: 0.05, district: 0.04, area: 0.02, else: 0.02 },
  nhs: { same: 0.995, typo: 0.003, different: 0.002 },
}

export const DEFAULT_U: Probabilities = {
  given: { exact: 0.006, variant: 0.0005, nickname: 0.001, close: 0.002, sounds: 0.004, middle: 0.002, initial: 0.003, similar: 0.03, else: 0.9515 },
  family: { exact: 0.003, token: 0.0005, stem: 0.0002, close: 0.001, sounds: 0.002, history: 0.0002, similar: 0.02, else: 0.9731 },
  dob: { exact: 0.0002, swapped: 0.00001, typo: 0.0006, month: 0.0025, approx: 0.02, year: 0.05, else: 0.9266 },
  sex: { same: 0.5, different: 0.5 },
  postcode: { unit: 0.00002, history: 0.00001, typo: 0.0001, sector: 0.0005, district: 0.005, area: 0.05, else: 0.94 },
  nhs: { same: 1e-7, typo: 1e-6, different: 0.999 },
}

export function defaultModel(records = 1000): MatchModel {
  return { m: DEFAULT_M, u: DEFAULT_U, tf: { given: {}, family: {}, dob: {}, postcode: {} }, records }
}

const FLOOR = 1e-7
const log2 = Math.log2

/** The weight of one level in bits. */
export function levelWeight(model: MatchModel, field: Field, level: string): number {
  const m = Math.max(model.m[field][level] ?? FLOOR, FLOOR)
  const u = Math.max(model.u[field][level] ?? FLOOR, FLOOR)
  return log2(m / u)
}

/** The prior, in bits: one true match among the index's records. */
export const priorWeight = (model: MatchModel) => -log2(Math.max(model.records, 2))

const TF_FIELDS = { given: 'exact', family: 'exact', dob: 'exact', postcode: 'unit' } as const
type TfField = keyof typeof TF_FIELDS

/** The agreed value of a term-frequency field, for looking up how common it is. */
function agreedValue(field: TfField, q: MatchRecord): string | null {
  if (field === 'given') return q.given[0] ?? null
  if (field === 'family') return q.familyJoined || null
  if (field === 'dob') return q.dob
  return q.postcode?.unit || null
}

const rarestCache = new WeakMap<Record<string, number>, number>()

function rarest(table: Record<string, number>, fallback: number): number {
  let r = rarestCache.get(table)
  if (r === undefined) {
    const values = Object.values(table)
    r = values.length > 0 ? Math.min(...values) : fallback
    rarestCache.set(table, r)
  }
  return r
}

/**
 * Term-frequency adjustment for an exact agreement: log2(u_level / frequency of the value), so a
 * common value counts for less and a rare one for a little more. Values not in the table are taken
 * as no commoner than the table's rarest entry. A default date (1 January) always counts for less.
 */
export function tfAdjustment(model: MatchModel, field: TfField, q: MatchRecord): number {
  const value = agreedValue(field, q)
  if (!value) return 0
  const table = model.tf[field]
  const u = Math.max(model.u[field][TF_FIELDS[field]] ?? FLOOR, FLOOR)
  let freq = table[value]
  let adjustment = 0
  if (freq !== undefined) adjustment = log2(u / freq)
  else if (field === 'dob' && q.dobDefault) adjustment = -3
  else adjustment = Math.max(0, log2(u / rarest(table, u)))
  return Math.max(-8, Math.min(3, adjustment))
}

export interface FieldScore {
  field: Field
  level: string | null
  /** Bits this field added (negative: evidence against). */
  weight: number
  /** Of that, the term-frequency adjustment. */
  tf: number
}

/** Each field's contribution in bits, and their sum (not yet including the prior or the rules). */
export function fieldScores(model: MatchModel, q: MatchRecord, c: Comparison): FieldScore[] {
  return FIELDS.map((field) => {
    const level = c.vector[field]
    if (!level) return { field, level: null, weight: 0, tf: 0 }
    let weight = levelWeight(model, field, level)
    let tf = 0
    if (field in TF_FIELDS) {
      const exact = TF_FIELDS[field as TfField]
      const adjustment = tfAdjustment(model, field as TfField, q)
      if (level === exact) {
        tf = adjustment
        weight += tf
      } else {
        // A near agreement is never stronger evidence than the exact one: Ollivia must not outscore Olivia
        // because Olivia is common.
        weight = Math.min(weight, levelWeight(model, field, exact) + adjustment)
      }
    }
    return { field, level, weight, tf }
  })
}

export { LEVELS }
