/**
 * Documents on a LADO case (/lado-cases/{id}/documents) and a practice review
 * (/practice-reviews/{id}/documents) in the JSON API: the same services as the pages. An upload's
 * multipart body is read only once the record's policy lets the caller change it.
 */
import type { DocumentNewVersion, DocumentDetails } from '../../../services/records/documents-input.ts'
import { documentDetails, documentNewVersion } from '../../../services/records/documents-input.ts'
import {
  addOwnerDocumentVersion,
  documentsOfOwner,
  downloadOwnerDocumentVersion,
  requireOwnerUpdate,
  uploadOwnerDocuments,
  type DocumentOwnerKind,
} from '../../../services/partnership/documents.ts'
import { DOCUMENT_MAX_BYTES, DOCUMENT_MAX_FILES } from '../../../domain/records/documents.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { uploadRoute } from '../../common/middleware/uploads.ts'
import { sendDocument } from '../../records/documents/download.ts'
import { fieldsOf, readUpload } from '../../records/documents/api.ts'
import { uploadedFiles } from '../../records/documents/routes.ts'

const OWNERS: readonly { kind: DocumentOwnerKind; path: string; tag: string; who: string }[] = [
  { kind: 'lado-case', path: '/lado-cases/:id/documents', tag: 'Allegations (LADO)', who: "the designated officer's team changes them; the employer's named contact reads them" },
  { kind: 'practice-review', path: '/practice-reviews/:id/documents', tag: 'Practice reviews', who: "the review's members read them; its business unit members change them" },
]

export function registerRecordDocumentApi(api: ApiBuilder): void {
  for (const { kind, path, tag, who } of OWNERS) {
    const upload = uploadRoute({ path: `/api/v1${path}`, field: 'files', maxBytes: DOCUMENT_MAX_BYTES, maxFiles: DOCUMENT_MAX_FILES })
    const versionUpload = uploadRoute({ path: `/api/v1${path}/:documentId/versions`, field: 'file', maxBytes: DOCUMENT_MAX_BYTES })
    api.get(path, { summary: `The documents of the record, newest first, each with kind, kindLabel and its versions, as for a case's documents (${who}; anyone else 403, audited)`, tag }, async ({ ctx, params }) => ({
      documents: (await documentsOfOwner(ctx, { kind, id: params.id! })).documents,
    }))
    api.post(
      path,
      {
        summary: `Upload files to the record, each a document of its own: multipart/form-data with title, kind, datedOn (optional), receivedFrom (optional) before up to 10 parts named files; checked, scanned and stored as a case's documents are (422 on files or kind); returns { documents }. Refused (403, audited) before the body is read unless the caller may change the record (${who})`,
        tag,
        status: 201,
        rawBody: { mediaType: 'multipart/form-data', description: "title, kind, datedOn, receivedFrom, then the files (field name files, at most 10, each at most its kind's limit, never over 50 MB)" },
      },
      async ({ ctx, params, req, res }) => {
        const owner = { kind, id: params.id! }
        await requireOwnerUpdate(ctx, owner)
        if (!(await readUpload(upload, req, res))) return
        const details = fieldsOf<DocumentDetails>(documentDetails, req)
        return { documents: await uploadOwnerDocuments(ctx, owner, details, uploadedFiles(req)) }
      },
    )
    api.post(
      `${path}/:documentId/versions`,
      {
        summary: 'Upload a new version of one of the record’s documents (the earlier ones are kept): multipart/form-data with version (the document version read; 409 when stale) before one part named file; returns the document with its versions',
        tag,
        status: 201,
        rawBody: { mediaType: 'multipart/form-data', description: 'version, then the file (field name file)' },
      },
      async ({ ctx, params, req, res }) => {
        const owner = { kind, id: params.id! }
        await requireOwnerUpdate(ctx, owner)
        if (!(await readUpload(versionUpload, req, res))) return
        const input = fieldsOf<DocumentNewVersion>(documentNewVersion, req)
        const [file] = uploadedFiles(req)
        return addOwnerDocumentVersion(ctx, owner, params.documentId!, input, file ?? null)
      },
    )
    api.get(
      `${path}/:documentId/versions/:versionId`,
      {
        summary: 'Download a version of one of the record’s documents (410 with the reason for one quarantined or waiting for its virus scan), as a case’s download; a read of the record, audited',
        tag,
        rawResponse: { mediaType: 'application/octet-stream', description: "The file's bytes; Content-Type is the version's media type" },
      },
      async ({ ctx, params, req, res }) => {
        await sendDocument(req, res, () => downloadOwnerDocumentVersion(ctx, { kind, id: params.id! }, params.documentId!, params.versionId!))
      },
    )
  }
}
