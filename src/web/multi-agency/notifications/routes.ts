/** The signed-in user's notifications, and marking them read. */
import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { z } from 'zod'
import { markRead, myNotifications } from '../../../services/multi-agency/notifications.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function notificationRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/notifications', requireSignIn, async (req, res) => {
    const notifications = await myNotifications(serviceContext(deps, req, res))
    res.render('notifications/index.njk', { notifications, marked: req.query.marked === '1' })
  })
  router.post('/notifications/read', requireSignIn, async (req, res) => {
    await markRead(serviceContext(deps, req, res))
    res.redirect('/notifications?marked=1')
  })
  return router
}

const readInput = z.object({ ids: z.array(z.uuid()).max(500).optional() })

export function registerNotificationApi(api: ApiBuilder): void {
  api.get('/notifications', { summary: 'Your notifications, unread first', tag: 'Notifications' }, ({ ctx }) => myNotifications(ctx))
  api.post(
    '/notifications/read',
    { summary: 'Mark your notifications read: those named in `ids`, or all', tag: 'Notifications', body: readInput },
    async ({ ctx, body }) => ({ marked: await markRead(ctx, body.ids) }),
  )
}
