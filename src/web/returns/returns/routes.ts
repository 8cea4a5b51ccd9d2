/**
 * Statutory returns for performance analysts: check the partnership's own data for a CIN census
 * year (each finding links to the case to fix, where the user may open it), download the census file, and check a census file
 * from anywhere. The services check `returns:run`.
 */
import { createReadStream } from 'node:fs'
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { uuidOf } from '../../common/form-helpers.ts'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { byChild, yearLabel } from './census-views.ts'
import { censusImportRoutes } from './census-import-routes.ts'
import { cscFeedRoutes } from './csc-feed-routes.ts'
import { DRAFT_CENSUS_YEAR } from '../../../domain/returns/cin-census/model.ts'
import { currentCensusYear, offeredCensusYears } from '../../../domain/returns/cin-census/census-year.ts'
import { AccessDenied } from '../../../services/common/context.ts'
import { CensusFileError, CensusYearError, checkUploadedCensus } from '../../../services/returns/cin-census-file.ts'
import { exportOwnCinCensus, mayRunReturns, validateOwnCinCensus, type CaseFinding } from '../../../services/returns/cin-census-export.ts'
import { laCodeOf } from '../../../services/returns/la-code.ts'
import { withCaseReadable } from '../../../services/returns/finding-cases.ts'
import { annexAInput } from '../../../services/returns/annex-a-input.ts'
import { annexACsvFiles, annexAForPeriod, writeAnnexAWorkbook } from '../../../services/returns/annex-a.ts'
import { CATEGORY_OF_ABUSE } from '../../../domain/journey/dfe-codes.ts'
import { performanceDashboard, performanceTeams } from '../../../services/returns/performance.ts'
import { dateFromFields } from '../../common/form-dates.ts'
import { periodFromQuery, pickDateFields } from '../../common/period-query.ts'
import type { AppDeps } from '../../deps.ts'
import { formatDate } from '../../common/nunjucks.ts'
import { fieldMessages, formErrors } from '../../common/forms.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { uploadRoute } from '../../common/middleware/uploads.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'




function yearOf(value: unknown, today: string): number | undefined {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN
  return offeredCensusYears(today).includes(year) ? year : undefined
}

/** Another system's census file to check: a 100,000-child file is about 90 MB. */
export const CENSUS_UPLOAD = uploadRoute({ path: '/returns/cin-census/check', field: 'file', maxBytes: 200 * 1024 * 1024 })

