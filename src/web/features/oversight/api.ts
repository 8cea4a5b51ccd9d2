import { allocateCase, allocationInput, caseload, teamView, teamViewQuery } from '../../../services/oversight.ts'
import type { ApiBuilder } from '../api/builder.ts'

export function registerOversightApi(api: ApiBuilder): void {
  api.get(
    '/caseload',
    { summary: 'The open cases allocated to the signed-in user, with their open statutory clocks, overdue first', tag: 'Oversight' },
    ({ ctx }) => caseload(ctx),
  )

  api.get(
    '/team',
    {
      summary:
        "A team manager's view of their team: cases by worker, unallocated cases, assessments waiting for authorisation, clocks overdue and due this week",
      tag: 'Oversight',
      query: teamViewQuery,
    },
    ({ ctx, query }) => teamView(ctx, query),
  )

  api.post(
    '/cases/:caseId/allocation',
    {
      summary: "Allocate a case to a worker of its team (name the case version you read); the case's open clock tasks move to the worker",
      tag: 'Oversight',
      body: allocationInput,
    },
    ({ ctx, params, body }) => allocateCase(ctx, params.caseId!, body.workerId, body.version),
  )
}
