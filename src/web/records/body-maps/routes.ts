/**
 * Body maps on a case (issue 18 §1), in its Documents section: the list (/cases/:id/body-maps), a
 * page to record one, each body map (the outline of the body, front and back, with its marks, and
 * the same marks as a table beside it) and a page to add a mark to it. Forms use the API's schemas;
 * nothing typed is lost on a refusal.
 */
import type { Router } from 'express'
import { BODY_REGIONS, BODY_SIDES, FIGURE_HEIGHT, FIGURE_WIDTH, MARK_KINDS, markKindLabel, regionLabel } from '../../../domain/records/body-map.ts'
import { NotFound } from '../../../services/common/context.ts'
import { bodyMapInput, bodyMarkInput } from '../../../services/records/body-map-input.ts'
import { addBodyMark, bodyMapOfCase, bodyMapsOfCase, recordBodyMap, type BodyMapRow, type BodyMapsPage } from '../../../services/records/body-maps.ts'
import { caseRecordFormPage, type CaseRecordSection } from '../../common/case-record-forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { featureRouter, idParam } from '../../common/router.ts'
import type { AppDeps } from '../../deps.ts'

/** What every body map page shows beside the record: the code sets and the drawing box. */
const FIGURE = { regions: BODY_REGIONS, sides: BODY_SIDES, kinds: MARK_KINDS, width: FIGURE_WIDTH, height: FIGURE_HEIGHT, regionLabel, markKindLabel }

export function bodyMapRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const base = '/cases/:id/body-maps'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('body-maps/index.njk', { ...(await bodyMapsOfCase(serviceContext(deps, req, res), idParam(req))), figure: FIGURE, saved: req.query.saved })
  })

  const section: CaseRecordSection<BodyMapsPage> = {
    deps,
    router,
    section: 'documents',
    view: 'body-maps/form.njk',
    recordParam: 'bodyMapId',
    load: bodyMapsOfCase,
    locals(page, id) {
      const bodyMap = id === null ? null : page.bodyMaps.find((b) => b.id === id)
      if (bodyMap === undefined) throw new NotFound('No such body map on this case')
      return { version: bodyMap?.version, view: { c: page.c, agencies: page.agencies, bodyMap, figure: FIGURE } }
    },
    listPath: (caseId, saved) => `/cases/${caseId}/body-maps/${(saved as BodyMapRow).id}`,
  }
  caseRecordFormPage(section, `${base}/new`, {
    form: 'record',
    schema: bodyMapInput,
    dates: ['seenOn'],
    save: (ctx, caseId, _id, value) => recordBodyMap(ctx, caseId, value),
    done: 'recorded',
  })
  caseRecordFormPage(section, `${base}/:bodyMapId/marks/new`, {
    form: 'mark',
    schema: bodyMarkInput,
    dates: ['seenOn'],
    save: (ctx, caseId, id, value) => addBodyMark(ctx, caseId, id!, value),
    done: 'mark',
  })

  router.get(`${base}/:bodyMapId`, requireSignIn, async (req, res) => {
    const page = await bodyMapOfCase(serviceContext(deps, req, res), idParam(req), idParam(req, 'bodyMapId'))
    res.render('body-maps/show.njk', { ...page, figure: FIGURE, saved: req.query.saved })
  })

  return router
}
