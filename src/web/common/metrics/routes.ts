/**
 * `/metrics`: the Prometheus metrics (src/metrics.ts), only when TOGETHER_METRICS_TOKEN is set, and
 * only to a scraper that sends it (`Authorization: Bearer …`). Off, the path is an ordinary 404.
 * Before the admission limit, like `/health`, so that a busy server can still be watched.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { Router, type RequestHandler } from 'express'
import { metricsText, observeDatabasePool, observeProcess, observeReplicas, observeRequest, registry, routeLabel } from '../../../metrics.ts'
import type { AppDeps } from '../../deps.ts'

const digest = (text: string) => createHash('sha256').update(text).digest()

export function metricsRoutes(deps: AppDeps): Router {
  const router = Router()
  const token = deps.config.metricsToken
  if (!token) return router
  observeProcess()
  observeDatabasePool(deps.database.db)
  observeReplicas(deps.replicas)
  const expected = digest(token)
  router.get('/metrics', async (req, res) => {
    const given = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '')?.[1]
    res.set('Cache-Control', 'no-store')
    if (!given || !timingSafeEqual(digest(given), expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('The metrics need the metrics token (Authorization: Bearer …)\n')
      return
    }
    res.type(registry.contentType).send(await metricsText())
  })
  return router
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** Counts and times every request by its route's pattern (read when the response is finished). */
export function requestMetrics(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint()
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const method = METHODS.has(req.method) ? req.method : 'OTHER'
      observeRequest(method, routeLabel(req.baseUrl, req.route?.path, res.statusCode), res.statusCode, seconds)
    })
    next()
  }
}
