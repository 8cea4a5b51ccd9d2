import {
  adoptionDecisionInput,
  adoptionMatchInput,
  adoptionReversalInput,
  carePlanInput,
  iroAllocationInput,
  iroEscalationInput,
  iroEscalationUpdate,
  previousPermanenceInput,
} from '../../../services/care/permanence-input.ts'
import {
  allocateIro,
  changeIroEscalation,
  permanenceOfPeriod,
  raiseIroEscalation,
  recordAdoptionDecision,
  recordAdoptionMatch,
  recordCarePlan,
  recordPreviousPermanence,
  reverseAdoptionDecision,
} from '../../../services/care/permanence.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Looked after'

/** Care plans, the IRO, IRO escalations and permanence on a period of care (the same on the pages; also in GET /cases/{caseId}/looked-after). */
export function registerCarePermanenceApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/looked-after/:periodId/permanence',
    { caseAction: 'case:read', summary: 'A period of care’s care plans, IROs, reviews with participation (903 REVIEW_CODE) and chair, IRO escalations, adoption decisions and previous permanence', tag: TAG },
    ({ ctx, params }) => permanenceOfPeriod(ctx, params.caseId!, params.periodId!),
  )
  api.post(
    '/cases/:caseId/looked-after/:periodId/care-plans',
    { caseAction: 'case:update', summary: 'Record the care plan agreed, with its permanence plan (a later one replaces it)', tag: TAG, body: carePlanInput, status: 201 },
    ({ ctx, params, body }) => recordCarePlan(ctx, params.caseId!, params.periodId!, body),
  )
  api.post(
    '/cases/:caseId/looked-after/:periodId/iros',
    { caseAction: 'case:update', summary: 'Allocate the independent reviewing officer from a day (the previous allocation ends that day)', tag: TAG, body: iroAllocationInput, status: 201 },
    ({ ctx, params, body }) => allocateIro(ctx, params.caseId!, params.periodId!, body),
  )
  api.post(
    '/cases/:caseId/looked-after/:periodId/iro-escalations',
    { caseAction: 'case:update', summary: 'Record an IRO escalation raised about the care plan', tag: TAG, body: iroEscalationInput, status: 201 },
    ({ ctx, params, body }) => raiseIroEscalation(ctx, params.caseId!, params.periodId!, body),
  )
  api.patch(
    '/cases/:caseId/iro-escalations/:escalationId',
    { caseAction: 'case:update', summary: 'Move an IRO escalation to another stage, or resolve it with the date and outcome (name the version you read)', tag: TAG, body: iroEscalationUpdate },
    ({ ctx, params, body }) => changeIroEscalation(ctx, params.caseId!, params.escalationId!, body),
  )
  api.post(
    '/cases/:caseId/looked-after/:periodId/adoption-decisions',
    { caseAction: 'case:update', summary: 'Record the decision that the child should be placed for adoption (903 DATE_PLACED, AD1 DATE_INT)', tag: TAG, body: adoptionDecisionInput, status: 201 },
    ({ ctx, params, body }) => recordAdoptionDecision(ctx, params.caseId!, params.periodId!, body),
  )
  api.post(
    '/cases/:caseId/adoption-decisions/:decisionId/match',
    { caseAction: 'case:update', summary: 'Record the match and the adopters (AD1 DATE_MATCH, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR, FOSTER_CARE; name the version you read)', tag: TAG, body: adoptionMatchInput },
    ({ ctx, params, body }) => recordAdoptionMatch(ctx, params.caseId!, params.decisionId!, body),
  )
  api.post(
    '/cases/:caseId/adoption-decisions/:decisionId/reversal',
    { caseAction: 'case:update', summary: 'Record the decision that the child should no longer be placed for adoption (903 DATE_PLACED_CEASED, REASON_PLACED_CEASED; name the version you read)', tag: TAG, body: adoptionReversalInput },
    ({ ctx, params, body }) => reverseAdoptionDecision(ctx, params.caseId!, params.decisionId!, body),
  )
  api.put(
    '/cases/:caseId/looked-after/:periodId/previous-permanence',
    { caseAction: 'case:update', summary: 'Record (or correct) previous permanence for the period (903 PREV_PERM, LA_PERM, DATE_PERM with ZZ for unknown parts)', tag: TAG, body: previousPermanenceInput },
    ({ ctx, params, body }) => recordPreviousPermanence(ctx, params.caseId!, params.periodId!, body),
  )
}
