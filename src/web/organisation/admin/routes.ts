/**
 * Administrators manage the partnership's agencies, teams and users. The three share one
 * list / add / change flow; each supplies its schemas, service calls and form options.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { z } from 'zod'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { AccessDenied, EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
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
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { pageOf, type Page, type PageRequest } from '../../../services/common/paging.ts'
import { pagingOf } from '../../common/pagination.ts'

interface Resource<Row, Input, Update> {
  /** URL segment and view folder: /admin/<path>, views admin/<path>/{list,form}.njk */
  path: string
  noun: string
  create: z.ZodType<Input>
  update: z.ZodType<Update>
  /** A page of the list (agencies and teams, a few dozen that the forms list whole, are paged in memory). */
  list(ctx: ServiceContext, page: PageRequest): Promise<Page<Row>>
  get(ctx: ServiceContext, id: string): Promise<Row>
  add(ctx: ServiceContext, input: Input): Promise<unknown>
  change(ctx: ServiceContext, id: string, input: Update): Promise<unknown>
  /** Extra data the form needs (select options). */
  formLocals(ctx: ServiceContext): Promise<Record<string, unknown>>
  /** The form's values from a stored row. */
  toValues(row: Row): Record<string, unknown>
}

function requireAdmin(req: Request, res: Response, next: () => void) {
  const d = decideGeneral(actorOf(res), 'organisation:manage')
  if (!d.allowed) throw new AccessDenied(d.reason)
  next()
}

function resourceRoutes<Row, Input, Update>(deps: AppDeps, r: Resource<Row, Input, Update>): Router {
  const router = featureRouter()
  const base = `/admin/${r.path}`
  const guard = [requireSignIn, requireAdmin]

  const renderForm = async (
    req: Request,
    res: Response,
    locals: { id?: string; values: Record<string, unknown>; errors?: FormErrors },
    status = 200,
  ) => {
    const ctx = serviceContext(deps, req, res)
    res.status(status).render(`admin/${r.path}/form.njk`, { ...(await r.formLocals(ctx)), ...locals, base, noun: r.noun })
  }

  const failure = (err: unknown): FormErrors | null => {
    if (err instanceof ValidationFailed) return formErrors(err.fieldErrors)
    if (err instanceof EditConflict) {
      return formErrors({ form: `${err.message}. Reload the page to see their changes, then make yours again.` })
    }
    return null
  }

  router.get(base, ...guard, async (req, res) => {
    const paging = pagingOf(req)
    const page = await r.list(serviceContext(deps, req, res), paging.request)
    const pagination = paging.view(page)
    res.status(pagination.status).render(`admin/${r.path}/list.njk`, { rows: page.items, pagination, base, saved: req.query.saved })
  })

  router.get(`${base}/new`, ...guard, (req, res) => renderForm(req, res, { values: { active: true } }))

  router.post(`${base}/new`, ...guard, async (req, res) => {
    const parsed = parseForm(r.create, req.body)
    if (!parsed.ok) return renderForm(req, res, { values: req.body, errors: parsed.errors }, 400)
    try {
      await r.add(serviceContext(deps, req, res), parsed.value)
    } catch (err) {
      const errors = failure(err)
      if (!errors) throw err
      return renderForm(req, res, { values: req.body, errors }, 400)
    }
    res.redirect(`${base}?saved=added`)
  })

  router.get(`${base}/:id`, ...guard, async (req, res, next) => {
    const id = idParam(req)
    const row = await r.get(serviceContext(deps, req, res), id)
    await renderForm(req, res, { id: id, values: r.toValues(row) })
  })

  router.post(`${base}/:id`, ...guard, async (req, res, next) => {
    const id = idParam(req)
    const parsed = parseForm(r.update, req.body)
    if (!parsed.ok) return renderForm(req, res, { id: id, values: req.body, errors: parsed.errors }, 400)
    try {
      await r.change(serviceContext(deps, req, res), id, parsed.value)
    } catch (err) {
      const errors = failure(err)
      if (!errors) throw err
      return renderForm(req, res, { id: id, values: req.body, errors }, err instanceof EditConflict ? 409 : 400)
    }
    res.redirect(`${base}?saved=changed`)
  })

  return router
}

export function adminRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const withAgencies = async (ctx: ServiceContext) => ({ agencies: await organisation.listAgencies(ctx) })

  router.use(
    resourceRoutes(deps, {
      path: 'agencies',
      noun: 'agency',
      create: agencyInput,
      update: agencyUpdate,
      list: async (ctx, page) => pageOf(await organisation.listAgencies(ctx), page),
      get: organisation.getAgency,
      add: organisation.createAgency,
      change: organisation.updateAgency,
      formLocals: async () => ({}),
      toValues: (a) => ({ name: a.name, type: a.type, active: a.active, version: a.version }),
    }),
  )
  router.use(
    resourceRoutes(deps, {
      path: 'teams',
      noun: 'team',
      create: teamInput,
      update: teamUpdate,
      list: async (ctx, page) => pageOf(await organisation.listTeams(ctx), page),
      get: organisation.getTeam,
      add: organisation.createTeam,
      change: organisation.updateTeam,
      formLocals: withAgencies,
      toValues: (t) => ({ name: t.name, agencyId: t.agencyId, active: t.active, version: t.version }),
    }),
  )
  router.use(
    resourceRoutes(deps, {
      path: 'users',
      noun: 'user',
      create: userInput,
      update: userUpdate,
      list: organisation.listUsers,
      get: organisation.getUser,
      add: organisation.createUser,
      change: organisation.updateUser,
      formLocals: async (ctx) => ({ ...(await withAgencies(ctx)), teams: await organisation.listTeams(ctx) }),
      toValues: (u) => ({
        displayName: u.displayName,
        email: u.email,
        agencyId: u.agencyId,
        teamId: u.teamId ?? '',
        roles: u.roles,
        active: u.active,
        version: u.version,
        lockedUntil: u.lockedUntil,
        hasPassword: u.hasPassword,
        oidcLinked: u.oidcSubject !== null,
      }),
    }),
  )

  router.post('/admin/users/:id/unlock', requireSignIn, requireAdmin, async (req, res, next) => {
    const id = idParam(req)
    await organisation.unlockUser(serviceContext(deps, req, res), id)
    res.redirect('/admin/users?saved=unlocked')
  })

  return router
}
