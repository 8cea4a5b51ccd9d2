import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import type { Role } from '../../../domain/access/roles.ts'
import { listMyCases, type CaseListKind } from '../../../services/journey/cases.ts'
import { pagingOf } from '../../common/pagination.ts'
import type { AppDeps } from '../../deps.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

/** Which case lists each role's home page shows, in order. */
const CASE_LISTS: Partial<Record<Role, { kind: CaseListKind; title: string; empty: string }[]>> = {
  'front-door-practitioner': [
    { kind: 'team', title: 'Front door cases', empty: 'Your team has no open cases.' },
    { kind: 'invited', title: 'Cases you are invited to', empty: 'You have no invitations.' },
  ],
  'social-worker': [
    { kind: 'allocated', title: 'Your allocated cases', empty: 'No cases are allocated to you.' },
    { kind: 'team', title: "Your team's cases", empty: 'Your team has no open cases.' },
  ],
  'team-manager': [{ kind: 'team', title: "Your team's cases", empty: 'Your team has no open cases.' }],
  'conference-chair': [
    { kind: 'invited', title: 'Cases you are invited to', empty: 'You have no conference invitations.' },
  ],
  'partner-practitioner': [
    { kind: 'agency', title: 'Cases your agency is involved in', empty: 'Your agency is not involved in any open case.' },
    { kind: 'invited', title: 'Cases you are invited to', empty: 'You have no invitations.' },
  ],
}

/** Cases a page of each home-page list shows. */
export const HOME_LIST_PAGE_SIZE = 20

export function homeRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/', requireSignIn, async (req, res) => {
    const actor = actorOf(res)
    const ctx = serviceContext(deps, req, res)
    const seen = new Set<CaseListKind>()
    const lists = []
    let status = 200
    for (const role of actor.roles) {
      for (const list of CASE_LISTS[role] ?? []) {
        if (seen.has(list.kind)) continue
        seen.add(list.kind)
        // Each list pages by its own parameter (?teamPage=2), keeping the other lists' pages.
        const paging = pagingOf(req, HOME_LIST_PAGE_SIZE, `#${list.kind}-cases`, `${list.kind}Page`)
        const page = await listMyCases(ctx, list.kind, paging.request)
        const pagination = paging.view(page)
        if (pagination.beyond) status = 404
        lists.push({ ...list, cases: page.items, pagination })
      }
    }
    res.status(status).render('home/index.njk', { actor, lists })
  })
  return router
}
