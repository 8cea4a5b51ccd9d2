/** What many 903 rules ask of a child: its date of birth, its kind of care, its periods and cohorts. */
import { addYears, ageOn, day } from '../dates.ts'
import type { ChildRecord, ChildTables, Episode } from '../model.ts'
import type { Context } from '../rule.ts'

export const SHORT_BREAKS = new Set(['V3', 'V4'])
export const TEMPORARY = new Set(['T0', 'T1', 'T2', 'T3', 'T4'])
export const OTHER_PLACEMENTS = new Set(['Z11', 'Z12', 'Z13', 'Z14'])
export const ADOPTION_PLACEMENTS = new Set(['A3', 'A4', 'A5', 'A6'])
export const FOSTER_PLACEMENTS = new Set(['U1', 'U2', 'U3', 'U4', 'U5', 'U6'])
export const CONTINUATIONS = new Set(['P', 'L', 'T', 'U', 'B'])

/** The child's date of birth from Header (the first row), as a day number; NaN if absent or unreadable. */
export const dobOf = (child: ChildTables): number => child.dob

/** Age in whole years on a date. */
export const ageAt = (child: ChildTables, date: number): number => ageOn(dobOf(child), date)

/** The child's nth birthday. */
export const birthday = (child: ChildTables, years: number): number => addYears(dobOf(child), years)

export const isShortBreak = (e: Episode): boolean => SHORT_BREAKS.has(e.LS)

/** Whether the child has any episode that is not a V3/V4 short break. */
export const hasCare = (child: ChildTables): boolean => child.episodes.some((e) => !isShortBreak(e))

/** Whether every episode is a short break (and there is at least one). */
export const onlyShortBreaks = (child: ChildTables): boolean => child.episodes.length > 0 && child.episodes.every(isShortBreak)

/** The latest episode (by DECOM). */
export const lastEpisode = (child: ChildTables): Episode | undefined => child.episodes[child.episodes.length - 1]

/** Episodes with a readable DECOM, in order. */
export const datedEpisodes = (child: ChildTables): Episode[] => child.episodes.filter((e) => !Number.isNaN(e.decom))

/** An episode ends the period of care: it has ended with a reason other than X1. */
export const endsCare = (e: Episode): boolean => e.REC !== '' && e.REC !== 'X1'

/**
 * Looked after continuously for 12 months at 31 March (the OC2 cohort): in care at the start of the
 * year (an episode open on 1 April that began before it), no new period started in the year, still
 * in care on 31 March, and no V3/V4 short breaks.
 */
export function lookedAfter12Months(child: ChildTables, ctx: Context): boolean {
  const episodes = child.episodes
  if (episodes.length === 0) return false
  if (episodes.some(isShortBreak)) return false
  if (episodes.some((e) => Number.isNaN(e.decom))) return false
  const first = episodes[0]!
  if (!(first.decom < ctx.start)) return false
  if (episodes.some((e) => e.RNE === 'S' && e.decom >= ctx.start)) return false
  // A period that ends before 31 March breaks the 12 months (31 March itself counts as still looked
  // after), and the latest episode must still be open then: a DEC before it without a reason is an exit too.
  if (episodes.some((e) => endsCare(e) && !Number.isNaN(e.dec) && e.dec < ctx.end)) return false
  const last = episodes[episodes.length - 1]!
  return last.DEC === '' || last.dec >= ctx.end
}

/** Whether the child had an episode open at some time in the collection year. */
export const inCareInYear = (child: ChildTables, ctx: Context): boolean =>
  child.episodes.some((e) => e.decom <= ctx.end && (e.DEC === '' || e.dec >= ctx.start))

export const isChildRecord = (c: ChildTables): c is ChildRecord => 'id' in c
