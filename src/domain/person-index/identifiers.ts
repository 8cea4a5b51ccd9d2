/**
 * Identifiers the matcher compares: NHS numbers (modulus 11, in src/domain/journey/nhs-number.ts)
 * and unique pupil numbers (a check letter over characters 2 to 13).
 */
import { isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from '../journey/nhs-number.ts'

/** The NHS number's ten digits when it is valid and not a repeated digit (0000000000), else null. */
export function validNhsNumber(raw: string | null | undefined): string | null {
  if (!raw) return null
  const digits = normaliseNhsNumber(raw)
  if (!digits || /^(\d)\1{9}$/.test(digits) || !isValidNhsNumber(digits)) return null
  return digits
}

/**
 * The valid NHS numbers one slip away from `digits` (a single wrong digit, or two neighbours
 * swapped): what a mistyped number probably was. Modulus 11 rejects every such slip, so none of
 * these equals a valid input; for an invalid input they are the candidates.
 */
export function nhsNumberNeighbours(digits: string): string[] {
  if (!/^\d{10}$/.test(digits)) return []
  const out = new Set<string>()
  const consider = (n: string) => {
    if (n !== digits && nhsCheckDigit(n.slice(0, 9)) === Number(n[9])) out.add(n)
  }
  for (let i = 0; i < 10; i++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== digits[i]) consider(digits.slice(0, i) + d + digits.slice(i + 1))
    }
  }
  for (let i = 0; i < 9; i++) {
    if (digits[i] !== digits[i + 1]) consider(digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2))
  }
  return [...out]
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'

/**
 * Whether a UPN is well formed: 13 characters, a check letter then 12 characters (digits, the
 * last may be a letter for a temporary UPN), and the check letter is the weighted sum of
 * characters 2–13 (weights 2–14, letters by their position in the check alphabet) modulo 23.
 */
export function isValidUpn(raw: string): boolean {
  const upn = raw.trim().toUpperCase()
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(upn)) return false
  let sum = 0
  for (let i = 1; i < 13; i++) {
    const c = upn[i]!
    const value = /\d/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c)
    if (value < 0) return false
    sum += value * (i + 1)
  }
  return UPN_LETTERS[sum % 23] === upn[0]
}
