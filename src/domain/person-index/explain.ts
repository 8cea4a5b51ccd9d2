/**
 * Plain-English reasons for a score, one per field (docs/person-matching.md §2.9): what agreed,
 * what differed and what was missing, with the weight in bits, and the hard rules that held the
 * candidate back. Names are shown as folded for matching (lower case), capitalised.
 */
import type { Field } from './compare.ts'
import type { Hazard, Scored } from './score.ts'

export interface Reason {
  field: Field | 'rule'
  /** agrees, partly, differs, missing, or rule. */
  effect: 'agrees' | 'partly' | 'differs' | 'missing' | 'rule'
  text: string
  /** Bits, rounded to one decimal place. */
  weight: number
}

const LABEL: Record<Field, string> = {
  given: 'First name',
  family: 'Last name',
  dob: 'Date of birth',
  sex: 'Sex',
  postcode: 'Postcode',
  nhs: 'NHS number',
}

const cap = (s: string) => s.replace(/\b[a-z]/g, (c) => c.toUpperCase())
const q = (s: string) => `‘${cap(s)}’`

const TEXT: Record<string, (a: string, b: string) => string> = {
  'given:exact': (a) => `First name ${q(a)} is the same`,
  'given:variant': (a, b) => `${q(a)} and ${q(b)} are spellings of one first name`,
  'given:nickname': (a, b) => `${q(a)} is a known short form of ${q(b)}`,
  'given:close': (a, b) => `First names ${q(a)} and ${q(b)} differ by a letter or two`,
  'given:sounds': (a, b) => `First names ${q(a)} and ${q(b)} sound the same`,
  'given:middle': (a, b) => `${q(a)} matches a middle name (${q(b)})`,
  'given:initial': (a, b) => `Only an initial to compare: ${q(a)} and ${q(b)}`,
  'given:similar': (a, b) => `First names ${q(a)} and ${q(b)} are only loosely alike`,
  'given:else': (a, b) => `First names differ: ${q(a)} and ${q(b)}`,
  'family:exact': (a) => `Last name ${q(a)} is the same`,
  'family:token': (a, b) => `Last names share a part: ${q(a)} and ${q(b)}`,
  'family:stem': (a, b) => `${q(a)} and ${q(b)} are forms of one family name (as Kowalski and Kowalska)`,
  'family:close': (a, b) => `Last names ${q(a)} and ${q(b)} differ by a letter or two`,
  'family:sounds': (a, b) => `Last names ${q(a)} and ${q(b)} sound the same`,
  'family:history': (a, b) => `Last name differs, but matches an earlier last name ${q(b)}`,
  'family:similar': (a, b) => `Last names ${q(a)} and ${q(b)} are only loosely alike`,
  'family:else': (a, b) => `Last names differ: ${q(a)} and ${q(b)}`,
  'dob:exact': () => 'Date of birth is the same',
  'dob:swapped': () => 'Date of birth matches with day and month swapped',
  'dob:typo': () => 'Date of birth differs by one digit or a few days',
  'dob:month': () => 'Same month and year of birth, different day',
  'dob:approx': () => 'Date of birth agrees with an estimated age or expected date',
  'dob:year': () => 'Same year of birth only',
  'dob:else': () => 'Date of birth differs',
  'sex:same': () => 'Sex is the same',
  'sex:different': () => 'Sex differs (recorded sex can change, so this counts for little)',
  'postcode:unit': () => 'Postcode is the same',
  'postcode:history': () => 'Postcode matches an earlier address',
  'postcode:typo': () => 'Postcode differs by one character',
  'postcode:sector': () => 'Postcode is in the same street area (sector)',
  'postcode:district': () => 'Postcode is in the same district',
  'postcode:area': () => 'Postcode is in the same area',
  'postcode:else': () => 'Postcode differs',
  'nhs:same': () => 'NHS number is the same',
  'nhs:typo': () => 'NHS number differs by one digit or a swap (one of them is not a valid number)',
  'nhs:different': () => 'NHS number differs — both valid',
}

const HAZARD_TEXT: Record<Hazard, string> = {
  'multiple-birth': 'Same date of birth and last name but a different first name: this may be a twin or triplet, so it is never linked automatically',
  sibling: 'Same last name and address but a different first name or date of birth: this may be a brother or sister',
  'baby-or-unborn': 'A “baby of”, unborn or unnamed record: it could be a twin or a brother or sister, so a person must check it before any link',
  'mothers-nhs-number': 'The NHS number is the same but the dates of birth are years apart: it may be the mother’s NHS number on a baby’s record, so it was not counted',
  'nhs-differs': 'Both records have valid, different NHS numbers: check before treating them as one person',
  'cannot-distinguish': 'Another person matches almost as well: the search cannot tell them apart, so check both',
  adoption: 'One record is a pre-adoption identity: it is never linked to the child’s present identity',
  'no-name-agrees': 'Neither the first nor the last name agrees (or no name was given): a person must check before treating them as one',
  'twin-not-ruled-out': 'This child has a twin or triplet here (same date of birth, last name and address) and the details given do not rule the other child out, so check which child is meant',
}

const round = (n: number) => Math.round(n * 10) / 10

export function explain(s: Scored): Reason[] {
  const reasons: Reason[] = []
  for (const f of s.fields) {
    if (!f.level) {
      reasons.push({ field: f.field, effect: 'missing', text: `${LABEL[f.field]}: not on both records, so not compared`, weight: 0 })
      continue
    }
    const [a, b] = s.comparison.pairs[f.field] ?? ['', '']
    let text = TEXT[`${f.field}:${f.level}`]?.(a, b) ?? `${LABEL[f.field]}: ${f.level}`
    if (f.tf < -0.5) text += ' (a common value, so it counts for less)'
    if (f.tf > 0.5) text += ' (an uncommon value, so it counts for more)'
    const effect = f.weight >= 3 ? 'agrees' : f.weight > 0 ? 'partly' : 'differs'
    reasons.push({ field: f.field, effect, text, weight: round(f.weight) })
  }
  if (s.comparison.swappedNames) reasons.push({ field: 'rule', effect: 'rule', text: 'First and last names appear to be the other way round', weight: -2 })
  for (const h of s.hazards) reasons.push({ field: 'rule', effect: 'rule', text: HAZARD_TEXT[h], weight: 0 })
  return reasons
}
