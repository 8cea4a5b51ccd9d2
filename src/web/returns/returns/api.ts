/**
 * The statutory returns as JSON API operations, for performance analysts' own tools: the census
 * findings on our data, the census file itself, the Annex A lists and the performance figures.
 * The same services as the pages, so the same policy (`returns:run`) and the same audit entries.
 */
import { z } from 'zod'
import { CENSUS_YEARS } from '../../../domain/returns/cin-census/model.ts'
import { currentCensusYear } from '../../../domain/returns/cin-census/census-year.ts'
import { isIsoDate } from '../../../domain/timescales/calendar/iso-date.ts'
import { annexAPeriod } from '../../../services/returns/annex-a-input.ts'
import { annexAForPeriod } from '../../../services/returns/annex-a.ts'
import { exportOwnCinCensus, mayRunReturns, validateOwnCinCensus } from '../../../services/returns/cin-census-export.ts'
import { laCodeOf } from '../../../services/returns/la-code.ts'
import { lastTwelveMonths, performanceDashboard, performanceTeams } from '../../../services/returns/performance.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'

const tag = 'Statutory returns'

const censusYear = z.object({
  year: z.coerce
    .number({ error: 'Give the census year as the year it ends in, e.g. 2025' })
    .refine((y) => (CENSUS_YEARS as readonly number[]).includes(y), { error: `The census year must be one of ${CENSUS_YEARS.join(', ')}` }),
})

const optionalDay = (what: string) => z.string().refine(isIsoDate, { error: `The ${what} date must be a real date (YYYY-MM-DD)` }).optional()

const performanceQuery = z
  .object({ from: optionalDay('start'), to: optionalDay('end'), team: z.uuid({ error: 'The team must be a team id' }).optional() })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { path: ['to'], error: 'Give both the start and the end date, or neither' })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], error: 'The end date must be on or after the start date' })

const censusFileName = (year: number) => `cin-census-${year - 1}-${String(year).slice(2)}.xml`

export function registerReturnsApi(api: ApiBuilder): void {
  api.get(
    '/returns/cin-census/findings',
    { summary: "The DfE validation rules run on our own data for a census year: a summary and every finding, with the case to fix", tag, query: censusYear },
    ({ ctx, query }) => validateOwnCinCensus(ctx, { year: query.year }),
  )

  api.get(
    '/returns/cin-census/file',
    { summary: 'The CIN census XML for a census year, streamed (application/xml)', tag, query: censusYear },
    async ({ ctx, query, res }) => {
      mayRunReturns(ctx) // before the headers go out
      res.setHeader('Content-Type', 'application/xml; charset=utf-8')
      res.setHeader('Content-Disposition', `attachment; filename="${censusFileName(query.year)}"`)
      await exportOwnCinCensus(ctx, { year: query.year, lea: await laCodeOf(ctx.db, ctx.actor.partnershipId) }, async (chunk) => {
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

  api.get('/returns/teams', { summary: 'The teams the performance figures can be filtered by', tag }, ({ ctx }) => performanceTeams(ctx))
}
