import {
  assessmentProgressInput,
  authoriseAssessmentInput,
  completeAssessmentInput,
  reopenAssessmentInput,
  returnAssessmentInput,
  startAssessmentInput,
} from '../../../services/journey/assessment-input.ts'
import {
  assessmentsOfCase,
  authoriseAssessment,
  completeAssessment,
  getAssessment,
  reopenAssessment,
  returnAssessment,
  startAssessment,
  updateAssessment,
} from '../../../services/journey/assessments.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const tag = 'Assessments'

/** An assessment as the API answers it: the record, its state and its clock. */
async function assessmentOf(ctx: ServiceContext, caseId: string, assessmentId: string) {
  return (await getAssessment(ctx, caseId, assessmentId)).assessment
}

export function registerAssessmentApi(api: ApiBuilder): void {
  api.get('/cases/:caseId/assessments', { summary: 'The assessments of a case, each with its state and clock', tag }, async ({ ctx, params }) =>
    (await assessmentsOfCase(ctx, params.caseId!)).assessments,
  )

  api.post(
    '/cases/:caseId/assessments',
    { caseAction: 'case:update', summary: 'Start an assessment on an open episode (the kind follows the edition in force on the referral date)', tag, body: startAssessmentInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      const started = await startAssessment(ctx, params.caseId!, body)
      res.location(`/api/v1/cases/${params.caseId}/assessments/${started.id}`)
      return assessmentOf(ctx, params.caseId!, started.id)
    },
  )

  api.get('/cases/:caseId/assessments/:assessmentId', { summary: 'One assessment with its state and clock', tag }, ({ ctx, params }) =>
    assessmentOf(ctx, params.caseId!, params.assessmentId!),
  )

  api.patch(
    '/cases/:caseId/assessments/:assessmentId',
    { caseAction: 'case:update', summary: 'Record progress on an assessment (name the version you read; absent fields are kept)', tag, body: assessmentProgressInput },
    async ({ ctx, params, body }) => {
      await updateAssessment(ctx, params.caseId!, params.assessmentId!, body)
      return assessmentOf(ctx, params.caseId!, params.assessmentId!)
    },
  )

  api.post(
    '/cases/:caseId/assessments/:assessmentId/completion',
    { caseAction: 'case:update', summary: 'Complete an assessment: factors, outcome and, if its clock is late, the reason', tag, body: completeAssessmentInput },
    async ({ ctx, params, body }) => {
      await completeAssessment(ctx, params.caseId!, params.assessmentId!, body)
      return assessmentOf(ctx, params.caseId!, params.assessmentId!)
    },
  )

  api.post(
    '/cases/:caseId/assessments/:assessmentId/authorisation',
    { caseAction: 'case:authorise', summary: 'Authorise a completed assessment with a comment (team managers of the case’s team)', tag, body: authoriseAssessmentInput },
    async ({ ctx, params, body }) => {
      await authoriseAssessment(ctx, params.caseId!, params.assessmentId!, body)
      return assessmentOf(ctx, params.caseId!, params.assessmentId!)
    },
  )

  api.post(
    '/cases/:caseId/assessments/:assessmentId/return',
    { caseAction: 'case:authorise', summary: 'Return a completed assessment to the worker with the reasons; it is completed again (team managers of the case’s team)', tag, body: returnAssessmentInput },
    async ({ ctx, params, body }) => {
      await returnAssessment(ctx, params.caseId!, params.assessmentId!, body)
      return assessmentOf(ctx, params.caseId!, params.assessmentId!)
    },
  )

  api.post(
    '/cases/:caseId/assessments/:assessmentId/reopening',
    { caseAction: 'case:authorise', summary: 'Reopen an authorised assessment with the reason, so it can change again (team managers of the case’s team)', tag, body: reopenAssessmentInput },
    async ({ ctx, params, body }) => {
      await reopenAssessment(ctx, params.caseId!, params.assessmentId!, body)
      return assessmentOf(ctx, params.caseId!, params.assessmentId!)
    },
  )
}
