/**
 * Police protection and emergency protection orders on a case (issue 17): the list with their
 * clocks (/cases/:id/emergency-protection), and one form page for each thing recorded (the start,
 * an order's extension, the end, which asks for the coded reason when it was after the limit).
 */
import { type Request, type Response, type Router } from 'express'
import type { z } from 'zod'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, NotFound, ValidationFailed } from '../../../services/common/context.ts'
import {
  emergencyProtectionEnd,
  emergencyProtectionExtension,
  emergencyProtectionStart,
} from '../../../services/journey/emergency-protection-input.ts'
import {
  emergencyProtectionOfCase,
  endEmergencyProtection,
  extendEmergencyProtectionOrder,
  recordEmergencyProtection,
  type EmergencyProtectionPage,
} from '../../../services/journey/emergency-protection.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import { combineDates, conflictView, linkDateErrors, type ConflictView } from '../../common/form-helpers.ts'

const SECTION = 'emergency-protection'

interface FormPage<S extends z.ZodType> {
  /** Which form of form.njk: 'start', 'extension' or 'end'. */
  form: string
  schema: S
  dates: readonly string[]
  save(req: Request, res: Response, caseId: string, recordId: string | null, value: z.infer<S>): Promise<unknown>
  done: string
}

function recordOf(page: EmergencyProtectionPage, id: string | null) {
  if (id === null) return null
  const record = page.records.find((r) => r.id === id)
  if (!record) throw new NotFound('No such police protection or order on this case')
  return record
}

export function emergencyProtectionRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)
  const base = '/cases/:id/emergency-protection'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('emergency-protection/index.njk', { ...(await emergencyProtectionOfCase(ctxOf(req, res), idParam(req))), saved: req.query.saved })
  })

  function formPage<S extends z.ZodType>(path: string, p: FormPage<S>) {
    const ids = (req: Request) => ({ caseId: idParam(req), recordId: req.params.recordId === undefined ? null : idParam(req, 'recordId') })
    const render = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: ConflictView }, status = 200) => {
      const { caseId, recordId } = ids(req)
      const page = await emergencyProtectionOfCase(ctxOf(req, res), caseId)
      const record = recordOf(page, recordId)
      res.status(status).render('emergency-protection/form.njk', {
        c: page.c,
        record,
        form: p.form,
        values: locals.values ?? { version: record?.version },
        errors: locals.errors,
        conflict: locals.conflict,
      })
    }
    router.get(path, requireSignIn, caseForm(deps, SECTION), (req, res) => render(req, res, {}))
    router.post(path, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
      const { caseId, recordId } = ids(req)
      const parsed = parseForm(p.schema, combineDates(req.body, p.dates))
      if (!parsed.ok) return render(req, res, { values: req.body, errors: linkDateErrors(parsed.errors, p.dates) }, 400)
      try {
        await p.save(req, res, caseId, recordId, parsed.value)
      } catch (err) {
        if (err instanceof ValidationFailed) return render(req, res, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), p.dates) }, 400)
        if (err instanceof EditConflict) {
          const conflict = conflictView(err, parsed.value as Record<string, unknown>, [])
          return render(req, res, { values: { ...req.body, version: conflict.version }, conflict }, 409)
        }
        throw err
      }
      await discardSentDraft(serviceContext(deps, req, res), req.body)
      res.redirect(303, `/cases/${caseId}/emergency-protection?saved=${p.done}`)
    })
  }

  formPage(`${base}/new`, {
    form: 'start',
    schema: emergencyProtectionStart,
    dates: ['startedOn'],
    save: (req, res, caseId, _id, value) => recordEmergencyProtection(ctxOf(req, res), caseId, value),
    done: 'started',
  })
  formPage(`${base}/:recordId/extension`, {
    form: 'extension',
    schema: emergencyProtectionExtension,
    dates: ['extendedOn', 'extendedTo'],
    save: (req, res, caseId, id, value) => extendEmergencyProtectionOrder(ctxOf(req, res), caseId, id!, value),
    done: 'extended',
  })
  formPage(`${base}/:recordId/end`, {
    form: 'end',
    schema: emergencyProtectionEnd,
    dates: ['endedOn'],
    save: (req, res, caseId, id, value) => endEmergencyProtection(ctxOf(req, res), caseId, id!, value),
    done: 'ended',
  })

  return router
}
