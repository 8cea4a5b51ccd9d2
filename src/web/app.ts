/**
 * Builds the Express application from its dependencies. Middleware order matters: health first
 * (no session), then security headers, static assets, sessions, parsing, CSRF, the signed-in
 * user, the feature routers, and finally 404 and error handling.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import session from 'express-session'
import type { AppDeps } from './deps.ts'
import { assetRoutes } from './assets.ts'
import { setUpNunjucks } from './common/nunjucks.ts'
import { cspNonce, noStore, securityHeaders } from './common/middleware/security.ts'
import { requestLogging } from './common/middleware/request-context.ts'
import { DatabaseSessionStore } from './common/middleware/session-store.ts'
import { multipartOnlyWhereAccepted } from './common/middleware/uploads.ts'
import { csrf } from './common/middleware/csrf.ts'
import { loadSignedInUser } from './common/middleware/auth.ts'
import { rememberWritePosition } from './common/middleware/read-your-writes.ts'
import { bearerAuthentication } from './common/middleware/bearer.ts'
import { errorHandler, notFound } from './common/middleware/errors.ts'
import { navigationFor } from './common/navigation.ts'
import { decideGeneral } from '../domain/access/policy.ts'
import { healthRoutes } from './common/health/routes.ts'
import { metricsRoutes, requestMetrics } from './common/metrics/routes.ts'
import { admission } from './common/middleware/admission.ts'
import { authRoutes } from './access/auth/routes.ts'
import { sessionStatusRoutes } from './access/auth/session-status.ts'
import { homeRoutes } from './journey/home/routes.ts'
import { adminRoutes } from './organisation/admin/routes.ts'
import { caseRoutes } from './journey/cases/routes.ts'
import { auditRoutes } from './access/audit/routes.ts'
import { directoryRoutes } from './organisation/directory/routes.ts'
import { reportRoutes } from './common/reports/routes.ts'
import { apiRoutes } from './common/api/routes.ts'
import { timescaleRoutes } from './timescales/timescales/routes.ts'
import { localRuleRoutes } from './timescales/local-rules/routes.ts'
import { FEATURE_ROUTES } from './features.ts'

export const SESSION_COOKIE = 'together.sid'

export function createApp(deps: AppDeps): Express {
  const { config } = deps
  const app = express()
  app.disable('x-powered-by')
  if (config.trustProxy) app.set('trust proxy', config.trustProxy)
  setUpNunjucks(app, { noCache: config.env === 'development' })

  app.use(requestMetrics())
  app.use(requestLogging(deps.logger))
  app.use(healthRoutes(deps))
  app.use(cspNonce)
  app.use(securityHeaders())
  app.use(assetRoutes())
  app.use(metricsRoutes(deps))
  // Pages and the API are worked on a limited number at a time, in the order they came.
  if (config.maxConcurrentRequests > 0) app.use(admission(config.maxConcurrentRequests).handler)
  app.use(noStore)
  // A multipart body is read only by the route that takes it, after sign-in and CSRF; anywhere else it is refused unread.
  app.use(multipartOnlyWhereAccepted())

  // API clients with a bearer token get no session, no CSRF check and no cookie user.
  app.use(bearerAuthentication(deps))
  const unlessApiToken =
    (middleware: express.RequestHandler): express.RequestHandler =>
    (req, res, next) =>
      req.viaApiToken ? next() : middleware(req, res, next)

  const idleMs = config.sessionIdleMinutes * 60_000
  const sessionStore = new DatabaseSessionStore(deps.database.db, idleMs, deps.now)
  // Before the (rolling) session middleware, so that asking how long is left does not extend it.
  app.use(sessionStatusRoutes({ cookieName: SESSION_COOKIE, secret: deps.sessionSecret, store: sessionStore }))
  app.use(
    unlessApiToken(session({
      name: SESSION_COOKIE,
      secret: deps.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: idleMs },
    })),
  )
  app.use(rememberWritePosition(deps))
  app.use(express.urlencoded({ extended: false, limit: '200kb' }))
  app.use(express.json({ limit: '1mb' }))

  const { csrfSynchronisedProtection, generateToken } = csrf
  app.use(unlessApiToken(csrfSynchronisedProtection))
  app.use(unlessApiToken(loadSignedInUser(deps)))
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = req.viaApiToken ? undefined : generateToken(req)
    res.locals.isDemo = deps.isDemo
    res.locals.sessionIdleSeconds = res.locals.actor ? config.sessionIdleMinutes * 60 : 0
    res.locals.navigation = navigationFor(res.locals.actor, req.path)
    // The header's child search, for those the policy lets search people.
    res.locals.childSearch = res.locals.actor ? decideGeneral(res.locals.actor, 'person:search').allowed : false
    res.locals.currentPath = req.path
    next()
  })

  app.use(authRoutes(deps))
  app.use(homeRoutes(deps))
  app.use(directoryRoutes(deps))
  app.use(reportRoutes(deps))
  app.use(adminRoutes(deps))
  app.use(caseRoutes(deps))
  app.use(auditRoutes(deps))
  app.use(timescaleRoutes(deps))
  app.use(localRuleRoutes(deps))
  for (const routes of FEATURE_ROUTES) app.use(routes(deps))
  app.use('/api/v1', apiRoutes(deps))

  app.use(notFound)
  app.use(errorHandler(deps))
  return app
}
