/**
 * The notification of a child's death to the child death review partners (issue 17 §3): its
 * clock starts when the date of death is recorded on the child's details; this page
 * (/cases/:id/child-death-notification, linked from the clock) records the day of the
 * notification, asking for the coded reason when it was after the 48 hours.
 */
import { type Request, type Response, type Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import { childDeathNotificationInput } from '../../../services/journey/birth-and-death-clocks-input.ts'
import { childDeathNotification, recordChildDeathNotification } from '../../../services/journey/birth-and-death-clocks.ts'
import type { AppDeps } from '../../deps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { caseForm } from '../../common/case-forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const DATES = ['notifiedOn']

export function childDeathRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const path = '/cases/:id/child-death-notification'
  const render = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200) => {
    const view = await childDeathNotification(serviceContext(deps, req, res), idParam(req))
    res.status(status).render('child-death/notification.njk', { ...view, values: locals.values ?? {}, errors: locals.errors, saved: req.query.saved === '1' })
  }
  router.get(path, requireSignIn, caseForm(deps, 'overview'), (req, res) => render(req, res))
  router.post(path, requireSignIn, caseForm(deps, 'overview'), async (req, res) => {
    const parsed = parseForm(childDeathNotificationInput, combineDates(req.body, DATES))
    if (!parsed.ok) return render(req, res, { values: req.body, errors: linkDateErrors(parsed.errors, DATES) }, 400)
    try {
      await recordChildDeathNotification(serviceContext(deps, req, res), idParam(req), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return render(req, res, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), DATES) }, 400)
      throw err
    }
    res.redirect(303, `${req.path}?saved=1`)
  })
  return router
}

export function registerChildDeathApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/child-death-notification'
  api.get(path, { summary: "The case's child death notification clock (started by the child's date of death; 48 hours), or clock null", tag: 'Timescales' }, async ({ ctx, params }) => ({
    clock: (await childDeathNotification(ctx, params.caseId!)).clock,
  }))
  api.put(
    path,
    {
      caseAction: 'case:update',
      summary:
        'Record the day the child death review partners (CDOP) were notified: notifiedOn; after the due date lateReasonCode (DELAY_REASON) is required (422 naming the due date), with lateReason in words; once (change the reason afterwards on the clock’s delay-reason)',
      tag: 'Timescales',
      body: childDeathNotificationInput,
    },
    ({ ctx, params, body }) => recordChildDeathNotification(ctx, params.caseId!, body),
  )
}
