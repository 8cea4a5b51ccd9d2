import { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { breakGlass, BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'
import { caseOverview } from '../../../services/journey/case-overview.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import { pageOf } from '../../../services/common/paging.ts'
import type { AppDeps } from '../../deps.ts'
import { pagingOf } from '../../common/pagination.ts'
import { formErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'


/** Finished timescales on a page of the overview: few enough that the unfolded list stays short. */
const FINISHED_CLOCKS_PAGE_SIZE = 10

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
    res.status(pagination.status).render('cases/show.njk', { c: view, running, finished: finished.items, finishedPagination: pagination })
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
