/**
 * Keeps a PDF that Together made (a letter) as a document of the case, in the same tables as an
 * upload (document, document_version, document_chunk): the document of kind 'letter', its one
 * version, the bytes in 256 KiB chunks, audited as the upload of a version is. In the caller's
 * transaction, on a case opened for update.
 */
import { createHash } from 'node:crypto'
import { document, documentChunk, documentVersion } from '../../db/schema/index.ts'
import type { Db } from '../../db/connection.ts'
import { DOCUMENT_CHUNK_BYTES } from '../../domain/records/documents.ts'
import { audit } from '../access/audit.ts'
import type { ServiceContext } from '../common/context.ts'
import { createRecord, type OpenCase } from '../journey/case-records.ts'

export async function storeMadeDocument(
  ctx: ServiceContext,
  tx: Db,
  open: OpenCase,
  file: { title: string; kind: string; fileName: string; mediaType: string; bytes: Buffer; datedOn: string; receivedFrom: string | null },
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
  const [version] = await tx
    .insert(documentVersion)
    .values({
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
    })
    .returning({ id: documentVersion.id })
  for (let seq = 0, at = 0; at < file.bytes.length; seq++, at += DOCUMENT_CHUNK_BYTES) {
    await tx.insert(documentChunk).values({ partnershipId: ctx.actor.partnershipId, versionId: version!.id, seq, data: file.bytes.subarray(at, at + DOCUMENT_CHUNK_BYTES) })
  }
  await audit(ctx, tx, {
    action: 'document.version.create',
    recordType: 'document-version',
    recordId: version!.id,
    subjectPersonId: open.c.personId,
    ground: open.ground,
    detail: { documentId: row.id, number: 1, mediaType: file.mediaType, sizeBytes: file.bytes.length },
  })
  return { documentId: row.id, versionId: version!.id }
}
