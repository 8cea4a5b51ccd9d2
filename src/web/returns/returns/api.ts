/**
 * The statutory returns as JSON API operations, for performance analysts' own tools: the census
 * findings on our data, the census file itself, the Annex A lists and the performance figures.
 * The same services as the pages, so the same policy (`returns:run`) and the same audit entries.
 */
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Request } from 'express'
import { z } from 'zod'
import { DRAFT_CENSUS_YEAR } from '../../../domain/returns/cin-census/model.ts'
import { currentCensusYear, offeredCensusYears } from '../../../domain/returns/cin-census/census-year.ts'
import { CensusFileError } from '../../../domain/returns/cin-census/parse.ts'
import { ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import { importCensusFile, mayImportReturns } from '../../../services/returns/cin-census-import.ts'
import { sendProblem } from '../../common/problem.ts'
import { feedStatus, sendFeedNow, setFeedEnabled } from '../../../services/returns/csc-feed-schedule.ts'
import { isIsoDate } from '../../../domain/timescales/calendar/iso-date.ts'
import { annexAPeriod } from '../../../services/returns/annex-a-input.ts'
import { annexAForPeriod } from '../../../services/returns/annex-a.ts'
import { exportOwnCinCensus, mayRunReturns, validateOwnCinCensus } from '../../../services/returns/cin-census-export.ts'
import { laCodeOf } from '../../../services/returns/la-code.ts'
import { withCaseReadable } from '../../../services/returns/finding-cases.ts'
import { lastTwelveMonths, performanceDashboard, performanceTeams } from '../../../services/returns/performance.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'

const tag = 'Statutory returns'

const censusYear = z.object({
  year: z.coerce.number({ error: 'Give the census year as the year it ends in, e.g. 2025' }).int({ error: 'Give the census year as the year it ends in, e.g. 2025' }),
})

/**
 * The census years on offer depend on the date (the current year's draft rules once it is
 * current), so the year is checked against today's list: a year not on it is a 422 on `year`.
 */
function offeredYear(ctx: ServiceContext, year: number): { year: number; draft: boolean } {
  const years = offeredCensusYears(londonDate(ctx.now()))
  if (!years.includes(year)) throw new ValidationFailed({ year: `The census year must be one of ${years.join(', ')}` })
  return { year, draft: year === DRAFT_CENSUS_YEAR }
}

/** The largest census file the API takes: a 100,000-child file is about 90 MB. */
const CENSUS_IMPORT_MAX_BYTES = 200 * 1024 * 1024

/** Writes the request's body to a temporary file, refusing one over `maxBytes`; null when it is too large. */
async function spoolBody(req: Request, maxBytes: number): Promise<string | null> {
  const path = join(tmpdir(), `together-census-${randomUUID()}.xml`)
  let bytes = 0
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length
      done(bytes > maxBytes ? new RangeError('too large') : null, chunk)
    },
  })
  try {
    await pipeline(req, limit, createWriteStream(path, { mode: 0o600 }))
    return path
  } catch (err) {
    await rm(path, { force: true })
    if (err instanceof RangeError) return null
    throw err
  }
}

const optionalDay = (what: string) => z.string().refine(isIsoDate, { error: `The ${what} date must be a real date (YYYY-MM-DD)` }).optional()

const performanceQuery = z
  .object({ from: optionalDay('start'), to: optionalDay('end'), team: z.uuid({ error: 'The team must be a team id' }).optional() })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { path: ['to'], error: 'Give both the start and the end date, or neither' })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], error: 'The end date must be on or after the start date' })

const censusFileName = (year: number) => `cin-census-${year - 1}-${String(year).slice(2)}.xml`

