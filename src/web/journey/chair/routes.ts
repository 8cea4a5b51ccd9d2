/**
 * A conference chair's list (issue 16, item 8): /my-conferences shows the conferences they chair
 * that are still to be held or recorded (when, where, the child and a link to the case where the
 * policy allows), paged, and their open tasks. GET /api/v1/my-conferences is the same list.
 */
import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { chairConferences, chairList } from '../../../services/journey/chair-conferences.ts'
import { pageQuery } from '../../../services/common/paging.ts'
import { pagingOf } from '../../common/pagination.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

/** The chair's soonest tasks shown beside the conferences; all of them are on /tasks. */
const TASKS_SHOWN = 5

export function chairRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/my-conferences', requireSignIn, async (req, res) => {
    const paging = pagingOf(req)
    const list = await chairList(serviceContext(deps, req, res), paging.request)
    const pagination = paging.view(list.conferences)
    res.status(pagination.status).render('chair/conferences.njk', {
      conferences: list.conferences.items,
      pagination,
      tasks: list.tasks.mine.slice(0, TASKS_SHOWN),
      taskTotal: list.tasks.mine.length,
    })
  })
  return router
}

export function registerChairApi(api: ApiBuilder): void {
  api.get(
    '/my-conferences',
    {
      summary:
        'The conferences you chair that are still to be held or recorded, soonest first, with their time and venue: a page of them (offset, limit) with their total; the child is named only where you may open the case',
      tag: 'Child protection',
      query: pageQuery,
    },
    ({ ctx, query }) => chairConferences(ctx, query),
  )
}
