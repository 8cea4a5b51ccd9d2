/**
 * The one CSV writer every export uses (Annex A, the scorecard, and any new one): csv-stringify
 * for quoting, CRLF line ends, and each text cell neutralised against formula injection as OWASP
 * advises: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
 * formula by a spreadsheet, so it gets a leading single quote ("'=HYPERLINK(…)"), which shows the
 * text as typed.
 *
 * Numbers: a cell given as a JavaScript number is written as the number, a negative one with its
 * minus sign, because it is a figure the code computed and cannot hold a formula. Text that merely
 * looks like a negative number ("-5" typed by someone) is text, and is prefixed like any other.
 */
import { stringify } from 'csv-stringify/sync'

export type CsvCell = string | number | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

/** A cell as it is written: numbers as numbers, text neutralised, nothing as an empty cell. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** Rows as CSV text: quoted where needed, CRLF after every row (the header included). */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(rows.map((row) => row.map(csvCell)), { record_delimiter: 'windows' })
}
