/** The auditor's pages as JSON API operations: the same services, filters, pages and audit entries as the pages. */
import { accessHistoryForPerson, breakGlassAccesses, findPeopleForAudit } from '../../../services/access/audit.ts'
import { accountChanges } from '../../../services/access/account-audit.ts'
import { accessHistoryFilter } from '../../../services/access/audit-input.ts'
import { pageQuery } from '../../../services/common/paging.ts'
import { z } from 'zod'
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
  api.get(
    '/audit/people',
    {
      summary: 'Find a child for their access history (auditors): by name or NHS number, the first 50 by name, with how many match',
      tag: 'Audit',
      query: z.object({ q: z.string().trim().min(2, { error: 'Enter at least 2 characters of a name, or a 10-digit NHS number' }) }),
    },
    ({ ctx, query }) => findPeopleForAudit(ctx, query.q),
  )
  api.get(
    '/audit/break-glass',
    { summary: 'Every break-glass access in the partnership (auditors), newest first: a page of them (offset, limit) with how many there are', tag: 'Audit', query: pageQuery },
    ({ ctx, query }) => breakGlassAccesses(ctx, query),
  )
  api.get(
    '/audit/accounts',
    { summary: 'Changes to accounts and roles (auditors), newest first: a page of them (offset, limit) with how many there are', tag: 'Audit', query: pageQuery },
    ({ ctx, query }) => accountChanges(ctx, query),
  )
}
