import type { NextFunction, Request, Response } from 'express'
import { loadSignedInActor } from '../../../services/access/accounts.ts'
import type { Actor, ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { sendProblem } from '../problem.ts'
import { userReadWithSession } from './session-store.ts'
import { scannerFor } from '../../../services/records/clamd.ts'
import { objectStoreFor } from '../../../services/records/document-store.ts'
import { readDbFor } from './read-your-writes.ts'

declare module 'express-session' {
  interface SessionData {
    userId?: string
    signedInAt?: string
    returnTo?: string
    oidc?: { state: string; nonce: string; codeVerifier: string; returnTo?: string }
  }
}

/** Set at sign-in, cleared at sign-out: a session missing while it is present timed out. */
export const SIGNED_IN_COOKIE = 'together_signed_in'

/**
 * Loads the signed-in user (if any) into res.locals.actor. A deactivated user is signed out, and so
 * is a session older than `TOGETHER_SESSION_MAX_HOURS` since sign-in however active it has been
 * (the idle time-out alone would let a stolen or forgotten session live for ever).
 */
export function loadSignedInUser(deps: AppDeps) {
  const maxAgeMs = deps.config.sessionMaxHours * 3600_000
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId
    if (!userId) return next()
    // Ended by a new, empty session (not destroyed): the sign-in redirect remembers the page in it.
    const endSession = () => new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())))
    const signedInAt = Date.parse(req.session.signedInAt ?? '')
    if (!(deps.now().getTime() - signedInAt < maxAgeMs)) {
      await endSession()
      return next()
    }
    // Read with the session, in the same query, when the session store could; otherwise now.
    const read = userReadWithSession(req, userId)
    const signedIn = read !== undefined ? read : await loadSignedInActor(deps.database.db, userId)
    if (!signedIn) {
      await endSession()
      return next()
    }
    res.locals.actor = signedIn.actor
    res.locals.unreadNotifications = signedIn.unreadNotifications
    next()
  }
}

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined
  if (!actor) throw new Error('no signed-in user: route is missing requireSignIn')
  return actor
}

/** Pages: redirect to sign-in, remembering where the user was going. API: 401 problem. */
export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (res.locals.actor) return next()
  if (req.path.startsWith('/api/') || req.baseUrl.startsWith('/api')) {
    return sendProblem(res, 401, 'Sign in first')
  }
  if (req.method === 'GET') req.session.returnTo = req.originalUrl
  res.redirect(hasCookie(req, SIGNED_IN_COOKIE) ? '/sign-in?timeout=1' : '/sign-in')
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie ?? ''
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=')
    if (k === name) return v
  }
  return undefined
}

export function hasCookie(req: Request, name: string): boolean {
  return readCookie(req, name) !== undefined
}

/** The context every service call takes, for this request. */
export function serviceContext(deps: AppDeps, req: Request, res: Response): ServiceContext {
  return { db: deps.database.db, readDb: readDbFor(deps, req), actor: actorOf(res), requestId: String(req.id ?? ''), now: deps.now, scanner: scannerFor(deps.config.clamd), objectStore: objectStoreFor(deps.config.objectStore) }
}
