/**
 * Ofsted's Annex A for a period: the lists' rows from our records (annex-a-records.ts), written as
 * an Excel workbook with one sheet per list (exceljs's streaming writer) or as one CSV file per list.
 * Columns and values are those of the reference column map; dates are real dates in the workbook
 * and dd/mm/yyyy in CSV.
 */
import type { Writable } from 'node:stream'
import { ANNEX_A_LISTS, sheetName, type AnnexAList } from '../../domain/returns/annex-a/lists.ts'
import type { Cell } from '../../domain/returns/annex-a/codes.ts'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { appendAuditBatch, auditGrouped } from '../access/audit.ts'
import { readDbOf, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { csvText } from '../common/csv.ts'
import { ANNEX_A_QUERIES, type AnnexAPeriod, type AnnexARow } from './annex-a-records.ts'

export interface AnnexAListRows {
  list: AnnexAList
  rows: Cell[][]
}

/** A row's cells in the list's column order. A key that is not one of its columns is a bug. */
export function cellsOf(list: AnnexAList, row: AnnexARow): Cell[] {
  for (const key of Object.keys(row)) {
    if (!list.columns.some(([name]) => name === key)) throw new Error(`list ${list.list} has no column "${key}"`)
  }
  return list.columns.map(([name]) => row[name] ?? null)
}

/** Every list's rows for the period. No access check: for the services below and the operator's command line. */
export async function annexALists(db: Db, partnershipId: string, period: AnnexAPeriod): Promise<AnnexAListRows[]> {
  const lists: AnnexAListRows[] = []
  for (const list of ANNEX_A_LISTS) {
    const rows = await ANNEX_A_QUERIES[list.list]!(db, partnershipId, period)
    lists.push({ list, rows: rows.map((r) => cellsOf(list, r)) })
  }
  return lists
}

/**
 * A performance analyst's Annex A; one audit entry with the period and row counts (never a child's
 * details), and one per child in any list, so the child's access history says they were included.
 */
export async function annexAForPeriod(ctx: ServiceContext, period: AnnexAPeriod): Promise<AnnexAListRows[]> {
  requireGeneral(ctx, 'returns:run')
  const lists = await annexALists(readDbOf(ctx), ctx.actor.partnershipId, period)
  await auditGrouped(ctx, {
    action: 'returns:annex-a-export',
    recordType: 'annex-a',
    recordId: `${period.from}..${period.to}`,
    detail: { ...period, rows: Object.fromEntries(lists.map((l) => [l.list.list, l.rows.length])) },
  })
  await auditAnnexAChildren(ctx, period, lists)
  return lists
}

/** One entry per child in the lists (the first column is the LA child ID, or the person id without one), one statement. */
async function auditAnnexAChildren(ctx: ServiceContext, period: AnnexAPeriod, lists: readonly AnnexAListRows[]): Promise<void> {
  const ids = [...new Set(lists.flatMap((l) => l.rows.map((r) => String(r[0]))))]
  if (ids.length === 0) return
  // A text[] literal: LA child IDs are letters and digits, person ids uuids; quotes kept out regardless.
  const idArray = `{${ids.map((i) => `"${i.replace(/["\\]/g, '')}"`).join(',')}}`
  const people = await queryRows<{ id: string }>(
    ctx.db,
    sql`select id from person where partnership_id = ${ctx.actor.partnershipId} and (la_child_id = any(${idArray}::text[]) or id::text = any(${idArray}::text[]))`,
  )
  await appendAuditBatch(
    ctx.db,
    people.map((p) => ({
      partnershipId: ctx.actor.partnershipId,
      actorUserId: ctx.actor.userId,
      requestId: ctx.requestId ?? null,
      action: 'returns:annex-a.child',
      recordType: 'person',
      recordId: p.id,
      subjectPersonId: p.id,
      detail: { ...period },
      occurredAt: ctx.now(),
    })),
  )
}

const asDate = (iso: string) => new Date(`${iso}T00:00:00Z`)

/** Writes the workbook to `stream` (one sheet per list, a bold header row, dates as dd/mm/yyyy). */
export async function writeAnnexAWorkbook(lists: readonly AnnexAListRows[], stream: Writable): Promise<void> {
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Together'
  for (const { list, rows } of lists) {
    const sheet = workbook.addWorksheet(sheetName(list.list))
    const header = sheet.addRow(list.columns.map(([name]) => name))
    header.font = { bold: true }
    header.commit()
    for (const cells of rows) {
      const row = sheet.addRow(cells.map((value, i) => (value !== null && list.columns[i]![1] === 'date' ? asDate(String(value)) : value)))
      list.columns.forEach(([, kind], i) => {
        if (kind === 'date') row.getCell(i + 1).numFmt = 'dd/mm/yyyy'
      })
      row.commit()
    }
    sheet.commit()
  }
  await workbook.commit()
}

/** A cell of a CSV list: dates as dd/mm/yyyy, the rest as they are (the CSV writer neutralises text). */
const csvValue = (value: Cell, kind: string): Cell => (value !== null && kind === 'date' ? String(value).split('-').reverse().join('/') : value)

/** One CSV text per list, named like the sheets ("List 1.csv"), through the shared CSV writer. */
export function annexACsvFiles(lists: readonly AnnexAListRows[]): { name: string; text: string }[] {
  return lists.map(({ list, rows }) => ({
    name: `${sheetName(list.list)}.csv`,
    text: csvText([list.columns.map(([name]) => name), ...rows.map((cells) => cells.map((v, i) => csvValue(v, list.columns[i]![1])))]),
  }))
}
