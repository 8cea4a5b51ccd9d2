/**
 * The CIN census from Together's own records: validate a year's data (findings linked to the case
 * that needs fixing) and write the census file, streamed child by child in the schema's order. Our
 * rules run on every child as it is written, so an export always reports its findings.
 */
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/index.ts'
import type { CensusHeader, Finding } from '../../domain/returns/cin-census/model.ts'
import { CensusValidator, type CensusSummary } from '../../domain/returns/cin-census/validate.ts'
import { CENSUS_CLOSING, censusOpening, childXml } from '../../domain/returns/cin-census/write.ts'
import type { Db } from '../../db/connection.ts'
import { appendAudit, appendAuditBatch, auditGrouped } from '../access/audit.ts'
import { readDbOf, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { censusPeriod, censusRecords, countCensusChildren } from './cin-census-records.ts'
import { recordAutomaticShare } from '../multi-agency/information-sharing.ts'

/** A finding about our own data, with the case to open to fix it (null for the whole return). */
export interface CaseFinding extends Finding {
  caseId: string | null
}

export interface CensusRunOptions {
  /** The year the census ends in. */
  year: number
  /** Include the draft 2026-27 pre-proceedings module and rules (year 2027). */
  draft?: boolean
  /** The local authority's three-digit code for the header. */
  lea?: string
  /** When the file is made (header DateTime). */
  now: Date
  /** Children done so far, of how many. */
  onProgress?: (done: number, total: number) => void
}

export interface CensusRunResult {
  summary: CensusSummary
  findings: CaseFinding[]
  /** The case of each child in the return. */
  caseIds: string[]
}

/** Where the XML goes; absent when only validating. */
export type CensusSink = (chunk: string) => Promise<void>

const FLUSH_AT = 1 << 16

export function censusHeader(year: number, lea: string | undefined, now: Date): CensusHeader {
  return {
    collection: 'CIN',
    year: String(year),
    referenceDate: censusPeriod(year).end,
    sourceLevel: 'L',
    lea: lea ?? '000',
    softwareCode: 'Together',
    release: '0.1.0',
    serialNo: '001',
    dateTime: now.toISOString().slice(0, 19),
  }
}

/**
 * Validates (and, with a sink, writes) a partnership's census for a year. No access check: callers
 * are the services below and the operator's command line.
 */
export async function runCinCensus(
  db: Db,
  partnershipId: string,
  options: CensusRunOptions,
  sink?: CensusSink,
): Promise<CensusRunResult> {
  const findings: CaseFinding[] = []
  let caseId: string | null = null
  const validator = new CensusValidator(
    { year: options.year, draft: options.draft, calendar: defaultBankHolidayCalendar() },
    (f) => findings.push({ ...f, caseId }),
  )
  const header = censusHeader(options.year, options.lea, options.now)
  validator.setHeader(header)
  let chunk = sink ? censusOpening(header) : ''
  let children = 0
  const total = options.onProgress ? await countCensusChildren(db, partnershipId, options.year) : 0
  const caseOfChild = new Map<string, string>()
  const caseIds: string[] = []
  for await (const record of censusRecords(db, partnershipId, options.year)) {
    caseId = record.caseId
    caseIds.push(record.caseId)
    if (record.child.laChildId !== undefined) caseOfChild.set(record.child.laChildId, record.caseId)
    validator.child(record.child)
    children++
    if (sink) {
      chunk += childXml(record.child, options.year)
      if (chunk.length >= FLUSH_AT) {
        await sink(chunk)
        chunk = ''
      }
    }
    if (children % 1000 === 0) options.onProgress?.(children, Math.max(total, children))
  }
  caseId = null
  const summary = validator.finish()
  // Findings about the whole return that name a child (duplicate ids) still point at a case.
  for (const f of findings) if (f.caseId === null && f.child !== null) f.caseId = caseOfChild.get(f.child) ?? null
  if (sink) await sink(chunk + CENSUS_CLOSING)
  options.onProgress?.(children, children)
  return { summary, findings, caseIds }
}

/** One audit entry per run: the year and the counts, never a child's details. */
export function auditCensusRun(ctx: ServiceContext, action: string, summary: CensusSummary): Promise<number> {
  const { year, children, errors, queries } = summary
  return auditGrouped(ctx, { action, recordType: 'cin-census', recordId: String(year), detail: { year, children, errors, queries } })
}

/** Who made a census file, and when: a signed-in user (the page, the API) or nobody (the command line, `via: 'cli'`). */
export interface CensusExporter {
  partnershipId: string
  actorUserId: string | null
  requestId?: string | null
  now: Date
  via?: 'cli'
}

/**
 * What making a census file records, the same from the page, the API and the command line: one
 * audit entry for the run (the year and the counts, never a child's details), one per child
 * against the child's case (so their access history says they were included in it and when, one
 * statement for the whole file), and each child on their information-sharing ledger with its
 * lawful basis (the census is for DfE).
 */
export async function recordCensusExport(db: Db, who: CensusExporter, result: Pick<CensusRunResult, 'summary' | 'caseIds'>): Promise<void> {
  const { year, children, errors, queries } = result.summary
  const by = { partnershipId: who.partnershipId, actorUserId: who.actorUserId, requestId: who.requestId ?? null, occurredAt: who.now }
  await appendAudit(db, { ...by, action: 'returns:cin-census-export', recordType: 'cin-census', recordId: String(year), detail: { year, ...(who.via && { via: who.via }), children, errors, queries } })
  await appendAuditBatch(db, result.caseIds.map((caseId) => ({ ...by, action: 'returns:cin-census-export.child', recordType: 'case', recordId: caseId, detail: { year } })))
  await recordAutomaticShare(db, { kind: 'cin-census', partnershipId: who.partnershipId, recordedBy: who.actorUserId, sharedOn: who.now, caseIds: result.caseIds })
}

export function mayRunReturns(ctx: ServiceContext): void {
  requireGeneral(ctx, 'returns:run')
}

/** A performance analyst's check of the partnership's own data for a census year. */
export async function validateOwnCinCensus(ctx: ServiceContext, options: Omit<CensusRunOptions, 'now'>): Promise<CensusRunResult> {
  mayRunReturns(ctx)
  const result = await runCinCensus(readDbOf(ctx), ctx.actor.partnershipId, { ...options, now: ctx.now() })
  await auditCensusRun(ctx, 'returns:cin-census-validate', result.summary)
  return result
}

/** The census file of the partnership's own data, written to `sink`. */
export async function exportOwnCinCensus(
  ctx: ServiceContext,
  options: Omit<CensusRunOptions, 'now'>,
  sink: CensusSink,
): Promise<CensusRunResult> {
  mayRunReturns(ctx)
  const result = await runCinCensus(readDbOf(ctx), ctx.actor.partnershipId, { ...options, now: ctx.now() }, sink)
  await recordCensusExport(ctx.db, { partnershipId: ctx.actor.partnershipId, actorUserId: ctx.actor.userId, requestId: ctx.requestId, now: ctx.now() }, result)
  return result
}
