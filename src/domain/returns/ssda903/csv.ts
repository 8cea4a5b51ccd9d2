/**
 * Reading the 903's CSV files: a table is recognised by its exact columns (as DfE's tools do),
 * values are trimmed and upper-cased, and a malformed file is refused naming the file and line.
 *
 * A table is read into columns, not one object per row: each distinct value becomes one string
 * with a number (codes, dates and postcodes repeat on most rows), and a column is an array of those
 * numbers. Unquoted files (as 903 files usually are) are read from their bytes, each value looked up
 * by its bytes without first being made into a string; a file with quotes goes through csvRecords.
 */
import { TABLES, type FileSet, type Row, type Table, type TableName } from './model.ts'

export class Ssda903FileError extends Error {
  override name = 'Ssda903FileError'
  constructor(
    readonly file: string,
    /** The line the problem is on; undefined for a problem with the file as a whole. */
    readonly line: number | undefined,
    message: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`)
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

/** Distinct values and their numbers; 0 is ''. A value is trimmed and upper-cased once, when first met. */
export class Values {
  readonly list: string[] = ['']
  private readonly numbers = new Map<string, number>([['', 0]])
  // Each raw spelling met in unquoted bytes, found by its bytes: an open-addressing table whose slots
  // hold [hash, raw + 1] side by side, and for each raw spelling [start in pool, length, value number]
  // side by side (a lookup touches few cache lines: the table is large and read at random).
  private slots = new Int32Array(2 << 12)
  private raws = new Int32Array(3 << 11)
  private rawCount = 0
  private pool = new Uint8Array(1 << 16)
  private poolUsed = 0

  /** The number of a value given as a string (as written: it is trimmed and upper-cased here). */
  of(raw: string): number {
    const value = NEEDS_CLEANING.test(raw) ? raw.trim().toUpperCase() : raw
    let n = this.numbers.get(value)
    if (n === undefined) {
      n = this.list.length
      this.list.push(value)
      this.numbers.set(value, n)
    }
    return n
  }

  /** The number of the value in bytes[start, end), whose FNV-1a hash is `hash`. */
  ofBytes(bytes: Buffer, start: number, end: number, hash: number): number {
    if (start === end) return 0
    const length = end - start
    const slots = this.slots
    const mask = (slots.length >> 1) - 1
    let s = hash & mask
    for (;;) {
      const r = slots[2 * s + 1]!
      if (r === 0) break
      if (slots[2 * s] === hash) {
        const at = 3 * (r - 1)
        if (this.raws[at + 1] === length) {
          const pool = this.pool
          let p = this.raws[at]!
          let i = start
          while (i < end && pool[p] === bytes[i]) {
            p++
            i++
          }
          if (i === end) return this.raws[at + 2]!
        }
      }
      s = (s + 1) & mask
    }
    const n = this.of(bytes.toString('utf8', start, end))
    this.remember(bytes, start, end, hash, n, s)
    return n
  }

  private remember(bytes: Buffer, start: number, end: number, hash: number, n: number, slot: number): void {
    const length = end - start
    if (this.poolUsed + length > this.pool.length) this.pool = grow(this.pool, Math.max(this.pool.length * 2, this.poolUsed + length))
    const pool = this.pool
    for (let i = start, p = this.poolUsed; i < end; i++, p++) pool[p] = bytes[i]!
    const raw = this.rawCount++
    if (3 * raw === this.raws.length) this.raws = grow(this.raws, this.raws.length * 2)
    this.raws[3 * raw] = this.poolUsed
    this.raws[3 * raw + 1] = length
    this.raws[3 * raw + 2] = n
    this.poolUsed += length
    this.slots[2 * slot] = hash
    this.slots[2 * slot + 1] = raw + 1
    if (this.rawCount * 2 > this.slots.length >> 1) this.rehash(this.slots.length)
  }

  private rehash(size: number): void {
    const slots = new Int32Array(2 * size)
    const old = this.slots
    const mask = size - 1
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue
      let s = old[o]! & mask
      while (slots[2 * s + 1] !== 0) s = (s + 1) & mask
      slots[2 * s] = old[o]!
      slots[2 * s + 1] = old[o + 1]!
    }
    this.slots = slots
  }
}

function grow<A extends Int32Array | Uint8Array | Uint32Array>(array: A, size: number): A {
  const bigger = new (array.constructor as new (n: number) => A)(size)
  bigger.set(array)
  return bigger
}

const NEEDS_CLEANING = /[a-z]|^\s|\s$/
const FNV_OFFSET = 0x811c9dc5 | 0
const FNV_PRIME = 0x01000193

function columnsError(table: TableName, file: string, line: number, columns: readonly string[]): Ssda903FileError | undefined {
  const expected: readonly string[] = TABLES[table].columns
  const missing = expected.filter((c) => !columns.includes(c))
  const extra = columns.filter((c) => !expected.includes(c))
  if (missing.length === 0 && extra.length === 0) return undefined
  const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `unexpected ${extra.join(', ')}` : '']
  return new Ssda903FileError(file, line, `not the ${table} table's columns (${parts.filter(Boolean).join('; ')})`)
}

const countError = (file: string, line: number, count: number, columns: number) =>
  new Ssda903FileError(file, line, `${count} values where the column line has ${columns}`)

/** A table with room for `rows` rows. */
function emptyTable(table: TableName, rows: number): { columns: Uint32Array[]; lines: Uint32Array } {
  return { columns: TABLES[table].columns.map(() => new Uint32Array(rows)), lines: new Uint32Array(rows) }
}

/**
 * Reads one table's CSV file (its bytes, or its text) into columns. The column line must hold
 * exactly the table's columns (in any order); every row must have as many values as there are
 * columns.
 */
export function readColumns(table: TableName, content: string | Uint8Array, file: string = TABLES[table].file, values = new Values()): Table {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength)
  if (bytes.includes(0x22)) return readQuoted(table, bytes.toString('utf8'), file, values)
  const n = bytes.length
  let i = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  let line = 0
  // The column line: the first line that is not blank.
  let order: number[] | undefined
  for (; i < n && order === undefined; line++) {
    let end = bytes.indexOf(10, i)
    if (end < 0) end = n
    const next = end + 1
    if (end > i && bytes[end - 1] === 13) end--
    if (end > i) {
      const names = bytes.toString('utf8', i, end).split(',').map((c) => c.trim().toUpperCase())
      const error = columnsError(table, file, line + 1, names)
      if (error !== undefined) throw error
      const expected: readonly string[] = TABLES[table].columns
      order = names.map((c) => expected.indexOf(c))
    }
    i = next
  }
  if (order === undefined) return { rows: 0, ...emptyTable(table, 0) }
  let capacity = 1
  for (let p = bytes.indexOf(10, i); p >= 0; p = bytes.indexOf(10, p + 1)) capacity++
  const { columns, lines } = emptyTable(table, capacity)
  const width = order.length
  let rows = 0
  // One pass over the bytes: values end at a comma or the end of the line; each is hashed as it is read.
  while (i < n) {
    line++
    let end = bytes.indexOf(10, i)
    if (end < 0) end = n
    const next = end + 1
    if (end > i && bytes[end - 1] === 13) end--
    if (end === i) {
      i = next
      continue
    }
    let field = 0
    let start = i
    let hash = FNV_OFFSET
    for (let j = i; j <= end; j++) {
      const c = j < end ? bytes[j]! : 44
      if (c === 44) {
        if (field < width) columns[order[field]!]![rows] = values.ofBytes(bytes, start, j, hash)
        field++
        start = j + 1
        hash = FNV_OFFSET
      } else hash = Math.imul(hash ^ c, FNV_PRIME)
    }
    if (field !== width) throw countError(file, line, field, width)
    lines[rows] = line
    rows++
    i = next
  }
  return { rows, columns: columns.map((c) => c.subarray(0, rows)), lines: lines.subarray(0, rows) }
}

