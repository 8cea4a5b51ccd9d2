/**
 * Care leavers (issue 19 §7): the young person's page (/cases/:id/care-leaver: details, the pathway
 * plan clock, the latest contact and each 17th to 21st birthday's), the details form, and the form
 * that records a pathway plan, a review or a contact.
 */
import type { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { careLeaverDetails, careLeaverRecordInput } from '../../../services/journey/care-leavers-input.ts'
import { careLeaverOfCase, recordCareLeaverRecord, saveCareLeaverDetails, type CareLeaverPage } from '../../../services/journey/care-leavers.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseRecordFormPage, type CaseRecordSection } from '../../common/case-record-forms.ts'
import { formValuesOf } from '../../common/form-helpers.ts'

const DETAIL_DATES = ['personalAdviserFrom', 'stayingPutFrom'] as const

export function careLeaverRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const base = '/cases/:id/care-leaver'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('care-leavers/index.njk', { ...(await careLeaverOfCase(serviceContext(deps, req, res), idParam(req))), saved: req.query.saved })
  })

  const section = (prefill: boolean): CaseRecordSection<CareLeaverPage> => ({
    deps,
    router,
    section: 'care-leaver',
    view: 'care-leavers/form.njk',
    recordParam: 'recordId',
    load: careLeaverOfCase,
    locals: (page) => ({
      version: prefill ? page.details?.version : undefined,
      view: { c: page.c, details: page.details, clocks: page.clocks },
      values: prefill && page.details ? formValuesOf({ ...page.details }, DETAIL_DATES) : undefined,
    }),
    listPath: (caseId) => `/cases/${caseId}/care-leaver`,
  })
  caseRecordFormPage(section(true), `${base}/details`, {
    form: 'details',
    schema: careLeaverDetails,
    dates: DETAIL_DATES,
    conflictFields: [
      { name: 'category', label: 'Category' },
      { name: 'personalAdviser', label: 'Personal adviser' },
    ],
    save: (ctx, caseId, _id, value) => saveCareLeaverDetails(ctx, caseId, value),
    done: 'details',
  })
  caseRecordFormPage(section(false), `${base}/new`, {
    form: 'record',
    schema: careLeaverRecordInput,
    dates: ['on'],
    save: (ctx, caseId, _id, value) => recordCareLeaverRecord(ctx, caseId, value),
    done: 'recorded',
  })
  return router
}
