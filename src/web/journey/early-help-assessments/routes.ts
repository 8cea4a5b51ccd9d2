/**
 * Early help assessments on a case (issue 17 §7), in the case's plans section: the list
 * (/cases/:id/early-help-assessments, linked from the plans page), a page to record one and a page
 * to record its completion. Forms use the API's schemas; nothing typed is lost on a refusal.
 */
import { type Request, type Response, type Router } from 'express'
import type { z } from 'zod'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, NotFound, ValidationFailed } from '../../../services/common/context.ts'
import { earlyHelpAssessmentCompletion, earlyHelpAssessmentInput } from '../../../services/journey/early-help-assessment-input.ts'
import {
  completeEarlyHelpAssessment,
  earlyHelpAssessmentsOfCase,
  recordEarlyHelpAssessment,
  type EarlyHelpAssessmentsPage,
} from '../../../services/journey/early-help-assessments.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import { combineDates, conflictView, linkDateErrors, type ConflictView } from '../../common/form-helpers.ts'

const SECTION = 'plans'

interface FormPage<S extends z.ZodType> {
  /** Which form of form.njk: 'record' or 'completion'. */
  form: string
  schema: S
  dates: readonly string[]
  save(req: Request, res: Response, caseId: string, assessmentId: string | null, value: z.infer<S>): Promise<unknown>
  done: string
}

function assessmentOf(page: EarlyHelpAssessmentsPage, id: string | null) {
  if (id === null) return null
  const assessment = page.assessments.find((a) => a.id === id)
  if (!assessment) throw new NotFound('No such early help assessment on this case')
  return assessment
}

export function earlyHelpAssessmentRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)
  const base = '/cases/:id/early-help-assessments'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('early-help-assessments/index.njk', { ...(await earlyHelpAssessmentsOfCase(ctxOf(req, res), idParam(req))), saved: req.query.saved })
  })

  function formPage<S extends z.ZodType>(path: string, p: FormPage<S>) {
    const ids = (req: Request) => ({ caseId: idParam(req), assessmentId: req.params.assessmentId === undefined ? null : idParam(req, 'assessmentId') })
    const render = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: ConflictView }, status = 200) => {
      const { caseId, assessmentId } = ids(req)
      const page = await earlyHelpAssessmentsOfCase(ctxOf(req, res), caseId)
      const assessment = assessmentOf(page, assessmentId)
      res.status(status).render('early-help-assessments/form.njk', {
        c: page.c,
        options: page.options,
        assessment,
        form: p.form,
        values: locals.values ?? { version: assessment?.version },
        errors: locals.errors,
        conflict: locals.conflict,
      })
    }
    router.get(path, requireSignIn, caseForm(deps, SECTION), (req, res) => render(req, res, {}))
    router.post(path, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
      const { caseId, assessmentId } = ids(req)
      const parsed = parseForm(p.schema, combineDates(req.body, p.dates))
      if (!parsed.ok) return render(req, res, { values: req.body, errors: linkDateErrors(parsed.errors, p.dates) }, 400)
      try {
        await p.save(req, res, caseId, assessmentId, parsed.value)
      } catch (err) {
        if (err instanceof ValidationFailed) return render(req, res, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), p.dates) }, 400)
        if (err instanceof EditConflict) {
          const conflict = conflictView(err, parsed.value as Record<string, unknown>, [{ name: 'completedOn', label: 'Completed on' }])
          return render(req, res, { values: { ...req.body, version: conflict.version }, conflict }, 409)
        }
        throw err
      }
      await discardSentDraft(serviceContext(deps, req, res), req.body)
      res.redirect(303, `/cases/${caseId}/early-help-assessments?saved=${p.done}`)
    })
  }

  formPage(`${base}/new`, {
    form: 'record',
    schema: earlyHelpAssessmentInput,
    dates: ['startedOn', 'completedOn'],
    save: (req, res, caseId, _id, value) => recordEarlyHelpAssessment(ctxOf(req, res), caseId, value),
    done: 'recorded',
  })
  formPage(`${base}/:assessmentId/completion`, {
    form: 'completion',
    schema: earlyHelpAssessmentCompletion,
    dates: ['completedOn'],
    save: (req, res, caseId, id, value) => completeEarlyHelpAssessment(ctxOf(req, res), caseId, id!, value),
    done: 'completed',
  })

  return router
}
