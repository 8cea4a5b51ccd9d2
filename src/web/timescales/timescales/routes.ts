import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { describeDuration, EDITIONS, listRules } from '../../../domain/timescales/index.ts'
import { AccessDenied } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { getLocalRules } from '../../../services/timescales/local-rules.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

/** The statutory timescales table, so practitioners can see which rule and edition a clock uses. */
export function timescaleRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/timescales', requireSignIn, async (req, res) => {
    const d = decideGeneral(actorOf(res), 'rules:read')
    if (!d.allowed) throw new AccessDenied(d.reason)
    const { settings } = await getLocalRules(serviceContext(deps, req, res))
    const rules = listRules().map((r) => ({
      ...r,
      limitText: describeDuration(r.local ? settings[r.local] : r),
      defaultText: r.local ? describeDuration(r) : null,
      applies: r.editions ? r.editions.join(', ') : `From ${r.inForceFrom} (regulations)`,
    }))
    res.render('timescales/index.njk', { rules, editions: EDITIONS })
  })
  return router
}
