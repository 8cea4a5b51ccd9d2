/**
 * Blocking keys (docs/person-matching.md §2.4): several independent keys per record, so one wrong
 * or missing field cannot hide a match. A record is indexed under its keys; a query looks up its own
 * keys plus variants for the usual slips (day and month swapped, names the other way round, an NHS
 * number one digit out). Keys are short strings: a prefix naming the rule, then the values.
 */
import { nhsNumberNeighbours } from './identifiers.ts'
import { canonicalNames, nameForms } from './nicknames.ts'
import { surnameStem, type MatchRecord } from './standardise.ts'
import { metaphone } from './text.ts'

const code = (token: string) => metaphone(token)[0] || token

/** Family name forms to block on: each token's sound, the joined name, and earlier names. */
function familyCodes(r: MatchRecord): string[] {
  const forms = new Set<string>()
  for (const t of r.family) forms.add(code(t))
  if (r.family.length > 1) forms.add(code(r.familyJoined))
  for (const h of r.familyHistory) forms.add(code(h))
  return [...forms]
}

function givenCodes(r: MatchRecord, max = 2): string[] {
  return [...new Set([...r.given.slice(0, max), ...r.givenHistory].map(code))]
}

const swapDayMonth = (dob: string) => {
  const [y, m, d] = dob.split('-')
  return Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : null
}

const INWARD = /[0-9][A-Z]{2}$/

function inwardCodes(r: MatchRecord, units: readonly string[]): Set<string> {
  const slipped = r.postcodeInvalid && INWARD.test(r.postcodeInvalid) ? [r.postcodeInvalid] : []
  return new Set([...units, ...slipped].map((u) => u.slice(-3)))
}

interface KeyParts {
  dobs: string[]
  years: string[]
  /** Years to pair with the postcode district (`yd:`): a search uses them only when its names are weak. */
  districtYears: string[]
  /** Whether to use the postcode unit alone (`pu:`): a search does only without a full date of birth or a family name. */
  wholeUnit: boolean
  given: string[]
  /** Sounds of the first given name to pair with family name, year and district (a search adds its nicknames and variants). */
  first: string[]
  family: string[]
  canonical: string[]
}

function keysFrom(r: MatchRecord, p: KeyParts): Set<string> {
  const keys = new Set<string>()
  const district = r.postcode?.district
  for (const dob of p.dobs) {
    for (const f of p.family) keys.add(`df:${dob}:${f}`)
    for (const g of p.given) keys.add(`dg:${dob}:${g}`)
    for (const c of p.canonical) keys.add(`nd:${c}:${dob}`)
  }
  for (const [i, first] of p.first.entries()) {
    for (const f of p.family) {
      for (const y of p.years) keys.add(`yg:${y}:${first}:${f}`)
      keys.add(`gf:${first}:${f}`)
      if (district) keys.add(`gfp:${first}:${f}:${district}`)
    }
    // Everyone of that first name in the district: a nickname's forms only when no family name narrows the search.
    if (district && (i === 0 || p.family.length === 0)) keys.add(`gd:${first}:${district}`)
  }
  if (district) {
    for (const dob of p.dobs) keys.add(`dd:${dob}:${district}`)
    for (const y of p.districtYears) keys.add(`yd:${y}:${district}`)
  }
  const units = [r.postcode?.unit, ...r.postcodeHistory].filter((u): u is string => !!u)
  for (const unit of units) {
    for (const y of p.years) keys.add(`py:${unit}:${y}`)
    if (p.wholeUnit) keys.add(`pu:${unit}`)
  }
  // The inward code (the last three characters) with the year: a slip in the outward code leaves it.
  for (const inward of inwardCodes(r, units)) for (const y of p.years) keys.add(`iy:${inward}:${y}`)
  if (district && r.familyJoined) keys.add(`sd:${surnameStem(r.familyJoined)}:${district}`)
  if (r.upn) keys.add(`u:${r.upn}`)
  return keys
}

function baseParts(r: MatchRecord): KeyParts {
  const exactDob = r.dob && (r.dobPrecision === 'day' || r.dobPrecision === 'expected') ? [r.dob] : []
  const given = givenCodes(r)
  return {
    dobs: exactDob,
    years: r.dob ? [r.dob.slice(0, 4)] : [],
    districtYears: r.dob ? [r.dob.slice(0, 4)] : [],
    wholeUnit: true,
    given,
    first: given.length > 0 ? [given[0]!] : [],
    family: familyCodes(r),
    canonical: r.given[0] ? canonicalNames(r.given[0]) : [],
  }
}

/** The keys a source record is indexed under. Sealed (pre-adoption) records are not indexed at all. */
export function recordKeys(r: MatchRecord): string[] {
  if (r.sealed) return []
  const keys = keysFrom(r, baseParts(r))
  if (r.nhs) keys.add(`n:${r.nhs}`)
  return [...keys]
}

/**
 * The keys a search looks up: the record's own, and the variants for common slips. An estimated
 * or year-only date of birth also tries the years either side.
 */
export function queryKeys(q: MatchRecord): string[] {
  const base = baseParts(q)
  const swapped = q.dob && q.dobPrecision === 'day' ? swapDayMonth(q.dob) : null
  const alternates = [...new Set(q.given.slice(0, 1).map((t) => metaphone(t)[1]).filter((c) => c && !base.given.includes(c)))]
  const year = q.dob ? Number(q.dob.slice(0, 4)) : null
  const fuzzyYears = year && (q.dobPrecision === 'year' || q.dobPrecision === 'estimated') ? [year - 1, year, year + 1].map(String) : base.years
  // A query with no family name or no full date of birth rests on its first name, which may be a
  // nickname, an initial or misspelt: it also looks at everyone of that age in the postcode district
  // (or at that address), each key capped like any other.
  const weak = q.family.length === 0 || q.dobPrecision !== 'day' || !q.dob
  const parts: KeyParts = {
    dobs: swapped ? [...base.dobs, swapped] : base.dobs,
    years: fuzzyYears,
    districtYears: weak ? fuzzyYears : [],
    wholeUnit: weak,
    given: [...base.given, ...alternates],
    // A nickname or variant (Bobby for Robert) with no full date of birth has no other name key to meet.
    first: [...new Set([...base.first, ...(q.given[0] ? nameForms(q.given[0]).map(code) : [])])],
    family: base.family,
    canonical: base.canonical,
  }
  const keys = keysFrom(q, parts)
  // Names the other way round: the typed first name is the record's family name, and vice versa.
  if (q.given[0] && q.family[0]) {
    for (const dob of base.dobs) {
      keys.add(`df:${dob}:${code(q.given[0])}`)
      keys.add(`dg:${dob}:${code(q.family[0])}`)
    }
    keys.add(`gf:${code(q.family[0])}:${code(q.given[0])}`)
  }
  if (q.nhs) keys.add(`n:${q.nhs}`)
  if (q.nhsInvalid) for (const n of nhsNumberNeighbours(q.nhsInvalid)) keys.add(`n:${n}`)
  return [...keys]
}
