/** A looked-after child's health and education records (JSON API): the same services as the pages. */
import { healthEducationInput } from '../../../services/journey/health-education-input.ts'
import { healthEducationOfCase, recordHealthEducation } from '../../../services/journey/health-education.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Health and education'

export function registerHealthEducationApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/health-education'
  api.get(
    path,
    { summary: 'The health and education records of the case, newest first, with their clocks (initial and review health assessments, questionnaire, personal education plan and its reviews) and the latest day of each kind', tag: TAG },
    async ({ ctx, params }) => {
      const page = await healthEducationOfCase(ctx, params.caseId!)
      return { records: page.records, clocks: page.clocks, latest: page.latest }
    },
  )
  api.post(
    path,
    {
      caseAction: 'case:update',
      summary:
        'Record a health or education event: kind (HEALTH_EDUCATION_KIND), doneOn, upToDate (immunisations), sdqScore 0-40 or sdqReason (SDQ_REASON) for a questionnaire, doneBy, notes; the kinds conviction, substance-misuse, substance-misuse-intervention (received) and substance-misuse-intervention-refused (offered and refused) are the offending and substance misuse items of the SSDA903 OC2. It completes the running clocks of its chain and starts the next; when that is after a due date lateReasonCode (DELAY_REASON) is required (422 naming the due date), with lateReason in words',
      tag: TAG,
      body: healthEducationInput,
      status: 201,
    },
    ({ ctx, params, body }) => recordHealthEducation(ctx, params.caseId!, body),
  )
}
