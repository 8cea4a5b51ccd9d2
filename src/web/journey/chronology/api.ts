import { chronology, chronologyQuery, filtersOf } from '../../../services/journey/chronology.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import { pageOf, pageQuery } from '../../../services/common/paging.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function registerChronologyApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/chronology',
    {
      summary:
        "A child's chronology, derived from every record of the case; optionally as known at the end of a date, and filtered by kind, agency and dates; a page of the matching entries (offset, limit) with how many match (`matching`) and how many there are before the filters (`total`)",
      tag: 'Chronology',
      query: chronologyQuery.safeExtend(pageQuery.shape),
    },
    async ({ ctx, params, query }) => {
      const view = await chronology(ctx, params.caseId!, filtersOf(query))
      // Another partnership's agency is no such agency: refused like a malformed filter (422).
      if (Object.keys(view.refused).length > 0) throw new ValidationFailed(view.refused)
      return {
        caseId: view.case.id,
        asKnownAt: view.asKnownAt,
        filters: { kinds: query.kinds ?? [], agency: query.agency ?? null, from: query.from ?? null, to: query.to ?? null },
        total: view.total,
        matching: view.entries.length,
        offset: query.offset,
        limit: query.limit,
        agencies: view.agencies,
        entries: pageOf(view.entries, query).items,
      }
    },
  )
}
