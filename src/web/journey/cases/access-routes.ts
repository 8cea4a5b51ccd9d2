/**
 * The case's access pages (issue 17, section 2): who can see this record and why, and a manager's
 * forms to record or end an agency's involvement, mark the record restricted or lift it, and give
 * or withdraw explicit permission. Every page and save is decided as the policy's
 * `case:manage-access` (caseForm) before anything is read; the services audit each view and change.
 */
import type { Request, Response, Router } from 'express'
import type { z } from 'zod'
import { idParam } from '../../common/router.ts'
import {
  caseAccess,
  endInvolvement,
  givePermission,
  recordInvolvement,
  setRestriction,
  withdrawPermission,
  type CaseAccessView,
} from '../../../services/journey/case-access-admin.ts'
import {
  endInvolvementInput,
  involvementInput,
  permissionInput,
  restrictionInput,
  withdrawPermissionInput,
} from '../../../services/journey/case-access-admin-input.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { caseForm } from '../../common/case-forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'

/** What the access page says after a save, by the `saved` query value. */
export const ACCESS_SAVED: Record<string, string> = {
  involvement: 'The agency’s involvement was recorded. Its partners’ access follows from the start date.',
  'involvement-ended': 'The involvement was ended. Its partners’ access through it has ended.',
  restricted: 'The record is now restricted: only people with explicit permission can open it.',
  unrestricted: 'The restriction was lifted.',
  permission: 'Permission was given.',
  withdrawn: 'The permission was withdrawn. It has ended.',
}

interface AccessForm<I> {
  /** Under /cases/:id/access/, e.g. 'involvements/new'. */
  path: string
  template: string
  input: z.ZodType<I>
  dates?: string[]
  /** The record of the case the form is about (an involvement, a permission), or nothing. */
  item?: (view: CaseAccessView, req: Request) => unknown
  /** The form's values when it is first shown. */
  initial?: (view: CaseAccessView, item: unknown) => Record<string, unknown>
  save: (ctx: ServiceContext, id: string, req: Request, input: I) => Promise<unknown>
  /** The `saved` query value the access page is shown with after a save. */
  saved: (input: I) => string
}

function accessForm<I>(router: Router, deps: AppDeps, f: AccessForm<I>): void {
  const path = `/cases/:id/access/${f.path}`
  const render = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: string } = {}, status = 200) => {
    const view = await caseAccess(serviceContext(deps, req, res), idParam(req))
    const item = f.item ? f.item(view, req) : null
    if (f.item && !item) throw new NotFound('No such record on this case')
    res.status(status).render(f.template, {
      c: view.case,
      view,
      item,
      values: locals.values ?? f.initial?.(view, item) ?? {},
      errors: locals.errors,
      conflict: locals.conflict,
    })
  }
  router.get(path, requireSignIn, caseForm(deps, 'access', 'case:manage-access'), async (req, res) => {
    await render(req, res)
  })
  router.post(path, requireSignIn, caseForm(deps, 'access', 'case:manage-access'), async (req, res) => {
    const id = idParam(req)
    const dates = f.dates ?? []
    const parsed = parseForm(f.input, combineDates(req.body ?? {}, dates))
    if (!parsed.ok) return render(req, res, { values: req.body, errors: linkDateErrors(parsed.errors, dates) }, 400)
    try {
      await f.save(serviceContext(deps, req, res), id, req, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return render(req, res, { values: req.body, errors: linkDateErrors(formErrors(err.fieldErrors), dates) }, 400)
      if (err instanceof EditConflict) {
        const version = (err.current?.version as number | undefined) ?? req.body?.version
        return render(req, res, { values: { ...req.body, version }, conflict: err.message }, 409)
      }
      throw err
    }
    await discardSentDraft(serviceContext(deps, req, res), req.body)
    res.redirect(`/cases/${id}/access?saved=${f.saved(parsed.value)}`)
  })
}

export function caseAccessRoutes(router: Router, deps: AppDeps): void {
  router.get('/cases/:id/access', requireSignIn, caseForm(deps, 'access', 'case:manage-access'), async (req, res) => {
    const view = await caseAccess(serviceContext(deps, req, res), idParam(req))
    const saved = typeof req.query.saved === 'string' ? (ACCESS_SAVED[req.query.saved] ?? null) : null
    res.render('cases/access.njk', { c: view.case, view, saved })
  })

  accessForm(router, deps, {
    path: 'involvements/new',
    template: 'cases/access-involvement.njk',
    input: involvementInput,
    dates: ['startedOn', 'endedOn'],
    save: (ctx, id, _req, input) => recordInvolvement(ctx, id, input),
    saved: () => 'involvement',
  })

  accessForm(router, deps, {
    path: 'involvements/:involvementId/end',
    template: 'cases/access-end.njk',
    input: endInvolvementInput,
    item: (view, req) => view.involvements.find((i) => i.id === req.params.involvementId && !i.endedAt),
    initial: (_view, item) => ({ version: (item as { version: number }).version }),
    save: (ctx, id, req, input) => endInvolvement(ctx, id, String(req.params.involvementId), input),
    saved: () => 'involvement-ended',
  })

  accessForm(router, deps, {
    path: 'restriction',
    template: 'cases/access-restriction.njk',
    input: restrictionInput,
    initial: (view) => ({ version: view.version, restricted: view.restricted ? 'no' : 'yes' }),
    save: (ctx, id, _req, input) => setRestriction(ctx, id, input),
    saved: (input) => (input.restricted ? 'restricted' : 'unrestricted'),
  })

  accessForm(router, deps, {
    path: 'permissions/new',
    template: 'cases/access-permission.njk',
    input: permissionInput,
    dates: ['endsOn'],
    save: (ctx, id, _req, input) => givePermission(ctx, id, input),
    saved: () => 'permission',
  })

  accessForm(router, deps, {
    path: 'permissions/:permissionId/withdraw',
    template: 'cases/access-end.njk',
    input: withdrawPermissionInput,
    item: (view, req) => view.permissions.find((p) => p.id === req.params.permissionId && p.inForce),
    initial: (_view, item) => ({ version: (item as { version: number }).version }),
    save: (ctx, id, req, input) => withdrawPermission(ctx, id, String(req.params.permissionId), input),
    saved: () => 'withdrawn',
  })
}
