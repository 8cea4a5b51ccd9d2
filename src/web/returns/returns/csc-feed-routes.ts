/**
 * The DfE daily data feed's page, for administrators and performance analysts: whether it is on
 * (the server's periodic jobs send it once a day when it is), its last run, every recent run with
 * its batches and errors, and "send it now". The services check who may.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { feedStatus, sendFeedNow, setFeedEnabled } from '../../../services/returns/csc-feed-schedule.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const SAVED: Record<string, string> = {
  on: 'The daily feed is on: it is sent once a day.',
  off: 'The daily feed is off.',
  sent: 'The feed was sent.',
  failed: 'The feed could not be sent: the error is in the list of runs.',
}

export function cscFeedRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/returns/csc-feed', requireSignIn, async (req: Request, res: Response) => {
    const status = await feedStatus(serviceContext(deps, req, res))
    const saved = typeof req.query.saved === 'string' ? SAVED[req.query.saved] : undefined
    res.render('returns/csc-feed.njk', { status, saved, failed: req.query.saved === 'failed' })
  })

  router.post('/returns/csc-feed', requireSignIn, async (req: Request, res: Response) => {
    const enabled = (req.body as { enabled?: string }).enabled === 'on'
    await setFeedEnabled(serviceContext(deps, req, res), enabled)
    res.redirect(303, `/returns/csc-feed?saved=${enabled ? 'on' : 'off'}`)
  })

  router.post('/returns/csc-feed/run', requireSignIn, async (req: Request, res: Response) => {
    const run = await sendFeedNow(serviceContext(deps, req, res))
    res.redirect(303, `/returns/csc-feed?saved=${run.status === 'sent' ? 'sent' : 'failed'}`)
  })

  return router
}
