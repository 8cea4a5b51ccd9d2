import type { Router } from 'express'
import { featureRouter } from '../router.ts'
import { actorOf, requireSignIn } from '../middleware/auth.ts'
import { reportsFor } from '../navigation.ts'
import type { AppDeps } from '../../deps.ts'

/**
 * `/reports`: the reports the user's roles can open, each with what it answers. One menu item
 * instead of one per report keeps the menu to a row. The reports themselves check access.
 */
export function reportRoutes(_deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/reports', requireSignIn, (_req, res) => {
    res.render('reports/index.njk', { reports: reportsFor(actorOf(res)) })
  })
  return router
}
