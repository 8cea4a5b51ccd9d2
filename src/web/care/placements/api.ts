import {
  homePostcodeInput,
  legalStatusChangeInput,
  placementMoveInput,
  placementUpdate,
  temporaryMoveInput,
  temporaryReturnInput,
} from '../../../services/care/care-input.ts'
import { changeLegalStatus, changePlacement, endTemporaryMove, movePlacement, recordHomePostcode, startTemporaryMove } from '../../../services/care/placements.ts'
import { teamStability } from '../../../services/care/stability.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Looked after'

/** A period of care's events; its legal statuses, placements, derived 903 episodes and stability are in GET /cases/{caseId}/looked-after. */
export function registerCarePlacementApi(api: ApiBuilder): void {
  api.post(
    '/cases/:caseId/looked-after/:periodId/legal-statuses',
    { caseAction: 'case:update', summary: 'Record a change of legal status (903 LS) during a period of care, from a day after its start', tag: TAG, body: legalStatusChangeInput, status: 201 },
    ({ ctx, params, body }) => changeLegalStatus(ctx, params.caseId!, params.periodId!, body),
  )

  api.post(
    '/cases/:caseId/looked-after/:periodId/home-postcodes',
    {
      caseAction: 'case:update',
      summary: 'Record the child’s new home postcode from a day after the start of the period (903 HOME_POST of the episodes starting from then; not for an unaccompanied asylum-seeking child)',
      tag: TAG,
      body: homePostcodeInput,
      status: 201,
    },
    ({ ctx, params, body }) => recordHomePostcode(ctx, params.caseId!, params.periodId!, body),
  )

  api.post(
    '/cases/:caseId/looked-after/:periodId/placements',
    {
      caseAction: 'case:update',
      summary: 'Record a move to a new placement: the open placement ends that day with the reason given (903 REASON_PLACE_CHANGE); carerId, or newCarerName and newCarerKind',
      tag: TAG,
      body: placementMoveInput,
      status: 201,
    },
    ({ ctx, params, body }) => movePlacement(ctx, params.caseId!, params.periodId!, body),
  )

  api.post(
    '/cases/:caseId/looked-after/:periodId/temporary-moves',
    { caseAction: 'case:update', summary: 'Record a temporary move (T0-T4) away from the open placement, which it interrupts', tag: TAG, body: temporaryMoveInput, status: 201 },
    ({ ctx, params, body }) => startTemporaryMove(ctx, params.caseId!, params.periodId!, body),
  )

  api.post(
    '/cases/:caseId/placements/:placementId/return',
    { caseAction: 'case:update', summary: 'Record the return from a temporary move to the placement it interrupted (name the version you read)', tag: TAG, body: temporaryReturnInput },
    ({ ctx, params, body }) => endTemporaryMove(ctx, params.caseId!, params.placementId!, body),
  )

  api.patch(
    '/cases/:caseId/placements/:placementId',
    { caseAction: 'case:update', summary: 'Correct a placement’s provider, carer, postcode, URN or the reason it ended: fields given change (name the version you read)', tag: TAG, body: placementUpdate },
    ({ ctx, params, body }) => changePlacement(ctx, params.caseId!, params.placementId!, body),
  )

  api.get(
    '/care/placement-stability',
    { summary: 'Placement stability of your team: children in care with 3+ placements in 12 months, and those in care 2½ years+ (under 16) with under 2 years in the current placement', tag: TAG },
    ({ ctx }) => teamStability(ctx),
  )
}
