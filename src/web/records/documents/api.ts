/**
 * Documents on a case (JSON API): the same services as the pages. Files are uploaded as
 * multipart/form-data (read only after the case action is allowed, streamed to temporary files);
 * a version is downloaded as its bytes, an attachment, audited.
 */
import type { Request, Response } from 'express'
import { ValidationFailed } from '../../../services/common/context.ts'
import { documentAbout, documentDetails, documentNewVersion, type DocumentDetails, type DocumentNewVersion } from '../../../services/records/documents-input.ts'
import { addDocumentVersion, changeDocumentAbout, documentsOfCase, downloadDocumentVersion, uploadDocuments } from '../../../services/records/documents.ts'
import { DOCUMENT_MAX_BYTES, DOCUMENT_MAX_FILES } from '../../../domain/records/documents.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { parseForm } from '../../common/forms.ts'
import { uploadRoute, type UploadRoute } from '../../common/middleware/uploads.ts'
import { sendProblem } from '../../common/problem.ts'
import { sendDocument } from './download.ts'
import { uploadedFiles } from './routes.ts'
import { documentShareInput } from '../../../services/records/document-sharing-input.ts'
import { documentsSharedWithMyAgency, downloadSharedDocument, shareDocument, sharedDocument } from '../../../services/records/document-sharing.ts'

const TAG = 'Documents'
const path = '/cases/:caseId/documents'
const API_UPLOAD = uploadRoute({ path: `/api/v1${path}`, field: 'files', maxBytes: DOCUMENT_MAX_BYTES, maxFiles: DOCUMENT_MAX_FILES })
const API_VERSION_UPLOAD = uploadRoute({ path: `/api/v1${path}/:documentId/versions`, field: 'file', maxBytes: DOCUMENT_MAX_BYTES })

/** Reads the multipart body into temporary files and fields; false when it was answered (not multipart). */
export async function readUpload(route: UploadRoute, req: Request, res: Response): Promise<boolean> {
  if (!req.uploadRoute) {
    sendProblem(res, 415, 'Send the files as multipart/form-data')
    return false
  }
  await new Promise<void>((resolve, reject) => route.accept(req, res, (err?: unknown) => (err ? reject(err) : resolve())))
  if (req.uploadError) throw new ValidationFailed({ [route.field]: req.uploadError })
  return true
}

/** The form fields of a multipart body against `schema`, or a 422 naming each field. */
export function fieldsOf<T>(schema: Parameters<typeof parseForm>[0], req: Request): T {
  const parsed = parseForm(schema, req.body ?? {})
  if (!parsed.ok) throw new ValidationFailed(parsed.errors.fields)
  return parsed.value as T
}

