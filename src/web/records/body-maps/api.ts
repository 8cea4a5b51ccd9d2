/** Body maps (JSON API): the same services as the pages. */
import { bodyMapInput, bodyMarkInput } from '../../../services/records/body-map-input.ts'
import { addBodyMark, bodyMapOfCase, bodyMapsOfCase, recordBodyMap } from '../../../services/records/body-maps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Body maps'

export function registerBodyMapApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/body-maps'
  api.get(path, { summary: 'The body maps of a case, newest first, each with its marks', tag: TAG }, async ({ ctx, params }) => ({
    bodyMaps: (await bodyMapsOfCase(ctx, params.caseId!)).bodyMaps,
  }))
  api.get(`${path}/:bodyMapId`, { summary: 'One body map of a case with its marks', tag: TAG }, async ({ ctx, params }) => ({
    bodyMap: (await bodyMapOfCase(ctx, params.caseId!, params.bodyMapId!)).bodyMap,
  }))
  api.post(
    path,
    {
      caseAction: 'case:update',
      summary: 'Record a body map: seenOn (the day the marks were seen, not in the future), seenBy (who saw them, in words), agencyId (optional, their agency in the partnership), account (optional: how they were seen, what was said)',
      tag: TAG,
      body: bodyMapInput,
      status: 201,
    },
    ({ ctx, params, body }) => recordBodyMap(ctx, params.caseId!, body),
  )
  api.post(
    `${path}/:bodyMapId/marks`,
    {
      caseAction: 'case:update',
      summary:
        'Add a mark to a body map at the version read (409 when stale): region (a part of the body, front or back), kind, description, size (optional, in words), seenOn (optional; the body map’s day when left out), x and y (optional, both or neither: the point in the 100 × 220 drawing box; the middle of the region when left out)',
      tag: TAG,
      body: bodyMarkInput,
      status: 201,
    },
    ({ ctx, params, body }) => addBodyMark(ctx, params.caseId!, params.bodyMapId!, body),
  )
}
