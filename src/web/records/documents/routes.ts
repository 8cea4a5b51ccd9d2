/**
 * Documents on a case (issue 18 §1): the list with every version (/cases/:id/documents), a page
 * to upload files (several at once, one title, kind, date and source for them all), a page to add
 * a new version of one, and the download of any version (an attachment, audited).
 */
import type { Request, Response, Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { documentAbout, documentDetails, documentNewVersion } from '../../../services/records/documents-input.ts'
import {
  addDocumentVersion,
  changeDocumentAbout,
  documentAndRecordsOfCase,
  documentOfCase,
  documentsOfCase,
  downloadDocumentVersion,
  recordsForCaseDocuments,
  uploadDocuments,
  type DocumentView,
  type UploadedFile,
} from '../../../services/records/documents.ts'
import { DOCUMENT_MAX_BYTES, DOCUMENT_MAX_FILES } from '../../../domain/records/documents.ts'
import { documentKinds, type DocumentKindView } from '../../../services/records/document-kinds.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { uploadRoute } from '../../common/middleware/uploads.ts'
import { caseForm } from '../../common/case-forms.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { sendDocument } from './download.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { documentShareInput } from '../../../services/records/document-sharing-input.ts'
import { documentsSharedWithMyAgency, downloadSharedDocument, shareDocument, sharedDocument, sharesOfDocuments } from '../../../services/records/document-sharing.ts'
import { listAgencies } from '../../../services/organisation/organisation.ts'
import { ARTICLE_6_BASIS, ARTICLE_9_CONDITION, SHARE_CONSENT } from '../../../services/multi-agency/information-sharing-input.ts'

const SHARE_CODES = { ARTICLE_6_BASIS, ARTICLE_9_CONDITION, SHARE_CONSENT }

const SECTION = 'documents'
const DATES = ['datedOn'] as const

export const DOCUMENT_UPLOAD = uploadRoute({ path: '/cases/:id/documents/new', field: 'files', maxBytes: DOCUMENT_MAX_BYTES, maxFiles: DOCUMENT_MAX_FILES })
export const DOCUMENT_VERSION_UPLOAD = uploadRoute({ path: '/cases/:id/documents/:documentId/versions/new', field: 'file', maxBytes: DOCUMENT_MAX_BYTES })

/** The files multer stored for this request, as the service takes them. */
export function uploadedFiles(req: Request): UploadedFile[] {
  const files = Array.isArray(req.files) ? req.files : req.file ? [req.file] : []
  return files.map((f) => ({ name: f.originalname, path: f.path }))
}

/** The banner after an upload: a virus found, a scan still to come, or the plain success. */
export function scanOutcome(made: DocumentView[], saved: string): string {
  const versions = made.flatMap((d) => d.versions)
  if (versions.some((v) => v.quarantined)) return 'quarantined'
  if (versions.some((v) => v.scanStatus === 'pending')) return 'pending'
  return saved
}

/** The upload form's kinds: those in use, each with its largest file. */
export const kindOptions = (kinds: readonly DocumentKindView[], selected: unknown) => [
  { value: '', text: 'Select a kind' },
  ...kinds.filter((k) => k.active).map((k) => ({ value: k.code, text: `${k.label} (up to ${k.sizeLabel})`, selected: k.code === selected })),
]

/** The form's one "About" field ('assessment:<id>', or '' for the case as a whole) as the service's recordKind and recordId. */
function withRecord(body: Record<string, unknown>): Record<string, unknown> {
  const about = typeof body.about === 'string' ? body.about : ''
  const at = about.indexOf(':')
  return { ...body, recordKind: at > 0 ? about.slice(0, at) : null, recordId: at > 0 ? about.slice(at + 1) : null }
}

/** Errors on the record the documents are about are shown on the form's "About" field. */
function aboutErrors(errors: FormErrors): FormErrors {
  const message = errors.fields.recordId ?? errors.fields.recordKind
  if (!message) return errors
  const { recordId: _id, recordKind: _kind, ...fields } = errors.fields
  return formErrors({ ...fields, about: message })
}

export function documentRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)
  const base = '/cases/:id/documents'

  router.get(base, requireSignIn, async (req, res) => {
    const ctx = ctxOf(req, res)
    const page = await documentsOfCase(ctx, idParam(req))
    const shares = await sharesOfDocuments(ctx, page.documents.map((d) => d.id))
    res.render('documents/index.njk', { ...page, shares, saved: req.query.saved })
  })

  const renderUpload = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors }, status = 200) => {
    const ctx = ctxOf(req, res)
    const { c, records } = await recordsForCaseDocuments(ctx, idParam(req))
    const values = locals.values ?? {}
    const kinds = await documentKinds(ctx)
    const about = [{ value: '', text: 'The case as a whole' }, ...records.map((o) => ({ value: `${o.kind}:${o.id}`, text: o.text, selected: `${o.kind}:${o.id}` === values.about }))]
    res.status(status).render('documents/upload.njk', { c, values, errors: locals.errors, kinds: kindOptions(kinds, values.kind), limits: kinds.filter((k) => k.active), about, maxFiles: DOCUMENT_MAX_FILES })
  }
  // ?about=assessment:<id> preselects the record, from a link on that record's page.
  router.get(DOCUMENT_UPLOAD.path, requireSignIn, caseForm(deps, SECTION), (req, res) => renderUpload(req, res, { values: { about: typeof req.query.about === 'string' ? req.query.about : '' } }))
  router.post(DOCUMENT_UPLOAD.path, requireSignIn, caseForm(deps, SECTION), DOCUMENT_UPLOAD.accept, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const again = ' Choose the files again.'
    if (req.uploadError) return renderUpload(req, res, { values: body, errors: formErrors({ files: req.uploadError + again }) }, 400)
    const parsed = parseForm(documentDetails, withRecord(combineDates(body, DATES)))
    if (!parsed.ok) return renderUpload(req, res, { values: body, errors: linkDateErrors(aboutErrors(parsed.errors), DATES) }, 400)
    let made
    try {
      made = await uploadDocuments(ctxOf(req, res), idParam(req), parsed.value, uploadedFiles(req))
    } catch (err) {
      if (err instanceof ValidationFailed) {
        const fields = { ...err.fieldErrors }
        if (fields.files) fields.files += again
        return renderUpload(req, res, { values: body, errors: linkDateErrors(aboutErrors(formErrors(fields)), DATES) }, 400)
      }
      throw err
    }
    res.redirect(303, `/cases/${idParam(req)}/documents?saved=${scanOutcome(made, 'uploaded')}`)
  })

  const renderVersion = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: string }, status = 200) => {
    const page = await documentOfCase(ctxOf(req, res), idParam(req), idParam(req, 'documentId'))
    res.status(status).render('documents/version.njk', {
      c: page.c,
      document: page.document,
      values: locals.values ?? { version: page.document.version },
      errors: locals.errors,
      conflict: locals.conflict,
    })
  }
  router.get(DOCUMENT_VERSION_UPLOAD.path, requireSignIn, caseForm(deps, SECTION), (req, res) => renderVersion(req, res, {}))
  router.post(DOCUMENT_VERSION_UPLOAD.path, requireSignIn, caseForm(deps, SECTION), DOCUMENT_VERSION_UPLOAD.accept, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    if (req.uploadError) return renderVersion(req, res, { values: body, errors: formErrors({ file: req.uploadError }) }, 400)
    const parsed = parseForm(documentNewVersion, body)
    if (!parsed.ok) return renderVersion(req, res, { values: body, errors: parsed.errors }, 400)
    const [file] = uploadedFiles(req)
    let made
    try {
      made = await addDocumentVersion(ctxOf(req, res), idParam(req), idParam(req, 'documentId'), parsed.value, file ?? null)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderVersion(req, res, { values: body, errors: formErrors(err.fieldErrors) }, 400)
      if (err instanceof EditConflict) {
        // The page shows the versions as they are now; the form names the document's version now.
        return renderVersion(req, res, { conflict: err.message }, 409)
      }
      throw err
    }
    // The newest version is the one just uploaded.
    res.redirect(303, `/cases/${idParam(req)}/documents?saved=${scanOutcome([{ ...made, versions: made.versions.slice(0, 1) }], 'version')}`)
  })

  // What a document is about, changed afterwards (a record of the case, or the case as a whole).
  const aboutPath = `${base}/:documentId/about`
  const renderAbout = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors; conflict?: string }, status = 200) => {
    const ctx = ctxOf(req, res)
    const page = await documentAndRecordsOfCase(ctx, idParam(req), idParam(req, 'documentId'))
    const records = page.records
    const current = page.document.about ? `${page.document.about.kind}:${page.document.about.id}` : ''
    const values = locals.values ?? { about: current, version: page.document.version }
    const about = [{ value: '', text: 'The case as a whole' }, ...records.map((o) => ({ value: `${o.kind}:${o.id}`, text: o.text }))].map((o) => ({ ...o, selected: o.value === values.about }))
    res.status(status).render('documents/about.njk', { c: page.c, document: page.document, values, about, errors: locals.errors, conflict: locals.conflict })
  }
  router.get(aboutPath, requireSignIn, caseForm(deps, SECTION), (req, res) => renderAbout(req, res, {}))
  router.post(aboutPath, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const parsed = parseForm(documentAbout, withRecord(body))
    if (!parsed.ok) return renderAbout(req, res, { values: body, errors: aboutErrors(parsed.errors) }, 400)
    try {
      await changeDocumentAbout(ctxOf(req, res), idParam(req), idParam(req, 'documentId'), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderAbout(req, res, { values: body, errors: aboutErrors(formErrors(err.fieldErrors)) }, 400)
      // The form keeps the choice made, at the document's version now (the conflict carries it).
      if (err instanceof EditConflict) {
        const now = (err.current as { version?: unknown } | undefined)?.version
        return renderAbout(req, res, { values: { ...body, version: now ?? body.version }, conflict: err.message }, 409)
      }
      throw err
    }
    res.redirect(303, `/cases/${idParam(req)}/documents?saved=about#document-${idParam(req, 'documentId')}`)
  })

  // Sharing a version with a partner agency, on the information sharing ledger.
  const sharePath = `${base}/:documentId/share`
  const renderShare = async (req: Request, res: Response, locals: { values?: Record<string, unknown>; errors?: FormErrors }, status = 200) => {
    const ctx = ctxOf(req, res)
    const page = await documentOfCase(ctx, idParam(req), idParam(req, 'documentId'))
    const agencies = (await listAgencies(ctx)).filter((a) => a.active)
    const versions = page.document.versions.filter((v) => v.available)
    res.status(status).render('documents/share.njk', { c: page.c, document: page.document, versions, agencies, codes: SHARE_CODES, values: locals.values ?? { versionId: versions[0]?.id }, errors: locals.errors })
  }
  router.get(sharePath, requireSignIn, caseForm(deps, SECTION), (req, res) => renderShare(req, res, {}))
  router.post(sharePath, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const parsed = parseForm(documentShareInput, body)
    if (!parsed.ok) return renderShare(req, res, { values: body, errors: parsed.errors }, 400)
    try {
      await shareDocument(ctxOf(req, res), idParam(req), idParam(req, 'documentId'), parsed.value)
      await discardSentDraft(ctxOf(req, res), req.body)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderShare(req, res, { values: body, errors: formErrors(err.fieldErrors) }, 400)
      throw err
    }
    res.redirect(303, `/cases/${idParam(req)}/documents?saved=shared`)
  })

  // A partner agency's users: the documents shared with their agency, each one, and its file.
  router.get('/shared-documents', requireSignIn, async (req, res) => {
    res.render('documents/shared-list.njk', { shared: await documentsSharedWithMyAgency(ctxOf(req, res)) })
  })
  router.get('/shared-documents/:shareId', requireSignIn, async (req, res) => {
    res.render('documents/shared.njk', { d: await sharedDocument(ctxOf(req, res), idParam(req, 'shareId')) })
  })
  router.get('/shared-documents/:shareId/file', requireSignIn, async (req, res) => {
    await sendDocument(req, res, () => downloadSharedDocument(ctxOf(req, res), idParam(req, 'shareId')))
  })

  router.get(`${base}/:documentId/versions/:versionId`, requireSignIn, async (req, res) => {
    await sendDocument(req, res, () => downloadDocumentVersion(ctxOf(req, res), idParam(req), idParam(req, 'documentId'), idParam(req, 'versionId')))
  })

  return router
}