export function returnsRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const today = () => londonDate(deps.now())

  const renderIndex = (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const decision = decideGeneral(actorOf(res), 'returns:run')
    if (!decision.allowed) throw new AccessDenied(decision.reason)
    const current = currentCensusYear(today())
    const years = offeredCensusYears(today())
      .reverse()
      .map((year) => ({ year, label: yearLabel(year) + (year === DRAFT_CENSUS_YEAR ? ' (DfE’s draft rules)' : '') }))
    // The current census year is chosen unless Together has no rules for it; then the newest it has.
    const selected = years.some((y) => y.year === current.year) ? current.year : years[0]!.year
    res.status(status).render('returns/index.njk', { years, current, selected, ...extra })
  }

  router.get('/returns', requireSignIn, (_req, res) => renderIndex(res))
  router.use(censusImportRoutes(deps))
  router.use(cscFeedRoutes(deps))

  router.get('/returns/cin-census', requireSignIn, async (req: Request, res: Response) => {
    const year = yearOf(req.query.year, today())
    if (year === undefined) return renderIndex(res, { errors: formErrors({ year: 'Select the census year' }) }, 400)
    const ctx = serviceContext(deps, req, res)
    const result = await validateOwnCinCensus(ctx, { year, draft: year === DRAFT_CENSUS_YEAR })
    res.render('returns/findings.njk', {
      title: `Our data: CIN census ${yearLabel(year)}`,
      year,
      yearLabel: yearLabel(year),
      own: true,
      summary: result.summary,
      groups: byChild(await withCaseReadable(ctx, result.findings as CaseFinding[])),
    })
  })

  router.get('/returns/cin-census/export', requireSignIn, async (req: Request, res: Response) => {
    const year = yearOf(req.query.year, today())
    if (year === undefined) return renderIndex(res, { errors: formErrors({ year: 'Select the census year' }) }, 400)
    const ctx = serviceContext(deps, req, res)
    mayRunReturns(ctx) // before the headers go out
    res.setHeader('Content-Type', 'application/xml; charset=utf-8')
    res.setHeader('Content-Disposition', `attachment; filename="cin-census-${year - 1}-${String(year).slice(2)}.xml"`)
    await exportOwnCinCensus(ctx, { year, draft: year === DRAFT_CENSUS_YEAR, lea: await laCodeOf(ctx.db, ctx.actor.partnershipId) }, async (chunk) => {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
    })
    res.end()
  })

  router.get('/returns/annex-a', requireSignIn, async (req: Request, res: Response) => {
    const query = req.query as Record<string, unknown>
    const fields = { from: dateFromFields(query, 'from'), to: dateFromFields(query, 'to'), format: query.format }
    const parsed = annexAInput.safeParse(fields)
    if (!parsed.success) {
      const annexValues = { ...pickDateFields(query), format: query.format }
      return renderIndex(res, { errors: formErrors(fieldMessages(parsed.error)), annexValues }, 400)
    }
    const { from, to, format } = parsed.data
    const lists = await annexAForPeriod(serviceContext(deps, req, res), { from, to })
    const name = `annex-a-${from}-to-${to}`
    if (format === 'csv') {
      const { default: JSZip } = await import('jszip')
      const zip = new JSZip()
      for (const file of annexACsvFiles(lists)) zip.file(file.name, file.text)
      res.setHeader('Content-Type', 'application/zip')
      res.setHeader('Content-Disposition', `attachment; filename="${name}.zip"`)
      return res.send(await zip.generateAsync({ type: 'nodebuffer' }))
    }
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    res.setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`)
    await writeAnnexAWorkbook(lists, res)
  })

  router.get('/returns/performance', requireSignIn, async (req: Request, res: Response) => {
    const ctx = serviceContext(deps, req, res)
    mayRunReturns(ctx)
    const query = req.query as Record<string, unknown>
    const teamId = uuidOf(query.team)
    const teams = await performanceTeams(ctx)
    const { from, to, values: dates, errors } = periodFromQuery(query, londonDate(ctx.now()))
    const values = { ...dates, team: teamId }
    if (errors) return res.status(400).render('returns/performance.njk', { errors, values, teams })
    const figures = await performanceDashboard(ctx, { from, to }, teamId)
    res.render('returns/performance.njk', {
      figures,
      values,
      teams,
      teamName: teams.find((t) => t.id === teamId)?.name,
      periodLabel: `${formatDate(from)} to ${formatDate(to)}`,
      toLabel: formatDate(to),
      categoryLabels: Object.fromEntries(CATEGORY_OF_ABUSE.map((c) => [c.code, c.label])),
    })
  })

  // The file is read only for a performance analyst, after the form's CSRF token, to a temporary file.
  const mayUpload = (req: Request, res: Response, next: () => void) => {
    mayRunReturns(serviceContext(deps, req, res))
    next()
  }
  router.post(CENSUS_UPLOAD.path, requireSignIn, mayUpload, CENSUS_UPLOAD.accept, async (req: Request, res: Response) => {
    if (req.uploadError) return renderIndex(res, { errors: formErrors({ file: req.uploadError }) }, 400)
    if (!req.file || req.file.size === 0) {
      return renderIndex(res, { errors: formErrors({ file: 'Select a CIN census XML file' }) }, 400)
    }
    const upload = { file: { name: req.file.originalname, path: req.file.path } }
    const fields = (req.body ?? {}) as { year?: string }
    const year = typeof fields.year === 'string' && fields.year ? yearOf(fields.year, today()) : undefined
    try {
      const xml = createReadStream(upload.file.path, { encoding: 'utf8', highWaterMark: 1 << 20 })
      const result = await checkUploadedCensus(serviceContext(deps, req, res), xml, { year, draft: year === DRAFT_CENSUS_YEAR })
      res.render('returns/findings.njk', {
        title: `Census file ${upload.file.name}`,
        fileName: upload.file.name,
        year: result.summary.year,
        yearLabel: yearLabel(result.summary.year),
        own: false,
        summary: result.summary,
        groups: byChild(result.findings),
      })
    } catch (err) {
      if (err instanceof CensusFileError || err instanceof CensusYearError) {
        return renderIndex(res, { errors: formErrors({ file: `${upload.file.name}: ${err.message}` }) }, 400)
      }
      throw err
    }
  })

  return router
}
