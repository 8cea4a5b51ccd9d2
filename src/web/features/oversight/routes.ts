/**
 * Oversight pages: a worker's caseload, a team manager's view of the team, and allocating a case
 * to a worker (a manager decision that never silently overwrites someone else's allocation).
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { decideGeneral } from '../../../domain/access/policy.ts'
import { EditConflict, ValidationFailed } from '../../../services/context.ts'
import { allocateCase, allocationForm, allocationInput, caseload, teamView, teamViewQuery } from '../../../services/oversight.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../forms.ts'
import { actorOf, requireSignIn, serviceContext } from '../../middleware/auth.ts'

const caseId = z.uuid()

interface Conflict {
  chosenWorkerId: string
  currentWorkerId: string | null
  currentVersion: number
}

export function oversightRoutes(deps: AppDeps): Router {
  const router = Router()

  router.get('/caseload', requireSignIn, async (req, res) => {
    const cases = await caseload(serviceContext(deps, req, res))
    res.render('oversight/caseload.njk', { cases, overdueCases: cases.filter((c) => c.overdue > 0).length })
  })

  router.get('/team', requireSignIn, async (req, res) => {
    const query = teamViewQuery.safeParse(req.query)
    const view = await teamView(serviceContext(deps, req, res), query.success ? query.data : {})
    res.render('oversight/team.njk', { view, allocated: req.query.allocated === '1' })
  })

  const renderAllocation = async (
    req: Request,
    res: Response,
    id: string,
    locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: Conflict } = {},
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

  router.get('/cases/:id/allocation', requireSignIn, async (req, res, next) => {
    const id = caseId.safeParse(req.params.id)
    if (!id.success) return next()
    await renderAllocation(req, res, id.data)
  })

  router.post('/cases/:id/allocation', requireSignIn, async (req, res, next) => {
    const id = caseId.safeParse(req.params.id)
    if (!id.success) return next()
    const parsed = parseForm(allocationInput, req.body)
    if (!parsed.ok) return renderAllocation(req, res, id.data, { values: req.body, errors: parsed.errors }, 400)
    try {
      await allocateCase(serviceContext(deps, req, res), id.data, parsed.value.workerId, parsed.value.version)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        return renderAllocation(req, res, id.data, { values: req.body, errors: formErrors(err.fieldErrors) }, 400)
      }
      if (err instanceof EditConflict) {
        const current = err.current as { allocatedWorkerId: string | null; version: number } | undefined
        return renderAllocation(
          req,
          res,
          id.data,
          {
            values: req.body,
            errors: formErrors({ workerId: 'Someone else changed this case’s allocation after you opened this page. Check who holds it now, then allocate it again if you still want to.' }),
            conflict: {
              chosenWorkerId: parsed.value.workerId,
              currentWorkerId: current?.allocatedWorkerId ?? null,
              currentVersion: current?.version ?? parsed.value.version,
            },
          },
          409,
        )
      }
      throw err
    }
    const mayOversee = decideGeneral(actorOf(res), 'team:oversee').allowed
    res.redirect(mayOversee ? '/team?allocated=1' : `/cases/${id.data}`)
  })

  return router
}
