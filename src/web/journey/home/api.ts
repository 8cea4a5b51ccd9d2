import { z } from 'zod'
import { pageQuery } from '../../../services/common/paging.ts'
import { CASE_LIST_KINDS, listMyCases } from '../../../services/journey/cases.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const caseListQuery = pageQuery.extend({
  list: z.enum(CASE_LIST_KINDS, { error: `list must be one of ${CASE_LIST_KINDS.join(', ')}` }),
})

export function registerHomeApi(api: ApiBuilder): void {
  api.get(
    '/cases',
    {
      summary:
        'The open cases of one of your home page lists (list: allocated to you, your team’s, your agency’s, those you are invited to), by name: a page of them (offset, limit) with how many there are',
      tag: 'Cases',
      query: caseListQuery,
    },
    ({ ctx, query }) => listMyCases(ctx, query.list, query),
  )
}
