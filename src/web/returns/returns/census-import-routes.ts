/**
 * `together import cin-census` as a page, for administrators (`returns:import`): upload a census
 * file, and see what the import did: counts, the children it could not import and why, and DfE's
 * rules on the file, child by child. An import is all or nothing: a file that cannot be read to
 * its end imports no child, and the page says where it broke off.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { CensusFileError } from '../../../domain/returns/cin-census/parse.ts'
import { importCensusFile, mayImportReturns } from '../../../services/returns/cin-census-import.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { uploadRoute } from '../../common/middleware/uploads.ts'
import { byChild, yearLabel } from './census-views.ts'

/** A census file to import: a 100,000-child file is about 90 MB. */
export const CENSUS_IMPORT_UPLOAD = uploadRoute({ path: '/returns/cin-census/import', field: 'file', maxBytes: 200 * 1024 * 1024 })

export function censusImportRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const form = (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    mayImportReturns(serviceContext(deps, req, res))
    res.status(status).render('returns/census-import.njk', extra)
  }

  router.get(CENSUS_IMPORT_UPLOAD.path, requireSignIn, (req, res) => form(req, res))

  // The file is read only for an administrator, after the form's CSRF token, to a temporary file.
  const mayUpload = (req: Request, res: Response, next: () => void) => {
    mayImportReturns(serviceContext(deps, req, res))
    next()
  }
  router.post(CENSUS_IMPORT_UPLOAD.path, requireSignIn, mayUpload, CENSUS_IMPORT_UPLOAD.accept, async (req: Request, res: Response) => {
    if (req.uploadError) return form(req, res, { errors: formErrors({ file: req.uploadError }) }, 400)
    if (!req.file || req.file.size === 0) return form(req, res, { errors: formErrors({ file: 'Select a CIN census XML file' }) }, 400)
    const name = req.file.originalname
    try {
      const { report, findings } = await importCensusFile(serviceContext(deps, req, res), { name, path: req.file.path })
      res.render('returns/census-import.njk', {
        report,
        fileName: name,
        yearLabel: report.year ? yearLabel(report.year) : null,
        matched: report.matched['la-child-id'] + report.matched.upn + report.matched['person-matcher'],
        records: Object.entries(report.records).map(([kind, n]) => `${n} ${kind.replace(/-/g, ' ')}`).join(', '),
        groups: byChild(findings),
      })
    } catch (err) {
      if (err instanceof CensusFileError) {
        return form(req, res, { errors: formErrors({ file: `${name} could not be read, so nothing in it was imported: ${err.message}` }) }, 400)
      }
      throw err
    }
  })

  return router
}
