/**
 * Documents on the partnership's own records (issue 18 §1): a LADO case's
 * (/partnership/lado/:id/documents) and a practice review's (/partnership/reviews/:id/documents):
 * the list with every version, the upload form (several files at once), a new version, and the
 * download. The record's own policy decides every one (services/partnership/documents.ts); an
 * upload's body is read only once the user may change the record (ownerForm), as a case's is.
 */
import type { NextFunction, Request, Response, Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { documentDetails, documentNewVersion } from '../../../services/records/documents-input.ts'
import {
  addOwnerDocumentVersion,
  documentOfOwner,
  documentsOfOwner,
  downloadOwnerDocumentVersion,
  ownerFrame,
  requireOwnerUpdate,
  uploadOwnerDocuments,
  type DocumentOwner,
  type DocumentOwnerKind,
} from '../../../services/partnership/documents.ts'
import { DOCUMENT_MAX_BYTES, DOCUMENT_MAX_FILES } from '../../../domain/records/documents.ts'
import { documentKinds } from '../../../services/records/document-kinds.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { uploadRoute, type UploadRoute } from '../../common/middleware/uploads.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { sendDocument } from '../../records/documents/download.ts'
import { kindOptions, scanOutcome, uploadedFiles } from '../../records/documents/routes.ts'

const DATES = ['datedOn'] as const

/** The two records with documents, each under its own pages' path. */
export const OWNER_PAGES: readonly { kind: DocumentOwnerKind; base: string; upload: UploadRoute; versionUpload: UploadRoute }[] = [
  { kind: 'lado-case', base: '/partnership/lado' },
  { kind: 'practice-review', base: '/partnership/reviews' },
].map((o) => ({
  kind: o.kind as DocumentOwnerKind,
  base: o.base,
  upload: uploadRoute({ path: `${o.base}/:id/documents/new`, field: 'files', maxBytes: DOCUMENT_MAX_BYTES, maxFiles: DOCUMENT_MAX_FILES }),
  versionUpload: uploadRoute({ path: `${o.base}/:id/documents/:documentId/versions/new`, field: 'file', maxBytes: DOCUMENT_MAX_BYTES }),
}))

export function recordDocumentRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  for (const { kind, base, upload, versionUpload } of OWNER_PAGES) {
    const ownerOf = (req: Request): DocumentOwner => ({ kind, id: idParam(req) })
    const list = (req: Request) => `${base}/${idParam(req)}/documents`
    /** Before a form is shown or its body read: the user may change the record (refusal audited, 403). */
    const ownerForm = async (req: Request, res: Response, next: NextFunction) => {
      await requireOwnerUpdate(ctxOf(req, res), ownerOf(req))
      next()
    }

    router.get(`${base}/:id/documents`, requireSignIn, async (req, res) => {
      res.render('record-documents/index.njk', { ...(await documentsOfOwner(ctxOf(req, res), ownerOf(req))), saved: req.query.saved })
    })

    const renderUpload = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors }, status = 200) => {
      const ctx = ctxOf(req, res)
      const owner = await ownerFrame(ctx, ownerOf(req))
      const values = locals.values ?? {}
      res.status(status).render('record-documents/upload.njk', { owner, values, errors: locals.errors, kinds: kindOptions(await documentKinds(ctx), values.kind), maxFiles: DOCUMENT_MAX_FILES })
    }
    router.get(upload.path, requireSignIn, ownerForm, (req, res) => renderUpload(req, res, {}))
    router.post(upload.path, requireSignIn, ownerForm, upload.accept, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const again = ' Choose the files again.'
      if (req.uploadError) return renderUpload(req, res, { values: body, errors: formErrors({ files: req.uploadError + again }) }, 400)
      const parsed = parseForm(documentDetails, combineDates(body, DATES))
      if (!parsed.ok) return renderUpload(req, res, { values: body, errors: linkDateErrors(parsed.errors, DATES) }, 400)
      let made
      try {
        made = await uploadOwnerDocuments(ctxOf(req, res), ownerOf(req), parsed.value, uploadedFiles(req))
      } catch (err) {
        if (err instanceof ValidationFailed) {
          const fields = { ...err.fieldErrors }
          if (fields.files) fields.files += again
          return renderUpload(req, res, { values: body, errors: linkDateErrors(formErrors(fields), DATES) }, 400)
        }
        throw err
      }
      res.redirect(303, `${list(req)}?saved=${scanOutcome(made, 'uploaded')}`)
    })

    const renderVersion = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: string }, status = 200) => {
      const page = await documentOfOwner(ctxOf(req, res), ownerOf(req), idParam(req, 'documentId'))
      res.status(status).render('record-documents/version.njk', { ...page, values: locals.values ?? { version: page.document.version }, errors: locals.errors, conflict: locals.conflict })
    }
    router.get(versionUpload.path, requireSignIn, ownerForm, (req, res) => renderVersion(req, res, {}))
    router.post(versionUpload.path, requireSignIn, ownerForm, versionUpload.accept, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      if (req.uploadError) return renderVersion(req, res, { values: body, errors: formErrors({ file: req.uploadError }) }, 400)
      const parsed = parseForm(documentNewVersion, body)
      if (!parsed.ok) return renderVersion(req, res, { values: body, errors: parsed.errors }, 400)
      const [file] = uploadedFiles(req)
      let made
      try {
        made = await addOwnerDocumentVersion(ctxOf(req, res), ownerOf(req), idParam(req, 'documentId'), parsed.value, file ?? null)
      } catch (err) {
        if (err instanceof ValidationFailed) return renderVersion(req, res, { values: body, errors: formErrors(err.fieldErrors) }, 400)
        if (err instanceof EditConflict) return renderVersion(req, res, { conflict: err.message }, 409)
        throw err
      }
      res.redirect(303, `${list(req)}?saved=${scanOutcome([{ ...made, versions: made.versions.slice(0, 1) }], 'version')}`)
    })

    router.get(`${base}/:id/documents/:documentId/versions/:versionId`, requireSignIn, async (req, res) => {
      await sendDocument(
        req,
        res,
        () => downloadOwnerDocumentVersion(ctxOf(req, res), ownerOf(req), idParam(req, 'documentId'), idParam(req, 'versionId')),
        { href: list(req), text: 'Back to the documents' },
      )
    })
  }
  return router
}
