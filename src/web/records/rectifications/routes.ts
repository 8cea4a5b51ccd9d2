/**
 * Requests to correct a record of a case (UK GDPR Article 16; docs/data-protection.md): the list
 * with each decision and statement of disagreement (/cases/:id/rectifications, in the case's
 * chronology section, where the records are listed), a form to record one, and the manager's
 * decision (corrected through the record's own edit, or kept with the statement).
 */
import type { Request, Response, Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { rectificationDecision, rectificationNew } from '../../../services/records/subject-access-input.ts'
import { decideRectification, rectificationsOfCase, recordRectification } from '../../../services/records/rectification.ts'
import { RECTIFICATION_DECISION } from '../../../domain/records/subject-access.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { discardSentDraft } from '../../common/drafts.ts'

const SECTION = 'chronology'
const DATES = ['receivedOn'] as const

export function rectificationRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)
  const base = '/cases/:id/rectifications'

  const renderList = async (req: Request, res: Response, failed?: { id: string; values: Record<string, unknown>; errors: FormErrors }, status = 200) => {
    const page = await rectificationsOfCase(ctxOf(req, res), idParam(req))
    res.status(status).render('rectifications/index.njk', { ...page, failed: failed?.id, values: failed?.values ?? {}, errors: failed?.errors, saved: req.query.saved, decisions: RECTIFICATION_DECISION })
  }
  router.get(base, requireSignIn, (req, res) => renderList(req, res))

  const renderNew = async (req: Request, res: Response, values: Record<string, unknown>, errors?: FormErrors, status = 200) => {
    const page = await rectificationsOfCase(ctxOf(req, res), idParam(req))
    res.status(status).render('rectifications/new.njk', { ...page, values, errors })
  }
  router.get(`${base}/new`, requireSignIn, caseForm(deps, SECTION), (req, res) => renderNew(req, res, { record: req.query.record }))
  router.post(`${base}/new`, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const parsed = parseForm(rectificationNew, combineDates(body, DATES))
    if (!parsed.ok) return renderNew(req, res, body, linkDateErrors(parsed.errors, DATES), 400)
    try {
      await recordRectification(ctxOf(req, res), idParam(req), parsed.value)
      await discardSentDraft(ctxOf(req, res), req.body)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderNew(req, res, body, linkDateErrors(formErrors(err.fieldErrors), DATES), 400)
      throw err
    }
    res.redirect(303, `/cases/${idParam(req)}/rectifications?saved=recorded`)
  })

  router.post(`${base}/:rectificationId/decision`, requireSignIn, caseForm(deps, SECTION, 'case:authorise'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const id = idParam(req, 'rectificationId')
    const parsed = parseForm(rectificationDecision, body)
    if (!parsed.ok) return renderList(req, res, { id, values: body, errors: parsed.errors }, 400)
    try {
      await decideRectification(ctxOf(req, res), idParam(req), id, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderList(req, res, { id, values: body, errors: formErrors(err.fieldErrors) }, 400)
      if (err instanceof EditConflict) return renderList(req, res, { id, values: body, errors: formErrors({ decision: err.message }) }, 409)
      throw err
    }
    res.redirect(303, `/cases/${idParam(req)}/rectifications?saved=decided`)
  })

  return router
}
