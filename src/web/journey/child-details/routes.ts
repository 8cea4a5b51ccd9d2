/**
 * The child's own details pages (issue 17): the details with every earlier value and the
 * addresses with their dates (/cases/:id/details), the form that changes the details with a reason,
 * and the form for a new address (a move).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import type { z } from 'zod'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import { childAddressInput, childDetailsInput } from '../../../services/journey/child-details-input.ts'
import { changeChildDetails, childDetails, childDetailsForm, DETAIL_FIELDS, moveChild } from '../../../services/journey/child-details.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import { combineDates, conflictView, formValuesOf, linkDateErrors, type ConflictField, type ConflictView } from '../../common/form-helpers.ts'

const DETAIL_DATES = ['dateOfBirth', 'expectedDateOfBirth', 'dateOfDeath'] as const
const ADDRESS_DATES = ['fromDate'] as const
/** Shown on the conflict panel as the details page shows them (detailValue in macros.njk). */
const CONFLICT_FIELDS: ConflictField[] = DETAIL_FIELDS.map(([name, label]) => ({ name, label }))

interface Locals {
  values?: Record<string, unknown>
  errors?: FormErrors
  conflict?: ConflictView
}

export function childDetailsRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  /**
   * A form's save: parsed (dates from their three fields), saved by `save`, back to the details
   * page saying what was saved; an error re-renders the form with what was typed, a conflict with
   * both versions (the rows of `conflictFields`) and the version now.
   */
  const saveWith =
    <T>(
      schema: z.ZodType<T>,
      dates: readonly string[],
      render: (req: Request, res: Response, id: string, locals: Locals, status: number) => Promise<void>,
      save: (ctx: ServiceContext, caseId: string, input: T) => Promise<unknown>,
      conflictFields: ConflictField[],
      saved: string,
    ) =>
    async (req: Request, res: Response) => {
      const id = idParam(req)
      const parsed = parseForm(schema, combineDates(req.body, dates))
      if (!parsed.ok) return render(req, res, id, { values: req.body, errors: linkDateErrors(parsed.errors, dates) }, 400)
      try {
        await save(serviceContext(deps, req, res), id, parsed.value)
      } catch (err) {
        if (err instanceof ValidationFailed) return render(req, res, id, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), dates) }, 400)
        if (err instanceof EditConflict) {
          const conflict = conflictView(err, parsed.value as Record<string, unknown>, conflictFields)
          return render(req, res, id, { values: { ...req.body, version: conflict.version }, conflict }, 409)
        }
        throw err
      }
      await discardSentDraft(serviceContext(deps, req, res), req.body)
      res.redirect(`/cases/${id}/details?saved=${saved}`)
    }

  router.get('/cases/:id/details', requireSignIn, async (req, res) => {
    const view = await childDetails(serviceContext(deps, req, res), idParam(req))
    res.render('child-details/details.njk', { ...view, FIELDS: DETAIL_FIELDS, saved: req.query.saved })
  })

  const renderChange = async (req: Request, res: Response, id: string, locals: Locals = {}, status = 200) => {
    const view = await childDetailsForm(serviceContext(deps, req, res), id)
    const values = locals.values ?? formValuesOf({ ...view.details }, DETAIL_DATES)
    res.status(status).render('child-details/change.njk', { ...view, ...locals, values })
  }

  router.get('/cases/:id/details/change', requireSignIn, caseForm(deps, 'details'), async (req, res) => {
    await renderChange(req, res, idParam(req))
  })

  router.post('/cases/:id/details/change', requireSignIn, caseForm(deps, 'details'), saveWith(childDetailsInput, DETAIL_DATES, renderChange, changeChildDetails, CONFLICT_FIELDS, 'details'))

  const renderAddress = async (req: Request, res: Response, id: string, locals: Locals = {}, status = 200) => {
    const view = await childDetailsForm(serviceContext(deps, req, res), id)
    const values = locals.values ?? { version: view.details.version, residentIds: view.household.filter((m) => m.sameHousehold).map((m) => m.id) }
    res.status(status).render('child-details/address.njk', { ...view, ...locals, values })
  }

  router.get('/cases/:id/details/address', requireSignIn, caseForm(deps, 'details'), async (req, res) => {
    await renderAddress(req, res, idParam(req))
  })

  router.post('/cases/:id/details/address', requireSignIn, caseForm(deps, 'details'), saveWith(childAddressInput, ADDRESS_DATES, renderAddress, moveChild, [], 'address'))

  return router
}
