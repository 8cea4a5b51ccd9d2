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
import type { z } from 'zod'
import type { RecordAction } from '../../../domain/access/policy.ts'
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

  /** A manager's or worker's step on one assessment: the service call, then the assessment as it now is. */
  const step = <B extends z.ZodType>(
    name: string,
    meta: { caseAction: RecordAction; summary: string; body: B },
    act: (ctx: ServiceContext, caseId: string, assessmentId: string, body: z.infer<B>) => Promise<unknown>,
  ) =>
    api.post(`/cases/:caseId/assessments/:assessmentId/${name}`, { ...meta, tag }, async ({ ctx, params, body }) => {
      await act(ctx, params.caseId!, params.assessmentId!, body as z.infer<B>)
      return assessmentOf(ctx, params.caseId!, params.assessmentId!)
    })

  step('completion', { caseAction: 'case:update', summary: 'Complete an assessment: factors, outcome and, if its clock is late, the reason (delayReasonCode, DELAY_REASON, and/or delayReason in words)', body: completeAssessmentInput }, completeAssessment)
  step('authorisation', { caseAction: 'case:authorise', summary: 'Authorise a completed assessment with a comment (team managers of the case’s team)', body: authoriseAssessmentInput }, authoriseAssessment)
  step('return', { caseAction: 'case:authorise', summary: 'Return a completed assessment to the worker with the reasons; it is completed again (team managers of the case’s team)', body: returnAssessmentInput }, returnAssessment)
  step('reopening', { caseAction: 'case:authorise', summary: 'Reopen an authorised assessment with the reason, so it can change again (team managers of the case’s team)', body: reopenAssessmentInput }, reopenAssessment)
}
