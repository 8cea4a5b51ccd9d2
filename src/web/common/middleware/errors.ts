import type { NextFunction, Request, Response } from 'express'
import { BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed, type Actor } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { sendProblem } from '../problem.ts'

const isApi = (req: Request) => req.originalUrl.startsWith('/api/')
const CASE_PAGE = /^\/cases\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i

/**
 * A request that could not be read: thrown by the upload middleware (a truncated or oversized
 * multipart body, a body where none is taken) and mapped to its status by the error handler.
 */
export class MalformedRequest extends Error {
  override name = 'MalformedRequest'
  readonly expose = true
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message)
  }
}

const TITLES = { 400: 'Malformed request', 413: 'Request too large', 415: 'Unsupported media type' } as const

/**
 * PostgreSQL's codes for a value it cannot take: text with a NUL (22021, 22P05), text that is not
 * a number, uuid or date (22P02, 22007, 22008), a number out of range (22003), too long (22001).
 * Inputs are validated before they reach the database; one that slips through is the client's
 * malformed request, not a server failure.
 */
const MALFORMED_VALUE = new Set(['22021', '22P05', '22P02', '22007', '22008', '22003', '22001'])

/**
 * The status of a request that could not be read or holds a value that cannot be stored, or null:
 * body-parser's and the upload middleware's refusals (http-errors with `expose`), and the
 * database's refusals of a malformed value anywhere in the error's causes.
 */
function malformedRequest(err: unknown): { status: 400 | 413 | 415; detail?: string; fromDatabase?: boolean } | null {
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; detail?: unknown }
  const status = e.status ?? e.statusCode
  if (e.expose === true && (status === 400 || status === 413 || status === 415)) return typeof e.detail === 'string' ? { status, detail: e.detail } : { status }
  for (let c: unknown = err, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    const code = (c as { code?: unknown }).code
    if (typeof code === 'string' && MALFORMED_VALUE.has(code)) {
      const detail = code === '22021' || code === '22P05' ? 'A value holds a character that cannot be saved (a null character)' : 'A value is not in the form expected'
      return { status: 400, detail, fromDatabase: true }
    }
  }
  return null
}

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
      // A manager refused a restricted case may still manage who can see it (the policy decides on that page).
      const manager = (res.locals.actor as Actor | undefined)?.roles.includes('team-manager')
      const accessHref = caseId && manager && !req.path.includes('/access') ? `/cases/${caseId}/access` : null
      return void res.status(403).render('errors/403.njk', { reason: err.message, participationHref, accessHref })
    }
    if (err instanceof ValidationFailed && isApi(req)) {
      return sendProblem(res, 422, 'Invalid input', { errors: err.fieldErrors })
    }
    if (err instanceof EditConflict && isApi(req)) return sendProblem(res, 409, 'Conflict', { detail: err.message })
    const refused = malformedRequest(err)
    if (refused) {
      if (refused.fromDatabase) deps.logger.warn({ err, reqId: req.id }, 'the database refused a value of the request')
      if (res.headersSent) return
      if (isApi(req)) return sendProblem(res, refused.status, TITLES[refused.status], refused.detail ? { detail: refused.detail } : {})
      return void res.status(refused.status).render('errors/400.njk', { detail: refused.detail })
    }
    const e = err instanceof Error ? err : new Error(String(err))
    // The logger's serializer keeps the class, database code and constraint, never the message (it can hold a query's parameters).
    deps.logger.error({ err: e, reqId: req.id }, 'unhandled error')
    if (res.headersSent) return
    if (isApi(req)) return sendProblem(res, 500, 'Internal server error', { detail: `Request id ${String(req.id)}` })
    res.status(500).render('errors/500.njk', { requestId: req.id })
  }
}
