/**
 * The SSDA903 (children looked after) for performance analysts (issue 19, item 8): check the
 * record's own export for a year, each finding grouped by rule and linked to the child's case where
 * the user may open it (else the CHILD id and whom to ask), and
 * download the export as a zip of DfE's CSV files; or upload a 903 file set from anywhere (CSV
 * files or a zip, and last year's for the rules that compare) and see its findings the same way,
 * without links (its CHILD ids are not ours). The services check `returns:run` and audit.
 */
import { readFile } from 'node:fs/promises'
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import type { Finding } from '../../../domain/returns/ssda903/model.ts'
import { exportOwnSsda903, ssda903OwnYears, SSDA903_YEARS, validateOwnSsda903, type Ssda903File } from '../../../services/returns/ssda903-export/index.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'
import { mayRunReturns } from '../../../services/returns/cin-census-export.ts'
import { checkUploadedSsda903, type UploadedFile } from '../../../services/returns/ssda903-check.ts'
import { withCaseReadable } from '../../../services/returns/finding-cases.ts'
import { ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { uploadRoute, type UploadRoute } from '../../common/middleware/uploads.ts'
import { yearLabel } from './census-views.ts'

/** The year asked for when it is one of `years` (by default those we have rules for). */
export function ssda903YearOf(value: unknown, years: readonly number[] = SSDA903_YEARS): number | undefined {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN
  return years.includes(year) ? year : undefined
}

/** The years our own data can be checked for today (ssda903OwnYears). */
export const ownYearsOf = (ctx: ServiceContext) => ssda903OwnYears(londonDate(ctx.now()))

/** Findings grouped by rule (rules in code order), each with its children. */
export function byRule<F extends Finding>(findings: readonly F[]) {
  const groups = new Map<string, { rule: string; type: string; table: string; field: string; message: string; findings: F[] }>()
  for (const f of findings) {
    const group = groups.get(f.rule) ?? { rule: f.rule, type: f.type, table: f.table, field: f.field, message: f.message, findings: [] }
    group.findings.push(f)
    groups.set(f.rule, group)
  }
  return [...groups.values()].sort((a, b) => a.rule.localeCompare(b.rule, 'en', { numeric: true }))
}

/** The year's files as one zip, named for the year. */
export async function ssda903Zip(files: readonly Ssda903File[]): Promise<Buffer> {
  const { default: JSZip } = await import('jszip')
  const zip = new JSZip()
  for (const file of files) zip.file(file.name, file.text)
  return zip.generateAsync({ type: 'nodebuffer' })
}

/** A 903 file set to check (the page's form): up to 11 files or zips this year and 11 last year, each at most 20 MB. */
export const ssda903Upload = (path: string): UploadRoute => uploadRoute({ path, field: 'files', moreFields: ['previous'], maxBytes: 20 * 1024 * 1024, maxFiles: 11 })
export const SSDA903_UPLOAD = ssda903Upload('/returns/ssda903/check')

/** The uploaded files of a 903 check, by field, read from their temporary files. */
export async function ssda903Uploads(req: Request): Promise<{ files: UploadedFile[]; previous: UploadedFile[] }> {
  const byField = req.files && !Array.isArray(req.files) ? req.files : {}
  const read = (field: string) => Promise.all((byField[field] ?? []).map(async (f) => ({ name: f.originalname, content: await readFile(f.path) })))
  return { files: await read('files'), previous: await read('previous') }
}

/** The upload form's fields as the page names them (its year beside the own-data form's). */
const uploadFieldErrors = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k === 'year' ? 'check-year' : k, v]))

export const ssda903ZipName = (year: number) => `ssda903-${year - 1}-${String(year).slice(2)}.zip`

export function ssda903Routes(deps: AppDeps): Router {
  const router = featureRouter()
  const years = SSDA903_YEARS.map((year) => ({ year, label: yearLabel(year) }))

  const form = (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const ctx = serviceContext(deps, req, res)
    mayRunReturns(ctx)
    const ownYears = ownYearsOf(ctx).map((year) => ({ year, label: yearLabel(year) }))
    res.status(status).render('returns/ssda903.njk', { years, ownYears, ...extra })
  }

  router.get('/returns/ssda903', requireSignIn, (req: Request, res: Response) => form(req, res))

  // The files are read only for a performance analyst, after the form's CSRF token, to temporary files.
  const mayUpload = (req: Request, res: Response, next: () => void) => {
    mayRunReturns(serviceContext(deps, req, res))
    next()
  }
  router.post(SSDA903_UPLOAD.path, requireSignIn, mayUpload, SSDA903_UPLOAD.accept, async (req: Request, res: Response) => {
    const fields = (req.body ?? {}) as { year?: unknown; la?: unknown }
    const values = { year: typeof fields.year === 'string' ? fields.year : '', la: typeof fields.la === 'string' ? fields.la : '' }
    if (req.uploadError) return form(req, res, { values, errors: formErrors({ files: req.uploadError }) }, 400)
    const uploads = await ssda903Uploads(req)
    try {
      const result = await checkUploadedSsda903(serviceContext(deps, req, res), { year: values.year, la: values.la, ...uploads })
      const { year } = result.summary
      res.render('returns/ssda903-findings.njk', {
        uploaded: { files: uploads.files.map((f) => f.name).join(', '), previous: uploads.previous.map((f) => f.name).join(', ') },
        year,
        yearLabel: yearLabel(year),
        summary: result.summary,
        groups: byRule(result.findings),
      })
    } catch (err) {
      if (err instanceof ValidationFailed) return form(req, res, { values, errors: formErrors(uploadFieldErrors(err.fieldErrors)) }, 400)
      throw err
    }
  })

  router.get('/returns/ssda903/findings', requireSignIn, async (req: Request, res: Response) => {
    const year = ssda903YearOf(req.query.year, ownYearsOf(serviceContext(deps, req, res)))
    if (year === undefined) return form(req, res, { errors: formErrors({ year: 'Select the collection year' }) }, 400)
    const ctx = serviceContext(deps, req, res)
    const result = await validateOwnSsda903(ctx, year)
    res.render('returns/ssda903-findings.njk', { year, yearLabel: yearLabel(year), summary: result.summary, groups: byRule(await withCaseReadable(ctx, result.findings)) })
  })

  router.get('/returns/ssda903/export', requireSignIn, async (req: Request, res: Response) => {
    const year = ssda903YearOf(req.query.year, ownYearsOf(serviceContext(deps, req, res)))
    if (year === undefined) return form(req, res, { errors: formErrors({ year: 'Select the collection year' }) }, 400)
    const result = await exportOwnSsda903(serviceContext(deps, req, res), year)
    res.setHeader('Content-Type', 'application/zip')
    res.setHeader('Content-Disposition', `attachment; filename="${ssda903ZipName(year)}"`)
    res.send(await ssda903Zip(result.files))
  })

  return router
}
