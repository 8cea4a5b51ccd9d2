/**
 * Unique Pupil Numbers: 13 characters, a check letter, the LA code that issued it (chars 2-4),
 * then digits; the 13th is a digit, or a letter for a temporary UPN.
 */

/** The check-letter alphabet: A-Z without I, O and S (23 letters, one per remainder mod 23). */
export const UPN_CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'

/** The check letter a UPN's characters 2-13 call for, or undefined when they cannot be weighed. */
export function upnCheckLetter(upn: string): string | undefined {
  if (upn.length !== 13) return undefined
  let sum = 0
  for (let i = 1; i < 13; i++) {
    const c = upn.charCodeAt(i)
    let value: number
    if (c >= 48 && c <= 57) value = c - 48
    else if (i === 12) {
      // A temporary UPN's 13th character is a letter, weighed by its place in the check alphabet.
      value = UPN_CHECK_LETTERS.indexOf(upn[i]!.toUpperCase())
      if (value < 0) return undefined
    } else return undefined
    sum += value * (i + 1)
  }
  return UPN_CHECK_LETTERS[sum % 23]
}

/** LA and pseudo-LA codes accepted in UPN characters 2-4 (rule 1530 as modified for 2023-24). */
export const UPN_LA_CODES: ReadonlySet<string> = (() => {
  const codes = new Set<string>()
  const range = (from: number, to: number) => {
    for (let n = from; n <= to; n++) codes.add(String(n).padStart(3, '0'))
  }
  range(1, 5)
  range(201, 213)
  range(301, 320)
  range(330, 336)
  range(340, 344)
  range(350, 359)
  range(370, 373)
  range(380, 384)
  range(390, 394)
  range(660, 681)
  range(701, 708)
  range(800, 803)
  range(805, 808)
  range(810, 813)
  range(820, 823)
  range(835, 839)
  range(850, 852)
  range(855, 857)
  range(865, 896)
  range(935, 938)
  range(940, 943)
  for (const n of [420, 815, 816, 825, 826, 830, 831, 840, 841, 845, 846, 860, 861, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933]) {
    range(n, n)
  }
  return codes
})()

export const UPN_SHAPE = /^[A-Za-z]\d{11}[0-9A-Za-z]$/
