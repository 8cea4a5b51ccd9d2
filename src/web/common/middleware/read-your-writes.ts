/**
 * Read-your-writes across read replicas (db/replicas.ts). After a request with a session that
 * changed something (not GET or HEAD, answered below 400), the session remembers the primary's
 * write-ahead log position; a replica is then read from for that session only once it has replayed
 * that far. Requests with an API token have no session, so their reads all go to the primary.
 */
import type { NextFunction, Request, Response } from 'express'
import type { Db } from '../../../db/connection.ts'
import type { AppDeps } from '../../deps.ts'

declare module 'express-session' {
  interface SessionData {
    /** The primary's write-ahead log position after this session's last write. */
    walLsn?: string
  }
}

/** The replica this request's lag-tolerant reads go to, if one qualifies; undefined: the primary. */
export function readDbFor(deps: AppDeps, req: Request): Db | undefined {
  if (!deps.replicas || req.viaApiToken || !req.session) return undefined
  return deps.replicas.pick(req.session.walLsn) ?? undefined
}

/**
 * Keeps the primary's position in the session as a writing request ends: before express-session's
 * own end (which saves the session), so it is installed after the session middleware.
 */
export function rememberWritePosition(deps: AppDeps) {
  const replicas = deps.replicas
  return (req: Request, res: Response, next: NextFunction) => {
    if (!replicas || req.method === 'GET' || req.method === 'HEAD' || !req.session) return next()
    const end = res.end.bind(res) as (...args: unknown[]) => Response
    res.end = ((...args: unknown[]) => {
      if (res.statusCode >= 400 || !req.session?.userId) return end(...args)
      replicas.primaryLsn().then(
        (lsn) => {
          req.session.walLsn = lsn
          end(...args)
        },
        // The primary did not answer: the session's reads stay on the primary, which did not answer either.
        () => end(...args),
      )
      return res
    }) as Response['end']
    next()
  }
}
