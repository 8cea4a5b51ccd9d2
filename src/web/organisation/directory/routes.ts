import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { listAgencies, listTeams } from '../../../services/organisation/organisation.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

/** The partnership's agencies and teams, for everyone who works in it. */
export function directoryRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/directory', requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    const [agencies, teams] = await Promise.all([listAgencies(ctx), listTeams(ctx)])
    const active = agencies
      .filter((a) => a.active)
      .map((a) => ({ ...a, teams: teams.filter((t) => t.agencyId === a.id && t.active) }))
    res.render('directory/index.njk', { agencies: active })
  })
  return router
}
