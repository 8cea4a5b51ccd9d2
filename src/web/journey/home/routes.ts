import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import type { Role } from '../../../domain/access/roles.ts'
import { listMyCases, type CaseListKind, type ListedCase } from '../../../services/journey/cases.ts'
import type { Page } from '../../../services/common/paging.ts'
import { listsPagingOf } from '../../common/pagination.ts'
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
  'independent-reviewing-officer': [
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
    const chosen = actor.roles.flatMap((role) => CASE_LISTS[role] ?? []).filter((list, i, all) => all.findIndex((l) => l.kind === list.kind) === i)
    // Each list pages by its own parameter (?teamPage=2), keeping the other lists' pages.
    const paging = listsPagingOf(req, chosen.map((list) => list.kind), HOME_LIST_PAGE_SIZE, (kind) => `#${kind}-cases`)
    const pages = {} as Record<CaseListKind, Page<ListedCase>>
    for (const list of chosen) pages[list.kind] = await listMyCases(ctx, list.kind, paging.requests[list.kind])
    const { pagination, status } = paging.view(pages)
    const lists = chosen.map((list) => ({ ...list, cases: pages[list.kind].items, pagination: pagination[list.kind] }))
    res.status(status).render('home/index.njk', { actor, lists })
  })
  return router
}
