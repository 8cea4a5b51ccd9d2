/**
 * Reading a person file (`together import people FILE.csv`) before anything is written: the bytes
 * must be UTF-8, and the whole file must parse as CSV with one field per header column. Any of
 * these file-level errors rejects the whole file; row-level problems (a bad date, an invalid NHS
 * number) are left to `rowProblem`, which skips just that row.
 */
import { parse } from 'csv-parse/sync'
import type { ImportLine } from './import-run.ts'

export interface FileProblem {
  /** The line of the file the problem is on (1 is the header). */
  line: number
  problem: string
}

export type ReadPeopleCsv =
  | { ok: true; header: string[]; lines: ImportLine[] }
  | { ok: false; problems: FileProblem[] }

/** The 1-based line of character `index` in `text`. */
function lineAt(text: string, index: number): number {
  let line = 1
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line += 1
  return line
}

/**
 * Where the quote that is never closed opens: fields are scanned from the start, a quote opening a
 * field (after optional spaces) only when it comes first in it, `""` inside quotes standing for one.
 */
export function unclosedQuoteLine(text: string): number | null {
  let inQuotes = false
  let opened = 0
  let fieldStart = true
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') i += 1
        else inQuotes = false
      }
      continue
    }
    if (c === '"' && fieldStart) {
      inQuotes = true
      opened = i
      fieldStart = false
    } else if (c === ',' || c === '\n' || c === '\r') fieldStart = true
    else if (c !== ' ' && c !== '\t') fieldStart = false
  }
  return inQuotes ? lineAt(text, opened) : null
}

/** The line each record starts on, records with nothing but spaces left out (as csv-parse skips them). */
export function recordStartLines(text: string): number[] {
  const starts: number[] = []
  let line = 1
  let start = 1
  let content = false
  let inQuotes = false
  let fieldStart = true
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n') line += 1
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') i += 1
        else inQuotes = false
      }
      continue
    }
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      if (c === '\r') line += 1
      if (content) starts.push(start)
      start = line
      content = false
      fieldStart = true
      continue
    }
    if (c === '"' && fieldStart) {
      inQuotes = true
      fieldStart = false
      content = true
      continue
    }
    if (c === ',') fieldStart = true
    else if (c !== ' ' && c !== '\t' && c !== '\r') fieldStart = false
    if (c !== ' ' && c !== '\t' && c !== '\r') content = true
  }
  if (content) starts.push(start)
  return starts
}

/** The file's text when it is UTF-8, or the line of its first byte that is not. */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; line: number } {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    // Not UTF-8: the lenient decoding marks the first bad byte with a replacement character.
    const lenient = new TextDecoder('utf-8').decode(bytes)
    const at = lenient.indexOf('\uFFFD')
    return { ok: false, line: lineAt(lenient, at < 0 ? 0 : at) }
  }
}

/**
 * Parses the whole file. Each record is numbered by the line it starts on (a quoted field can run
 * over several lines); a record with the wrong number of fields, or a quote never closed, is a
 * problem of the file.
 */
export function readPeopleCsv(bytes: Uint8Array, requiredColumns: readonly string[]): ReadPeopleCsv {
  const decoded = decodeUtf8(bytes)
  if (!decoded.ok) {
    return { ok: false, problems: [{ line: decoded.line, problem: 'the file is not UTF-8 text (save it as "CSV UTF-8")' }] }
  }
  const text = decoded.text
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records
  } catch (err) {
    const e = err as Error & { code?: string; lines?: number }
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      const line = unclosedQuoteLine(text.replace(/^\uFEFF/, '')) ?? e.lines ?? 1
      return { ok: false, problems: [{ line, problem: 'a quote opens here and is never closed' }] }
    }
    return { ok: false, problems: [{ line: e.lines ?? 1, problem: `the file is not valid CSV (${e.code ?? e.message})` }] }
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 1, problem: 'the file is empty: it needs a header row' }] }
  // csv-parse counts a line break inside quotes written \r\n as two lines: number records by a scan of our own.
  const starts = recordStartLines(text.replace(/^\uFEFF/, ''))
  const counted = starts.length === records.length
  const header = records[0]!.record.map((h) => h.trim().toLowerCase())
  const missing = requiredColumns.filter((c) => !header.includes(c))
  if (missing.length > 0) return { ok: false, problems: [{ line: 1, problem: `the header row lacks ${missing.join(' and ')}` }] }
  const lines: ImportLine[] = []
  const problems: FileProblem[] = []
  for (const [index, { record, info }] of records.entries()) {
    if (index === 0) continue
    const start = counted ? starts[index]! : info.lines
    if (record.length !== header.length) {
      problems.push({ line: start, problem: `expected ${header.length} fields, found ${record.length}` })
      continue
    }
    lines.push({ line: start, record: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])) })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, header, lines }
}
