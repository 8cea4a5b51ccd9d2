/**
 * Reading the 903's CSV files: a table is recognised by its exact columns (as DfE's tools do),
 * values are trimmed and upper-cased, and a malformed file is refused naming the file and line.
 */
import { TABLES, type FileSet, type Row, type TableName } from './model.ts'

export class Ssda903FileError extends Error {
  override name = 'Ssda903FileError'
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`)
  }
}

/** Splits CSV text into records of fields (RFC 4180 quoting), with the line each record starts on. */
export function* csvRecords(text: string, file: string): Generator<{ line: number; fields: string[] }> {
  let line = 1
  let i = 0
  const n = text.length
  if (text.charCodeAt(0) === 0xfeff) i = 1
  if (!text.includes('"')) {
    // No quoting anywhere (as 903 files usually are): the engine's own split is several times faster.
    const lines = (i === 1 ? text.slice(1) : text).split('\n')
    for (let k = 0; k < lines.length; k++) {
      let l = lines[k]!
      if (l.endsWith('\r')) l = l.slice(0, -1)
      if (l !== '') yield { line: k + 1, fields: l.split(',') }
    }
    return
  }
  while (i < n) {
    const start = line
    const fields: string[] = []
    for (;;) {
      let value = ''
      if (text[i] === '"') {
        i++
        for (;;) {
          const q = text.indexOf('"', i)
          if (q < 0) throw new Ssda903FileError(file, start, 'a quoted value is not closed')
          value += text.slice(i, q)
          for (let k = i; k < q; k++) if (text.charCodeAt(k) === 10) line++
          i = q + 1
          if (text[i] === '"') {
            value += '"'
            i++
          } else break
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new Ssda903FileError(file, start, 'text after a closing quote')
        }
      } else {
        let j = i
        while (j < n) {
          const c = text.charCodeAt(j)
          if (c === 44 || c === 10 || c === 13) break
          j++
        }
        value = text.slice(i, j)
        i = j
      }
      fields.push(value)
      if (text[i] === ',') {
        i++
        continue
      }
      break
    }
    if (text[i] === '\r') i++
    if (text[i] === '\n') i++
    line++
    if (fields.length === 1 && fields[0] === '') continue // a blank line
    yield { line: start, fields }
  }
}

/**
 * Reads one table's CSV text. The column line must hold exactly the table's columns (in any
 * order); every row must have as many values as there are columns.
 */
export function readTable<T extends TableName>(table: T, text: string, file: string = TABLES[table].file, values = new Map<string, string>()): Row<T>[] {
  const expected: readonly string[] = TABLES[table].columns
  const records = csvRecords(text, file)
  const first = records.next()
  if (first.done) return []
  const columns = first.value.fields.map((c) => c.trim().toUpperCase())
  const missing = expected.filter((c) => !columns.includes(c))
  const extra = columns.filter((c) => !expected.includes(c))
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `unexpected ${extra.join(', ')}` : '']
    throw new Ssda903FileError(file, first.value.line, `not the ${table} table's columns (${parts.filter(Boolean).join('; ')})`)
  }
  const rows: Row<T>[] = []
  for (const { line, fields } of records) {
    if (fields.length !== columns.length) {
      throw new Ssda903FileError(file, line, `${fields.length} values where the column line has ${columns.length}`)
    }
    const row: Record<string, string | number> = { line, index: rows.length }
    for (let k = 0; k < columns.length; k++) row[columns[k]!] = canonical(fields[k]!, values)
    rows.push(row as Row<T>)
  }
  return rows
}

const NEEDS_CLEANING = /[a-z]|^\s|\s$/

/**
 * A value trimmed and upper-cased, one string for each distinct value: codes, dates and postcodes
 * repeat on most rows, and a large return would otherwise hold millions of copies of them.
 */
function canonical(raw: string, values: Map<string, string>): string {
  const value = NEEDS_CLEANING.test(raw) ? raw.trim().toUpperCase() : raw
  const known = values.get(value)
  if (known !== undefined) return known
  values.set(value, value)
  return value
}

/** Reads a file set from the texts of the files present (keyed by table); absent tables are empty. */
export function readFileSet(texts: Partial<Record<TableName, { text: string; file: string }>>): FileSet {
  const present = new Set<TableName>()
  const rows = {} as { [T in TableName]: Row<T>[] }
  const values = new Map<string, string>()
  for (const table of Object.keys(TABLES) as TableName[]) {
    const given = texts[table]
    if (given === undefined) {
      ;(rows as Record<string, unknown>)[table] = []
      continue
    }
    present.add(table)
    ;(rows as Record<string, unknown>)[table] = readTable(table, given.text, given.file, values)
  }
  return { present, rows }
}
