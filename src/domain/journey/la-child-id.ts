/**
 * LA child IDs given by Together: the partnership's format, letters and digits with one run of `#`
 * standing for a number counted up from 1 and padded with zeros (`C#######` gives C0000001). The
 * census asks for letters and digits only, at most 20 (rules 1570, 1580).
 */

/** Used when the partnership has set no format of its own. */
export const DEFAULT_LA_CHILD_ID_FORMAT = 'C#######'

/** Why a format cannot be used, or null when it can. */
export function laChildIdFormatProblem(format: string): string | null {
  if (!/^[A-Za-z0-9]*#{4,}[A-Za-z0-9]*$/.test(format)) {
    return 'a format is letters and digits around one run of at least four # (the number), like C#######'
  }
  if (format.length > 20) return 'a format makes IDs of at most 20 characters'
  return null
}

function parts(format: string): { prefix: string; digits: number; suffix: string } {
  const m = format.match(/^([A-Za-z0-9]*)(#+)([A-Za-z0-9]*)$/)
  if (!m) throw new Error(`not an LA child ID format: ${format}`)
  return { prefix: m[1]!, digits: m[2]!.length, suffix: m[3]! }
}

/** The IDs of the format, as a PostgreSQL regular expression with the number captured. */
export function laChildIdPattern(format: string): string {
  const { prefix, digits, suffix } = parts(format)
  return `^${prefix}([0-9]{${digits}})${suffix}$`
}

/** The format's ID with the number `n`. */
export function formatLaChildId(format: string, n: number): string {
  const { prefix, digits, suffix } = parts(format)
  const number = String(n)
  if (number.length > digits) throw new Error(`the LA child ID format ${format} has no room for ${n}`)
  return `${prefix}${number.padStart(digits, '0')}${suffix}`
}

/** An LA child ID as the census accepts it: letters and digits, at most 20. */
export const LA_CHILD_ID = /^[A-Za-z0-9]{1,20}$/
