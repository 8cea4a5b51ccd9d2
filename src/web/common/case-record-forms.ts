/**
 * Form pages about the records of one section of a case (record one, or a change to one of them),
 * shared by the sections whose forms all go back to the section's list (police protection and
 * orders, early help assessments): GET shows the form (refused, audited, to someone who may not
 * change the case); POST parses it with the API's schema (each date from its three fields), saves
 * through the service and redirects to the list, or shows the form again with what was typed and
 * the errors (400), or the saved values beside the user's after someone else's change (409).
 */
import type { Request, Response, Router } from 'express'
import type { z } from 'zod'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../services/common/context.ts'
import type { AppDeps } from '../deps.ts'
import { caseForm } from './case-forms.ts'
import { discardSentDraft } from './drafts.ts'
import { combineDates, conflictView, linkDateErrors, type ConflictField, type ConflictView } from './form-helpers.ts'
import { formErrors, parseForm, type FormErrors } from './forms.ts'
import { requireSignIn, serviceContext } from './middleware/auth.ts'
import { idParam } from './router.ts'

/** The section: where its forms are, what they show and where a save leads. */
export interface CaseRecordSection<P> {
  deps: AppDeps
  router: Router
  /** The section audited (caseForm) and the view that renders every form of it. */
  section: string
  view: string
  /** The route parameter naming the record a change is about. */
  recordParam: string
  /** The section's page, an audited read of the case: what every form shows. */
  load(ctx: ServiceContext, caseId: string): Promise<P>
  /**
   * The view's locals for the record (null for a new one), its version, and the form's first values
   * when a form edits what is saved (else only the version); NotFound when it is not on the case.
   */
  locals(page: P, recordId: string | null): { version: number | undefined; view: Record<string, unknown>; values?: Record<string, unknown> }
  /** Where a save leads (with ?saved=<done>): the section's list, or the record saved (the save's answer). */
  listPath(caseId: string, saved: unknown): string
}

/** One form of a section. */
export interface CaseRecordForm<S extends z.ZodType> {
  /** Which form of the view. */
  form: string
  schema: S
  dates: readonly string[]
  conflictFields?: readonly ConflictField[]
  save(ctx: ServiceContext, caseId: string, recordId: string | null, value: z.infer<S>): Promise<unknown>
  /** The saved banner's key. */
  done: string
}

type Locals = { values?: Record<string, unknown>; errors?: FormErrors; conflict?: ConflictView }

/** Declares GET and POST `path` for one form of the section. */
export function caseRecordFormPage<P, S extends z.ZodType>(s: CaseRecordSection<P>, path: string, p: CaseRecordForm<S>): void {
  const ctxOf = (req: Request, res: Response) => serviceContext(s.deps, req, res)
  const ids = (req: Request) => ({ caseId: idParam(req), recordId: req.params[s.recordParam] === undefined ? null : idParam(req, s.recordParam) })
  const render = async (req: Request, res: Response, locals: Locals, status = 200) => {
    const { caseId, recordId } = ids(req)
    const { version, view, values } = s.locals(await s.load(ctxOf(req, res), caseId), recordId)
    res.status(status).render(s.view, {
      ...view,
      form: p.form,
      values: locals.values ?? { ...values, version },
      errors: locals.errors,
      conflict: locals.conflict,
    })
  }
  s.router.get(path, requireSignIn, caseForm(s.deps, s.section), (req, res) => render(req, res, {}))
  s.router.post(path, requireSignIn, caseForm(s.deps, s.section), async (req, res) => {
    const { caseId, recordId } = ids(req)
    const parsed = parseForm(p.schema, combineDates(req.body, p.dates))
    if (!parsed.ok) return render(req, res, { values: req.body, errors: linkDateErrors(parsed.errors, p.dates) }, 400)
    let saved: unknown
    try {
      saved = await p.save(ctxOf(req, res), caseId, recordId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return render(req, res, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), p.dates) }, 400)
      if (err instanceof EditConflict) {
        const conflict = conflictView(err, parsed.value as Record<string, unknown>, p.conflictFields ?? [])
        return render(req, res, { values: { ...req.body, version: conflict.version }, conflict }, 409)
      }
      throw err
    }
    await discardSentDraft(ctxOf(req, res), req.body)
    res.redirect(303, `${s.listPath(caseId, saved)}?saved=${p.done}`)
  })
}
