/**
 * API clients authenticate with `Authorization: Bearer <token>`. A request with a valid token
 * acts as the token's user; it carries no cookie, so it needs no CSRF token. A request with an
 * Authorization header that is not a valid token is refused outright, never treated as anonymous.
 */
import type { NextFunction, Request, Response } from 'express'
import { actorForToken } from '../../../services/access/api-tokens.ts'
import type { AppDeps } from '../../deps.ts'
import { sendProblem } from '../problem.ts'

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the request was authenticated by an API token. */
    viaApiToken?: boolean
  }
}

export function bearerAuthentication(deps: AppDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization
    if (header === undefined || !req.path.startsWith('/api/')) return next()
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    const actor = match ? await actorForToken(deps.database.db, match[1]!, deps.now()) : null
    if (!actor) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"')
      return sendProblem(res, 401, 'Invalid, expired or revoked API token')
    }
    req.viaApiToken = true
    res.locals.actor = actor
    next()
  }
}
