import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { breakGlass, BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'
import { caseOverview } from '../../../services/journey/case-overview.ts'
import { caseAlertsForm, setCaseAlerts } from '../../../services/journey/case-alerts.ts'
import { caseAlertsInput } from '../../../services/journey/case-alerts-input.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { pageOf } from '../../../services/common/paging.ts'
import type { AppDeps } from '../../deps.ts'
import { pagingOf } from '../../common/pagination.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { conflictView, type ConflictField, type ConflictView } from '../../common/form-helpers.ts'
import { caseForm } from '../../common/case-forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseAccessRoutes } from './access-routes.ts'


/** Finished timescales on a page of the overview: few enough that the unfolded list stays short. */
const FINISHED_CLOCKS_PAGE_SIZE = 10

/** The alerts form's fields, as a refused save shows them beside the saved ones. */
const ALERT_FIELDS: ConflictField[] = [
  { name: 'workerSafety', label: 'Risks to workers' },
  { name: 'communicationNeeds', label: 'Language or communication needs' },
]

export function caseRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/cases/:id', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const view = await caseOverview(serviceContext(deps, req, res), id)
    // Running timescales are shown; finished ones are folded away, most recently finished first, 10 a page.
    const running = view.clocks.filter((k) => k.completedOn === null)
    const finishedAll = view.clocks.filter((k) => k.completedOn !== null).sort((a, b) => (b.completedOn! < a.completedOn! ? -1 : b.completedOn! > a.completedOn! ? 1 : 0))
    const paging = pagingOf(req, FINISHED_CLOCKS_PAGE_SIZE, '#finished-timescales')
    const finished = pageOf(finishedAll, paging.request)
    const pagination = paging.view(finished)
    res.status(pagination.status).render('cases/show.njk', {
      c: view,
      running,
      finished: finished.items,
      finishedPagination: pagination,
      saved: req.query.saved === 'alerts' ? 'alerts' : null,
    })
  })

  const renderAlerts = async (
    req: Request,
    res: Response,
    id: string,
    locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: ConflictView } = {},
    status = 200,
  ) => {
    const form = await caseAlertsForm(serviceContext(deps, req, res), id)
    res.status(status).render('cases/alerts.njk', {
      c: form.case,
      values: locals.values ?? { workerSafety: form.workerSafety, communicationNeeds: form.communicationNeeds, version: form.version },
      errors: locals.errors,
      conflict: locals.conflict,
    })
  }

  router.get('/cases/:id/alerts', requireSignIn, caseForm(deps, 'alerts'), async (req, res) => {
    await renderAlerts(req, res, idParam(req))
  })

  router.post('/cases/:id/alerts', requireSignIn, caseForm(deps, 'alerts'), async (req, res) => {
    const id = idParam(req)
    const parsed = parseForm(caseAlertsInput, req.body)
    if (!parsed.ok) return renderAlerts(req, res, id, { values: req.body, errors: parsed.errors }, 400)
    try {
      await setCaseAlerts(serviceContext(deps, req, res), id, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderAlerts(req, res, id, { values: req.body, errors: formErrors(err.fieldErrors) }, 400)
      if (err instanceof EditConflict) {
        const conflict = conflictView(err, parsed.value, ALERT_FIELDS)
        return renderAlerts(req, res, id, { values: { ...req.body, version: conflict.version }, conflict }, 409)
      }
      throw err
    }
    res.redirect(`/cases/${id}?saved=alerts`)
  })

  router.post('/cases/:id/break-glass', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : ''
    try {
      await breakGlass(serviceContext(deps, req, res), id, reason)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        return res.status(400).render('cases/break-glass.njk', {
          caseId: id,
          hours: BREAK_GLASS_HOURS,
          errors: formErrors(err.fieldErrors),
          values: { reason },
        })
      }
      throw err
    }
    res.redirect(`/cases/${id}`)
  })

  caseAccessRoutes(router, deps)

  return router
}
