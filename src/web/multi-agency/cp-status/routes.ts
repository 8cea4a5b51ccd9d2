/** The child protection status check (CP-IS style) for unscheduled care: a page and an API for clinical systems. */
import { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { cpStatusCheckInput } from '../../../services/multi-agency/cp-status-input.ts'
import { checkChildProtectionStatus } from '../../../services/multi-agency/cp-status.ts'
import type { AppDeps } from '../../deps.ts'
import { parseForm } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function cpStatusRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  router.get('/cp-status', requireSignIn, (_req, res) => res.render('cp-status/index.njk', { values: {} }))
  router.post('/cp-status', requireSignIn, async (req, res) => {
    const parsed = parseForm(cpStatusCheckInput, req.body)
    if (!parsed.ok) return res.status(400).render('cp-status/index.njk', { values: req.body, errors: parsed.errors })
    const answer = await checkChildProtectionStatus(serviceContext(deps, req, res), parsed.value)
    // The NHS number is not sent back: the answer stands on its own, and the form is ready for the next child.
    res.render('cp-status/index.njk', { values: { setting: parsed.value.setting }, answer })
  })
  return router
}

export function registerCpStatusApi(api: ApiBuilder): void {
  api.post(
    '/cp-status-checks',
    {
      summary: 'Check whether a child has a child protection plan or is looked after, by NHS number (unscheduled care; audited, and the social worker is told)',
      tag: 'Child protection status',
      body: cpStatusCheckInput,
    },
    ({ ctx, body }) => checkChildProtectionStatus(ctx, body),
  )
}
