/** Early help assessments (JSON API): the same services as the pages. */
import { earlyHelpAssessmentCompletion, earlyHelpAssessmentInput } from '../../../services/journey/early-help-assessment-input.ts'
import { completeEarlyHelpAssessment, earlyHelpAssessmentsOfCase, recordEarlyHelpAssessment } from '../../../services/journey/early-help-assessments.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Early help assessments'

export function registerEarlyHelpAssessmentApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/early-help-assessments'
  api.get(path, { summary: 'The early help assessments of a case, newest first (Ofsted Annex A list 2 reads them)', tag: TAG }, async ({ ctx, params }) => ({
    assessments: (await earlyHelpAssessmentsOfCase(ctx, params.caseId!)).assessments,
  }))
  api.post(
    path,
    {
      caseAction: 'case:update',
      summary:
        'Record an early help assessment: startedOn, completedOn if it already was (not before the start, neither in the future), the organisation completing it — agencyId (an agency of the partnership) or otherOrganisation (its name, outside the partnership), one of them — leadUserId (optional) and summary',
      tag: TAG,
      body: earlyHelpAssessmentInput,
      status: 201,
    },
    ({ ctx, params, body }) => recordEarlyHelpAssessment(ctx, params.caseId!, body),
  )
  api.put(
    `${path}/:assessmentId/completion`,
    {
      caseAction: 'case:update',
      summary: 'Record the completion of an early help assessment: completedOn (not before its start, not in the future), the version read (409 when stale)',
      tag: TAG,
      body: earlyHelpAssessmentCompletion,
    },
    ({ ctx, params, body }) => completeEarlyHelpAssessment(ctx, params.caseId!, params.assessmentId!, body),
  )
}
