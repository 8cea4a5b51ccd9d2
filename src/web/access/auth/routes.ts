/**
 * Sign-in (local accounts and council single sign-on), sign-out, and the idle time-out.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { rateLimit } from 'express-rate-limit'
import { z } from 'zod'
import { recordSignOut, signInWithOidc, signInWithPassword } from '../../../services/access/accounts.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm } from '../../common/forms.ts'
import { actorOf, hasCookie, SIGNED_IN_COOKIE } from '../../common/middleware/auth.ts'

const signInForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.org' })),
  password: z.string().min(1, 'Enter your password'),
})

const londonTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit', hour12: true })

/** Only same-site paths may be returned to after sign-in. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
    ? value
    : '/'
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())))
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())))
}

export function authRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const { config } = deps

  async function startSession(req: Request, res: Response, userId: string, returnTo: string) {
    await regenerate(req)
    req.session.userId = userId
    req.session.signedInAt = deps.now().toISOString()
    await save(req)
    res.cookie(SIGNED_IN_COOKIE, '1', { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' })
    res.redirect(safeReturnTo(returnTo))
  }

  const renderSignIn = (res: Response, extra: Record<string, unknown> = {}, status = 200) =>
    res.status(status).render('auth/sign-in.njk', {
      oidcLabel: deps.oidc?.label,
      sessionIdleMinutes: config.sessionIdleMinutes,
      ...extra,
    })

  router.get('/sign-in', (req, res) => {
    if (res.locals.actor) return res.redirect('/')
    renderSignIn(res, { timedOut: req.query.timeout === '1', signedOut: req.query.signedOut === '1' })
  })

  const limiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: 30,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) =>
      renderSignIn(
        res,
        { errors: formErrors({ email: 'Too many sign-in attempts from your network. Wait 15 minutes, then try again.' }) },
        429,
      ),
  })

  router.post('/sign-in', limiter, async (req, res) => {
    const parsed = parseForm(signInForm, req.body)
    if (!parsed.ok) return renderSignIn(res, { errors: parsed.errors, values: { email: req.body?.email } }, 400)
    const result = await signInWithPassword(
      deps.database.db,
      { ...parsed.value, now: deps.now(), requestId: String(req.id) },
      { maxFailures: config.signInMaxFailures, lockoutMinutes: config.signInLockoutMinutes },
    )
    if (!result.ok) {
      const message =
        result.reason === 'locked'
          ? `This account is locked after too many failed attempts. Try again after ${londonTime.format(result.lockedUntil)}, or ask an administrator to unlock it.`
          : 'Enter a correct email address and password'
      return renderSignIn(res, { errors: formErrors({ email: message }), values: { email: parsed.value.email } }, 401)
    }
    await startSession(req, res, result.userId, req.session.returnTo ?? '/')
  })

  router.get('/sign-in/oidc', async (req, res) => {
    if (!deps.oidc) return res.status(404).render('errors/404.njk')
    const start = await deps.oidc.start(new URL('/sign-in/oidc/callback', config.baseUrl).href)
    req.session.oidc = {
      state: start.state,
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
      ...(req.session.returnTo ? { returnTo: req.session.returnTo } : {}),
    }
    await save(req)
    res.redirect(start.url)
  })

  router.get('/sign-in/oidc/callback', async (req, res) => {
    const checks = req.session.oidc
    if (!deps.oidc || !checks) return res.redirect('/sign-in')
    delete req.session.oidc
    const currentUrl = new URL(req.originalUrl, config.baseUrl)
    let identity
    try {
      identity = await deps.oidc.finish(currentUrl, checks)
    } catch (err) {
      deps.logger.warn({ err: { message: (err as Error).message } }, 'single sign-on callback failed')
      return renderSignIn(res, { errors: formErrors({ sso: 'Single sign-on did not complete. Try again.' }) }, 400)
    }
    const result = await signInWithOidc(deps.database.db, { ...identity, now: deps.now(), requestId: String(req.id) })
    if (!result.ok) {
      const message =
        result.reason === 'inactive'
          ? 'Your Together account has been deactivated. Ask an administrator.'
          : 'You signed in with your council account, but you do not have a Together account yet. Ask an administrator to add you.'
      return renderSignIn(res, { errors: formErrors({ sso: message }) }, 403)
    }
    await startSession(req, res, result.userId, checks.returnTo ?? '/')
  })

  router.post('/sign-out', async (req, res) => {
    if (res.locals.actor) await recordSignOut(deps.database.db, actorOf(res), deps.now(), String(req.id))
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()))
    res.clearCookie(SIGNED_IN_COOKIE, { path: '/' })
    res.redirect('/sign-in?signedOut=1')
  })

  /** Where the time-out warning sends the browser when the idle time runs out. */
  router.get('/timed-out', async (req, res) => {
    const wasSignedIn = Boolean(res.locals.actor) || hasCookie(req, SIGNED_IN_COOKIE)
    if (res.locals.actor) {
      await recordSignOut(deps.database.db, actorOf(res), deps.now(), String(req.id))
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()))
    }
    res.clearCookie(SIGNED_IN_COOKIE, { path: '/' })
    res.redirect(wasSignedIn ? '/sign-in?timeout=1' : '/sign-in')
  })

  /** "Stay signed in" from the time-out warning: any authenticated request renews the session. */
  router.post('/session/keep-alive', (req, res) => {
    if (!res.locals.actor) return res.status(401).json({ signedIn: false })
    req.session.touch()
    res.json({ signedIn: true, idleSeconds: config.sessionIdleMinutes * 60 })
  })

  return router
}
