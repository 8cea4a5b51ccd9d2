import type { NextFunction, Request, Response } from 'express'
import { BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type Actor } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { sendProblem } from '../problem.ts'

const isApi = (req: Request) => req.originalUrl.startsWith('/api/')
const CASE_PAGE = /^\/cases\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i

export function notFound(req: Request, res: Response): void {
  if (isApi(req)) return sendProblem(res, 404, 'Not found')
  res.status(404).render('errors/404.njk')
}

/**
 * The last resort. Known service errors become their HTTP status; anything else is a 500 that
 * shows only the request id, and is logged by class, database code and stack frames, never its message (`errorForLog`).
 */
export function errorHandler(deps: AppDeps) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const code = (err as { code?: string }).code
    if (code === 'EBADCSRFTOKEN') {
      if (isApi(req)) return sendProblem(res, 403, 'Missing or invalid CSRF token')
      return void res.status(403).render('errors/csrf.njk')
    }
    if (err instanceof NotFound) return notFound(req, res)
    if (err instanceof AccessDenied) {
      if (isApi(req)) return sendProblem(res, 403, 'Forbidden', { detail: err.message })
      // Any page of a case the user could open by break-glass offers it, whichever feature refused.
      const caseId = CASE_PAGE.exec(req.path)?.[1]
      if (caseId && err.breakGlassAvailable) {
        return void res.status(403).render('cases/break-glass.njk', { caseId, reason: err.message, hours: BREAK_GLASS_HOURS })
      }
      // A partner refused a case page may still take part in it (an invitation, a plan action): point them there.
      const partner = (res.locals.actor as Actor | undefined)?.roles.includes('partner-practitioner')
      const participationHref = caseId && partner && !req.path.includes('/participation') ? `/cases/${caseId}/participation` : null
      return void res.status(403).render('errors/403.njk', { reason: err.message, participationHref })
    }
    if (err instanceof ValidationFailed && isApi(req)) {
      return sendProblem(res, 422, 'Invalid input', { errors: err.fieldErrors })
    }
    if (err instanceof EditConflict && isApi(req)) return sendProblem(res, 409, 'Conflict', { detail: err.message })
    const status = (err as { status?: number; type?: string }).status
    if (status === 400 || status === 413) {
      if (isApi(req)) return sendProblem(res, status, status === 413 ? 'Request too large' : 'Malformed request')
      return void res.status(status).render('errors/400.njk')
    }
    const e = err instanceof Error ? err : new Error(String(err))
    // The logger's serializer keeps the class, database code and constraint, never the message (it can hold a query's parameters).
    deps.logger.error({ err: e, reqId: req.id }, 'unhandled error')
    if (res.headersSent) return
    if (isApi(req)) return sendProblem(res, 500, 'Internal server error', { detail: `Request id ${String(req.id)}` })
    res.status(500).render('errors/500.njk', { requestId: req.id })
  }
}
