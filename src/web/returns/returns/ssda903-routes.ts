/**
 * The SSDA903 (children looked after) for performance analysts (issue 19, item 8): check the
 * record's own export for a year, each finding grouped by rule and linked to the child's case, and
 * download the export as a zip of DfE's CSV files. The services check `returns:run` and audit.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { exportOwnSsda903, SSDA903_YEARS, validateOwnSsda903, type Ssda903CaseFinding, type Ssda903File } from '../../../services/returns/ssda903-export/index.ts'
import { mayRunReturns } from '../../../services/returns/cin-census-export.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { yearLabel } from './census-views.ts'

export function ssda903YearOf(value: unknown): number | undefined {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN
  return SSDA903_YEARS.includes(year) ? year : undefined
}

/** Findings grouped by rule (rules in code order), each with its children. */
export function byRule(findings: readonly Ssda903CaseFinding[]) {
  const groups = new Map<string, { rule: string; type: string; table: string; field: string; message: string; findings: Ssda903CaseFinding[] }>()
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

export const ssda903ZipName = (year: number) => `ssda903-${year - 1}-${String(year).slice(2)}.zip`

export function ssda903Routes(deps: AppDeps): Router {
  const router = featureRouter()
  const years = SSDA903_YEARS.map((year) => ({ year, label: yearLabel(year) }))

  router.get('/returns/ssda903', requireSignIn, (req: Request, res: Response) => {
    mayRunReturns(serviceContext(deps, req, res))
    res.render('returns/ssda903.njk', { years })
  })

  router.get('/returns/ssda903/findings', requireSignIn, async (req: Request, res: Response) => {
    const year = ssda903YearOf(req.query.year)
    if (year === undefined) return res.status(400).render('returns/ssda903.njk', { years, errors: formErrors({ year: 'Select the collection year' }) })
    const result = await validateOwnSsda903(serviceContext(deps, req, res), year)
    res.render('returns/ssda903-findings.njk', { year, yearLabel: yearLabel(year), summary: result.summary, groups: byRule(result.findings) })
  })

  router.get('/returns/ssda903/export', requireSignIn, async (req: Request, res: Response) => {
    const year = ssda903YearOf(req.query.year)
    if (year === undefined) return res.status(400).render('returns/ssda903.njk', { years, errors: formErrors({ year: 'Select the collection year' }) })
    const result = await exportOwnSsda903(serviceContext(deps, req, res), year)
    res.setHeader('Content-Type', 'application/zip')
    res.setHeader('Content-Disposition', `attachment; filename="${ssda903ZipName(year)}"`)
    res.send(await ssda903Zip(result.files))
  })

  return router
}
