/** The child protection status check (CP-IS style) for unscheduled care: a page and an API for clinical systems. */
import { Router, type Request, type Response } from 'express'
import { cpStatusCheckInput } from '../../../services/multi-agency/cp-status-input.ts'
import { checkChildProtectionStatus } from '../../../services/multi-agency/cp-status.ts'
import type { AppDeps } from '../../deps.ts'
import { parseForm } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { featureRouter, idParam } from '../../common/router.ts'
import { formErrors, type FormErrors } from '../../common/forms.ts'
import { EditConflict } from '../../../services/common/context.ts'
import { authorityContactsInput } from '../../../services/multi-agency/authority-contacts-input.ts'
import { getAuthorityContacts, listAuthorityContacts, setAuthorityContacts } from '../../../services/multi-agency/authority-contacts.ts'

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

  // The administrator sets each authority's day-time and out-of-hours contacts, which the check gives.
  const contactsPage = async (req: Request, res: Response, failed?: { agencyId: string; values: Record<string, unknown>; errors: FormErrors }, status = 200) => {
    const authorities = await listAuthorityContacts(serviceContext(deps, req, res))
    res.status(status).render('cp-status/authority-contacts.njk', { authorities, failed, saved: typeof req.query.saved === 'string' ? req.query.saved : null })
  }
  router.get('/admin/authority-contacts', requireSignIn, (req, res) => contactsPage(req, res))
  router.post('/admin/authority-contacts/:agencyId', requireSignIn, async (req, res) => {
    const agencyId = idParam(req, 'agencyId')
    const ctx = serviceContext(deps, req, res)
    const authority = await getAuthorityContacts(ctx, agencyId)
    const parsed = parseForm(authorityContactsInput, req.body)
    if (!parsed.ok) return contactsPage(req, res, { agencyId, values: req.body, errors: parsed.errors }, 400)
    try {
      await setAuthorityContacts(ctx, agencyId, parsed.value)
    } catch (err) {
      if (!(err instanceof EditConflict)) throw err
      return contactsPage(req, res, { agencyId, values: req.body, errors: formErrors({ form: `${err.message} Reload the page and make your changes again.` }) }, 409)
    }
    await discardSentDraft(ctx, req.body)
    res.redirect(`/admin/authority-contacts?saved=${encodeURIComponent(authority.agencyId)}#authority-${authority.agencyId}`)
  })
  return router
}

export function registerCpStatusApi(api: ApiBuilder): void {
  api.post(
    '/cp-status-checks',
    {
      summary: 'Check whether a child has a child protection plan or is looked after (statuses: every current one, both when both hold), or (a mother’s NHS number) whether her unborn child has a plan (unbornChildPlan), by NHS number (unscheduled care; audited, and the social worker is told)',
      tag: 'Child protection status',
      body: cpStatusCheckInput,
    },
    ({ ctx, body }) => checkChildProtectionStatus(ctx, body),
  )
  const tag = 'Child protection status'
  api.get('/authority-contacts', { summary: 'Each children’s social care agency’s day-time and out-of-hours contacts, which the status check gives (administrators)', tag }, ({ ctx }) =>
    listAuthorityContacts(ctx),
  )
  api.get('/authority-contacts/:agencyId', { summary: 'One authority’s day-time and out-of-hours contacts (administrators)', tag }, ({ ctx, params }) =>
    getAuthorityContacts(ctx, params.agencyId!),
  )
  api.put(
    '/authority-contacts/:agencyId',
    { summary: 'Set one authority’s day-time and out-of-hours contacts (administrators; name the version you read)', tag, body: authorityContactsInput },
    ({ ctx, params, body }) => setAuthorityContacts(ctx, params.agencyId!, body),
  )
}
