/** The signed-in user's notifications, and marking them read; for administrators, the e-mails that could not be delivered. */
import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { z } from 'zod'
import { markRead, myNotificationPage } from '../../../services/multi-agency/notifications.ts'
import { sendEmailAgain, undeliveredEmails } from '../../../services/multi-agency/email/undelivered.ts'
import { idParam } from '../../common/router.ts'
import { pageQuery } from '../../../services/common/paging.ts'
import { renderPaged } from '../../common/pagination.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function notificationRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/notifications', requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'notifications/index.njk', (at) => myNotificationPage(serviceContext(deps, req, res), at), (page) => ({ notifications: page.items, marked: req.query.marked === '1' }))
  })
  router.post('/notifications/read', requireSignIn, async (req, res) => {
    await markRead(serviceContext(deps, req, res))
    res.redirect('/notifications?marked=1')
  })
  router.get('/admin/emails', requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'notifications/undelivered.njk', (at) => undeliveredEmails(serviceContext(deps, req, res), at), (page) => ({ emails: page.items, queued: req.query.queued === '1' }))
  })
  router.post('/admin/emails/:id/send-again', requireSignIn, async (req, res) => {
    await sendEmailAgain(serviceContext(deps, req, res), idParam(req))
    res.redirect('/admin/emails?queued=1')
  })
  return router
}

const readInput = z.object({ ids: z.array(z.uuid()).max(500).optional() })

export function registerNotificationApi(api: ApiBuilder): void {
  api.get(
    '/notifications',
    { summary: 'Your notifications, unread first: a page of them (offset, limit) with how many you have', tag: 'Notifications', query: pageQuery },
    ({ ctx, query }) => myNotificationPage(ctx, query),
  )
  api.post(
    '/notifications/read',
    { summary: 'Mark your notifications read: those named in `ids`, or all', tag: 'Notifications', body: readInput },
    async ({ ctx, body }) => ({ marked: await markRead(ctx, body.ids) }),
  )
  api.get(
    '/admin/undelivered-emails',
    { summary: 'Administrators: the notification e-mails whose every attempt failed, latest first (offset, limit), with why', tag: 'Notifications', query: pageQuery },
    ({ ctx, query }) => undeliveredEmails(ctx, query),
  )
  api.post(
    '/admin/undelivered-emails/:id/send-again',
    { summary: 'Administrators: put an undelivered e-mail back in the queue; the next sweep sends it', tag: 'Notifications' },
    async ({ ctx, params }) => {
      await sendEmailAgain(ctx, params.id!)
      return { queued: true }
    },
  )
}
