/**
 * The SSDA903 return from Together's own records (issue 19, item 8): one CSV per table, named and
 * laid out as DfE's files are (domain/returns/ssda903/model.ts), each table built by its own file
 * from what records.ts reads of each child. A child is in the return when they have an episode in
 * the year or an OC3 row. The record's own export can be validated by our 903 rules straight away,
 * each finding with the case to open to fix it.
 */
import { SSDA903_RULE_YEARS, TABLES, type FileSet, type Finding, type TableName } from '../../../domain/returns/ssda903/model.ts'
import { readFileSet } from '../../../domain/returns/ssda903/csv.ts'
import { collectionYearOf } from '../../../domain/care/codes.ts'
import { validateSsda903, type Ssda903Summary } from '../../../domain/returns/ssda903/validate.ts'
import type { Db } from '../../../db/connection.ts'
import { appendAudit, appendAuditBatch } from '../../access/audit.ts'
import { authorityArea, postcodeLookup } from '../../care/placements.ts'
import { readDbOf, type ServiceContext } from '../../common/context.ts'
import { mayRunReturns } from '../cin-census-export.ts'
import { ad1 } from './ad1.ts'
import { episodes } from './episodes.ts'
import { header } from './header.ts'
import { missing } from './missing.ts'
import { collectionYear, type ExportChild, type TableDefinition, type TableRow } from './model.ts'
import { oc2 } from './oc2.ts'
import { oc3 } from './oc3.ts'
import { placedForAdoption } from './placed-for-adoption.ts'
import { previousPermanence } from './previous-permanence.ts'
import { countReturnChildren, returnChildren } from './records.ts'
import { reviews } from './reviews.ts'
import { swEpisodes } from './sw-episodes.ts'
import { uasc } from './uasc.ts'

/** Every table of the return, each from its own file, in DfE's order. */
export const SSDA903_TABLES: readonly TableDefinition[] = [
  { table: 'Header', build: header },
  { table: 'Episodes', build: episodes },
  { table: 'Reviews', build: reviews },
  { table: 'UASC', build: uasc },
  { table: 'OC2', build: oc2 },
  { table: 'OC3', build: oc3 },
  { table: 'AD1', build: ad1 },
  { table: 'PlacedAdoption', build: placedForAdoption },
  { table: 'PrevPerm', build: previousPermanence },
  { table: 'Missing', build: missing },
  { table: 'SWEpisodes', build: swEpisodes },
]

/** The collection years the export (and our 903 rules) cover, by the year each ends in. */
export const SSDA903_YEARS = SSDA903_RULE_YEARS

/**
 * The years our own data can be checked and exported for on `today`: SSDA903_YEARS and, when newer,
 * the year in progress, checked with the newest rules we have (2026-27 adds DfE's DoLo table and
 * rules 700-710, which Together does not record yet), so the analyst can fix the record during the year.
 */
export function ssda903OwnYears(today: string): number[] {
  const current = collectionYearOf(today)
  return current > Math.max(...SSDA903_YEARS) ? [...SSDA903_YEARS, current] : [...SSDA903_YEARS]
}

export interface Ssda903File {
  table: TableName
  name: string
  text: string
  rows: number
}

export interface Ssda903ExportResult {
  year: number
  files: Ssda903File[]
  children: number
  /** Each child's CHILD id and case (the newest of theirs), in CHILD order. */
  cases: { child: string; caseId: string }[]
  /** Every case of the children in the return (for the audit and access histories). */
  caseIds: string[]
}

const CRLF = '\r\n'
const csvValue = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)

