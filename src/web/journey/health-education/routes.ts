/**
 * A looked-after child's health and education (issue 19 §4): the records with their clocks and the
 * latest of each kind (/cases/:id/health-education), the form that records one, and the small form
 * for offending and substance misuse (…/offending: the SSDA903 OC2's items).
 */
import type { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { healthEducationInput, offendingSubstanceInput } from '../../../services/journey/health-education-input.ts'
import { healthEducationOfCase, recordHealthEducation, type HealthEducationPage } from '../../../services/journey/health-education.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseRecordFormPage, type CaseRecordSection } from '../../common/case-record-forms.ts'

export function healthEducationRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const base = '/cases/:id/health-education'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('health-education/index.njk', { ...(await healthEducationOfCase(serviceContext(deps, req, res), idParam(req))), saved: req.query.saved })
  })

  const section: CaseRecordSection<HealthEducationPage> = {
    deps,
    router,
    section: 'health-education',
    view: 'health-education/form.njk',
    recordParam: 'recordId',
    load: healthEducationOfCase,
    locals: (page) => ({ version: undefined, view: { c: page.c, clocks: page.clocks } }),
    listPath: (caseId) => `/cases/${caseId}/health-education`,
  }
  caseRecordFormPage(section, `${base}/new`, {
    form: 'new',
    schema: healthEducationInput,
    dates: ['doneOn'],
    save: (ctx, caseId, _id, value) => recordHealthEducation(ctx, caseId, value),
    done: 'recorded',
  })
  caseRecordFormPage({ ...section, view: 'health-education/offending.njk' }, `${base}/offending`, {
    form: 'offending',
    schema: offendingSubstanceInput,
    dates: ['doneOn'],
    save: (ctx, caseId, _id, value) => recordHealthEducation(ctx, caseId, value),
    done: 'recorded',
  })
  return router
}
