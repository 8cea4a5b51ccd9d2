/**
 * Writes batches of generated rows with COPY … FROM STDIN in PostgreSQL's text format: the fastest
 * way into the database (no SQL to parse, one pass over plain text), thousands of rows per command
 * and no parameter limit. On PostgreSQL the data goes over node-postgres's documented "submittable"
 * query interface (what pg-copy-streams builds on), so no extra dependency is needed; PGlite reads
 * the same text from a Blob (COPY … FROM '/dev/blob').
 */
import type { PGlite } from '@electric-sql/pglite'
import { getTableColumns, getTableName } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type pg from 'pg'
import { SYNTHETIC_TABLES, TABLE_ORDER, type AnyRow, type RowBatch, type TableKey } from './rows.ts'

/** Where COPY text goes: a table, its columns, and the rows as UTF-8 text. */
export interface CopyTarget {
  copy(table: string, columns: readonly string[], data: Uint8Array): Promise<void>
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

const SPECIAL = /[\\\t\n\r]/
const SPECIAL_ALL = /[\\\t\n\r]/g
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** A value as COPY's text format writes it: backslash, tab, newline and carriage return escaped. */
export function copyEscape(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text
}

/** A text[] value as a PostgreSQL array literal, every element quoted. */
function arrayLiteral(items: readonly unknown[]): string {
  return `{${items.map((item) => `"${String(item).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`
}

type Field = (value: unknown) => string

/** Types whose text never holds a backslash, tab or line break, so needs no escaping. */
const PLAIN_TYPES = /^(uuid|date|integer|bigint|smallint|timestamp( with time zone)?)$/

function fieldOf(column: PgColumn): Field {
  const type = column.getSQLType()
  // JSON text has no raw tabs or line breaks (JSON escapes them), only backslashes to double.
  if (type === 'jsonb' || type === 'json') {
    return (v) => {
      const json = JSON.stringify(v)
      return json.indexOf('\\') === -1 ? json : json.replace(/\\/g, '\\\\')
    }
  }
  if (type.endsWith('[]')) return (v) => copyEscape(arrayLiteral(v as unknown[]))
  if (type === 'boolean') return (v) => (v ? 't' : 'f')
  if (PLAIN_TYPES.test(type)) return (v) => String(v)
  return (v) => copyEscape(String(v))
}

interface CopyShape {
  table: string
  columns: string[]
  keys: string[]
  fields: Field[]
}

const shapes = new Map<TableKey, CopyShape>()

function shapeOf(key: TableKey): CopyShape {
  let shape = shapes.get(key)
  if (!shape) {
    const table = SYNTHETIC_TABLES[key]
    // Identity columns (record_revision.id) are numbered by the database.
    const columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>).filter(
      ([, column]) => !(column as unknown as { generatedIdentity?: unknown }).generatedIdentity,
    )
    shape = {
      table: getTableName(table),
      columns: columns.map(([, c]) => c.name),
      keys: columns.map(([k]) => k),
      fields: columns.map(([, c]) => fieldOf(c)),
    }
    shapes.set(key, shape)
  }
  return shape
}

/** The rows of one table as COPY text: one line per row, tab-separated, \N for null. */
export function copyText(key: TableKey, rows: readonly AnyRow[]): string {
  const { keys, fields } = shapeOf(key)
  const lines = new Array<string>(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!
    let line = ''
    for (let i = 0; i < keys.length; i++) {
      const value = row[keys[i]!]
      if (i > 0) line += '\t'
      line += value === null || value === undefined ? '\\N' : fields[i]!(value)
    }
    lines[r] = line
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

/** The database refused a batch; the message is the database's own. */
export class SyntheticWriteError extends Error {
  override name = 'SyntheticWriteError'
}

/** A batch as COPY text, table by table in TABLE_ORDER: what the generation worker hands over. */
export interface EncodedBatch {
  tables: { key: TableKey; rows: number; data: Uint8Array }[]
}

const utf8 = new TextEncoder()

export function encodeBatch(batch: RowBatch): EncodedBatch {
  const tables: EncodedBatch['tables'] = []
  for (const key of TABLE_ORDER) {
    const rows = batch[key] as AnyRow[]
    if (rows.length > 0) tables.push({ key, rows: rows.length, data: utf8.encode(copyText(key, rows)) })
  }
  return { tables }
}

/** Copies a batch, parents before children. */
export async function writeBatch(target: CopyTarget, batch: RowBatch): Promise<void> {
  await writeEncoded(target, encodeBatch(batch))
}

export async function writeEncoded(target: CopyTarget, encoded: EncodedBatch): Promise<void> {
  for (const { key, data } of encoded.tables) {
    const { table, columns } = shapeOf(key)
    try {
      await target.copy(table, columns, data)
    } catch (err) {
      const e = err as { message?: string; detail?: string }
      throw new SyntheticWriteError(`writing synthetic ${table} rows failed: ${e.message ?? String(err)}${e.detail ? ` ${e.detail}` : ''}`)
    }
  }
}

function copyCommand(table: string, columns: readonly string[], source: string): string {
  return `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from ${source}`
}

/** The parts of node-postgres's Connection a COPY FROM STDIN uses. */
interface CopyConnection {
  query(text: string): void
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
}

const CHUNK = 1 << 20

/**
 * One COPY … FROM STDIN as a node-postgres submittable: the client calls submit, then each
 * handler as the server answers; the callback runs once, when the server is ready again or fails.
 */
class CopyFromStdin {
  callback: ((err: Error | null) => void) | undefined
  private error: Error | null = null
  private done = false

  constructor(
    private readonly text: string,
    private readonly data: Uint8Array,
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text)
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let at = 0; at < this.data.length; at += CHUNK) connection.sendCopyFromChunk(Buffer.from(this.data.buffer, this.data.byteOffset + at, Math.min(CHUNK, this.data.length - at)))
    connection.endCopyFrom()
  }

  handleError(err: Error): void {
    this.error = err
    this.finish()
  }

  handleReadyForQuery(): void {
    this.finish()
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyData(): void {}

  private finish(): void {
    if (this.done) return
    this.done = true
    this.callback?.(this.error)
  }
}

/** COPY into PostgreSQL through a connected node-postgres client. */
export function postgresCopyTarget(client: pg.ClientBase): CopyTarget {
  return {
    copy: (table, columns, data) =>
      new Promise<void>((resolve, reject) => {
        const query = new CopyFromStdin(copyCommand(table, columns, 'stdin'), data)
        query.callback = (err) => (err ? reject(err) : resolve())
        client.query(query as unknown as pg.QueryConfig)
      }),
  }
}

/** COPY into embedded PGlite, which reads the text from a Blob. */
export function pgliteCopyTarget(client: PGlite): CopyTarget {
  return {
    copy: async (table, columns, data) => {
      await client.query(copyCommand(table, columns, "'/dev/blob'"), [], { blob: new Blob([data]) })
    },
  }
}
