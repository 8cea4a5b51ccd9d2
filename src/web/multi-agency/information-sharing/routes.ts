/** Information sharing records: a child's decisions with the form (golden rules as guidance), and the per-agency report. */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { ARTICLE_6_BASIS, ARTICLE_9_CONDITION, SHARE_CONSENT, shareBasisInput, shareDecisionInput } from '../../../services/multi-agency/information-sharing-input.ts'
import {
  agencyShareReport,
  completeShareBasis,
  outstandingBases,
  recordShareDecision,
  requireShareReport,
  shareOfCase,
  sharesOfCase,
} from '../../../services/multi-agency/information-sharing.ts'
import { referrerAgencies } from '../../../services/journey/front-door.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { combineDates, conflictView, linkDateErrors, uuidOf, type ConflictField, type ConflictView } from '../../common/form-helpers.ts'
import { renderPaged } from '../../common/pagination.ts'
import { pageQuery } from '../../../services/common/paging.ts'

const DATES = ['decidedOn'] as const
const CODES = { ARTICLE_6_BASIS, ARTICLE_9_CONDITION, SHARE_CONSENT }
const labelIn = (set: readonly { code: string; label: string }[]) => (v: unknown) => set.find((c) => c.code === v)?.label ?? 'Not recorded'
const BASIS_CONFLICT_FIELDS: ConflictField[] = [
  { name: 'article6Basis', label: 'Article 6 lawful basis', show: labelIn(ARTICLE_6_BASIS) },
  { name: 'specialCategory', label: 'Special category data', show: (v) => (v ? 'Yes' : 'No') },
  { name: 'article9Condition', label: 'Article 9 condition', show: labelIn(ARTICLE_9_CONDITION) },
]

export function informationSharingRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const render = async (req: Request, res: Response, caseId: string, extra: { errors?: FormErrors; values?: Record<string, unknown> } = {}, status = 200) => {
    const page = await sharesOfCase(serviceContext(deps, req, res), caseId)
    res.status(status).render('information-sharing/case.njk', { ...page, codes: CODES, section: 'information-sharing', values: {}, saved: req.query.saved, ...extra })
  }
  router.get('/cases/:id/information-sharing', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    await render(req, res, caseId)
  })
  router.post('/cases/:id/information-sharing', requireSignIn, caseForm(deps, 'information-sharing'), async (req, res, next) => {
    const caseId = idParam(req)
    const parsed = parseForm(shareDecisionInput, combineDates(req.body, DATES))
    if (!parsed.ok) return render(req, res, caseId, { errors: linkDateErrors(parsed.errors, DATES), values: req.body }, 400)
    try {
      await recordShareDecision(serviceContext(deps, req, res), caseId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return render(req, res, caseId, { errors: formErrors(err.fieldErrors), values: req.body }, 400)
      throw err
    }
    await discardSentDraft(serviceContext(deps, req, res), req.body)
    res.redirect(`/cases/${caseId}/information-sharing?saved=1`)
  })
  const renderBasis = async (
    req: Request,
    res: Response,
    extra: { errors?: FormErrors; values?: Record<string, unknown>; conflict?: ConflictView } = {},
    status = 200,
  ) => {
    const page = await shareOfCase(serviceContext(deps, req, res), idParam(req), idParam(req, 'shareId'))
    const { share } = page
    const values = { version: share.version, specialCategory: share.specialCategory ? 'yes' : 'no', article9Condition: share.article9Condition, ...extra.values }
    res.status(status).render('information-sharing/basis.njk', { ...page, codes: CODES, section: 'information-sharing', ...extra, values })
  }
  router.get('/cases/:id/information-sharing/:shareId/basis', requireSignIn, caseForm(deps, 'information-sharing'), async (req, res) => {
    await renderBasis(req, res)
  })
  router.post('/cases/:id/information-sharing/:shareId/basis', requireSignIn, caseForm(deps, 'information-sharing'), async (req, res) => {
    const caseId = idParam(req)
    const parsed = parseForm(shareBasisInput, req.body)
    if (!parsed.ok) return renderBasis(req, res, { errors: parsed.errors, values: req.body }, 400)
    try {
      await completeShareBasis(serviceContext(deps, req, res), caseId, idParam(req, 'shareId'), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderBasis(req, res, { errors: formErrors(err.fieldErrors), values: req.body }, 400)
      if (err instanceof EditConflict) {
        const conflict = conflictView(err, parsed.value, BASIS_CONFLICT_FIELDS)
        return renderBasis(req, res, { values: { ...req.body, version: conflict.version }, conflict }, 409)
      }
      throw err
    }
    res.redirect(`/cases/${caseId}/information-sharing?saved=basis`)
  })
  router.get('/information-sharing/outstanding', requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    await renderPaged(req, res, 'information-sharing/outstanding.njk', (page) => outstandingBases(ctx, page), (page) => ({ shares: page.items, codes: CODES }))
  })
  router.get('/information-sharing', requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    requireShareReport(ctx)
    const agencyId = uuidOf(req.query.agency)
    const agencies = await referrerAgencies(ctx)
    if (!agencyId) return res.render('information-sharing/report.njk', { agencies, agencyId, shares: null, codes: CODES })
    await renderPaged(req, res, 'information-sharing/report.njk', (page) => agencyShareReport(ctx, agencyId, page), (page) => ({ agencies, agencyId, shares: page.items, codes: CODES }))
  })
  return router
}

export function registerInformationSharingApi(api: ApiBuilder): void {
  api.get('/cases/:caseId/information-sharing', { summary: 'A child’s information sharing decisions', tag: 'Information sharing' }, async ({ ctx, params }) =>
    (await sharesOfCase(ctx, params.caseId!)).shares,
  )
  api.post(
    '/cases/:caseId/information-sharing',
    { caseAction: 'case:update', summary: 'Record a decision to share information, or not to share it, with its lawful basis', tag: 'Information sharing', body: shareDecisionInput, status: 201 },
    ({ ctx, params, body }) => recordShareDecision(ctx, params.caseId!, body),
  )
  api.put(
    '/cases/:caseId/information-sharing/:shareId/basis',
    {
      caseAction: 'case:update',
      summary: 'Complete the lawful basis of an urgent share recorded without it (“Basis to be recorded”), naming the version read',
      tag: 'Information sharing',
      body: shareBasisInput,
    },
    ({ ctx, params, body }) => completeShareBasis(ctx, params.caseId!, params.shareId!, body),
  )
  api.get(
    '/information-sharing/outstanding',
    { summary: 'Shares of the partnership still waiting for their lawful basis, oldest first: a page of them (offset, limit) with how many there are', tag: 'Information sharing', query: pageQuery },
    ({ ctx, query }) => outstandingBases(ctx, query),
  )
  api.get(
    '/agencies/:agencyId/information-sharing',
    { summary: 'Sharing decisions about one receiving agency, newest first: a page of them (offset, limit) with how many there are', tag: 'Information sharing', query: pageQuery },
    ({ ctx, params, query }) => agencyShareReport(ctx, params.agencyId!, query),
  )
}
