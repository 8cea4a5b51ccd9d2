/**
 * Clocks that always ask why (pages): a case clock's reason for delay, given or changed by the
 * worker or a manager (/cases/:id/clocks/:clockId/delay-reason), and the team's late completions
 * of the last 12 months by reason (/team/late-reasons, linked from the team view).
 */
import { type Request, type Response, type Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { clockDelay, setClockDelay, teamLateReasons } from '../../../services/journey/clock-delays.ts'
import { delayReasonInput } from '../../../services/journey/clock-delays-input.ts'
import { DELAY_REASON, labelOf } from '../../../domain/journey/codes.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { conflictView, type ConflictField, type ConflictView } from '../../common/form-helpers.ts'
import { caseForm } from '../../common/case-forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const REASON_FIELDS: ConflictField[] = [
  { name: 'reasonCode', label: 'Reason for the delay', show: (v) => (v ? labelOf(DELAY_REASON, v as string) : 'None') },
  { name: 'reason', label: 'In your words' },
]

export function clockDelayRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  const render = async (
    req: Request,
    res: Response,
    locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: ConflictView } = {},
    status = 200,
  ) => {
    const view = await clockDelay(serviceContext(deps, req, res), idParam(req), idParam(req, 'clockId'))
    res.status(status).render('clock-delays/delay-reason.njk', {
      ...view,
      values: locals.values ?? { reasonCode: view.clock.delayReasonCode, reason: view.clock.delayReason, version: view.clock.version },
      errors: locals.errors,
      conflict: locals.conflict,
      saved: req.query.saved === '1',
    })
  }

  const path = '/cases/:id/clocks/:clockId/delay-reason'
  router.get(path, requireSignIn, caseForm(deps, 'overview'), async (req, res) => {
    await render(req, res)
  })

  router.post(path, requireSignIn, caseForm(deps, 'overview'), async (req, res) => {
    const parsed = parseForm(delayReasonInput, req.body)
    if (!parsed.ok) return render(req, res, { values: req.body, errors: parsed.errors }, 400)
    try {
      await setClockDelay(serviceContext(deps, req, res), idParam(req), idParam(req, 'clockId'), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return render(req, res, { values: req.body, errors: formErrors(err.fieldErrors) }, 400)
      if (err instanceof EditConflict) {
        const conflict = conflictView(err, parsed.value, REASON_FIELDS)
        return render(req, res, { values: { ...req.body, version: conflict.version }, conflict }, 409)
      }
      throw err
    }
    res.redirect(303, `/cases/${idParam(req)}/clocks/${idParam(req, 'clockId')}/delay-reason?saved=1`)
  })

  router.get('/team/late-reasons', requireSignIn, async (req, res) => {
    res.render('clock-delays/team-late-reasons.njk', { counted: await teamLateReasons(serviceContext(deps, req, res)) })
  })

  return router
}
