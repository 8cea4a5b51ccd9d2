import {
  lacReviewInput,
  lookedAfterEnd,
  lookedAfterStart,
  preProceedingsInput,
  preProceedingsUpdate,
} from '../../../services/journey/looked-after-input.ts'
import {
  becomeLookedAfter,
  changePreProceedings,
  endLookedAfter,
  lookedAfterOfCase,
  recordLacReview,
  startPreProceedings,
} from '../../../services/journey/looked-after.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { registerCarePlacementApi } from '../../care/placements/api.ts'
import { registerCarePermanenceApi } from '../../care/permanence/api.ts'

const TAG = 'Looked after'

export function registerLookedAfterApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/looked-after',
    { summary: 'Periods of care with their reviews, pre-proceedings, and their timescales; `care` by period: legal statuses, placements, the derived SSDA903 episodes and placement stability', tag: TAG },
    async ({ ctx, params }) => {
      const { periods, preProceedings, clocks, care } = await lookedAfterOfCase(ctx, params.caseId!)
      return { periods, preProceedings, clocks, care }
    },
  )

  api.post(
    '/cases/:caseId/looked-after',
    { caseAction: 'case:update', summary: 'Record that the child became looked after with what the SSDA903 needs (category of need, UASC, home postcode, first placement, previous permanence); starts the first review timescale', tag: TAG, body: lookedAfterStart, status: 201 },
    ({ ctx, params, body }) => becomeLookedAfter(ctx, params.caseId!, body),
  )

  api.post(
    '/cases/:caseId/looked-after/:periodId/reviews',
    { caseAction: 'case:update', summary: 'Record a looked-after review held (completes the running review timescale, starts the next)', tag: TAG, body: lacReviewInput, status: 201 },
    ({ ctx, params, body }) => recordLacReview(ctx, params.caseId!, params.periodId!, body),
  )

  api.post(
    '/cases/:caseId/looked-after/:periodId/end',
    { caseAction: 'case:update', summary: 'Record that the child stopped being looked after, with the reason (903 REC, not X1); the open placement ends that day (name the version you read)', tag: TAG, body: lookedAfterEnd },
    ({ ctx, params, body }) => endLookedAfter(ctx, params.caseId!, params.periodId!, body),
  )

  api.post(
    '/cases/:caseId/pre-proceedings',
    { caseAction: 'case:update', summary: 'Record pre-proceedings under the Public Law Outline (issuing proceedings starts the 26-week timescale)', tag: TAG, body: preProceedingsInput, status: 201 },
    ({ ctx, params, body }) => startPreProceedings(ctx, params.caseId!, body),
  )

  api.patch(
    '/cases/:caseId/pre-proceedings/:ppId',
    { caseAction: 'case:update', summary: 'Change pre-proceedings: fields given change, null clears one (name the version you read)', tag: TAG, body: preProceedingsUpdate },
    ({ ctx, params, body }) => changePreProceedings(ctx, params.caseId!, params.ppId!, body),
  )

  // A period of care's legal statuses, placements and temporary moves.
  registerCarePlacementApi(api)
  registerCarePermanenceApi(api)
}
