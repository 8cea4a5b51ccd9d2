/**
 * Routers for feature pages. A route parameter that names a record (`:id`, `:caseId`, `:planId` ...)
 * must be a UUID: anything else matches no route, so it is a 404 before any handler or service
 * runs. Handlers read it with `idParam(req, name)`.
 */
import { Router, type NextFunction, type Request, type Response } from 'express'
import { z } from 'zod'

/** A route parameter whose name says it holds a record's id. */
export const isIdParam = (name: string): boolean => /(^id|Id)$/.test(name)

const uuid = z.uuid()

export const isUuid = (value: unknown): value is string => uuid.safeParse(value).success

/** A record's id from the path: featureRouter has already checked it is a UUID. */
export const idParam = (req: Request, name = 'id'): string => String(req.params[name])

function skipRouteUnlessUuid(_req: Request, _res: Response, next: NextFunction, value: unknown) {
  next(isUuid(value) ? undefined : 'route')
}

const METHODS = ['all', 'get', 'post', 'put', 'patch', 'delete'] as const

/** A Router that checks every id parameter of every route registered on it. */
export function featureRouter(): Router {
  const router = Router()
  const checked = new Set<string>()
  for (const method of METHODS) {
    const register = router[method].bind(router) as (...args: unknown[]) => Router
    router[method] = ((path: unknown, ...handlers: unknown[]) => {
      for (const [, name] of String(path).matchAll(/:(\w+)/g)) {
        if (name && isIdParam(name) && !checked.has(name)) {
          checked.add(name)
          router.param(name, skipRouteUnlessUuid)
        }
      }
      return register(path, ...handlers)
    }) as Router['get']
  }
  return router
}
