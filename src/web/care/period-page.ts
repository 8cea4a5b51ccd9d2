/**
 * One form page about a record of a child's period of care (a placement, a legal status change, the
 * care plan, the IRO, adoption…), shown from the looked-after page: what each page says of itself,
 * and the one way its form is saved, keeping what was typed on a refusal or an edit conflict.
 */
import type { Request, Response } from 'express'
import type { z } from 'zod'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../services/common/context.ts'
import type { LookedAfterPage } from '../../services/journey/looked-after.ts'
import type { AppDeps } from '../deps.ts'
import { discardSentDraft } from '../common/drafts.ts'
import { combineDates, conflictView, linkDateErrors, type ConflictField } from '../common/form-helpers.ts'
import { formErrors, parseForm } from '../common/forms.ts'
import { serviceContext } from '../common/middleware/auth.ts'
import { idParam } from '../common/router.ts'

export interface PeriodPage<S extends z.ZodType, P extends string = string> {
  view: string
  /** The path's parameter naming the record: a period of care, a placement, an escalation… */
  param: P
  schema: S
  dates: readonly string[]
  /** What the page is about, from the looked-after page's data; NotFound when the record is not on the case. */
  about(page: LookedAfterPage, id: string): Record<string, unknown>
  initial(about: Record<string, unknown>): Record<string, unknown>
  save(ctx: ServiceContext, caseId: string, id: string, value: z.infer<S>): Promise<unknown>
  /** The looked-after page's `saved` message after it. */
  done: string
}

export type RenderPeriodPage = (req: Request, res: Response, locals: Record<string, unknown>, status?: number) => Promise<void>

/** Saves a period page's form: 400 with the errors, 409 with the conflict, else back to the looked-after page. */
export function savePeriodPage<S extends z.ZodType>(deps: AppDeps, p: PeriodPage<S>, conflictFields: readonly ConflictField[], render: RenderPeriodPage) {
  return async (req: Request, res: Response) => {
    const caseId = idParam(req)
    const parsed = parseForm(p.schema, combineDates(req.body, p.dates))
    if (!parsed.ok) return render(req, res, { values: req.body, errors: linkDateErrors(parsed.errors, p.dates) }, 400)
    try {
      await p.save(serviceContext(deps, req, res), caseId, idParam(req, p.param), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return render(req, res, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), p.dates) }, 400)
      if (err instanceof EditConflict) {
        const conflict = conflictView(err, parsed.value as Record<string, unknown>, conflictFields)
        return render(req, res, { values: { ...req.body, version: conflict.version }, conflict }, 409)
      }
      throw err
    }
    await discardSentDraft(serviceContext(deps, req, res), req.body)
    res.redirect(`/cases/${caseId}/looked-after?saved=${p.done}`)
  }
}
