/**
 * The partnership's work: one router for its pages (mounted through features/journey.ts). The
 * index page offers each part to the roles that use it, and lists the requests addressed to the
 * signed-in user (agency contributions, review actions, section 11 self-assessments).
 */
import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { myContributions } from '../../../services/partnership/contributions.ts'
import type { AppDeps } from '../../deps.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { contributionRoutes } from './contribution-routes.ts'
import { incidentRoutes } from './incident-routes.ts'
import { reviewRoutes } from './review-routes.ts'
import { myActions } from '../../../services/partnership/practice-reviews.ts'
import { mySection11Actions } from '../../../services/partnership/section11/actions.ts'
import { myReturns } from '../../../services/partnership/section11/returns.ts'
import { section11Routes } from '../section-11/routes.ts'
import { isLadoContact } from '../../../services/partnership/lado/cases.ts'

/** Sub-routers; later parts (reviews, LADO, section 11, scorecard) add theirs here. */
const PARTS = [incidentRoutes, contributionRoutes, reviewRoutes, section11Routes]

export function partnershipRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/partnership', requireSignIn, async (req, res) => {
    const actor = actorOf(res)
    const ctx = serviceContext(deps, req, res)
    const may = (action: Parameters<typeof decideGeneral>[1]) => decideGeneral(actor, action).allowed
    res.render('partnership/index.njk', {
      may: { reviews: may('review:start'), lado: may('lado:refer') || (await isLadoContact(ctx)), section11: may('section11:manage'), scorecard: may('scorecard:read') },
      contributions: await myContributions(ctx),
      returns: await myReturns(ctx),
    })
  })
  router.get('/partnership/requests', requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    res.render('partnership/requests.njk', {
      contributions: await myContributions(ctx),
      actions: await myActions(ctx),
      returns: await myReturns(ctx),
      section11Actions: await mySection11Actions(ctx),
    })
  })
  for (const part of PARTS) router.use(part(deps))
  return router
}