export function registerReturnsApi(api: ApiBuilder): void {
  api.get(
    '/returns/cin-census/findings',
    { summary: "The DfE validation rules run on our own data for a census year: a summary and every finding, with the case to fix (caseId) and whether the caller may open it (caseReadable)", tag, query: censusYear },
    async ({ ctx, query }) => {
      const result = await validateOwnCinCensus(ctx, offeredYear(ctx, query.year))
      return { ...result, findings: await withCaseReadable(ctx, result.findings) }
    },
  )

  api.get(
    '/returns/cin-census/file',
    { summary: 'The CIN census XML for a census year, streamed (application/xml)', tag, query: censusYear },
    async ({ ctx, query, res }) => {
      mayRunReturns(ctx) // before the headers go out
      const year = offeredYear(ctx, query.year)
      res.setHeader('Content-Type', 'application/xml; charset=utf-8')
      res.setHeader('Content-Disposition', `attachment; filename="${censusFileName(query.year)}"`)
      await exportOwnCinCensus(ctx, { ...year, lea: await laCodeOf(ctx.db, ctx.actor.partnershipId) }, async (chunk) => {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
      })
      res.end()
    },
  )

  api.get(
    '/returns/annex-a',
    { summary: "Ofsted Annex A's child-level lists for a period: each list's rows keyed by the list's column names", tag, query: annexAPeriod },
    async ({ ctx, query }) => {
      const lists = await annexAForPeriod(ctx, query)
      return lists.map(({ list, rows }) => ({
        list: list.list,
        title: list.title,
        columns: list.columns.map(([name]) => name),
        rows: rows.map((cells) => Object.fromEntries(list.columns.map(([name], i) => [name, cells[i] ?? null]))),
      }))
    },
  )

  api.get(
    '/returns/performance',
    { summary: 'The performance figures the returns imply, for a period (default: the last twelve months) and optionally one team', tag, query: performanceQuery },
    async ({ ctx, query }) => {
      const period = query.from && query.to ? { from: query.from, to: query.to } : lastTwelveMonths(londonDate(ctx.now()))
      const figures = await performanceDashboard(ctx, period, query.team ?? null)
      return { period, team: query.team ?? null, figures }
    },
  )

  api.get(
    '/returns/cin-census/current-year',
    { summary: 'The current CIN census year (1 April to 31 March, named by the year it ends in) and whether Together has its rules (final, draft or none)', tag },
    async ({ ctx }) => {
      mayRunReturns(ctx)
      return currentCensusYear(londonDate(ctx.now()))
    },
  )

  api.post(
    '/returns/cin-census/imports',
    {
      summary: 'Import a CIN census file into the records (administrators): all or nothing; the report (created, matched, rejected children with the reason) and DfE’s rules’ findings on the file',
      tag,
      rawBody: { mediaType: 'application/xml', description: 'The census file itself (Content-Type application/xml or text/xml), at most 200 MB' },
    },
    async ({ ctx, req, res }) => {
      mayImportReturns(ctx)
      if (!req.is(['application/xml', 'text/xml'])) return void sendProblem(res, 415, 'Send the census file as the body, with Content-Type application/xml')
      const path = await spoolBody(req, CENSUS_IMPORT_MAX_BYTES)
      if (!path) return void sendProblem(res, 413, 'The census file must be smaller than 200 MB')
      try {
        const name = typeof req.query.name === 'string' && req.query.name ? req.query.name : 'census.xml'
        return await importCensusFile(ctx, { name, path })
      } catch (err) {
        if (err instanceof CensusFileError) throw new ValidationFailed({ file: `The file could not be read, so nothing in it was imported: ${err.message}` })
        throw err
      } finally {
        await rm(path, { force: true })
      }
    },
  )

  api.get(
    '/returns/csc-feed',
    { summary: 'The DfE daily data feed: whether it is on, whether DfE’s API is set up, its last run and recent runs (batches, errors); administrators and performance analysts', tag },
    ({ ctx }) => feedStatus(ctx),
  )

  api.put(
    '/returns/csc-feed',
    { summary: 'Turn the scheduled DfE daily data feed on or off for the partnership', tag, body: z.object({ enabled: z.boolean({ error: 'Say whether the feed is on (true) or off (false)' }) }) },
    ({ ctx, body }) => setFeedEnabled(ctx, body.enabled),
  )

  api.get(
    '/returns/csc-feed/runs',
    { summary: 'The DfE daily data feed’s recent runs, newest first: started by, kind, children, batches, sent or failed with the error', tag },
    async ({ ctx }) => (await feedStatus(ctx)).runs,
  )

  api.post(
    '/returns/csc-feed/runs',
    { summary: 'Send the DfE daily data feed now (the run is kept, failed or sent, as the schedule’s are)', tag, status: 201 },
    ({ ctx }) => sendFeedNow(ctx),
  )

  api.get('/returns/teams', { summary: 'The teams the performance figures can be filtered by', tag }, ({ ctx }) => performanceTeams(ctx))
}
