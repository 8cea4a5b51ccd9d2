/**
 * NHS numbers: ten digits, the last a modulus 11 check digit over the first nine (weights 10 down
 * to 2). A check value of 10 means the number was never issued; 11 stands for 0. People write the
 * number with spaces (3-3-4) or hyphens, so those are ignored.
 */

/** The ten digits of an NHS number as written, or null when it is not ten digits. */
export function normaliseNhsNumber(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '')
  return /^\d{10}$/.test(digits) ? digits : null
}

/** The check digit the first nine digits call for, or null when no valid number has them. */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i)
  const check = 11 - (sum % 11)
  if (check === 10) return null
  return check === 11 ? 0 : check
}

/** Whether `value` is a valid NHS number (spaces and hyphens allowed between digits). */
export function isValidNhsNumber(value: string): boolean {
  const digits = normaliseNhsNumber(value)
  if (!digits) return false
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9])
}

/** '9990000050' → '999 000 0050', the way the NHS writes it. */
export function formatNhsNumber(digits: string): string {
  return digits.length === 10 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits
}
