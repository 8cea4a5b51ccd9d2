/**
 * Standardising a record (a source record, or what a practitioner typed) into the form the matcher
 * compares and blocks on: folded name tokens with placeholders removed, name history, a parsed
 * date of birth with its precision, a normalised postcode and its history, a valid NHS number.
 * Raw values stay on the source record; this is only for matching.
 */
import { validNhsNumber } from './identifiers.ts'
import { parsePostcode, type Postcode } from './postcode.ts'
import { fold } from './text.ts'

export interface RawRecord {
  givenName?: string | null
  middleNames?: string | null
  familyName?: string | null
  dateOfBirth?: string | null
  /** 'day' (default), 'month', 'year' (only the year is known) or 'estimated' (an age estimate). */
  dobPrecision?: string | null
  expectedDateOfBirth?: string | null
  sex?: string | null
  nhsNumber?: string | null
  upn?: string | null
  postcode?: string | null
  addressLine?: string | null
  adoption?: string | null
  /** Earlier names and aliases. */
  names?: readonly { givenName?: string | null; familyName?: string | null }[]
  /** Earlier postcodes. */
  postcodes?: readonly (string | null)[]
}

export type DobPrecision = 'day' | 'month' | 'year' | 'estimated' | 'expected'

export interface MatchRecord {
  /** Given then middle name tokens, placeholders removed; [] when none usable. */
  given: string[]
  /** Family name tokens (hyphenated and double-barrelled parts, particles dropped). */
  family: string[]
  /** The whole family name folded, spaces and hyphens removed. */
  familyJoined: string
  /** Earlier or alternative family names (joined form) and given names. */
  familyHistory: string[]
  givenHistory: string[]
  dob: string | null
  dobPrecision: DobPrecision
  /** 1 January, or a sentinel such as 1900-01-01: often a default, so weak evidence. */
  dobDefault: boolean
  sex: 'M' | 'F' | null
  nhs: string | null
  /** An NHS number was given but is not valid (typo): its digits, for the neighbour comparison. */
  nhsInvalid: string | null
  upn: string | null
  postcode: Postcode | null
  /** A postcode was given but cannot be one (a slip): its letters and digits, for the typo comparison. */
  postcodeInvalid?: string | null
  postcodeHistory: string[]
  /** "Baby of…", "Unborn", "Twin 1": the given name is a placeholder. */
  placeholder: boolean
  unborn: boolean
  /** A pre-adoption identity: sealed. */
  sealed: boolean
  /** 'pre-adoption' / 'post-adoption' / null. */
  adoption: string | null
}

const TITLES = new Set(['mr', 'mrs', 'miss', 'ms', 'mx', 'dr', 'master', 'prof', 'rev', 'sir', 'dame', 'jr', 'jnr', 'sr', 'snr', 'ii', 'iii'])
const PARTICLES = new Set(['al', 'el', 'ul', 'bin', 'ibn', 'bint', 'van', 'von', 'de', 'da', 'der', 'den', 'la', 'le', 'di', 'du', 'dos', 'das'])
/** First words that stand in for a name not yet known (NHS England's GIVEN_NAMES_TO_IGNORE, adapted). */
const PLACEHOLDER_START = /^(baby|babyof|infant|unborn|newborn|twin|triplet|unknown|notknown|noname|nk|bb|bg|male|female)$/

function tokens(raw: string | null | undefined): string[] {
  if (!raw) return []
  return fold(raw)
    .split(/[\s-]+/)
    .filter((t) => t !== '' && !TITLES.has(t))
}

/** Mc and Mac are one prefix for matching (McDonald, MacDonald). */
const mac = (t: string) => t.replace(/^mac(?=[a-z]{3})/, 'mc')

export interface GivenNames {
  tokens: string[]
  placeholder: boolean
}

