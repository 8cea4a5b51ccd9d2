/**
 * The JSON API: the same operations as the pages, through the same services and policy. Clients
 * authenticate with an API token (Authorization: Bearer) or the session cookie; cookie clients send
 * the CSRF token (from GET /api/v1/me) in the `x-csrf-token` header on state-changing requests.
 * Every error is a problem document; the OpenAPI 3.1 document is at /api/v1/openapi.json.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../router.ts'
import { z } from 'zod'
import { caseOverview } from '../../../services/journey/case-overview.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import { pageOf, pageQuery, type Page, type PageRequest } from '../../../services/common/paging.ts'
import {
  agencyInput,
  agencyUpdate,
  teamInput,
  teamUpdate,
  userInput,
  userUpdate,
} from '../../../services/organisation/organisation-input.ts'
import * as organisation from '../../../services/organisation/organisation.ts'
import type { AppDeps } from '../../deps.ts'
import { actorOf, requireSignIn } from '../middleware/auth.ts'
import { sendProblem } from '../problem.ts'
import { ApiBuilder } from './builder.ts'
import { FEATURE_APIS } from '../../features.ts'

export function apiRoutes(deps: AppDeps): Router {
  const api = new ApiBuilder(deps)

  api.get('/me', { summary: 'The signed-in user, and the CSRF token for session-cookie clients', tag: 'Account' }, async ({ res }) => {
    const { userId, displayName, roles, agencyId, teamId, partnershipId } = actorOf(res)
    return { userId, displayName, roles, agencyId, teamId, partnershipId, csrfToken: res.locals.csrfToken }
  })

  api.get('/cases/:id', { summary: "A child's case: who the child is, its version (which an allocation, a transfer or a change of the alerts names), allocation, involvement, the case at a glance (summary: address, household, key people, agencies with contacts, alerts, plans, last visit, latest notes, open tasks), what is due (last seen, next visit, core group and review, derived from the record) and its statutory clocks", tag: 'Cases' }, ({ ctx, params }) =>
    caseOverview(ctx, params.id!),
  )

  const resource = <I, U>(
    path: string,
    tag: string,
    schemas: { create: z.ZodType<I>; update: z.ZodType<U> },
    ops: {
      list(c: ServiceContext, page: PageRequest): Promise<Page<unknown>>
      get(c: ServiceContext, id: string): Promise<unknown>
      add(c: ServiceContext, input: I): Promise<{ id: string }>
      change(c: ServiceContext, id: string, input: U): Promise<unknown>
    },
  ) => {
    api.get(`/${path}`, { summary: `List ${path}: a page of them (offset, limit) with how many there are`, tag, query: pageQuery }, ({ ctx, query }) => ops.list(ctx, query))
    api.get(`/${path}/:id`, { summary: `One of the ${path}`, tag }, ({ ctx, params }) => ops.get(ctx, params.id!))
    api.post(`/${path}`, { summary: `Add to ${path}`, tag, body: schemas.create, status: 201 }, async ({ ctx, body, res }) => {
      const created = await ops.add(ctx, body as I)
      res.location(`/api/v1/${path}/${created.id}`)
      return ops.get(ctx, created.id)
    })
    api.put(`/${path}/:id`, { summary: `Change one of the ${path} (name the version you read)`, tag, body: schemas.update }, async ({ ctx, params, body }) => {
      await ops.change(ctx, params.id!, body as U)
      return ops.get(ctx, params.id!)
    })
  }

  resource('agencies', 'Organisation', { create: agencyInput, update: agencyUpdate }, {
    list: async (ctx, page) => pageOf(await organisation.listAgencies(ctx), page),
    get: organisation.getAgency,
    add: organisation.createAgency,
    change: organisation.updateAgency,
  })
  resource('teams', 'Organisation', { create: teamInput, update: teamUpdate }, {
    list: async (ctx, page) => pageOf(await organisation.listTeams(ctx), page),
    get: organisation.getTeam,
    add: organisation.createTeam,
    change: organisation.updateTeam,
  })
  resource('users', 'Organisation', { create: userInput, update: userUpdate }, {
    list: organisation.listUsers,
    get: organisation.getUser,
    add: organisation.createUser,
    change: organisation.updateUser,
  })

  for (const register of FEATURE_APIS) register(api)

  const document = api.openApi({ title: 'Together API', version: '1' })
  const router = featureRouter()
  router.get('/openapi.json', (_req, res) => void res.json(document))
  router.use(requireSignIn)
  router.use(api.router)
  router.use((_req: Request, res: Response) => sendProblem(res, 404, 'Not found'))
  return router
}
