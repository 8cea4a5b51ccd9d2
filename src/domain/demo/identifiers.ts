/**
 * Identifiers for synthetic children: NHS numbers from the 999 test range (never issued to real
 * patients) with a valid modulus 11 check digit, unique pupil numbers with a valid check letter,
 * and local authority child IDs. Each is derived from the child's number in the data set, so every
 * child gets a different one and the same seed gives the same ones.
 */
import { mixSeed } from './prng.ts'

/** The NHS number's check digit for its first nine digits, or null when no valid number has them. */
export function nhsCheckDigit(nineDigits: string): number | null {
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i)
  const check = 11 - (sum % 11)
  if (check === 11) return 0
  if (check === 10) return null
  return check
}

export function isValidNhsNumber(value: string): boolean {
  return /^\d{10}$/.test(value) && nhsCheckDigit(value.slice(0, 9)) === Number(value[9])
}

let validSerials: Int32Array | undefined

/** The six-digit serials s for which 999 + s has a check digit, in order. */
function nhsSerials(): Int32Array {
  if (!validSerials) {
    const out: number[] = []
    for (let s = 0; s < 1_000_000; s++) {
      if (nhsCheckDigit(`999${String(s).padStart(6, '0')}`) !== null) out.push(s)
    }
    validSerials = Int32Array.from(out)
  }
  return validSerials
}

/** How many different test-range NHS numbers there are, so the most children one data set can have. */
export function nhsNumberCapacity(): number {
  return nhsSerials().length
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/**
 * Spreads child numbers over a range of `size` slots: `index` → (offset + index × stride) mod size
 * with the stride coprime to the size, so distinct indices below `size` never share a slot.
 */
function permutation(seed: number, size: number, salt: number): (index: number) => number {
  const offset = mixSeed(seed, salt) % size
  let stride = 7919 + (mixSeed(seed, salt + 1) % 1000) * 2
  while (gcd(stride, size) !== 1) stride++
  return (index) => (offset + ((index * stride) % size)) % size
}

export function nhsNumberGenerator(seed: number): (index: number) => string {
  const serials = nhsSerials()
  const slot = permutation(seed, serials.length, 1)
  return (index) => {
    const nine = `999${String(serials[slot(index)]).padStart(6, '0')}`
    return `${nine}${nhsCheckDigit(nine)}`
  }
}

const UPN_CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'

/** The UPN's check letter for its characters 2 to 13 (all digits here). */
export function upnCheckLetter(twelveDigits: string): string {
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(twelveDigits[i]) * (i + 2)
  return UPN_CHECK_LETTERS[sum % 23]!
}

/**
 * Unique pupil numbers: check letter, the local authority code (3 digits), then nine digits unique
 * to the child. The LA code is the one DfE's published synthetic CIN fixtures use.
 */
export function upnGenerator(seed: number, laCode = '938'): (index: number) => string {
  const slot = permutation(seed, 1_000_000_000, 7)
  return (index) => {
    const digits = `${laCode}${String(slot(index)).padStart(9, '0')}`
    return `${upnCheckLetter(digits)}${digits}`
  }
}

/** LAchildID: alphanumeric and at most 20 characters (CIN census rules 1570, 1580), unique per seed. */
export function laChildId(seed: number, index: number): string {
  return `SYN${(seed >>> 0).toString(36).toUpperCase()}C${index.toString(36).toUpperCase().padStart(4, '0')}`
}
