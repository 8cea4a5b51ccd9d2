/**
 * Early help assessments on a case (issue 17 §7), in the case's plans section: the list
 * (/cases/:id/early-help-assessments, linked from the plans page), a page to record one and a page
 * to record its completion. Forms use the API's schemas; nothing typed is lost on a refusal.
 */
import type { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { NotFound } from '../../../services/common/context.ts'
import { earlyHelpAssessmentCompletion, earlyHelpAssessmentInput } from '../../../services/journey/early-help-assessment-input.ts'
import {
  completeEarlyHelpAssessment,
  earlyHelpAssessmentsOfCase,
  recordEarlyHelpAssessment,
  type EarlyHelpAssessmentsPage,
} from '../../../services/journey/early-help-assessments.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseRecordFormPage, type CaseRecordSection } from '../../common/case-record-forms.ts'

export function earlyHelpAssessmentRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const base = '/cases/:id/early-help-assessments'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('early-help-assessments/index.njk', { ...(await earlyHelpAssessmentsOfCase(serviceContext(deps, req, res), idParam(req))), saved: req.query.saved })
  })

  const section: CaseRecordSection<EarlyHelpAssessmentsPage> = {
    deps,
    router,
    section: 'plans',
    view: 'early-help-assessments/form.njk',
    recordParam: 'assessmentId',
    load: earlyHelpAssessmentsOfCase,
    locals(page, id) {
      const assessment = id === null ? null : page.assessments.find((a) => a.id === id)
      if (assessment === undefined) throw new NotFound('No such early help assessment on this case')
      return { version: assessment?.version, view: { c: page.c, options: page.options, assessment } }
    },
    listPath: (caseId) => `/cases/${caseId}/early-help-assessments`,
  }
  caseRecordFormPage(section, `${base}/new`, {
    form: 'record',
    schema: earlyHelpAssessmentInput,
    dates: ['startedOn', 'completedOn'],
    save: (ctx, caseId, _id, value) => recordEarlyHelpAssessment(ctx, caseId, value),
    done: 'recorded',
  })
  caseRecordFormPage(section, `${base}/:assessmentId/completion`, {
    form: 'completion',
    schema: earlyHelpAssessmentCompletion,
    dates: ['completedOn'],
    conflictFields: [{ name: 'completedOn', label: 'Completed on' }],
    save: (ctx, caseId, id, value) => completeEarlyHelpAssessment(ctx, caseId, id!, value),
    done: 'completed',
  })

  return router
}
