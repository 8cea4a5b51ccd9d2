/**
 * One way to handle the partnership pages' forms: combine GOV.UK date inputs, parse with the
 * service's schema, run the service (then discard the form's draft, web/common/drafts.ts), and on
 * a problem show the same page again with the user's values and a GOV.UK error summary (400), or
 * the edit conflict's message (409).
 */
import type { Request, RequestHandler, Response, Router } from 'express'
import type { z } from 'zod'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { combineDates, linkDateErrors, uuidOf } from '../../common/form-helpers.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { idParam } from '../../common/router.ts'

export interface Problem {
  /** Which form on the page the problem belongs to. */
  form: string
  values: Record<string, unknown>
  errors: FormErrors
}

export interface FormSpec<S extends z.ZodType> {
  /** Names the form, so a page with several shows the errors beside the right one. */
  form: string
  schema: S
  dates?: readonly string[]
  /** Runs the service; returns where to go next. */
  run: (ctx: ServiceContext, value: z.infer<S>, req: Request) => Promise<string>
  /** Shows the page again with the problem. */
  rerender: (ctx: ServiceContext, req: Request, res: Response, problem: Problem, status: number) => Promise<void>
}

/** Route parameters that are not UUIDs are not pages of ours (404). */
export function idsOf(req: Request): Record<string, string> | null {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.params)) {
    const id = uuidOf(v)
    if (!id) return null
    out[k] = id
  }
  return out
}

export function formHandler<S extends z.ZodType>(deps: AppDeps, spec: FormSpec<S>): RequestHandler {
  const dates = spec.dates ?? []
  return async (req, res, next) => {
    if (!idsOf(req)) return next()
    const ctx = serviceContext(deps, req, res)
    const values = req.body as Record<string, unknown>
    const fail = (errors: FormErrors, status: number) => spec.rerender(ctx, req, res, { form: spec.form, values, errors: linkDateErrors(errors, dates) }, status)
    const parsed = parseForm(spec.schema, combineDates(values, dates))
    if (!parsed.ok) return fail(parsed.errors, 400)
    try {
      const to = await spec.run(ctx, parsed.value, req)
      await discardSentDraft(ctx, req.body)
      res.redirect(to)
    } catch (err) {
      if (err instanceof ValidationFailed) return fail(formErrors(err.fieldErrors), 400)
      if (err instanceof EditConflict) return fail(formErrors({ version: `${err.message} Reload the page to see the changes.` }), 409)
      throw err
    }
  }
}

/** Locals for a page that may carry one form's problem. */
export function problemLocals(problem: Problem | undefined, form: string) {
  return problem && problem.form === form ? { values: problem.values, errors: problem.errors } : { values: {}, errors: undefined }
}

/** A route's `:id` (checked to be a UUID by idsOf or formHandler before use). */

export interface RecordFormSpec<S extends z.ZodType> {
  form: string
  schema: S
  dates?: readonly string[]
  /** The ?saved= the record's page shows after the change. */
  saved: string
  /** The service, called with the record's id from the route. */
  run: (ctx: ServiceContext, id: string, value: z.infer<S>) => Promise<unknown>
}

/**
 * The forms on one record's page: `add(path, spec)` handles a POST to `${base}/:id/${path}`,
 * runs the service on that record and returns to its page, or shows the page again with the problem.
 */
export function recordForms(router: Router, deps: AppDeps, base: string, rerender: FormSpec<z.ZodType>['rerender']) {
  return <S extends z.ZodType>(path: string, spec: RecordFormSpec<S>): void => {
    router.post(`${base}/:id/${path}`, requireSignIn, formHandler(deps, {
      form: spec.form, schema: spec.schema, dates: spec.dates, rerender,
      run: async (ctx, value, req) => (await spec.run(ctx, idParam(req), value), `${base}/${idParam(req)}?saved=${spec.saved}`),
    }))
  }
}
