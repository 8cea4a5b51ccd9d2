/**
 * Kinds of document (issue 18 §1): the partnership's list (/admin/document-kinds) with each kind's
 * largest file, read by every signed-in user; administrators add kinds, rename them, change their
 * limits and retire or reinstate them, at the version read. The same in the JSON API.
 */
import type { Request, Response, Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { documentKindChange, documentKindInput } from '../../../services/records/documents-input.ts'
import {
  addDocumentKind,
  changeDocumentKind,
  documentKindOf,
  documentKinds,
  mayManageDocumentKinds,
  type DocumentKindView,
} from '../../../services/records/document-kinds.ts'
import { DOCUMENT_MAX_BYTES } from '../../../domain/records/documents.ts'
import type { AppDeps } from '../../deps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const base = '/admin/document-kinds'
const MAX_MB = DOCUMENT_MAX_BYTES / (1024 * 1024)

type Values = Record<string, unknown>

/** A kind as the form shows it: its limit in whole megabytes. */
const formValues = (k: DocumentKindView): Values => ({ label: k.label, maxMegabytes: Math.round(k.maxBytes / (1024 * 1024)), active: String(k.active), version: k.version })

export function documentKindRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)
  const requireManage = (req: Request, res: Response) => {
    if (!mayManageDocumentKinds(ctxOf(req, res))) throw new AccessDenied('Only an administrator can add or change kinds of document')
  }

  router.get(base, requireSignIn, async (req, res) => {
    const ctx = ctxOf(req, res)
    res.render('document-kinds/index.njk', { kinds: await documentKinds(ctx), mayManage: mayManageDocumentKinds(ctx), saved: req.query.saved })
  })

  const renderForm = (res: Response, locals: { values: Values; errors?: FormErrors; conflict?: string; kind?: DocumentKindView }, status = 200) =>
    res.status(status).render('document-kinds/form.njk', { ...locals, maxMegabytes: MAX_MB })

  router.get(`${base}/new`, requireSignIn, (req, res) => {
    requireManage(req, res)
    renderForm(res, { values: { maxMegabytes: MAX_MB } })
  })
  router.post(`${base}/new`, requireSignIn, async (req, res) => {
    requireManage(req, res)
    const body = (req.body ?? {}) as Values
    const parsed = parseForm(documentKindInput, body)
    if (!parsed.ok) return renderForm(res, { values: body, errors: parsed.errors }, 400)
    try {
      await addDocumentKind(ctxOf(req, res), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderForm(res, { values: body, errors: formErrors(err.fieldErrors) }, 400)
      throw err
    }
    res.redirect(303, `${base}?saved=added`)
  })

  router.get(`${base}/:code`, requireSignIn, async (req, res) => {
    requireManage(req, res)
    const kind = await documentKindOf(ctxOf(req, res), idParam(req, 'code'))
    renderForm(res, { values: formValues(kind), kind })
  })
  router.post(`${base}/:code`, requireSignIn, async (req, res) => {
    requireManage(req, res)
    const body = (req.body ?? {}) as Values
    const ctx = ctxOf(req, res)
    const kind = await documentKindOf(ctx, idParam(req, 'code'))
    const parsed = parseForm(documentKindChange, body)
    if (!parsed.ok) return renderForm(res, { values: body, errors: parsed.errors, kind }, 400)
    try {
      await changeDocumentKind(ctx, kind.code, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderForm(res, { values: body, errors: formErrors(err.fieldErrors), kind }, 400)
      if (err instanceof EditConflict) {
        // What was typed is kept; the form now names the version as it is, to save over it knowingly.
        return renderForm(res, { values: { ...body, version: err.current?.version }, conflict: err.message, kind }, 409)
      }
      throw err
    }
    res.redirect(303, `${base}?saved=changed`)
  })
  return router
}

const TAG = 'Document kinds'

export function registerDocumentKindApi(api: ApiBuilder): void {
  api.get('/document-kinds', { summary: 'The partnership’s kinds of document in their order: code, label, maxBytes (the largest file taken), active (false: retired, kept on old documents, not taken for new uploads), fixed (letter and photograph, never retired), version', tag: TAG }, async ({ ctx }) => ({
    kinds: await documentKinds(ctx),
  }))
  api.post(
    '/document-kinds',
    { summary: `Add a kind of document (administrators): label, maxMegabytes (1 to ${MAX_MB}); its code is made from the label; a label another kind has is refused (422)`, tag: TAG, body: documentKindInput, status: 201 },
    async ({ ctx, body }) => addDocumentKind(ctx, body),
  )
  api.put(
    '/document-kinds/:code',
    { summary: 'Change a kind of document (administrators): label, maxMegabytes, active, at the version read (409 when stale); letter and photograph cannot be retired (422)', tag: TAG, body: documentKindChange },
    async ({ ctx, params, body }) => changeDocumentKind(ctx, params.code!, body),
  )
}
