import { Router } from 'express'
import { featureRouter } from '../router.ts'
import { eq, sql } from 'drizzle-orm'
import { auditChainHead } from '../../../db/schema/index.ts'
import type { AppDeps } from '../../deps.ts'

/** `/health`: answers JSON, 200 when the database answers, 503 when it does not. */
export function healthRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/health', async (_req, res) => {
    const started = performance.now()
    try {
      await deps.database.db.execute(sql`select 1`)
      res.set('Cache-Control', 'no-store').json({
        status: 'ok',
        database: { status: 'ok', engine: deps.database.target.kind, latencyMs: Math.round(performance.now() - started) },
        // Each read replica (host:port), whether it is read from, and its lag; a replica down costs only speed, so the status stays ok.
        ...(deps.replicas && { replicas: deps.replicas.states().map(({ reads: _r, fellBack: _f, ...state }) => state) }),
      })
    } catch (err) {
      // Logged through the `err` serializer (errorForLog): class, code and frames, never the driver's message.
      deps.logger.error({ err }, 'health check: database unreachable')
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'error', database: { status: 'error' } })
    }
  })
  /** Ready: one indexed read (the audit chain head by primary key); the benchmarks' floor. */
  router.get('/health/ready', async (_req, res) => {
    try {
      await deps.database.db.select({ seq: auditChainHead.lastSeq }).from(auditChainHead).where(eq(auditChainHead.id, 1))
      res.set('Cache-Control', 'no-store').json({ status: 'ok' })
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'error' })
    }
  })
  return router
}
