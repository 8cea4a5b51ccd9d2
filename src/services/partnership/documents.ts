/**
 * Documents on the partnership's own records (issue 18 §1): a LADO case (an allegation against a
 * person who works with children) and a practice review, which are not on a child's case. The same
 * pipeline as a case's documents (services/records/documents.ts: type from the content, the kind's
 * size limit, the virus scan, the store, versions) and the same tables (document.owner_kind and
 * owner_id, case_id null). Who may list, upload, add a version and download is decided by the
 * record's own policy, as its page is (openLadoDocuments, openReviewDocuments): the designated
 * officer's team and the employer's named contact (read only) for a LADO case; the review's
 * members (the business unit's change it) for a review. Every read and download is audited as a
 * read of that record (`<record>.view`, section documents) and downloads as `document.download`.
 */
import { and, desc, eq, max } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { document, documentVersion } from '../../db/schema/index.ts'
import { audit, auditGrouped } from '../access/audit.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import type { DocumentNewVersion } from '../records/documents-input.ts'
import {
  checkFiles,
  kindInUse,
  kindOfDocument,
  openVersion,
  storeVersion,
  viewsOf,
  type DocumentAboutRecord,
  type DocumentDownload,
  type DocumentRow,
  type DocumentView,
  type UploadDetails,
  type UploadedFile,
} from '../records/documents.ts'
import { removingObjectsOnFailure } from '../records/document-store.ts'
import { partnershipTransaction } from './access.ts'
import { openLadoDocuments } from './lado/cases.ts'
import { openReviewDocuments } from './practice-reviews.ts'

/** The partnership's records that have documents of their own. */
export const DOCUMENT_OWNER_KINDS = ['lado-case', 'practice-review'] as const
export type DocumentOwnerKind = (typeof DOCUMENT_OWNER_KINDS)[number]

export interface DocumentOwner {
  kind: DocumentOwnerKind
  id: string
}

/** What the pages show above the documents: the record's page, and whether the user may upload. */
export interface OwnerFrame extends DocumentOwner {
  /** The record's page: /partnership/lado/:id, /partnership/reviews/:id. */
  link: string
  /** 'LADO case', 'Practice review'. */
  label: string
  mayUpdate: boolean
}

export interface OwnerDocumentsPage {
  owner: OwnerFrame
  /** Newest first. */
  documents: DocumentView[]
}

interface Opened {
  ground: string
  personId: string | null
  mayUpdate: boolean
}

const OWNERS: Record<DocumentOwnerKind, { open: (ctx: ServiceContext, db: Db, id: string, action: 'read' | 'update') => Promise<Opened>; link: string; label: string }> = {
  'lado-case': { open: openLadoDocuments, link: '/partnership/lado/', label: 'LADO case' },
  'practice-review': { open: openReviewDocuments, link: '/partnership/reviews/', label: 'Practice review' },
}

const frameOf = (owner: DocumentOwner, opened: Opened): OwnerFrame => ({
  ...owner,
  link: OWNERS[owner.kind].link + owner.id,
  label: OWNERS[owner.kind].label,
  mayUpdate: opened.mayUpdate,
})

const ownedBy = (owner: DocumentOwner) => and(eq(document.ownerKind, owner.kind), eq(document.ownerId, owner.id))

/** Opens the record for reading (audited as a view of its documents; a refusal audited and thrown). */
function openForRead(ctx: ServiceContext, owner: DocumentOwner): Promise<Opened> {
  return OWNERS[owner.kind].open(ctx, ctx.db, owner.id, 'read')
}

/**
 * Decides, before an upload's body is read, that the user may change the record (a refusal is
 * audited and thrown, 403; another partnership's record is 404): the upload routes call this
 * before the files are streamed to disk.
 */
export async function requireOwnerUpdate(ctx: ServiceContext, owner: DocumentOwner): Promise<void> {
  await partnershipTransaction(ctx, (tx) => OWNERS[owner.kind].open(ctx, tx, owner.id, 'update'))
}

/** The record's documents, newest first, each with its versions (a read of the record, audited). */
export async function documentsOfOwner(ctx: ServiceContext, owner: DocumentOwner): Promise<OwnerDocumentsPage> {
  const opened = await openForRead(ctx, owner)
  const rows = await ctx.db
    .select()
    .from(document)
    .where(and(eq(document.partnershipId, ctx.actor.partnershipId), ownedBy(owner)))
    .orderBy(desc(document.createdAt), desc(document.id))
  return { owner: frameOf(owner, opened), documents: await viewsOf(ctx.db, rows) }
}

/** The record's documents as its own page lists them (title, kind, date, link), newest first; a read of the record, audited. */
export async function documentSummariesOfOwner(ctx: ServiceContext, owner: DocumentOwner): Promise<{ owner: OwnerFrame; documents: DocumentAboutRecord[] }> {
  const page = await documentsOfOwner(ctx, owner)
  return {
    owner: page.owner,
    documents: page.documents.map((d) => ({ id: d.id, recordId: null, title: d.title, kindLabel: d.kindLabel, datedOn: d.datedOn, createdAt: d.createdAt, link: `${page.owner.link}/documents#document-${d.id}` })),
  }
}

/** One document of the record with its versions (a read of the record, audited). */
export async function documentOfOwner(ctx: ServiceContext, owner: DocumentOwner, documentId: string): Promise<{ owner: OwnerFrame; document: DocumentView }> {
  const opened = await openForRead(ctx, owner)
  const row = await ownDocument(ctx.db, ctx, owner, documentId)
  return { owner: frameOf(owner, opened), document: (await viewsOf(ctx.db, [row]))[0]! }
}

