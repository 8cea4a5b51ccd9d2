/**
 * Dated events: agencies' chronology entries (a contribution's key events, each given with a date
 * input and what happened) and a review's timeline.
 */
import type { IsoDate } from '../timescales/calendar/iso-date.ts'

export interface DatedEntry {
  on: IsoDate
  text: string
}

/** The entries earliest first, as a chronology reads (entries of one day keep their order). */
export function inDateOrder(entries: readonly DatedEntry[]): DatedEntry[] {
  return [...entries].sort((a, b) => a.on.localeCompare(b.on))
}
