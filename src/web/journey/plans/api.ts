import type { ServiceContext } from '../../../services/common/context.ts'
import {
  endPlanInput,
  planItemInput,
  planItemUpdate,
  reviewPlanInput,
  startPlanInput,
  stepPlanInput,
} from '../../../services/journey/plan-input.ts'
import {
  addPlanItem,
  endPlan,
  getPlan,
  plansOfCase,
  reviewPlan,
  startPlan,
  stepPlan,
  updatePlanItem,
} from '../../../services/journey/plans.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const tag = 'Plans'

/** A plan as the API answers it: the plan, its goals with their actions, other actions, history and clocks. */
async function planOf(ctx: ServiceContext, caseId: string, planId: string) {
  const { plan, goals, otherActions, history, clocks } = await getPlan(ctx, caseId, planId)
  return { ...plan, goals, otherActions, history, clocks }
}

export function registerPlanApi(api: ApiBuilder): void {
  api.get('/cases/:caseId/plans', { summary: 'The plans of a case, newest first', tag }, async ({ ctx, params }) =>
    (await plansOfCase(ctx, params.caseId!)).plans,
  )

  api.post(
    '/cases/:caseId/plans',
    { caseAction: 'case:update', summary: 'Start an early help or child in need plan (child protection plans are made by a conference)', tag, body: startPlanInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      const started = await startPlan(ctx, params.caseId!, body)
      res.location(`/api/v1/cases/${params.caseId}/plans/${started.id}`)
      return planOf(ctx, params.caseId!, started.id)
    },
  )

  api.get('/cases/:caseId/plans/:planId', { summary: 'One plan with its goals, actions, history and clocks', tag }, ({ ctx, params }) =>
    planOf(ctx, params.caseId!, params.planId!),
  )

  api.post(
    '/cases/:caseId/plans/:planId/items',
    { caseAction: 'case:update', summary: 'Add a goal or an action to a plan of any kind', tag, body: planItemInput, status: 201 },
    ({ ctx, params, body }) => addPlanItem(ctx, params.caseId!, params.planId!, body),
  )

  api.patch(
    '/cases/:caseId/plans/:planId/items/:itemId',
    { caseAction: 'case:update', summary: 'Change a goal or an action: wording, owner, due date, status, progress (name the version you read)', tag, body: planItemUpdate },
    ({ ctx, params, body }) => updatePlanItem(ctx, params.caseId!, params.planId!, params.itemId!, body),
  )

  api.post(
    '/cases/:caseId/plans/:planId/review',
    { caseAction: 'case:update', summary: 'Record a review of a plan: how it stands now and the next review date', tag, body: reviewPlanInput },
    async ({ ctx, params, body }) => {
      await reviewPlan(ctx, params.caseId!, params.planId!, body)
      return planOf(ctx, params.caseId!, params.planId!)
    },
  )

  api.post(
    '/cases/:caseId/plans/:planId/end',
    { caseAction: 'case:update', summary: 'End a plan (completes its clocks); use /step to move to another kind of plan', tag, body: endPlanInput },
    async ({ ctx, params, body }) => {
      await endPlan(ctx, params.caseId!, params.planId!, body)
      return planOf(ctx, params.caseId!, params.planId!)
    },
  )

  api.post(
    '/cases/:caseId/plans/:planId/step',
    { caseAction: 'case:update', summary: 'Step a plan up (early help → child in need) or down (child in need → early help) in one transaction', tag, body: stepPlanInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      const { ended, started } = await stepPlan(ctx, params.caseId!, params.planId!, body)
      res.location(`/api/v1/cases/${params.caseId}/plans/${started.id}`)
      return { ended, started: await planOf(ctx, params.caseId!, started.id) }
    },
  )
}