/** Given and middle names as tokens; a placeholder ("Baby of Smith", "Twin 2", "Unknown") gives none. */
export function givenNameTokens(given: string | null | undefined, middle?: string | null): GivenNames {
  const first = tokens(given)
  if (first.length > 0 && (PLACEHOLDER_START.test(first[0]!) || /^(not known|no name|not stated|n k)\b/.test(first.join(' ')))) {
    return { tokens: [], placeholder: true }
  }
  const all = [...first, ...tokens(middle)]
  return { tokens: all.filter((t) => !PARTICLES.has(t) || all.length === 1), placeholder: false }
}

export function familyNameTokens(family: string | null | undefined): string[] {
  const all = tokens(family).map(mac)
  const kept = all.filter((t) => !PARTICLES.has(t))
  return kept.length > 0 ? kept : all
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function validDate(value: string | null | undefined): string | null {
  if (!value) return null
  const m = DATE.exec(value.trim())
  if (!m) return null
  const d = new Date(`${m[0]}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== m[0] ? null : m[0]
}

function sexOf(raw: string | null | undefined): 'M' | 'F' | null {
  const s = (raw ?? '').trim().toUpperCase()
  if (s === 'M' || s === 'MALE' || s === '1') return 'M'
  if (s === 'F' || s === 'FEMALE' || s === '2') return 'F'
  return null
}

export function standardise(raw: RawRecord): MatchRecord {
  const given = givenNameTokens(raw.givenName, raw.middleNames)
  const family = familyNameTokens(raw.familyName)
  const expected = validDate(raw.expectedDateOfBirth)
  const born = validDate(raw.dateOfBirth)
  const dob = born ?? expected
  const precision: DobPrecision = !born && expected ? 'expected' : ((raw.dobPrecision as DobPrecision | null) ?? 'day')
  const postcode = parsePostcode(raw.postcode)
  const nhs = validNhsNumber(raw.nhsNumber)
  const nhsDigits = (raw.nhsNumber ?? '').replace(/[\s-]/g, '')
  const history = raw.names ?? []
  const joined = family.join('')
  return {
    given: given.tokens,
    family,
    familyJoined: joined,
    familyHistory: [...new Set(history.map((n) => familyNameTokens(n.familyName).join('')).filter((f) => f !== '' && f !== joined))],
    givenHistory: [...new Set(history.flatMap((n) => givenNameTokens(n.givenName).tokens.slice(0, 1)))],
    dob,
    dobPrecision: precision,
    dobDefault: !!dob && (dob.endsWith('-01-01') || dob.startsWith('1900-')),
    sex: sexOf(raw.sex),
    nhs,
    nhsInvalid: !nhs && /^\d{10}$/.test(nhsDigits) ? nhsDigits : null,
    upn: raw.upn ? raw.upn.trim().toUpperCase() : null,
    postcode,
    postcodeInvalid: postcode ? null : invalidPostcode(raw.postcode),
    postcodeHistory: [...new Set((raw.postcodes ?? []).map((p) => parsePostcode(p)?.unit).filter((u): u is string => !!u && u !== postcode?.unit))],
    placeholder: given.placeholder || /\bbaby\b|\bunborn\b/i.test(raw.familyName ?? ''),
    unborn: precision === 'expected',
    sealed: raw.adoption === 'pre-adoption',
    adoption: raw.adoption ?? null,
  }
}

/** Text that looks like a mistyped full postcode (5 to 8 letters and digits), upper case without spaces. */
function invalidPostcode(raw: string | null | undefined): string | null {
  const s = (raw ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '')
  return s.length >= 5 && s.length <= 8 ? s : null
}

/** Gendered Slavic and Baltic surname endings mapped to one stem (Kowalski/Kowalska, Novák/Nováková). */
export function surnameStem(family: string): string {
  return family
    .replace(/(ski|ska|sky|skiy|skaya)$/, 'sk')
    .replace(/(cki|cka|cky)$/, 'ck')
    .replace(/(dzki|dzka)$/, 'dzk')
    .replace(/ova$/, '')
    .replace(/(ov|ev|in)a$/, '$1')
    .replace(/(iene|aite|yte|ute|as|is|ys|us)$/, '')
}
