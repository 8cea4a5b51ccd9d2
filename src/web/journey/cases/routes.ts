import { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { breakGlass, BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'
import { caseOverview } from '../../../services/journey/case-overview.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'


export function caseRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/cases/:id', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const view = await caseOverview(serviceContext(deps, req, res), id)
    res.render('cases/show.njk', { c: view })
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

  return router
}
