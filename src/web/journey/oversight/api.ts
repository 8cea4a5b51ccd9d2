import { allocateCase, allocationInput, caseload, teamView, teamViewApiQuery, TEAM_LISTS } from '../../../services/journey/oversight.ts'
import { transferCase, transferForm } from '../../../services/journey/case-transfer.ts'
import { transferInput } from '../../../services/journey/case-transfer-input.ts'
import { pageQuery, pagesOf } from '../../../services/common/paging.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function registerOversightApi(api: ApiBuilder): void {
  api.get(
    '/caseload',
    {
      summary:
        'The open cases allocated to the signed-in user, with their open statutory clocks, overdue first: a page of them (offset, limit) with how many there are and how many have something overdue',
      tag: 'Oversight',
      query: pageQuery,
    },
    ({ ctx, query }) => caseload(ctx, query),
  )

  api.get(
    '/team',
    {
      summary:
        "A team manager's view of their team: cases by worker, and a page (offset, limit) with its total of each list: the worker's cases, unallocated cases, assessments waiting for authorisation, clocks overdue and due this week, visits and reviews due; `list` names the one list offset pages",
      tag: 'Oversight',
      query: teamViewApiQuery,
    },
    ({ ctx, query }) => teamView(ctx, { worker: query.worker, pages: pagesOf(TEAM_LISTS, query) }),
  )

  api.post(
    '/cases/:caseId/allocation',
    {
      caseAction: 'case:authorise',
      summary:
        "Allocate a case to a worker of its team (name the case version you read); the case's open clock tasks move to the worker. On a restricted case, givePermission with permissionEndsOn and permissionReason gives the worker explicit permission in the same step (a manager who may manage the case's access)",
      tag: 'Oversight',
      body: allocationInput,
    },
    ({ ctx, params, body }) => allocateCase(ctx, params.caseId!, body.workerId, body.version, body),
  )

  api.get(
    '/cases/:caseId/transfer',
    {
      summary: "The teams of the local authority a case can be transferred to, and the case's version (for a manager of the case's team)",
      tag: 'Oversight',
    },
    ({ ctx, params }) => transferForm(ctx, params.caseId!),
  )

  api.post(
    '/cases/:caseId/transfer',
    {
      caseAction: 'case:authorise',
      summary:
        "Transfer a case to another team of the local authority, with the reason (name the case version you read): the allocation is cleared and the case's open clock tasks move to the receiving team",
      tag: 'Oversight',
      body: transferInput,
    },
    ({ ctx, params, body }) => transferCase(ctx, params.caseId!, body),
  )
}
