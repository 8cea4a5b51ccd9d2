/**
 * The JSON API: the same operations as the pages, through the same services and policy. It uses
 * the session cookie, and state-changing requests carry the CSRF token (from GET /api/v1/me) in
 * the `x-csrf-token` header. Every error is a problem document.
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { viewCase } from '../../../services/cases.ts'
import type { ServiceContext } from '../../../services/context.ts'
import {
  agencyInput,
  agencyUpdate,
  teamInput,
  teamUpdate,
  userInput,
  userUpdate,
} from '../../../services/organisation-input.ts'
import * as organisation from '../../../services/organisation.ts'
import type { AppDeps } from '../../deps.ts'
import { fieldMessages } from '../../forms.ts'
import { actorOf, requireSignIn, serviceContext } from '../../middleware/auth.ts'
import { sendProblem } from '../../problem.ts'

const uuid = z.uuid()

export function apiRoutes(deps: AppDeps): Router {
  const router = Router()
  router.use(requireSignIn)
  const ctx = (req: Request, res: Response) => serviceContext(deps, req, res)

  /** Validates the body, or answers 422 with a message per field. */
  const body = <T extends z.ZodType>(schema: T, req: Request, res: Response): z.infer<T> | undefined => {
    const parsed = schema.safeParse(req.body ?? {})
    if (parsed.success) return parsed.data
    sendProblem(res, 422, 'Invalid input', { errors: fieldMessages(parsed.error) })
    return undefined
  }
  const id = (req: Request, res: Response): string | undefined => {
    const parsed = uuid.safeParse(req.params.id)
    if (parsed.success) return parsed.data
    sendProblem(res, 404, 'Not found')
    return undefined
  }

  router.get('/me', (req, res) => {
    const { userId, displayName, roles, agencyId, teamId, partnershipId } = actorOf(res)
    res.json({ userId, displayName, roles, agencyId, teamId, partnershipId, csrfToken: res.locals.csrfToken })
  })

  router.get('/cases/:id', async (req, res) => {
    const caseId = id(req, res)
    if (caseId) res.json(await viewCase(ctx(req, res), caseId))
  })

  const resource = <I, U>(
    path: string,
    schemas: { create: z.ZodType<I>; update: z.ZodType<U> },
    ops: {
      list(c: ServiceContext): Promise<unknown[]>
      get(c: ServiceContext, id: string): Promise<unknown>
      add(c: ServiceContext, input: I): Promise<{ id: string }>
      change(c: ServiceContext, id: string, input: U): Promise<unknown>
    },
  ) => {
    router.get(`/${path}`, async (req, res) => {
      res.json(await ops.list(ctx(req, res)))
    })
    router.get(`/${path}/:id`, async (req, res) => {
      const rid = id(req, res)
      if (rid) res.json(await ops.get(ctx(req, res), rid))
    })
    router.post(`/${path}`, async (req, res) => {
      const input = body(schemas.create, req, res)
      if (input === undefined) return
      const created = await ops.add(ctx(req, res), input)
      res.status(201).location(`/api/v1/${path}/${created.id}`).json(await ops.get(ctx(req, res), created.id))
    })
    router.put(`/${path}/:id`, async (req, res) => {
      const rid = id(req, res)
      if (!rid) return
      const input = body(schemas.update, req, res)
      if (input === undefined) return
      await ops.change(ctx(req, res), rid, input)
      res.json(await ops.get(ctx(req, res), rid))
    })
  }

  resource('agencies', { create: agencyInput, update: agencyUpdate }, {
    list: organisation.listAgencies,
    get: organisation.getAgency,
    add: organisation.createAgency,
    change: organisation.updateAgency,
  })
  resource('teams', { create: teamInput, update: teamUpdate }, {
    list: organisation.listTeams,
    get: organisation.getTeam,
    add: organisation.createTeam,
    change: organisation.updateTeam,
  })
  resource('users', { create: userInput, update: userUpdate }, {
    list: organisation.listUsers,
    get: organisation.getUser,
    add: organisation.createUser,
    change: organisation.updateUser,
  })

  router.use((_req: Request, res: Response) => sendProblem(res, 404, 'Not found'))
  return router
}
