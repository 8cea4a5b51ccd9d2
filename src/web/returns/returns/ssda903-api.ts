/** The SSDA903 as JSON API operations (issue 19, item 8): the findings on our own export, and the files as a zip. */
import { z } from 'zod'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import { exportOwnSsda903, SSDA903_YEARS, validateOwnSsda903 } from '../../../services/returns/ssda903-export/index.ts'
import { mayRunReturns } from '../../../services/returns/cin-census-export.ts'
import { ssda903YearOf, ssda903Zip, ssda903ZipName } from './ssda903-routes.ts'

const tag = 'Statutory returns'
const collectionYear = z.object({ year: z.string({ error: 'Give the collection year as the year it ends in, e.g. 2026' }) })

function yearOf(value: string): number {
  const year = ssda903YearOf(value)
  if (year === undefined) throw new ValidationFailed({ year: `The collection year must be one of ${SSDA903_YEARS.join(', ')}` })
  return year
}

export function registerSsda903Api(api: ApiBuilder): void {
  api.get(
    '/returns/ssda903/findings',
    { summary: 'Our 903 rules run on the export of our own data for a collection year: a summary and every finding, with the case to fix', tag, query: collectionYear },
    ({ ctx, query }) => validateOwnSsda903(ctx, yearOf(query.year)),
  )
  api.get(
    '/returns/ssda903/files',
    { summary: 'The SSDA903 CSV files for a collection year from our own data, as a zip (application/zip)', tag, query: collectionYear },
    async ({ ctx, query, res }) => {
      mayRunReturns(ctx)
      const year = yearOf(query.year)
      const result = await exportOwnSsda903(ctx, year)
      res.setHeader('Content-Type', 'application/zip')
      res.setHeader('Content-Disposition', `attachment; filename="${ssda903ZipName(year)}"`)
      res.end(await ssda903Zip(result.files))
    },
  )
}