/** A file with quoted values, through csvRecords (903 files seldom quote). */
function readQuoted(table: TableName, text: string, file: string, values: Values): Table {
  const records = csvRecords(text, file)
  const first = records.next()
  if (first.done) return { rows: 0, ...emptyTable(table, 0) }
  const names = first.value.fields.map((c) => c.trim().toUpperCase())
  const error = columnsError(table, file, first.value.line, names)
  if (error !== undefined) throw error
  const expected: readonly string[] = TABLES[table].columns
  const order = names.map((c) => expected.indexOf(c))
  const all = [...records]
  const { columns, lines } = emptyTable(table, all.length)
  for (let r = 0; r < all.length; r++) {
    const { line, fields } = all[r]!
    if (fields.length !== order.length) throw countError(file, line, fields.length, order.length)
    for (let k = 0; k < fields.length; k++) columns[order[k]!]![r] = values.of(fields[k]!)
    lines[r] = line
  }
  return { rows: all.length, columns, lines }
}

/** A table's columns, the file set's values and a row: the value of column `k`. */
export const at = (c: readonly Uint32Array[], v: readonly string[], k: number, i: number): string => v[c[k]![i]!]!

type RowMaker<T extends TableName> = (c: readonly Uint32Array[], v: readonly string[], i: number, line: number) => Row<T>

/**
 * Each table's row as an object literal, so that every row of a table has one shape (built field by
 * field, it costs several times as much). Column numbers are TABLES' order (a test checks them).
 */
