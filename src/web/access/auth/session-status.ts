/**
 * GET /session/status: how long the browser's session has left, without extending it.
 *
 * The time-out warning (assets/app.js) asks before it warns and before it signs out, so a tab left
 * idle never ends a session that another tab of the same browser is keeping alive: the session is
 * one, on the server, and its expiry (the `session` row) is the truth. This route is mounted before
 * express-session because that middleware, being rolling, would extend the session on every request;
 * it reads the session cookie itself (signed as express-session signs it) and only reads the row.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { Router, type Request } from 'express'
import type { DatabaseSessionStore } from '../../common/middleware/session-store.ts'

/** express-session's cookie value `s:<sid>.<HMAC-SHA256 in base64, unpadded>`, checked. */
export function unsignSessionCookie(req: Request, name: string, secret: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue
    let value: string
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim())
    } catch {
      return null
    }
    if (!value.startsWith('s:')) return null
    const dot = value.lastIndexOf('.')
    if (dot < 2) return null
    const sid = value.slice(2, dot)
    const expected = Buffer.from(createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, ''))
    const given = Buffer.from(value.slice(dot + 1))
    return given.length === expected.length && timingSafeEqual(given, expected) ? sid : null
  }
  return null
}

export function sessionStatusRoutes(options: { cookieName: string; secret: string; store: DatabaseSessionStore }): Router {
  const router = Router()
  router.get('/session/status', async (req, res) => {
    res.set('cache-control', 'no-store')
    const sid = unsignSessionCookie(req, options.cookieName, options.secret)
    const secondsLeft = sid ? await options.store.signedInSecondsLeft(sid) : 0
    res.json({ signedIn: secondsLeft > 0, secondsLeft })
  })
  return router
}