/** The record's frame alone (the upload form), a read of the record. */
export async function ownerFrame(ctx: ServiceContext, owner: DocumentOwner): Promise<OwnerFrame> {
  return frameOf(owner, await openForRead(ctx, owner))
}

async function ownDocument(db: Db, ctx: ServiceContext, owner: DocumentOwner, documentId: string): Promise<DocumentRow> {
  const [row] = await db
    .select()
    .from(document)
    .where(and(eq(document.id, documentId), eq(document.partnershipId, ctx.actor.partnershipId), ownedBy(owner)))
  if (!row) throw new NotFound(`No such document on this ${OWNERS[owner.kind].label}`)
  return row
}

/**
 * Uploads files to the record, each a document of its own with the details given, in one
 * transaction, as for a case: any file refused refuses them all on `field`, a kind not in use on
 * `kind`; a document of a LADO case or review is about the record as a whole (a recordKind is refused).
 */
export async function uploadOwnerDocuments(
  ctx: ServiceContext,
  owner: DocumentOwner,
  details: UploadDetails,
  files: readonly UploadedFile[],
  field = 'files',
): Promise<DocumentView[]> {
  if (details.recordKind || details.recordId) throw new ValidationFailed({ recordId: `A document on a ${OWNERS[owner.kind].label} is about the whole of it` })
  const checked = await checkFiles(ctx, files, await kindInUse(ctx, details.kind), field)
  const rows = await removingObjectsOnFailure(ctx.db, ctx.objectStore, (stored) =>
    partnershipTransaction(ctx, async (tx) => {
      const opened = await OWNERS[owner.kind].open(ctx, tx, owner.id, 'update')
      const made: DocumentRow[] = []
      for (const file of checked) {
        const [row] = await tx
          .insert(document)
          .values({
            partnershipId: ctx.actor.partnershipId,
            caseId: null,
            ownerKind: owner.kind,
            ownerId: owner.id,
            title: details.title,
            kind: details.kind,
            datedOn: details.datedOn,
            receivedFrom: details.receivedFrom,
            createdBy: ctx.actor.userId,
            createdAt: ctx.now(),
            updatedAt: ctx.now(),
          })
          .returning()
        await audit(ctx, tx, { action: 'document.create', recordType: 'document', recordId: row!.id, subjectPersonId: opened.personId, ground: opened.ground, detail: { owner: owner.kind, ownerId: owner.id } })
        await storeVersion(ctx, tx, opened, row!.id, 1, file, stored)
        made.push(row!)
      }
      return made
    }),
  )
  return viewsOf(ctx.db, rows)
}

/** Adds a new version of one of the record's documents (the old ones are kept), at the document's version read. */
export async function addOwnerDocumentVersion(
  ctx: ServiceContext,
  owner: DocumentOwner,
  documentId: string,
  input: DocumentNewVersion,
  file: UploadedFile | null,
  field = 'file',
): Promise<DocumentView> {
  const row = await removingObjectsOnFailure(ctx.db, ctx.objectStore, (stored) =>
    partnershipTransaction(ctx, async (tx) => {
      const opened = await OWNERS[owner.kind].open(ctx, tx, owner.id, 'update')
      const current = await ownDocument(tx, ctx, owner, documentId)
      const [checked] = await checkFiles(ctx, file ? [file] : [], await kindOfDocument(tx, ctx.actor.partnershipId, current.kind), field)
      const [updated] = await tx
        .update(document)
        .set({ version: current.version + 1, updatedAt: ctx.now() })
        .where(and(eq(document.id, current.id), eq(document.version, input.version)))
        .returning()
      if (!updated) {
        throw new EditConflict(`Someone else added a version of this document (now version ${current.version}) after you opened it (version ${input.version}). Your file has not been saved.`, current)
      }
      await audit(ctx, tx, { action: 'document.version', recordType: 'document', recordId: current.id, subjectPersonId: opened.personId, ground: opened.ground, detail: { owner: owner.kind, ownerId: owner.id } })
      const [last] = await tx.select({ n: max(documentVersion.number) }).from(documentVersion).where(eq(documentVersion.documentId, current.id))
      await storeVersion(ctx, tx, opened, current.id, (last?.n ?? 0) + 1, checked!, stored)
      return updated
    }),
  )
  return (await viewsOf(ctx.db, [row]))[0]!
}

/**
 * Opens a version of one of the record's documents for download: a read of the record (its policy
 * decides, refusals audited), audited as a download of that version.
 */
export async function downloadOwnerDocumentVersion(ctx: ServiceContext, owner: DocumentOwner, documentId: string, versionId: string): Promise<DocumentDownload> {
  const opened = await openForRead(ctx, owner)
  const [found] = await ctx.db
    .select({ v: documentVersion })
    .from(documentVersion)
    .innerJoin(document, eq(document.id, documentVersion.documentId))
    .where(and(eq(documentVersion.id, versionId), eq(document.id, documentId), eq(document.partnershipId, ctx.actor.partnershipId), ownedBy(owner)))
  if (!found) throw new NotFound(`No such document on this ${OWNERS[owner.kind].label}`)
  const download = openVersion(ctx.db, ctx.objectStore, found.v)
  await auditGrouped(ctx, {
    action: 'document.download',
    recordType: 'document-version',
    recordId: found.v.id,
    subjectPersonId: opened.personId,
    ground: opened.ground,
    detail: { documentId, number: found.v.number, owner: owner.kind, ownerId: owner.id },
  })
  return download
}
