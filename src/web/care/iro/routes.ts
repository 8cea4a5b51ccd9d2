/**
 * An IRO's own list (issue 19, item 3): /iro shows the children the user reviews as independent
 * reviewing officer now (legal status, placement, next review due, last review, open escalations),
 * paged, each through the one policy and the listing audited. GET /api/v1/iro/children is the same.
 */
import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { iroChildren } from '../../../services/care/iro-list.ts'
import { pageQuery } from '../../../services/common/paging.ts'
import { pagingOf } from '../../common/pagination.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function iroRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/iro', requireSignIn, async (req, res) => {
    const paging = pagingOf(req)
    const children = await iroChildren(serviceContext(deps, req, res), paging.request)
    const pagination = paging.view(children)
    res.status(pagination.status).render('iro/children.njk', { children: children.items, pagination })
  })
  return router
}

export function registerIroApi(api: ApiBuilder): void {
  api.get(
    '/iro/children',
    {
      summary:
        'The children you review as independent reviewing officer now (allocated on their open period of care), by name: legal status (903 LS), placement (PLACE) and since when, the next review due (the running review clock), the last review and open escalations; a page of them (offset, limit) with their total',
      tag: 'Looked after',
      query: pageQuery,
    },
    ({ ctx, query }) => iroChildren(ctx, query),
  )
}
