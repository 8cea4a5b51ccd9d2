/**
 * Oversight pages: a worker's caseload, a team manager's view of the team, allocating a case to a
 * worker and transferring it to another team (manager decisions that never silently overwrite
 * someone else's change).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { z } from 'zod'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import {
  allocateCase,
  allocationForm,
  allocationInput,
  caseload,
  teamView,
  teamViewQuery,
  CASELOAD_PAGE_SIZE,
  TEAM_LIST_PAGE_SIZE,
  TEAM_LISTS,
} from '../../../services/journey/oversight.ts'
import { listsPagingOf, pagingOf } from '../../common/pagination.ts'
import { transferCase, transferForm } from '../../../services/journey/case-transfer.ts'
import { transferInput } from '../../../services/journey/case-transfer-input.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { actorOf, requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { combineDates } from '../../common/form-helpers.ts'


interface Conflict {
  chosenWorkerId: string
  currentWorkerId: string | null
  currentVersion: number
}

interface TransferConflict {
  chosenTeamId: string
  currentTeamId: string | null
  currentVersion: number
}

type FormLocals<C> = { values?: Record<string, unknown>; errors?: FormErrors; conflict?: C }

/**
 * A manager's decision on a case made through a form (allocation, transfer): GET shows the form;
 * POST saves it, or shows it again with the errors, or — when someone else changed the case
 * meanwhile — with both versions (409), never overwriting silently.
 */
function caseDecisionForm<I extends { version: number }, C>(
  router: Router,
  deps: AppDeps,
  d: {
    path: string
    input: z.ZodType<I>
    render: (req: Request, res: Response, id: string, locals?: FormLocals<C>, status?: number) => Promise<void>
    save: (ctx: ServiceContext, id: string, input: I) => Promise<unknown>
    conflict: { field: string; message: string; of: (input: I, current: Record<string, unknown> | undefined) => C }
    done: (res: Response, id: string) => string
  },
): void {
  router.get(`/cases/:id/${d.path}`, requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    await d.render(req, res, id)
  })

  router.post(`/cases/:id/${d.path}`, requireSignIn, caseForm(deps, d.path, 'case:authorise'), async (req, res, next) => {
    const id = idParam(req)
    const parsed = parseForm(d.input, req.body)
    if (!parsed.ok) return d.render(req, res, id, { values: req.body, errors: parsed.errors }, 400)
    try {
      await d.save(serviceContext(deps, req, res), id, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        return d.render(req, res, id, { values: req.body, errors: formErrors(err.fieldErrors) }, 400)
      }
      if (err instanceof EditConflict) {
        const errors = formErrors({ [d.conflict.field]: d.conflict.message })
        return d.render(req, res, id, { values: req.body, errors, conflict: d.conflict.of(parsed.value, err.current) }, 409)
      }
      throw err
    }
    res.redirect(d.done(res, id))
  })
}

export function oversightRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/caseload', requireSignIn, async (req, res) => {
    const paging = pagingOf(req, CASELOAD_PAGE_SIZE)
    const page = await caseload(serviceContext(deps, req, res), paging.request)
    const pagination = paging.view(page)
    res.status(pagination.status).render('oversight/caseload.njk', { cases: page.items, total: page.total, overdueCases: page.overdueCases, pagination })
  })

  router.get('/team', requireSignIn, async (req, res) => {
    const query = teamViewQuery.safeParse(req.query)
    // Each list pages by its own parameter (?overduePage=2), keeping the others' pages and the worker chosen.
    const paging = listsPagingOf(req, TEAM_LISTS, TEAM_LIST_PAGE_SIZE, (list) => (list === 'worker' ? '#worker-cases' : `#${list}`))
    const view = await teamView(serviceContext(deps, req, res), { ...(query.success ? query.data : {}), pages: paging.requests })
    const { pagination, status } = paging.view({ ...view, worker: view.worker?.cases ?? { items: [], total: 0, offset: 0, limit: TEAM_LIST_PAGE_SIZE } })
    res.status(status).render('oversight/team.njk', { view, pagination, allocated: req.query.allocated === '1', transferred: req.query.transferred === '1' })
  })

  const renderAllocation = async (
    req: Request,
    res: Response,
    id: string,
    locals: FormLocals<Conflict> = {},
    status = 200,
  ) => {
    const form = await allocationForm(serviceContext(deps, req, res), id)
    const nameOf = (workerId: string | null) =>
      workerId ? (form.workers.find((w) => w.id === workerId)?.name ?? form.case.allocatedWorkerName ?? 'another worker') : 'nobody'
    res.status(status).render('oversight/allocate.njk', {
      c: form.case,
      section: 'overview',
      form,
      values: locals.values ?? {},
      errors: locals.errors,
      conflict: locals.conflict
        ? { chosenName: nameOf(locals.conflict.chosenWorkerId), currentName: nameOf(locals.conflict.currentWorkerId), version: locals.conflict.currentVersion }
        : null,
      version: locals.conflict?.currentVersion ?? form.version,
    })
  }

  caseDecisionForm(router, deps, {
    path: 'allocation',
    // The permission offered with a restricted case's allocation ends on a day (a date input's three fields).
    input: z.preprocess((body) => combineDates((body ?? {}) as Record<string, unknown>, ['permissionEndsOn']), allocationInput),
    render: renderAllocation,
    save: (ctx, id, input) => allocateCase(ctx, id, input.workerId, input.version, input),
    conflict: {
      field: 'workerId',
      message: 'Someone else changed this case’s allocation after you opened this page. Check who holds it now, then allocate it again if you still want to.',
      of: (input, current) => ({
        chosenWorkerId: input.workerId,
        currentWorkerId: (current?.allocatedWorkerId as string | null | undefined) ?? null,
        currentVersion: (current?.version as number | undefined) ?? input.version,
      }),
    },
    done: (res, id) => (decideGeneral(actorOf(res), 'team:oversee').allowed ? '/team?allocated=1' : `/cases/${id}`),
  })

  const renderTransfer = async (
    req: Request,
    res: Response,
    id: string,
    locals: FormLocals<TransferConflict> = {},
    status = 200,
  ) => {
    const form = await transferForm(serviceContext(deps, req, res), id)
    const teamName = (teamId: string | null) =>
      teamId === form.case.teamId ? (form.case.teamName ?? 'its team') : (form.teams.find((t) => t.id === teamId)?.name ?? 'another team')
    res.status(status).render('oversight/transfer.njk', {
      c: form.case,
      section: 'overview',
      form,
      values: locals.values ?? {},
      errors: locals.errors,
      conflict: locals.conflict
        ? {
            chosenName: teamName(locals.conflict.chosenTeamId),
            currentName: teamName(locals.conflict.currentTeamId),
            currentWorker: form.case.allocatedWorkerName ?? 'nobody',
            version: locals.conflict.currentVersion,
          }
        : null,
      version: locals.conflict?.currentVersion ?? form.version,
    })
  }

  caseDecisionForm(router, deps, {
    path: 'transfer',
    input: transferInput,
    render: renderTransfer,
    save: transferCase,
    conflict: {
      field: 'teamId',
      message: 'Someone else changed this case after you opened this page. Check its team and allocation now, then transfer it again if you still want to.',
      of: (input, current) => ({
        chosenTeamId: input.teamId,
        currentTeamId: (current?.teamId as string | null | undefined) ?? null,
        currentVersion: (current?.version as number | undefined) ?? input.version,
      }),
    },
    // The manager's team no longer holds the case, so back to the team view.
    done: () => '/team?transferred=1',
  })

  return router
}
