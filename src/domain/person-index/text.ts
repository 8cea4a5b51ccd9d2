/**
 * Folding text into match keys: NFKC, then any-ascii (which, unlike stripping accents, also maps
 * Ł, ß, Ø, ı and both Romanian ș/ş to plain letters, and Arabic script to its consonants), lower
 * case, only letters, digits, spaces and hyphens left. For keys only: display keeps the raw text.
 */
import anyAscii from 'any-ascii'
import { doubleMetaphone } from 'double-metaphone'

export function fold(value: string): string {
  return anyAscii(value.normalize('NFKC'))
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9\- ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

const metaphoneCache = new Map<string, readonly [string, string]>()

/** Double Metaphone codes (primary, alternate) of a folded token, cached: names repeat a lot. */
export function metaphone(token: string): readonly [string, string] {
  let codes = metaphoneCache.get(token)
  if (!codes) {
    if (metaphoneCache.size > 200_000) metaphoneCache.clear()
    const [a, b] = doubleMetaphone(token)
    codes = [a, b]
    metaphoneCache.set(token, codes)
  }
  return codes
}

/** Whether two tokens share a Double Metaphone code (primary or alternate). */
export function soundsAlike(a: string, b: string): boolean {
  const [a1, a2] = metaphone(a)
  const [b1, b2] = metaphone(b)
  if (!a1 || !b1) return false
  return a1 === b1 || a1 === b2 || a2 === b1 || (a2 !== '' && a2 === b2)
}

/** The consonant skeleton of a name (drop vowels and y/w/h, collapse doubles): mhmd for Muhammad. */
export function skeleton(token: string): string {
  return token.replace(/[aeiouyhw]/g, '').replace(/(.)\1+/g, '$1')
}

/** Damerau–Levenshtein distance, stopping early once it exceeds `max` (used for max 1 or 2). */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) rows.push([i])
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    let best = Number.POSITIVE_INFINITY
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = d
      if (d < best) best = d
    }
    if (best > max) return max + 1
  }
  return rows[a.length]![b.length]!
}