export function registerDocumentApi(api: ApiBuilder): void {
  api.get(path, { summary: 'Documents on the case, newest first, each with kind and kindLabel (the partnership’s kinds: GET /document-kinds), recordKind and recordId (the record of the case it is about, or null for the case as a whole) with about ({ kind, id, text, link }), and its versions (newest first: number, fileName, mediaType decided from the content, sizeBytes, sha256, scanStatus (not-scanned, pending, clean or infected), scanSignature (what clamd found in an infected file), available, quarantined)', tag: TAG }, async ({ ctx, params }) => ({
    documents: (await documentsOfCase(ctx, params.caseId!)).documents,
  }))
  api.post(
    path,
    {
      caseAction: 'case:update',
      summary:
        "Upload files to the case, each a document of its own: multipart/form-data with the fields title, kind (the code of one of the partnership's kinds in use, GET /document-kinds; 422 on kind otherwise), datedOn ('YYYY-MM-DD', optional), receivedFrom (optional), recordKind and recordId (optional, both or neither: the record of this case the files are about, recordKind one of referral, assessment, strategy-discussion, section-47, conference; a record of another case is refused, 422 on recordId) before up to 10 parts named files. The type is decided from the content; a type not taken or a file over its kind's own limit refuses the upload (422 on files, nothing stored); returns { documents }. With a virus scanner configured each file is scanned first: a version infected is kept quarantined (scanStatus infected, scanSignature naming what was found, quarantined true, never served), one clamd could not scan is pending (rescanned by the periodic job)",
      tag: TAG,
      status: 201,
      rawBody: { mediaType: 'multipart/form-data', description: "title, kind, datedOn, receivedFrom, recordKind, recordId, then the files (field name files, at most 10, each at most its kind's limit, never over 50 MB)" },
    },
    async ({ ctx, params, req, res }) => {
      if (!(await readUpload(API_UPLOAD, req, res))) return
      const details = fieldsOf<DocumentDetails>(documentDetails, req)
      return { documents: await uploadDocuments(ctx, params.caseId!, details, uploadedFiles(req)) }
    },
  )
  api.post(
    `${path}/:documentId/versions`,
    {
      caseAction: 'case:update',
      summary: 'Upload a new version of a document (the earlier ones are kept): multipart/form-data with version (the document version read; 409 when stale) before one part named file; returns the document with its versions',
      tag: TAG,
      status: 201,
      rawBody: { mediaType: 'multipart/form-data', description: 'version, then the file (field name file)' },
    },
    async ({ ctx, params, req, res }) => {
      if (!(await readUpload(API_VERSION_UPLOAD, req, res))) return
      const input = fieldsOf<DocumentNewVersion>(documentNewVersion, req)
      const [file] = uploadedFiles(req)
      return addDocumentVersion(ctx, params.caseId!, params.documentId!, input, file ?? null)
    },
  )
  api.put(
    `${path}/:documentId/about`,
    {
      caseAction: 'case:update',
      summary:
        'Change what a document is about: recordKind and recordId (both: a record of this case, one of referral, assessment, strategy-discussion, section-47, conference; a record of another case is refused, 422 on recordId) or neither (null: the case as a whole), and version (the document version read; 409 when stale); returns the document with about',
      tag: TAG,
      body: documentAbout,
    },
    ({ ctx, params, body }) => changeDocumentAbout(ctx, params.caseId!, params.documentId!, body),
  )
  api.get(
    `${path}/:documentId/versions/:versionId`,
    {
      summary: 'Download a version of a document (410 with the reason for one quarantined or waiting for its virus scan): its bytes as an attachment (Content-Disposition: attachment, X-Content-Type-Options: nosniff; HTML, SVG and XML as application/octet-stream); a read of the case, audited against the child',
      tag: TAG,
      rawResponse: { mediaType: 'application/octet-stream', description: "The file's bytes; Content-Type is the version's media type" },
    },
    async ({ ctx, params, req, res }) => {
      await sendDocument(req, res, () => downloadDocumentVersion(ctx, params.caseId!, params.documentId!, params.versionId!))
    },
  )
  api.post(
    `${path}/:documentId/shares`,
    {
      caseAction: 'case:update',
      summary:
        "Share a version of a document with an agency of the partnership: versionId, agencyId, purpose, article6Basis, specialCategory ('yes'/'no'), article9Condition (with special category data), consent, consentReason (unless consent was given). The share goes on the child's information sharing ledger; the agency's users then see that version (GET /shared-documents). A version quarantined or waiting for its scan is refused (422 on versionId)",
      tag: TAG,
      body: documentShareInput,
      status: 201,
    },
    ({ ctx, params, body }) => shareDocument(ctx, params.caseId!, params.documentId!, body),
  )
  api.get('/shared-documents', { summary: "The documents shared with the caller's agency, newest first (each child named is audited as a read)", tag: TAG }, async ({ ctx }) => ({
    documents: await documentsSharedWithMyAgency(ctx),
  }))
  api.get('/shared-documents/:shareId', { summary: "A document shared with the caller's agency (404 for one not shared with it); audited against the child", tag: TAG }, ({ ctx, params }) =>
    sharedDocument(ctx, params.shareId!),
  )
  api.get(
    '/shared-documents/:shareId/file',
    {
      summary: "Download the version shared with the caller's agency (404 for one not shared with it): its bytes as an attachment, as the case's download; audited against the child",
      tag: TAG,
      rawResponse: { mediaType: 'application/octet-stream', description: "The file's bytes" },
    },
    async ({ ctx, params, req, res }) => {
      await sendDocument(req, res, () => downloadSharedDocument(ctx, params.shareId!))
    },
  )
}
