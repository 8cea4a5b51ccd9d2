/**
 * Work on a child protection plan: /cases/:id/plans/:planId/core-groups/new (a core group
 * meeting). A statutory visit is recorded on the one visit form, the case notes form
 * (/cases/:id/notes/new?kind=visit); /cases/:id/plans/:planId/visits/new opens it.
 */
import { Router, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { recordCoreGroup, type ChildProtectionView } from '../../../services/journey/child-protection.ts'
import { coreGroupInput } from '../../../services/journey/child-protection-input.ts'
import { NotFound, type ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { dateFrom, errorsFor, parseWith, type Body } from './form-values.ts'
import { childProtectionOf, failureOf, page } from './pages.ts'

type Work = 'core-group'

const FORMS: Record<Work, { view: string; rules: readonly string[]; dates: readonly string[] }> = {
  'core-group': { view: 'child-protection/core-group-form.njk', rules: ['first-core-group', 'core-group'], dates: ['heldOn'] },
}

function planOf(view: ChildProtectionView, planId: string) {
  const plan = view.plans.find((p) => p.id === planId)
  if (!plan) throw new NotFound('No such child protection plan on this case')
  return plan
}

async function renderWork(
  res: Response,
  ctx: ServiceContext,
  work: Work,
  ids: Record<string, string>,
  form: { values: Body; errors?: FormErrors; status?: number },
) {
  const view = await childProtectionOf(ctx, ids.id!)
  const plan = planOf(view, ids.planId!)
  const running = plan.clocks.find((k) => FORMS[work].rules.includes(k.rule) && k.completedOn === null) ?? null
  res.status(form.status ?? 200).render(FORMS[work].view, { c: view.c, plan, running, values: form.values, errors: form.errors })
}

export function planWorkRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ids = ['id', 'planId']

  router.get(
    '/cases/:id/plans/:planId/core-groups/new',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ids, (_req, res, params, ctx) => renderWork(res, ctx, 'core-group', params, { values: {} })),
  )

  /**
   * The one visit form is the notes form: an old link to the plan's visit form opens it. It decides
   * the form's action first, as the form does, so a user refused the form is refused here (403, or
   * 404 where the case may not be known), never sent on.
   */
  router.get('/cases/:id/plans/:planId/visits/new', requireSignIn, caseForm(deps, 'notes'), page(deps, ids, async (_req, res, params) => {
    res.redirect(`/cases/${params.id}/notes/new?kind=visit`)
  }))

  router.post(
    '/cases/:id/plans/:planId/core-groups/new',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ids, async (req, res, params, ctx) => {
      const body = req.body as Body
      const parsed = parseWith(coreGroupInput, {
        heldOn: dateFrom(body, 'heldOn'),
        attendees: body.attendees ?? '',
        notes: body.notes,
        delayReason: body.delayReason,
      })
      if (!parsed.ok) return renderWork(res, ctx, 'core-group', params, { values: body, errors: errorsFor(parsed.fields, ['heldOn']), status: 400 })
      try {
        await recordCoreGroup(ctx, params.id!, params.planId!, parsed.value)
        res.redirect(`/cases/${params.id}/child-protection?saved=core-group#plan-${params.planId}`)
      } catch (err) {
        const failure = failureOf(err, ['heldOn'])
        if (!failure) throw err
        await renderWork(res, ctx, 'core-group', params, { values: body, errors: failure.errors, status: failure.status })
      }
    }),
  )

  return router
}