const ROW_MAKERS: { [T in TableName]: RowMaker<T> } = {
  Header: (c, v, i, line) => ({
    line, index: i, CHILD: at(c, v, 0, i), SEX: at(c, v, 1, i), DOB: at(c, v, 2, i), ETHNIC: at(c, v, 3, i), UPN: at(c, v, 4, i), MOTHER: at(c, v, 5, i),
    MC_DOB: at(c, v, 6, i),
  }),
  Episodes: (c, v, i, line) => ({
    line, index: i, CHILD: at(c, v, 0, i), DECOM: at(c, v, 1, i), RNE: at(c, v, 2, i), LS: at(c, v, 3, i), CIN: at(c, v, 4, i), PLACE: at(c, v, 5, i),
    PLACE_PROVIDER: at(c, v, 6, i), DEC: at(c, v, 7, i), REC: at(c, v, 8, i), REASON_PLACE_CHANGE: at(c, v, 9, i), HOME_POST: at(c, v, 10, i),
    PL_POST: at(c, v, 11, i), URN: at(c, v, 12, i),
  }),
  Reviews: (c, v, i, line) => ({ line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), REVIEW: at(c, v, 2, i), REVIEW_CODE: at(c, v, 3, i) }),
  UASC: (c, v, i, line) => ({ line, index: i, CHILD: at(c, v, 0, i), SEX: at(c, v, 1, i), DOB: at(c, v, 2, i), DUC: at(c, v, 3, i) }),
  OC2: (c, v, i, line) => ({
    line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), SDQ_SCORE: at(c, v, 2, i), SDQ_REASON: at(c, v, 3, i), CONVICTED: at(c, v, 4, i),
    HEALTH_CHECK: at(c, v, 5, i), IMMUNISATIONS: at(c, v, 6, i), TEETH_CHECK: at(c, v, 7, i), HEALTH_ASSESSMENT: at(c, v, 8, i),
    SUBSTANCE_MISUSE: at(c, v, 9, i), INTERVENTION_RECEIVED: at(c, v, 10, i), INTERVENTION_OFFERED: at(c, v, 11, i),
  }),
  OC3: (c, v, i, line) => ({ line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), IN_TOUCH: at(c, v, 2, i), ACTIV: at(c, v, 3, i), ACCOM: at(c, v, 4, i) }),
  AD1: (c, v, i, line) => ({
    line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), DATE_INT: at(c, v, 2, i), DATE_MATCH: at(c, v, 3, i), FOSTER_CARE: at(c, v, 4, i),
    NB_ADOPTR: at(c, v, 5, i), SEX_ADOPTR: at(c, v, 6, i), LS_ADOPTR: at(c, v, 7, i),
  }),
  PlacedAdoption: (c, v, i, line) => ({
    line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), DATE_PLACED: at(c, v, 2, i), DATE_PLACED_CEASED: at(c, v, 3, i), REASON_PLACED_CEASED: at(c, v, 4, i),
  }),
  PrevPerm: (c, v, i, line) => ({ line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), PREV_PERM: at(c, v, 2, i), LA_PERM: at(c, v, 3, i), DATE_PERM: at(c, v, 4, i) }),
  Missing: (c, v, i, line) => ({ line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), MISSING: at(c, v, 2, i), MIS_START: at(c, v, 3, i), MIS_END: at(c, v, 4, i) }),
  SWEpisodes: (c, v, i, line) => ({
    line, index: i, CHILD: at(c, v, 0, i), DOB: at(c, v, 1, i), SW_ID: at(c, v, 2, i), SW_DECOM: at(c, v, 3, i), SW_DEC: at(c, v, 4, i), SW_REASON: at(c, v, 5, i),
  }),
}

/** Row `index` of a table, as an object of its columns (a rule's view of one row). */
export function rowOf<T extends TableName>(table: T, columns: Table, values: readonly string[], index: number): Row<T> {
  return (ROW_MAKERS[table] as RowMaker<T>)(columns.columns, values, index, columns.lines[index]!)
}

/** Row `index` of a table built column by column from TABLES (what ROW_MAKERS must equal; for tests). */
export function rowByName<T extends TableName>(table: T, columns: Table, values: readonly string[], index: number): Row<T> {
  const names: readonly string[] = TABLES[table].columns
  const row: Record<string, string | number> = { line: columns.lines[index]!, index }
  for (let k = 0; k < names.length; k++) row[names[k]!] = values[columns.columns[k]![index]!]!
  return row as Row<T>
}

/** Reads one table's CSV text into one object per row (for tests and small files). */
export function readTable<T extends TableName>(table: T, text: string, file: string = TABLES[table].file): Row<T>[] {
  const values = new Values()
  const read = readColumns(table, text, file, values)
  return Array.from({ length: read.rows }, (_, i) => rowOf(table, read, values.list, i))
}

/** The Values each file set's values came from, so that last year's files can be read with this year's. */
const VALUES = new WeakMap<readonly string[], Values>()

/**
 * Reads a file set from the files present (their bytes or text, keyed by table); absent tables are
 * empty. Given `alongside` (this year's set, when reading last year's), both share one set of
 * values, so that a child is found in the other year by its value's number.
 */
export function readFileSet(files: Partial<Record<TableName, { text: string | Uint8Array; file: string }>>, alongside?: FileSet): FileSet {
  const present = new Set<TableName>()
  const values = (alongside && VALUES.get(alongside.values)) ?? new Values()
  VALUES.set(values.list, values)
  const tables = {} as Record<TableName, Table>
  for (const table of Object.keys(TABLES) as TableName[]) {
    const given = files[table]
    if (given === undefined) {
      tables[table] = { rows: 0, ...emptyTable(table, 0) }
      continue
    }
    present.add(table)
    tables[table] = readColumns(table, given.text, given.file, values)
  }
  return { present, tables, values: values.list }
}
