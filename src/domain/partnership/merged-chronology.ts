/**
 * The rapid review's multi-agency chronology: the child's record as it was known at the end of
 * the incident date, merged with the dated entries each agency contributed, in date order.
 * Nothing dated after the incident is included (the record is read "as known at" that date, and
 * contributed entries after it are left out).
 */
import type { ChronologyEntry } from '../journey/chronology.ts'
import type { DatedEntry } from './dated-entries.ts'

export interface MergedEntry {
  on: string
  agency: string
  what: string
  /** 'record': from the child's record; 'contribution': typed by the agency for the review. */
  source: 'record' | 'contribution'
}

export function mergedChronology(
  incidentOn: string,
  record: readonly ChronologyEntry[],
  contributions: readonly { agency: string; entries: readonly DatedEntry[] }[],
): MergedEntry[] {
  const fromRecord: MergedEntry[] = record.map((e) => ({
    on: e.date,
    agency: e.agency ?? 'Not recorded',
    what: e.detail ? `${e.title}: ${e.detail}` : e.title,
    source: 'record',
  }))
  const contributed: MergedEntry[] = contributions.flatMap((c) =>
    c.entries.map((e) => ({ on: e.on, agency: c.agency, what: e.text, source: 'contribution' as const })),
  )
  return [...fromRecord, ...contributed]
    .filter((e) => e.on <= incidentOn)
    .sort((a, b) => a.on.localeCompare(b.on) || a.agency.localeCompare(b.agency))
}