/** Builds the year's files for a partnership. No access check: callers below and the operator's command line. */
export async function buildSsda903(
  db: Db,
  partnershipId: string,
  year: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Ssda903ExportResult> {
  const window = collectionYear(year)
  const total = onProgress ? await countReturnChildren(db, partnershipId, window) : 0
  const lines = new Map<TableName, string[]>(SSDA903_TABLES.map((t) => [t.table, [TABLES[t.table].columns.join(',')]]))
  const cases: { child: string; caseId: string }[] = []
  const caseIds: string[] = []
  let done = 0
  for await (const batch of returnChildren(db, partnershipId, window)) {
    for (const child of batch) {
      done++
      const built = new Map<TableName, TableRow[]>(SSDA903_TABLES.map((t) => [t.table, t.build(child, window)]))
      if (!included(child, built)) continue
      cases.push({ child: child.child, caseId: child.caseId })
      caseIds.push(...child.caseIds)
      for (const [table, rows] of built) {
        const columns = TABLES[table].columns as readonly string[]
        for (const row of rows) lines.get(table)!.push(columns.map((c) => csvValue(row[c] ?? '')).join(','))
      }
    }
    onProgress?.(done, Math.max(total, done))
  }
  const files = SSDA903_TABLES.map(({ table }) => {
    const rows = lines.get(table)!
    return { table, name: TABLES[table].file, text: rows.join(CRLF) + CRLF, rows: rows.length - 1 }
  })
  return { year, files, children: cases.length, cases, caseIds }
}

/** A child is in the return with an episode in the year or as a care leaver in the OC3 cohort. */
const included = (child: ExportChild, built: Map<TableName, TableRow[]>) => child.episodes.length > 0 || built.get('OC3')!.length > 0

/** Who made the files, and when: a signed-in user (the page, the API) or nobody (the command line). */
export interface Ssda903Exporter {
  partnershipId: string
  actorUserId: string | null
  requestId?: string | null
  now: Date
  via?: 'cli'
}

/**
 * What making the files records, the same from the page, the API and the command line: one audit
 * entry for the run (the year and the counts, never a child's details) and one per case of each
 * child included, so their access history says they were in the return and when.
 */
export async function recordSsda903Export(db: Db, who: Ssda903Exporter, result: Ssda903ExportResult, action = 'returns:ssda903-export'): Promise<void> {
  const by = { partnershipId: who.partnershipId, actorUserId: who.actorUserId, requestId: who.requestId ?? null, occurredAt: who.now }
  const { year, children } = result
  await appendAudit(db, { ...by, action, recordType: 'ssda903', recordId: String(year), detail: { year, children, ...(who.via && { via: who.via }) } })
  await appendAuditBatch(db, result.caseIds.map((caseId) => ({ ...by, action: `${action}.child`, recordType: 'case', recordId: caseId, detail: { year } })))
}

/** The partnership's 903 files for a year: a performance analyst (or anyone the policy lets run returns). */
export async function exportOwnSsda903(ctx: ServiceContext, year: number, onProgress?: (done: number, total: number) => void): Promise<Ssda903ExportResult> {
  mayRunReturns(ctx)
  const result = await buildSsda903(readDbOf(ctx), ctx.actor.partnershipId, year, onProgress)
  await recordSsda903Export(ctx.db, { partnershipId: ctx.actor.partnershipId, actorUserId: ctx.actor.userId, requestId: ctx.requestId, now: ctx.now() }, result)
  return result
}

/** A finding, with the case to open to fix it (null: not one of our children, or the whole return). */
export interface Ssda903CaseFinding extends Finding {
  caseId: string | null
}

export interface Ssda903ValidationResult {
  summary: Ssda903Summary
  findings: Ssda903CaseFinding[]
}

/** Texts of a file set as the validator reads them (absent tables stay absent). */
export function fileSetOf(files: readonly { table: TableName; text: string | Uint8Array; name: string }[], alongside?: ReturnType<typeof readFileSet>) {
  const texts: Parameters<typeof readFileSet>[0] = {}
  for (const f of files) texts[f.table] = { text: f.text, file: f.name }
  return readFileSet(texts, alongside)
}

/**
 * Our 903 rules over a file set (this year's, and last year's when given), for the authority's area
 * (the postcode lookup's code for IN/OUT); each finding names the case of its child when `cases` has it.
 */
export function validateFiles(
  files: readonly { table: TableName; text: string | Uint8Array; name: string }[],
  previous: readonly { table: TableName; text: string | Uint8Array; name: string }[] | undefined,
  options: { year: number; la: string; cases?: ReadonlyMap<string, string> },
): Ssda903ValidationResult {
  const set = fileSetOf(files)
  return validateFileSets(set, previous === undefined || previous.length === 0 ? undefined : fileSetOf(previous, set), options)
}

/** Our 903 rules over file sets already read (last year's read alongside this year's); see validateFiles. */
export function validateFileSets(set: FileSet, last: FileSet | undefined, options: { year: number; la: string; cases?: ReadonlyMap<string, string> }): Ssda903ValidationResult {
  const findings: Ssda903CaseFinding[] = []
  const summary = validateSsda903(set, last, { year: options.year, la: options.la, postcodes: postcodeLookup() }, (f) =>
    findings.push({ ...f, caseId: f.child === null ? null : (options.cases?.get(f.child) ?? null) }),
  )
  return { summary, findings }
}

/** The analyst's check of the record's own export for a year (with last year's files, when given). */
export async function validateOwnSsda903(
  ctx: ServiceContext,
  year: number,
  previous?: readonly { table: TableName; text: string | Uint8Array; name: string }[],
): Promise<Ssda903ValidationResult & { children: number }> {
  mayRunReturns(ctx)
  const built = await buildSsda903(readDbOf(ctx), ctx.actor.partnershipId, year)
  await recordSsda903Export(ctx.db, { partnershipId: ctx.actor.partnershipId, actorUserId: ctx.actor.userId, requestId: ctx.requestId, now: ctx.now() }, built, 'returns:ssda903-validate')
  const la = await authorityArea(readDbOf(ctx), ctx.actor.partnershipId)
  const result = validateFiles(built.files.map((f) => ({ ...f })), previous, { year, la, cases: new Map(built.cases.map((c) => [c.child, c.caseId])) })
  return { ...result, children: built.children }
}
