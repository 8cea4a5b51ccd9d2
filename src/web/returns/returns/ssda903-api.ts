/**
 * The SSDA903 as JSON API operations (issue 19, item 8): the findings on our own export, the files
 * as a zip, and the findings on a file set uploaded from anywhere.
 */
import { z } from 'zod'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import { exportOwnSsda903, validateOwnSsda903 } from '../../../services/returns/ssda903-export/index.ts'
import { mayRunReturns } from '../../../services/returns/cin-census-export.ts'
import { checkUploadedSsda903 } from '../../../services/returns/ssda903-check.ts'
import { withCaseReadable } from '../../../services/returns/finding-cases.ts'
import { readUpload } from '../../records/documents/api.ts'
import { ownYearsOf, ssda903Upload, ssda903Uploads, ssda903YearOf, ssda903Zip, ssda903ZipName } from './ssda903-routes.ts'

const tag = 'Statutory returns'
const API_UPLOAD = ssda903Upload('/api/v1/returns/ssda903/validate')
const collectionYear = z.object({ year: z.string({ error: 'Give the collection year as the year it ends in, e.g. 2026' }) })

/** A year our own data can be checked for today (ownYearsOf). */
function yearOf(ctx: ServiceContext, value: string): number {
  const years = ownYearsOf(ctx)
  const year = ssda903YearOf(value, years)
  if (year === undefined) throw new ValidationFailed({ year: `The collection year must be one of ${years.join(', ')}` })
  return year
}

export function registerSsda903Api(api: ApiBuilder): void {
  api.get(
    '/returns/ssda903/findings',
    { summary: 'Our 903 rules run on the export of our own data for a collection year: a summary and every finding, with the case to fix (caseId) and whether the caller may open it (caseReadable)', tag, query: collectionYear },
    async ({ ctx, query }) => {
      const result = await validateOwnSsda903(ctx, yearOf(ctx, query.year))
      return { ...result, findings: await withCaseReadable(ctx, result.findings) }
    },
  )
  api.get(
    '/returns/ssda903/files',
    { summary: 'The SSDA903 CSV files for a collection year from our own data, as a zip (application/zip)', tag, query: collectionYear },
    async ({ ctx, query, res }) => {
      mayRunReturns(ctx)
      const year = yearOf(ctx, query.year)
      const result = await exportOwnSsda903(ctx, year)
      res.setHeader('Content-Type', 'application/zip')
      res.setHeader('Content-Disposition', `attachment; filename="${ssda903ZipName(year)}"`)
      res.end(await ssda903Zip(result.files))
    },
  )
  api.post(
    '/returns/ssda903/validate',
    {
      summary:
        "Our 903 rules on an uploaded file set, as `together validate ssda903 --json` reports them: { findings (each rule, child as the file's CHILD, table, field, message, type error or query), summary (year, la, children, errors, queries, rules: findings per rule) }. A file that cannot be read is a 422 on files (previous for last year's) naming the file and the line; nothing is stored",
      tag,
      rawBody: {
        mediaType: 'multipart/form-data',
        description: "year (the year the return ends in, e.g. 2026), la (optional: the authority's 9-character area code, default ours), then the files: parts named files (this year's CSV files named as DfE names them, or a zip of them) and previous (last year's, optional), at most 11 each, each at most 20 MB",
      },
    },
    async ({ ctx, req, res }) => {
      mayRunReturns(ctx)
      if (!(await readUpload(API_UPLOAD, req, res))) return
      const fields = (req.body ?? {}) as { year?: unknown; la?: unknown }
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
      return checkUploadedSsda903(ctx, { year: text(fields.year), la: text(fields.la), ...(await ssda903Uploads(req)) })
    },
  )
}
