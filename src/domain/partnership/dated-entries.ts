/**
 * Dated events typed as lines ("2026-03-02 Seen at the clinic"): agencies' chronology entries
 * and a review's timeline. Parsing says which line is wrong, so the form can ask again.
 */
import { isIsoDate, type IsoDate } from '../timescales/calendar/iso-date.ts'

export interface DatedEntry {
  on: IsoDate
  text: string
}

export type ParsedEntries = { ok: true; entries: DatedEntry[] } | { ok: false; message: string }

/** One entry per non-blank line: an ISO date, a space, then what happened. */
export function parseDatedEntries(lines: string): ParsedEntries {
  const entries: DatedEntry[] = []
  const rows = lines.split(/\r?\n/)
  for (const [i, raw] of rows.entries()) {
    const line = raw.trim()
    if (line === '') continue
    const match = /^(\d{4}-\d{2}-\d{2})\s+(.+)$/.exec(line)
    if (!match || !isIsoDate(match[1]!)) {
      return { ok: false, message: `Line ${i + 1} must start with a real date written YYYY-MM-DD, then what happened` }
    }
    entries.push({ on: match[1]!, text: match[2]!.slice(0, 2000) })
  }
  return { ok: true, entries: entries.sort((a, b) => a.on.localeCompare(b.on)) }
}

/** The entries as lines again, for a form. */
export function formatDatedEntries(entries: readonly DatedEntry[]): string {
  return entries.map((e) => `${e.on} ${e.text}`).join('\n')
}
