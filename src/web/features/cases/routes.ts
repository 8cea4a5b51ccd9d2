import { Router } from 'express'
import { z } from 'zod'
import { breakGlass, BREAK_GLASS_HOURS } from '../../../services/cases.ts'
import { caseOverview } from '../../../services/case-overview.ts'
import { ValidationFailed } from '../../../services/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors } from '../../forms.ts'
import { requireSignIn, serviceContext } from '../../middleware/auth.ts'

const caseId = z.uuid()

export function caseRoutes(deps: AppDeps): Router {
  const router = Router()

  router.get('/cases/:id', requireSignIn, async (req, res, next) => {
    const id = caseId.safeParse(req.params.id)
    if (!id.success) return next()
    const view = await caseOverview(serviceContext(deps, req, res), id.data)
    res.render('cases/show.njk', { c: view })
  })

  router.post('/cases/:id/break-glass', requireSignIn, async (req, res, next) => {
    const id = caseId.safeParse(req.params.id)
    if (!id.success) return next()
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : ''
    try {
      await breakGlass(serviceContext(deps, req, res), id.data, reason)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        return res.status(400).render('cases/break-glass.njk', {
          caseId: id.data,
          hours: BREAK_GLASS_HOURS,
          errors: formErrors(err.fieldErrors),
          values: { reason },
        })
      }
      throw err
    }
    res.redirect(`/cases/${id.data}`)
  })

  return router
}
