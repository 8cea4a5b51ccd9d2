import { Router } from 'express'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { describeDuration, EDITIONS, listRules } from '../../../domain/timescales/index.ts'
import { AccessDenied } from '../../../services/context.ts'
import type { AppDeps } from '../../deps.ts'
import { actorOf, requireSignIn } from '../../middleware/auth.ts'

/** The statutory timescales table, so practitioners can see which rule and edition a clock uses. */
export function timescaleRoutes(_deps: AppDeps): Router {
  const router = Router()
  router.get('/timescales', requireSignIn, (_req, res) => {
    const d = decideGeneral(actorOf(res), 'rules:read')
    if (!d.allowed) throw new AccessDenied(d.reason)
    const rules = listRules().map((r) => ({
      ...r,
      limitText: describeDuration(r),
      applies: r.editions ? r.editions.join(', ') : `From ${r.inForceFrom} (regulations)`,
    }))
    res.render('timescales/index.njk', { rules, editions: EDITIONS })
  })
  return router
}
