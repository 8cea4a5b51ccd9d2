/**
 * The child protection pages of a case: the overview of strategy discussions, section 47
 * enquiries, conferences, plans, core groups and visits with their timescales, and the forms
 * that record each.
 */
import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { ICPC_STATUS_TEXT } from '../../../domain/journey/child-protection-rules.ts'
import { childProtectionPage } from '../../../services/multi-agency/participation.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn } from '../../common/middleware/auth.ts'
import { conferenceRoutes } from './conference-routes.ts'
import { page } from './pages.ts'
import { planWorkRoutes } from './plan-work-routes.ts'
import { section47Routes } from './section47-routes.ts'
import { strategyDiscussionRoutes } from './strategy-routes.ts'

/** The banner shown after a save, by the `saved` query value. */
const SAVED: Record<string, string> = {
  'strategy-discussion': 'Strategy discussion saved',
  'strategy-discussion-s47': 'Strategy discussion saved and section 47 enquiry started',
  'strategy-discussion-corrected': 'Strategy discussion corrected',
  section47: 'Section 47 enquiry saved',
  conference: 'Conference scheduled',
  outcome: 'Conference outcome saved',
  'core-group': 'Core group meeting saved',
  visit: 'Statutory visit saved',
}

export function childProtectionRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get(
    '/cases/:id/child-protection',
    requireSignIn,
    page(deps, ['id'], async (req, res, ids, ctx) => {
      const { view, strategy } = await childProtectionPage(ctx, ids.id!)
      const saved = typeof req.query.saved === 'string' ? (SAVED[req.query.saved] ?? null) : null
      res.render('child-protection/index.njk', { c: view.c, cp: view, strategy, saved, icpcStatusText: ICPC_STATUS_TEXT })
    }),
  )

  router.use(strategyDiscussionRoutes(deps))
  router.use(section47Routes(deps))
  router.use(conferenceRoutes(deps))
  router.use(planWorkRoutes(deps))
  return router
}
