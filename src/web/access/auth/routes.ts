/**
 * Sign-in (local accounts and council single sign-on), sign-out, and the idle time-out.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { z } from 'zod'
import { AccountLocked, changeOwnPassword, recordSignOut, signInWithOidc, signInWithPassword } from '../../../services/access/accounts.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm } from '../../common/forms.ts'
import { actorOf, hasCookie, requireSignIn, serviceContext, SIGNED_IN_COOKIE } from '../../common/middleware/auth.ts'

const signInForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.org' })),
  password: z.string().min(1, 'Enter your password'),
})

const changePasswordForm = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password'),
    newPassword: z.string().min(1, 'Enter a new password').max(200, 'The password must be 200 characters or fewer'),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two new passwords do not match' })

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

  // Failed attempts are limited per account (or email address typed) and per network address in
  // the database (services/access/accounts.ts), so every server shares the count and a successful
  // sign-in never counts.
  const lockoutPolicy = {
    maxFailures: config.signInMaxFailures,
    lockoutMinutes: config.signInLockoutMinutes,
    addressMaxFailures: config.signInAddressMaxFailures,
  }
  router.post('/sign-in', async (req, res) => {
    const parsed = parseForm(signInForm, req.body)
    if (!parsed.ok) return renderSignIn(res, { errors: parsed.errors, values: { email: req.body?.email } }, 400)
    const now = deps.now()
    const result = await signInWithPassword(
      deps.database.db,
      { ...parsed.value, now, requestId: String(req.id), address: req.ip ?? req.socket.remoteAddress ?? 'unknown' },
      lockoutPolicy,
    )
    if (!result.ok) {
      if (result.reason === 'address-limited') {
        res.set('Retry-After', String(Math.max(1, Math.ceil((result.retryAfter.getTime() - now.getTime()) / 1000))))
        const message = `There have been too many failed sign-in attempts from your network. Try again after ${londonTime.format(result.retryAfter)}.`
        return renderSignIn(res, { errors: formErrors({ email: message }), values: { email: parsed.value.email } }, 429)
      }
      // The same words whether or not the address has an account (an address without one is locked
      // just as an account is).
      const message =
        result.reason === 'locked'
          ? `There have been too many failed attempts to sign in with this email address. Try again after ${londonTime.format(result.lockedUntil)}, or ask an administrator to unlock your account.`
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
      // The `err` serializer (errorForLog) keeps the class, code and frames, never the message.
      deps.logger.warn({ err }, 'single sign-on callback failed')
      return renderSignIn(res, { errors: formErrors({ sso: 'Single sign-on did not complete. Try again.' }) }, 400)
    }
    const result = await signInWithOidc(deps.database.db, { ...identity, now: deps.now(), requestId: String(req.id) })
    if (!result.ok) {
      const message =
        result.reason === 'inactive'
          ? 'Your Together account has been deactivated. Ask an administrator.'
          : result.reason === 'email-not-verified'
            ? 'Your council account’s email address has not been verified, so it cannot be linked to your Together account. Ask your council’s IT service desk, or sign in with your Together password.'
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

  /**
   * Where the time-out warning sends the browser once the session has ended on the server (its
   * own idle expiry ends it; the browser asks /session/status first). A GET changes nothing: it
   * signs nobody out, so a link or an image cannot end someone's session. A session that is still
   * alive goes back to the home page; otherwise the sign-in page says why the session ended.
   */
  router.get('/timed-out', (req, res) => {
    if (res.locals.actor) return res.redirect('/')
    // Only the browser's own hint that it was signed in goes: there is no session to end.
    const wasSignedIn = hasCookie(req, SIGNED_IN_COOKIE)
    res.clearCookie(SIGNED_IN_COOKIE, { path: '/' })
    res.redirect(wasSignedIn ? '/sign-in?timeout=1' : '/sign-in')
  })

  /**
   * The time-out warning ends a session the browser has timed out (a POST with the CSRF token, so
   * no other site can), then goes to GET /timed-out. The signed-in hint cookie stays, so that page
   * still says why.
   */
  router.post('/timed-out', async (req, res) => {
    if (res.locals.actor) {
      await recordSignOut(deps.database.db, actorOf(res), deps.now(), String(req.id))
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()))
    }
    res.status(204).end()
  })

  /** A signed-in user changes their own password (the header links here). */
  router.get('/account/password', requireSignIn, (req, res) => {
    res.render('auth/change-password.njk', { saved: req.query.saved === '1' })
  })

  router.post('/account/password', requireSignIn, async (req, res) => {
    const parsed = parseForm(changePasswordForm, req.body)
    if (!parsed.ok) return res.status(400).render('auth/change-password.njk', { errors: parsed.errors })
    try {
      // A wrong current password counts towards the account's lock-out, as at sign-in.
      await changeOwnPassword(serviceContext(deps, req, res), parsed.value, lockoutPolicy, req.sessionID)
    } catch (err) {
      if (err instanceof AccountLocked) {
        const message = `There have been too many wrong passwords for your account, so it is locked. Try again after ${londonTime.format(err.lockedUntil)}, or ask an administrator to unlock your account.`
        return res.status(400).render('auth/change-password.njk', { errors: formErrors({ currentPassword: message }) })
      }
      if (!(err instanceof ValidationFailed)) throw err
      return res.status(400).render('auth/change-password.njk', { errors: formErrors(err.fieldErrors) })
    }
    res.redirect('/account/password?saved=1')
  })

  /** "Stay signed in" from the time-out warning: any authenticated request renews the session. */
  router.post('/session/keep-alive', (req, res) => {
    if (!res.locals.actor) return res.status(401).json({ signedIn: false })
    req.session.touch()
    res.json({ signedIn: true, idleSeconds: config.sessionIdleMinutes * 60 })
  })

  return router
}
