/** The auditor's access history as a JSON API operation: the same service, filters and audit entry as the page. */
import { accessHistoryForPerson } from '../../../services/access/audit.ts'
import { accessHistoryFilter } from '../../../services/access/audit-input.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function registerAuditApi(api: ApiBuilder): void {
  api.get(
    '/audit/people/:personId/history',
    {
      summary: "Who has looked at a child's record, when and why (auditors): newest first, a page of 50 at a time, with the total; filter by from/to day (England, both included) and userId",
      tag: 'Audit',
      query: accessHistoryFilter,
    },
    ({ ctx, params, query }) => accessHistoryForPerson(ctx, params.personId!, query),
  )
}
