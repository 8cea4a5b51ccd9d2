/**
 * The professional referral form (four pages, then check and send), saved as a draft after each
 * page so the referrer can leave and come back; "My referrals" with acknowledgement and outcome;
 * adding information to a referral already sent.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { ValidationFailed } from '../../../services/common/context.ts'
import { loadDraft, saveDraft } from '../../../services/journey/drafts.ts'
import { REFERRAL_PAGES, referralAdditionInput, referralInput, type ReferralPart } from '../../../services/multi-agency/referrals-input.ts'
import { REFERRAL_DRAFT_KEY, addReferralInformation, myReferral, myReferrals, submitReferral } from '../../../services/multi-agency/referrals.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { renderPaged } from '../../common/pagination.ts'
import { pageQuery } from '../../../services/common/paging.ts'

const CHILD_DATES = ['dateOfBirth', 'expectedDateOfBirth'] as const
type Values = Record<string, unknown>
type DraftParts = Partial<Record<ReferralPart, Values>>

/** What a page's fields mean to its schema (the child page's dates are three inputs each). */
const prepared = (part: ReferralPart, body: Values): Values => (part === 'child' ? combineDates(body, CHILD_DATES) : body)

/** The draft's parts, each parsed; the whole referral when every part is valid. */
function checkDraft(parts: DraftParts) {
  const whole: Values = {}
  const missing: string[] = []
  for (const page of REFERRAL_PAGES) {
    const parsed = page.schema.safeParse(prepared(page.part, parts[page.part] ?? {}))
    if (parsed.success) whole[page.part] = parsed.data
    else missing.push(page.slug)
  }
  return { missing, referral: missing.length === 0 ? referralInput.parse(whole) : null }
}

export function referralRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const draftOf = async (req: Request, res: Response): Promise<DraftParts> =>
    ((await loadDraft(serviceContext(deps, req, res), REFERRAL_DRAFT_KEY))?.data ?? {}) as DraftParts

  router.get('/referrals', requireSignIn, async (req, res) => {
    const ctx = serviceContext(deps, req, res)
    const draft = await loadDraft(ctx, REFERRAL_DRAFT_KEY)
    await renderPaged(req, res, 'referrals/list.njk', (page) => myReferrals(ctx, page), (page) => ({ referrals: page.items, draft }))
  })

  router.get('/referrals/new', requireSignIn, (_req, res) => res.redirect(`/referrals/new/${REFERRAL_PAGES[0].slug}`))

  router.get('/referrals/new/check', requireSignIn, async (req, res) => {
    const parts = await draftOf(req, res)
    res.render('referrals/check.njk', { parts, ...checkDraft(parts) })
  })

  router.post('/referrals/new/check', requireSignIn, async (req, res) => {
    const parts = await draftOf(req, res)
    const checked = checkDraft(parts)
    if (!checked.referral) return res.status(400).render('referrals/check.njk', { parts, ...checked })
    try {
      const sent = await submitReferral(serviceContext(deps, req, res), checked.referral)
      res.redirect(`/referrals/${sent.id}?sent=1`)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        return res.status(400).render('referrals/check.njk', { parts, ...checked, errors: formErrors(err.fieldErrors) })
      }
      throw err
    }
  })

  const pageOf = (slug: unknown) => REFERRAL_PAGES.find((p) => p.slug === slug)
  const renderPage = (res: Response, slug: string, values: Values, errors?: FormErrors, status = 200) => {
    const index = REFERRAL_PAGES.findIndex((p) => p.slug === slug)
    res.status(status).render('referrals/page.njk', {
      page: REFERRAL_PAGES[index],
      step: index + 1,
      steps: REFERRAL_PAGES.length,
      back: index === 0 ? '/referrals' : `/referrals/new/${REFERRAL_PAGES[index - 1]!.slug}`,
      values,
      errors,
    })
  }

  router.get('/referrals/new/:slug', requireSignIn, async (req, res, next) => {
    const page = pageOf(String(req.params.slug))
    if (!page) return next()
    renderPage(res, page.slug, (await draftOf(req, res))[page.part] ?? {})
  })

  router.post('/referrals/new/:slug', requireSignIn, async (req, res, next) => {
    const page = pageOf(String(req.params.slug))
    if (!page) return next()
    const { _csrf: _ignored, _draftKey: _typing, ...typed } = req.body as Values
    const ctx = serviceContext(deps, req, res)
    // What was typed is kept even when it is not valid yet: the draft is the referrer's own work.
    const parts = await draftOf(req, res)
    await saveDraft(ctx, REFERRAL_DRAFT_KEY, { ...parts, [page.part]: typed })
    await discardSentDraft(ctx, req.body) // the page's autosaved draft: now in the referral's
    const parsed = parseForm(page.schema, prepared(page.part, typed))
    if (!parsed.ok) return renderPage(res, page.slug, typed, page.part === 'child' ? linkDateErrors(parsed.errors, CHILD_DATES) : parsed.errors, 400)
    const next_ = REFERRAL_PAGES[REFERRAL_PAGES.indexOf(page) + 1]
    res.redirect(req.body.returnToCheck === '1' || !next_ ? '/referrals/new/check' : `/referrals/new/${next_.slug}`)
  })

  const renderReferral = async (req: Request, res: Response, id: string, extra: { errors?: FormErrors; values?: Values } = {}, status = 200) => {
    const referral = await myReferral(serviceContext(deps, req, res), id)
    res.status(status).render('referrals/show.njk', { referral, sent: req.query.sent === '1', added: req.query.added === '1', values: {}, ...extra })
  }

  router.get('/referrals/:id', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    await renderReferral(req, res, id)
  })

  router.post('/referrals/:id/information', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const parsed = parseForm(referralAdditionInput, req.body)
    if (!parsed.ok) return renderReferral(req, res, id, { errors: parsed.errors, values: req.body }, 400)
    await addReferralInformation(serviceContext(deps, req, res), id, parsed.value)
    res.redirect(`/referrals/${id}?added=1`)
  })

  return router
}

export function registerReferralApi(api: ApiBuilder): void {
  api.get(
    '/referrals',
    { summary: 'Your referrals, newest first, with acknowledgement, decision and outcome: a page of them (offset, limit) with how many there are', tag: 'Referrals', query: pageQuery },
    ({ ctx, query }) => myReferrals(ctx, query),
  )
  api.post('/referrals', { summary: 'Refer a child to the front door (partner practitioners)', tag: 'Referrals', body: referralInput, status: 201 }, async ({ ctx, body, res }) => {
    const sent = await submitReferral(ctx, body)
    res.location(`/api/v1/referrals/${sent.id}`)
    return myReferral(ctx, sent.id)
  })
  api.get('/referrals/:id', { summary: 'One of your referrals', tag: 'Referrals' }, ({ ctx, params }) => myReferral(ctx, params.id!))
  api.post(
    '/referrals/:id/information',
    { summary: 'Add information to a referral you sent (it goes to the front door)', tag: 'Referrals', body: referralAdditionInput, status: 201 },
    async ({ ctx, params, body }) => {
      await addReferralInformation(ctx, params.id!, body)
      return myReferral(ctx, params.id!)
    },
  )
}
