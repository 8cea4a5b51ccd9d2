/**
 * The multi-agency scorecard (/partnership/scorecard): figures for a period, for the whole
 * partnership or one agency's contributions, as tables with charts beside them, a CSV export and
 * a printable page for the yearly report; and the same figures on the JSON API.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { uuidOf } from '../../common/form-helpers.ts'
import { z } from 'zod'
import { CATEGORY_OF_ABUSE } from '../../../domain/journey/dfe-codes.ts'
import { scorecardCsv } from '../../../services/partnership/scorecard/csv.ts'
import { scorecard, scorecardAgencies } from '../../../services/partnership/scorecard/scorecard.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { formatDate } from '../../common/nunjucks.ts'
import { periodFromQuery } from '../../common/period-query.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'


export function scorecardRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  /** Reads the period and agency; renders the page (or its print view), or writes the CSV. */
  const show = (as: 'page' | 'print' | 'csv') => async (req: Request, res: Response) => {
    const ctx = serviceContext(deps, req, res)
    const query = req.query as Record<string, unknown>
    const agencies = await scorecardAgencies(ctx)
    const agencyId = uuidOf(query.agency)
    const { from, to, values: dates, errors } = periodFromQuery(query, londonDate(ctx.now()))
    const values = { ...dates, agency: agencyId }
    if (errors) return res.status(400).render('scorecard/index.njk', { errors, values, agencies })
    const figures = await scorecard(ctx, { from, to }, agencyId)
    if (as === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8')
      res.setHeader('Content-Disposition', `attachment; filename="scorecard-${from}-to-${to}${figures.agency ? '-agency' : ''}.csv"`)
      return res.send(scorecardCsv(figures))
    }
    const search = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString()
    res.render('scorecard/index.njk', {
      figures,
      values,
      agencies,
      printView: as === 'print',
      search,
      periodLabel: `${formatDate(from)} to ${formatDate(to)}`,
      toLabel: formatDate(to),
      categoryLabels: Object.fromEntries(CATEGORY_OF_ABUSE.map((c) => [c.code, c.label])),
    })
  }
  router.get('/partnership/scorecard', requireSignIn, show('page'))
  router.get('/partnership/scorecard/print', requireSignIn, show('print'))
  router.get('/partnership/scorecard/export.csv', requireSignIn, show('csv'))
  return router
}

const scorecardQuery = z.object({
  from: z.iso.date({ error: 'Give from as YYYY-MM-DD' }),
  to: z.iso.date({ error: 'Give to as YYYY-MM-DD' }),
  agency: z.uuid({ error: 'agency must be an agency id' }).optional(),
}).refine((q) => q.from <= q.to, { path: ['to'], error: 'to must be on or after from' })

export function registerScorecardApi(api: ApiBuilder): void {
  api.get(
    '/partnership/scorecard',
    { summary: "The multi-agency scorecard's figures for a period (from, to), optionally one agency's contributions", tag: 'Partnership', query: scorecardQuery },
    ({ ctx, query }) => scorecard(ctx, { from: query.from, to: query.to }, query.agency ?? null),
  )
}
