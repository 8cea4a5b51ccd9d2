/**
 * UK postcodes for matching: upper case without spaces, O/0 and I/1 confusions repaired by
 * position (the inward code is digit, letter, letter; the outward code starts with a letter), and
 * the parts that comparison levels use: area (letters), district (outward code), sector, unit.
 */
export interface Postcode {
  unit: string
  sector: string
  district: string
  area: string
}

const OUTWARD = /^([A-Z]{1,2})([0-9][0-9A-Z]?)$/
const toDigit: Record<string, string> = { O: '0', I: '1', L: '1', S: '5' }
const toLetter: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S' }

/** A normalised postcode, or null when the text cannot be one. Also accepts an outward code alone. */
export function parsePostcode(raw: string | null | undefined): Postcode | null {
  if (!raw) return null
  const s = raw.toUpperCase().replace(/[^A-Z0-9]/g, '')
  if (s.length < 2 || s.length > 7) return null
  if (s.length <= 4 && OUTWARD.test(repairOutward(s))) {
    const district = repairOutward(s)
    return { unit: '', sector: '', district, area: district.match(OUTWARD)![1]! }
  }
  if (s.length < 5) return null
  const inward = s.slice(-3)
  const fixedInward = (toDigit[inward[0]!] ?? inward[0]!) + [...inward.slice(1)].map((c) => toLetter[c] ?? c).join('')
  if (!/^[0-9][A-Z]{2}$/.test(fixedInward)) return null
  const outward = repairOutward(s.slice(0, -3))
  const m = outward.match(OUTWARD)
  if (!m) return null
  return { unit: outward + fixedInward, sector: outward + fixedInward[0], district: outward, area: m[1]! }
}

/** The outward code is one or two letters then a digit: an O or I where a third letter would be is a 0 or 1. */
function repairOutward(s: string): string {
  const chars = [...s]
  if (chars[0] && toLetter[chars[0]]) chars[0] = toLetter[chars[0]]!
  const fix = (i: number) => {
    const c = chars[i]
    if (c === 'O' || c === 'I') chars[i] = toDigit[c]!
  }
  if (chars.length === 2) fix(1)
  else if (/[A-Z]/.test(chars[1] ?? '') && /[A-Z]/.test(chars[2] ?? '')) fix(2)
  return chars.join('')
}

/** How a postcode is written: outward code, space, inward code. */
export function formatPostcode(p: Postcode): string {
  return p.unit ? `${p.district} ${p.unit.slice(p.district.length)}` : p.district
}
