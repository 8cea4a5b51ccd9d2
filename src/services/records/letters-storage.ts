/**
 * Keeps a PDF that Together made (a letter) as a document of the case, in the same tables as an
 * upload (document, document_version): the document of kind 'letter', its one version, the bytes
 * in the store new versions go to (document-store.ts: the database's chunks or the object store),
 * audited as the upload of a version is. In the caller's transaction, on a case opened for update;
 * the caller removes the object again if its transaction fails (removingObjectsOnFailure).
 */
import { createHash } from 'node:crypto'
import { document } from '../../db/schema/index.ts'
import type { Db } from '../../db/connection.ts'
import { insertVersion, type StoredVersion } from './document-store.ts'
import { audit } from '../access/audit.ts'
import type { ServiceContext } from '../common/context.ts'
import { createRecord, type OpenCase } from '../journey/case-records.ts'

export async function storeMadeDocument(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  file: { title: string; kind: string; fileName: string; mediaType: string; bytes: Buffer; datedOn: string; receivedFrom: string | null },
  stored: StoredVersion[],
): Promise<{ documentId: string; versionId: string }> {
  const row = await createRecord<typeof document.$inferSelect>(ctx, tx, open, 'document', document, {
    title: file.title,
    kind: file.kind,
    datedOn: file.datedOn,
    receivedFrom: file.receivedFrom,
    createdBy: ctx.actor.userId,
    createdAt: ctx.now(),
    updatedAt: ctx.now(),
  })
  const sha256 = createHash('sha256').update(file.bytes).digest('hex')
  const version = await insertVersion(
    tx,
    ctx.objectStore,
    {
      partnershipId: ctx.actor.partnershipId,
      documentId: row.id,
      number: 1,
      fileName: file.fileName,
      mediaType: file.mediaType,
      sizeBytes: file.bytes.length,
      sha256,
      // Made by Together itself, never from outside: nothing for a virus scanner to find.
      scanStatus: 'not-scanned',
      uploadedBy: ctx.actor.userId,
      uploadedAt: ctx.now(),
    },
    [file.bytes],
    stored,
  )
  await audit(ctx, tx, {
    action: 'document.version.create',
    recordType: 'document-version',
    recordId: version.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    detail: { documentId: row.id, number: 1, mediaType: file.mediaType, sizeBytes: file.bytes.length },
  })
  return { documentId: row.id, versionId: version.id }
}
