/**
 * Allegations against people who work with children (LADO) in the JSON API: the same operations
 * as the pages (lado/routes.ts), through the same services and policy. The designated officer's
 * team records and changes a case; the employer's named contact reads it; anyone else is refused
 * (403, audited), and another partnership's case does not exist (404). The late referral's reason
 * is PUT /lado-cases/{id}/late-reason (clock-delays/api.ts).
 */
import { listsPageQuery, pagesOf } from '../../../services/common/paging.ts'
import { addLadoChild, addLadoMeeting, getLadoCase, ladoTargetsReport, listLadoCases, recordLadoOutcome, recordLadoReferral, LADO_LISTS } from '../../../services/partnership/lado/cases.ts'
import { ladoChildInput, ladoMeetingInput, ladoOutcomeInput, ladoReferralInput, ladoReportInput } from '../../../services/partnership/lado/input.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const tag = 'Allegations (LADO)'
const caseUrl = (id: string) => `/api/v1/lado-cases/${id}`

export function registerLadoApi(api: ApiBuilder): void {
  api.get(
    '/lado-cases',
    {
      summary:
        "The allegations you may see, most recently referred first: your designated officer team's open and concluded cases, and those you are the employer's named contact for (asContact); offset and limit page the list named by `list`, or every list",
      tag,
      query: listsPageQuery(LADO_LISTS),
    },
    ({ ctx, query }) => listLadoCases(ctx, pagesOf(LADO_LISTS, query)),
  )
  api.post(
    '/lado-cases',
    {
      summary:
        "Record a referral to the designated officer (designated officers): dates known and referred (a late referral needs referralLateReasonCode), the person, their role, the employer (an agency or a name) and its named contact, the harm tests (categories), the allegation, and the child (an NHS number known to Together, or a description); the case's children, meetings, clocks and outcome are answered",
      tag,
      body: ladoReferralInput,
      status: 201,
    },
    async ({ ctx, body, res }) => {
      const row = await recordLadoReferral(ctx, body)
      res.location(caseUrl(row.id))
      return getLadoCase(ctx, row.id)
    },
  )
  // Before /lado-cases/{id}: "report" is not an id.
  api.get(
    '/lado-cases/report',
    {
      summary: 'Resolution against targets for the allegations referred in a period (from, to as YYYY-MM-DD): counts, outcomes, referrals on time and the three resolution targets, as at today; no allegation\'s details',
      tag,
      query: ladoReportInput,
    },
    ({ ctx, query }) => ladoTargetsReport(ctx, query.from, query.to),
  )
  api.get(
    '/lado-cases/:id',
    {
      summary:
        "One allegation: the case (version for the outcome), the employer's contact, the children concerned (a linked child named only as the policy allows, audited), meetings, clocks, whether you may change it, and the ground you see it on",
      tag,
    },
    ({ ctx, params }) => getLadoCase(ctx, params.id!),
  )
  api.post(
    '/lado-cases/:id/children',
    { summary: 'Add a child concerned: their NHS number when known to Together (linked as the policy allows), or a description', tag, body: ladoChildInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      await addLadoChild(ctx, params.id!, body)
      res.location(caseUrl(params.id!))
      return getLadoCase(ctx, params.id!)
    },
  )
  api.post(
    '/lado-cases/:id/meetings',
    { summary: 'Record a strategy or evaluation meeting: kind, date held, who attended, the decisions', tag, body: ladoMeetingInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      const meeting = await addLadoMeeting(ctx, params.id!, body)
      res.location(caseUrl(params.id!))
      return meeting
    },
  )
  api.put(
    '/lado-cases/:id/outcome',
    {
      summary: "Record or correct the outcome, which concludes the case: outcome (LADO_OUTCOME), date, notes; concluded after 12 months (lado-resolution-year) it needs exceptionalReasonCode (DELAY_REASON; 422 naming the due date without it) with exceptionalReason (words); the case's version read (409 when stale)",
      tag,
      body: ladoOutcomeInput,
    },
    ({ ctx, params, body }) => recordLadoOutcome(ctx, params.id!, body),
  )
}
