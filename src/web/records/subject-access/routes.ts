/**
 * Subject access requests (docs/data-protection.md): the list with each clock
 * (/subject-access), a new request (find the people, who asked, identity), and one request's page
 * (its clock and extension, the identity check, compiling the bundle, each item's decision,
 * sending for approval, a second person's approval, the released PDF).
 */
import type { Request, Response, Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import {
  subjectAccessExtension,
  subjectAccessIdentity,
  subjectAccessItemDecision,
  subjectAccessNew,
  subjectAccessSearch,
  subjectAccessStep,
} from '../../../services/records/subject-access-input.ts'
import {
  approveSubjectAccessRelease,
  compileSubjectAccessBundle,
  decideSubjectAccessItem,
  downloadSubjectAccessBundle,
  extendSubjectAccessClock,
  findPeopleForSubjectAccess,
  getSubjectAccessRequest,
  listSubjectAccessRequests,
  recordIdentityCheck,
  recordSubjectAccessRequest,
  submitSubjectAccessReview,
} from '../../../services/records/subject-access.ts'
import { SAR_EXEMPTION, SAR_IDENTITY_METHOD, SAR_ITEM_DECISION, SAR_MAX_EXTENSION_MONTHS, SAR_REQUESTER_KIND, SAR_REVIEW_FLAG } from '../../../domain/records/subject-access.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { renderPaged } from '../../common/pagination.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import type { z } from 'zod'

const BASE = '/subject-access'
const NEW_DATES = ['receivedOn', 'identityVerifiedOn'] as const
const IDENTITY_DATES = ['identityVerifiedOn'] as const

const codes = { requesterKinds: SAR_REQUESTER_KIND, identityMethods: SAR_IDENTITY_METHOD, decisions: SAR_ITEM_DECISION, exemptions: SAR_EXEMPTION, reviewFlags: SAR_REVIEW_FLAG, maxExtension: SAR_MAX_EXTENSION_MONTHS }

/** Sends the released bundle: an attachment, never rendered, not cached. */
export function sendBundle(res: Response, bundle: { pdf: Buffer; fileName: string }): void {
  res.attachment(bundle.fileName)
  res.setHeader('Content-Type', 'application/pdf')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
  res.setHeader('Cache-Control', 'private, no-store')
  res.status(200).send(bundle.pdf)
}

/** Which form of the request's page failed, so its errors show beside it. */
type FormName = 'identity' | 'extension' | 'compile' | 'submit' | 'approve' | `item-${string}`

export function subjectAccessRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get(BASE, requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'subject-access/index.njk', (at) => listSubjectAccessRequests(ctxOf(req, res), at), (page) => ({ requests: page.items, saved: req.query.saved }))
  })

  const renderNew = async (req: Request, res: Response, values: Record<string, unknown>, errors?: FormErrors, status = 200) => {
    const q = subjectAccessSearch.parse({ q: typeof values.q === 'string' ? values.q : '' }).q
    const people = await findPeopleForSubjectAccess(ctxOf(req, res), q)
    const chosen = new Set(([] as unknown[]).concat(values.personIds ?? []).map(String))
    const chosenNotShown = [...chosen].filter((id) => !people.some((p) => p.id === id))
    res.status(status).render('subject-access/new.njk', { values, errors, q, people, chosen: [...chosen], chosenNotShown, ...codes })
  }
  router.get(`${BASE}/new`, requireSignIn, (req, res) => renderNew(req, res, { q: req.query.q }))
  router.post(`${BASE}/new`, requireSignIn, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    // "Search" posts the form to find people, keeping what was typed.
    if (body.search !== undefined) return renderNew(req, res, body)
    const parsed = parseForm(subjectAccessNew, combineDates(body, NEW_DATES))
    if (!parsed.ok) return renderNew(req, res, body, linkDateErrors(parsed.errors, NEW_DATES), 400)
    try {
      const { id } = await recordSubjectAccessRequest(ctxOf(req, res), parsed.value)
      await discardSentDraft(ctxOf(req, res), req.body)
      res.redirect(303, `${BASE}/${id}?saved=recorded`)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderNew(req, res, body, linkDateErrors(formErrors(err.fieldErrors), NEW_DATES), 400)
      throw err
    }
  })

  const renderRequest = async (req: Request, res: Response, failed?: { form: FormName; values: Record<string, unknown>; errors: FormErrors }, status = 200) => {
    const view = await getSubjectAccessRequest(ctxOf(req, res), idParam(req, 'requestId'))
    res.status(status).render('subject-access/request.njk', {
      r: view,
      failed: failed?.form,
      values: failed?.values ?? {},
      errors: failed?.errors,
      saved: req.query.saved,
      me: serviceContext(deps, req, res).actor.userId,
      ...codes,
    })
  }
  router.get(`${BASE}/:requestId`, requireSignIn, (req, res) => renderRequest(req, res))

  /** A form of the request's page: parsed, done, then back to the page (errors beside the form; a stale version said so). */
  const step = <S extends z.ZodType>(path: string, form: (req: Request) => FormName, schema: S, dates: readonly string[], work: (req: Request, res: Response, value: z.infer<S>) => Promise<unknown>, saved: string) =>
    router.post(`${BASE}/:requestId/${path}`, requireSignIn, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const parsed = parseForm(schema, combineDates(body, dates))
      if (!parsed.ok) return renderRequest(req, res, { form: form(req), values: body, errors: linkDateErrors(parsed.errors, dates) }, 400)
      try {
        await work(req, res, parsed.value)
      } catch (err) {
        if (err instanceof ValidationFailed) return renderRequest(req, res, { form: form(req), values: body, errors: linkDateErrors(formErrors(err.fieldErrors), dates) }, 400)
        if (err instanceof EditConflict) return renderRequest(req, res, { form: form(req), values: body, errors: formErrors({ version: err.message }) }, 409)
        throw err
      }
      res.redirect(303, `${BASE}/${idParam(req, 'requestId')}?saved=${saved}${form(req).startsWith('item-') ? `#${form(req)}` : ''}`)
    })
  const id = (req: Request) => idParam(req, 'requestId')
  step('identity', () => 'identity', subjectAccessIdentity, IDENTITY_DATES, (req, res, v) => recordIdentityCheck(ctxOf(req, res), id(req), v), 'identity')
  step('extension', () => 'extension', subjectAccessExtension, [], (req, res, v) => extendSubjectAccessClock(ctxOf(req, res), id(req), v), 'extended')
  step('compile', () => 'compile', subjectAccessStep, [], (req, res, v) => compileSubjectAccessBundle(ctxOf(req, res), id(req), v.version), 'compiled')
  step('items/:itemId', (req) => `item-${idParam(req, 'itemId')}`, subjectAccessItemDecision, [], (req, res, v) => decideSubjectAccessItem(ctxOf(req, res), id(req), idParam(req, 'itemId'), v), 'item')
  step('submit', () => 'submit', subjectAccessStep, [], (req, res, v) => submitSubjectAccessReview(ctxOf(req, res), id(req), v.version), 'submitted')
  step('approve', () => 'approve', subjectAccessStep, [], (req, res, v) => approveSubjectAccessRelease(ctxOf(req, res), id(req), v.version), 'released')

  router.get(`${BASE}/:requestId/bundle`, requireSignIn, async (req, res) => {
    sendBundle(res, await downloadSubjectAccessBundle(ctxOf(req, res), id(req)))
  })

  return router
}
