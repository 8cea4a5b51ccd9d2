import { and, eq, or, sql, type SQL } from 'drizzle-orm'
import { person } from '../../db/schema/index.ts'

/** Text for a LIKE pattern with its wildcards (and the escape character) taken literally. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * The people a look-up by name or NHS number means: ten digits (spaces ignored) are an NHS number,
 * matched exactly; anything else is words, each of which must start the given or the family name.
 * Undefined when the query has no words. The caller scopes it to the partnership.
 */
export function personNamedOrNumbered(query: string): SQL | undefined {
  const q = query.trim().toLowerCase()
  const digits = q.replace(/\s/g, '')
  if (/^\d{10}$/.test(digits)) return eq(person.nhsNumber, digits)
  const words = q.split(/\s+/).filter(Boolean)
  if (words.length === 0) return undefined
  return and(
    ...words.map((w) =>
      or(sql`lower(${person.givenName}) like ${`${escapeLike(w)}%`}`, sql`lower(${person.familyName}) like ${`${escapeLike(w)}%`}`),
    ),
  )
}
