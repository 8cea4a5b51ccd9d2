/**
 * Documents on a case (issue 18 §1, first slice): files uploaded to a case with a title, kind,
 * date and who they came from; a new version keeps the old ones; nothing is deleted. The type is
 * decided from the content (file-type, then UTF-8 text), each kind has a size limit, and the bytes
 * are streamed from the upload's temporary file to the store (document-store.ts: 256 KiB chunks in
 * the database, or the S3-compatible object store when configured), never whole in memory.
 * Listing is a read of the case and a download a read audited against the child, both through the
 * case gateway's policy; a version waiting for (or failing) a virus scan is never served.
 *
 * With a virus scanner (ClamAV's clamd, ctx.scanner) each file is streamed to it from its temporary
 * file before it is stored: clean, it is stored `clean`; infected, it is stored `infected` with the
 * signature, quarantined (never served, audited as `document.quarantine`), and the answer says so;
 * when clamd cannot answer, it is stored `pending` and the periodic job rescans it
 * (rescanPendingVersions) from where its bytes are kept. Without a scanner a file is stored `not-scanned`, as before.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { and, asc, desc, eq, inArray, max } from 'drizzle-orm'
import { fileTypeFromFile } from 'file-type'
import type { Db } from '../../db/connection.ts'
import {
  appUser,
  assessment,
  childCase,
  cinEpisode,
  conference,
  document,
  documentVersion,
  section47Enquiry,
  strategyDiscussion,
} from '../../db/schema/index.ts'
import {
  decideMediaType,
  DOCUMENT_CHUNK_BYTES,
  DOCUMENT_MAX_BYTES,
  DOCUMENT_MAX_FILES,
  DOCUMENT_MEDIA_TYPES,
  documentKindLabel,
  documentRecordText,
  servedMediaType,
  sizeText,
  type DocumentKindEntry,
  type DocumentRecordKind,
} from '../../domain/records/documents.ts'
import { documentKindsOf } from './document-kinds.ts'
import { appendAudit, audit, auditGrouped } from '../access/audit.ts'
import { NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { caseFrame, type CaseFrame } from '../journey/case-notes.ts'
import { createRecord, getRecord, updateRecord, withCase, type OpenCase } from '../journey/case-records.ts'
import { decideCaseAction, loadCase } from '../journey/case-access.ts'
import type { DocumentAbout, DocumentDetails, DocumentNewVersion } from './documents-input.ts'
import { ScannerUnavailable, type VirusScanner } from './clamd.ts'
import { bytesOf, insertVersion, removingObjectsOnFailure, storeOf, type DocumentStore, type StoredVersion } from './document-store.ts'

export type DocumentRow = typeof document.$inferSelect
export type DocumentVersionRow = typeof documentVersion.$inferSelect

const ENTITY = 'document'
const SECTION = 'documents'
/** Scan states a version may be served in. */
export const SERVABLE: ReadonlySet<string> = new Set(['not-scanned', 'clean'])

/** A version that exists but may not be downloaded: infected (quarantined) or waiting for its scan. */
export class DocumentUnavailable extends Error {
  override name = 'DocumentUnavailable'
}

/** What the scanner said of a file, as it is stored on its version. */
interface ScanOutcome {
  scanStatus: 'not-scanned' | 'pending' | 'clean' | 'infected'
  scanSignature: string | null
  scannedAt: Date | null
}

/**
 * Streams the bytes to the scanner, when there is one: `clean` or `infected` (with the signature)
 * as it answers, `pending` when it cannot (unreachable, timed out, an error), `not-scanned` without one.
 */
async function scanBytes(scanner: VirusScanner | null | undefined, bytes: () => AsyncIterable<Uint8Array>, now: Date): Promise<ScanOutcome> {
  if (!scanner) return { scanStatus: 'not-scanned', scanSignature: null, scannedAt: null }
  try {
    const verdict = await scanner.scan(bytes())
    return verdict.infected
      ? { scanStatus: 'infected', scanSignature: verdict.signature, scannedAt: now }
      : { scanStatus: 'clean', scanSignature: null, scannedAt: now }
  } catch (err) {
    if (err instanceof ScannerUnavailable) return { scanStatus: 'pending', scanSignature: null, scannedAt: null }
    throw err
  }
}

/** A file as the upload left it: its name as sent, and the temporary file holding it. */
export interface UploadedFile {
  name: string
  path: string
}

export interface DocumentVersionView extends DocumentVersionRow {
  uploadedByName: string
  /** 'PDF', 'Word document' ... */
  typeLabel: string
  sizeLabel: string
  /** Whether it may be downloaded (not waiting for or failing a scan). */
  available: boolean
  /** Infected: kept, never served (scanSignature names what clamd found). */
  quarantined: boolean
}

export interface DocumentView extends DocumentRow {
  kindLabel: string
  /** The record of the case it is about, in words and with its page; null for the case as a whole. */
  about: DocumentRecordOption | null
  createdByName: string
  /** Newest first. */
  versions: DocumentVersionView[]
}

/** A record of the case a document may be about: what the upload form offers, what a document says it is about. */
export interface DocumentRecordOption {
  kind: DocumentRecordKind
  id: string
  /** 'Initial child protection conference 12 June 2026'. */
  text: string
  /** The record's page. */
  link: string
}

/**
 * The records of a case a document may be about, in the order they began: its referrals,
 * assessments, strategy discussions, section 47 enquiries and conferences (LADO cases are the
 * partnership's, not a child's case's, so are not among them).
 */
export async function recordsForDocuments(db: Db, caseId: string): Promise<DocumentRecordOption[]> {
  const page = (path: string) => `/cases/${caseId}/${path}`
  const [referrals, assessments, discussions, enquiries, conferences] = await Promise.all([
    db.select().from(cinEpisode).where(eq(cinEpisode.caseId, caseId)),
    db.select().from(assessment).where(eq(assessment.caseId, caseId)),
    db.select().from(strategyDiscussion).where(eq(strategyDiscussion.caseId, caseId)),
    db.select().from(section47Enquiry).where(eq(section47Enquiry.caseId, caseId)),
    db.select().from(conference).where(eq(conference.caseId, caseId)),
  ])
  const options: (DocumentRecordOption & { on: string })[] = [
    ...referrals.map((r) => ({ kind: 'referral' as const, id: r.id, on: r.referralDate, link: page('contacts'), text: documentRecordText('referral', r) })),
    ...assessments.map((r) => ({ kind: 'assessment' as const, id: r.id, on: r.startedOn, link: page(`assessments/${r.id}`), text: documentRecordText('assessment', r) })),
    ...discussions.map((r) => ({ kind: 'strategy-discussion' as const, id: r.id, on: r.heldAt.toISOString(), link: page(`strategy-discussions/${r.id}`), text: documentRecordText('strategy-discussion', r) })),
    ...enquiries.map((r) => ({ kind: 'section-47' as const, id: r.id, on: r.startedOn, link: page(`section47/${r.id}`), text: documentRecordText('section-47', r) })),
    ...conferences.map((r) => ({ kind: 'conference' as const, id: r.id, on: r.heldOn ?? r.scheduledFor, link: page(`conferences/${r.id}`), text: documentRecordText('conference', r) })),
  ]
  return options.sort((a, b) => a.on.localeCompare(b.on) || a.text.localeCompare(b.text)).map(({ on: _on, ...o }) => o)
}

export interface DocumentsPage {
  c: CaseFrame
  /** Newest first. */
  documents: DocumentView[]
}

/** A file read through once: its type from the content, size and SHA-256, then scanned. */
export interface CheckedFile extends UploadedFile {
  mediaType: string
  sizeBytes: number
  sha256: string
  scan: ScanOutcome
}

/** Reads a file once: its size, SHA-256, whether it is all valid UTF-8, and its first characters. */
async function readThrough(path: string) {
  const hash = createHash('sha256')
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let sizeBytes = 0
  let utf8Text = true
  let textStart = ''
  for await (const piece of createReadStream(path, { highWaterMark: DOCUMENT_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    hash.update(piece)
    sizeBytes += piece.length
    if (utf8Text) {
      try {
        const text = decoder.decode(piece, { stream: true })
        if (textStart.length < 1024) textStart += text.slice(0, 1024 - textStart.length)
      } catch {
        utf8Text = false
      }
    }
  }
  if (utf8Text) {
    try {
      decoder.decode()
    } catch {
      utf8Text = false
    }
  }
  return { sizeBytes, sha256: hash.digest('hex'), utf8Text, textStart }
}

const NOT_SCANNED: ScanOutcome = { scanStatus: 'not-scanned', scanSignature: null, scannedAt: null }

/**
 * Checks each file against the kind's size limit and the types taken, reading it from disk (never
 * whole into memory); every file's problem is reported on `field`, nothing is stored if any has one.
 */
export async function checkFiles(ctx: ServiceContext, files: readonly UploadedFile[], kind: DocumentKindEntry, field: string): Promise<CheckedFile[]> {
  if (files.length === 0) throw new ValidationFailed({ [field]: 'Choose a file to upload' })
  if (files.length > DOCUMENT_MAX_FILES) throw new ValidationFailed({ [field]: `Choose at most ${DOCUMENT_MAX_FILES} files at once` })
  const limit = kind.maxBytes
  const problems: string[] = []
  const checked: CheckedFile[] = []
  for (const file of files) {
    const read = await readThrough(file.path)
    if (read.sizeBytes === 0) {
      problems.push(`${file.name} is empty.`)
      continue
    }
    if (read.sizeBytes > limit) {
      problems.push(`${file.name} is ${sizeText(read.sizeBytes)}: a ${kind.label.toLowerCase()} can be at most ${sizeText(limit)}.`)
      continue
    }
    const detected = (await fileTypeFromFile(file.path))?.mime ?? null
    const decision = decideMediaType(file.name, { detected, utf8Text: read.utf8Text, textStart: read.textStart })
    if (!decision.ok) {
      problems.push(decision.reason)
      continue
    }
    checked.push({ ...file, mediaType: decision.mediaType, sizeBytes: read.sizeBytes, sha256: read.sha256, scan: NOT_SCANNED })
  }
  if (problems.length > 0) throw new ValidationFailed({ [field]: problems.join(' ') })
  // Scanned once every file is taken, each streamed from its temporary file.
  for (const file of checked) {
    file.scan = await scanBytes(ctx.scanner, () => createReadStream(file.path, { highWaterMark: DOCUMENT_CHUNK_BYTES }), ctx.now())
  }
  return checked
}

/** Whom a change to a document is audited against (the child, when there is one) and under which ground. */
export interface AuditSubject {
  personId: string | null
  ground: string
}

const subjectOf = (open: OpenCase): AuditSubject => ({ personId: open.c.personId, ground: open.ground })

/** Stores a checked file as version `number` of a document: the version row, then its bytes in the store new versions go to. */
export async function storeVersion(ctx: ServiceContext, tx: Db, open: AuditSubject, documentId: string, number: number, file: CheckedFile, stored: StoredVersion[]): Promise<DocumentVersionRow> {
  const hash = createHash('sha256')
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const piece of createReadStream(file.path, { highWaterMark: DOCUMENT_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      hash.update(piece)
      yield piece
    }
  }
  const row = await insertVersion(
    tx,
    ctx.objectStore,
    {
      partnershipId: ctx.actor.partnershipId,
      documentId,
      number,
      fileName: file.name,
      mediaType: file.mediaType,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      ...file.scan,
      uploadedBy: ctx.actor.userId,
      uploadedAt: ctx.now(),
    },
    hashed(),
    stored,
  )
  // The temporary file is the upload's own; it changing between the check and the store is a fault.
  if (hash.digest('hex') !== file.sha256) throw new Error(`${file.name} changed while it was being stored`)
  await audit(ctx, tx, {
    action: 'document.version.create',
    recordType: 'document-version',
    recordId: row.id,
    subjectPersonId: open.personId,
    ground: open.ground,
    detail: { documentId, number, mediaType: file.mediaType, sizeBytes: file.sizeBytes, scanStatus: file.scan.scanStatus },
  })
  if (file.scan.scanStatus === 'infected') {
    await audit(ctx, tx, {
      action: 'document.quarantine',
      recordType: 'document-version',
      recordId: row.id,
      subjectPersonId: open.personId,
      ground: open.ground,
      detail: { documentId, number, signature: file.scan.scanSignature },
    })
  }
  return row
}

/** Documents as the pages and the API show them (all of one owner: a case, a LADO case or a review). */
export async function viewsOf(db: Db, rows: DocumentRow[]): Promise<DocumentView[]> {
  if (rows.length === 0) return []
  const kinds = await documentKindsOf(db, rows[0]!.partnershipId)
  const caseId = rows[0]!.caseId
  const records = caseId && rows.some((r) => r.recordId) ? await recordsForDocuments(db, caseId) : []
  const versions = await db
    .select({ v: documentVersion, uploadedByName: appUser.displayName })
    .from(documentVersion)
    .innerJoin(appUser, eq(appUser.id, documentVersion.uploadedBy))
    .where(inArray(documentVersion.documentId, rows.map((r) => r.id)))
    .orderBy(desc(documentVersion.number))
  const creators = await db
    .select({ id: appUser.id, name: appUser.displayName })
    .from(appUser)
    .where(inArray(appUser.id, [...new Set(rows.map((r) => r.createdBy))]))
  const nameOf = new Map(creators.map((u) => [u.id, u.name]))
  return rows.map((r) => ({
    ...r,
    kindLabel: documentKindLabel(kinds, r.kind),
    about: r.recordId ? (records.find((o) => o.kind === r.recordKind && o.id === r.recordId) ?? null) : null,
    createdByName: nameOf.get(r.createdBy) ?? '',
    versions: versions
      .filter((x) => x.v.documentId === r.id)
      .map(({ v, uploadedByName }) => ({
        ...v,
        uploadedByName,
        typeLabel: DOCUMENT_MEDIA_TYPES[v.mediaType] ?? v.mediaType,
        sizeLabel: sizeText(v.sizeBytes),
        available: SERVABLE.has(v.scanStatus),
        quarantined: v.scanStatus === 'infected',
      })),
  }))
}

/** The documents on a case, newest first, each with its versions (a read of the case, audited). */
export function documentsOfCase(ctx: ServiceContext, caseId: string): Promise<DocumentsPage> {
  return withCase(ctx, caseId, 'case:read', async (db, open) => {
    const rows = await db.select().from(document).where(eq(document.caseId, open.c.id)).orderBy(desc(document.createdAt), desc(document.id))
    return { c: await caseFrame(ctx, db, open), documents: await viewsOf(db, rows) }
  }, SECTION)
}

/** The records of the case a document may be about, for the upload form (a read of the case, audited). */
export function recordsForCaseDocuments(ctx: ServiceContext, caseId: string): Promise<{ c: CaseFrame; records: DocumentRecordOption[] }> {
  return withCase(ctx, caseId, 'case:read', async (db, open) => ({ c: await caseFrame(ctx, db, open), records: await recordsForDocuments(db, open.c.id) }), SECTION)
}

/** One document on a case with its versions (a read of the case, audited). */
export function documentOfCase(ctx: ServiceContext, caseId: string, documentId: string): Promise<{ c: CaseFrame; document: DocumentView }> {
  return withCase(ctx, caseId, 'case:read', async (db, open) => {
    const row = await getRecord<DocumentRow>(db, open, document, documentId)
    return { c: await caseFrame(ctx, db, open), document: (await viewsOf(db, [row]))[0]! }
  }, SECTION)
}

/** One document on a case with the records of the case it may be about, for changing what it is about (one read of the case, audited). */
export function documentAndRecordsOfCase(ctx: ServiceContext, caseId: string, documentId: string): Promise<{ c: CaseFrame; document: DocumentView; records: DocumentRecordOption[] }> {
  return withCase(ctx, caseId, 'case:read', async (db, open) => {
    const row = await getRecord<DocumentRow>(db, open, document, documentId)
    return { c: await caseFrame(ctx, db, open), document: (await viewsOf(db, [row]))[0]!, records: await recordsForDocuments(db, open.c.id) }
  }, SECTION)
}

/** What an upload says of its files: the about-record may be left out (the case as a whole). */
export type UploadDetails = Omit<DocumentDetails, 'recordKind' | 'recordId'> & Partial<Pick<DocumentDetails, 'recordKind' | 'recordId'>>

/**
 * Uploads files to a case, each as a document of its own with the details given, in one
 * transaction: any file refused (type, the kind's size limit) refuses them all, on the field
 * `field`; a kind not in the partnership's list in use, or a record that is not one of this case's,
 * refuses the upload with nothing stored.
 */
export async function uploadDocuments(
  ctx: ServiceContext,
  caseId: string,
  details: UploadDetails,
  files: readonly UploadedFile[],
  field = 'files',
): Promise<DocumentView[]> {
  const checked = await checkFiles(ctx, files, await kindInUse(ctx, details.kind), field)
  const rows = await removingObjectsOnFailure(ctx.db, ctx.objectStore, (stored) => withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const recordKind = details.recordKind ?? null
    const recordId = details.recordId ?? null
    await requireRecordOfCase(tx, open.c.id, recordKind, recordId)
    const made: DocumentRow[] = []
    for (const file of checked) {
      const row = await createRecord<DocumentRow>(ctx, tx, open, ENTITY, document, {
        title: details.title,
        kind: details.kind,
        datedOn: details.datedOn,
        receivedFrom: details.receivedFrom,
        recordKind,
        recordId,
        createdBy: ctx.actor.userId,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      await storeVersion(ctx, tx, subjectOf(open), row.id, 1, file, stored)
      made.push(row)
    }
    return made
  }, SECTION))
  return viewsOf(ctx.db, rows)
}

/** A kind in use for new uploads, or refused on `kind`. */
export async function kindInUse(ctx: ServiceContext, code: string): Promise<DocumentKindEntry> {
  const kind = (await documentKindsOf(ctx.db, ctx.actor.partnershipId)).find((k) => k.code === code && k.active)
  if (!kind) throw new ValidationFailed({ kind: 'Select what kind of document it is' })
  return kind
}

/** A document's own kind, for its new versions' limit, even when the kind is no longer offered for new uploads. */
export async function kindOfDocument(db: Db, partnershipId: string, code: string): Promise<DocumentKindEntry> {
  const kinds = await documentKindsOf(db, partnershipId)
  return kinds.find((k) => k.code === code) ?? { code, label: documentKindLabel(kinds, code), maxBytes: DOCUMENT_MAX_BYTES, active: false }
}

/** Adds a new version of a document (the old ones are kept), naming the document's version read. */
export async function addDocumentVersion(
  ctx: ServiceContext,
  caseId: string,
  documentId: string,
  input: DocumentNewVersion,
  file: UploadedFile | null,
  field = 'file',
): Promise<DocumentView> {
  const row = await removingObjectsOnFailure(ctx.db, ctx.objectStore, (stored) => withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<DocumentRow>(tx, open, document, documentId)
    const [checked] = await checkFiles(ctx, file ? [file] : [], await kindOfDocument(tx, ctx.actor.partnershipId, current.kind), field)
    const updated = await updateRecord<DocumentRow>(ctx, tx, open, ENTITY, document, current.id, input.version, {}, `${ENTITY}.version`)
    const [last] = await tx.select({ n: max(documentVersion.number) }).from(documentVersion).where(eq(documentVersion.documentId, current.id))
    await storeVersion(ctx, tx, subjectOf(open), current.id, (last?.n ?? 0) + 1, checked!, stored)
    return updated
  }, SECTION))
  return (await viewsOf(ctx.db, [row]))[0]!
}

/** The record check of an upload or a change of what a document is about: one of the case's records, or refused on recordId. */
async function requireRecordOfCase(tx: Db, caseId: string, recordKind: string | null, recordId: string | null): Promise<void> {
  if (recordKind && recordId && !(await recordsForDocuments(tx, caseId)).some((o) => o.kind === recordKind && o.id === recordId)) {
    throw new ValidationFailed({ recordId: 'Select a record of this child’s case, or the case as a whole' })
  }
}

/**
 * Changes what a document on a case is about (a record of the case, or the case as a whole), at
 * the document's version read (409 when stale); a revision of the document and audited as
 * `document.about` with the kind and id of the record (never its words).
 */
export async function changeDocumentAbout(ctx: ServiceContext, caseId: string, documentId: string, input: DocumentAbout): Promise<DocumentView> {
  const row = await withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<DocumentRow>(tx, open, document, documentId)
    await requireRecordOfCase(tx, open.c.id, input.recordKind, input.recordId)
    const updated = await updateRecord<DocumentRow>(ctx, tx, open, ENTITY, document, current.id, input.version, { recordKind: input.recordKind, recordId: input.recordId }, `${ENTITY}.about`)
    return updated
  }, SECTION)
  return (await viewsOf(ctx.db, [row]))[0]!
}

/** A document listed on the page of the record it is about. */
export interface DocumentAboutRecord {
  id: string
  /** The record it is about (null for a LADO case's or a review's document). */
  recordId: string | null
  title: string
  kindLabel: string
  /** The date it bears, or null (then createdAt is shown). */
  datedOn: string | null
  createdAt: Date
  /** Its card on the case's Documents page. */
  link: string
}

/**
 * The documents about one record of the case (referral, assessment, strategy discussion, section
 * 47, conference), newest first, for that record's page (without an id: every record of that kind,
 * for the referrals on the contacts page), shown to anyone the policy lets read the case and to no
 * one else (none for anyone else). Only a part of the record's page: the page has read the case
 * through the gateway in the same request, which is that request's one audit entry about the
 * child; this asks the policy again and adds none.
 */
export async function documentsAboutRecord(ctx: ServiceContext, caseId: string, recordKind: DocumentRecordKind, recordId?: string): Promise<DocumentAboutRecord[]> {
  const db = ctx.db
  const c = await loadCase(db, ctx.actor, caseId)
  if (!(await decideCaseAction(db, ctx, c, 'case:read')).allowed) return []
  const rows = await db
    .select()
    .from(document)
    .where(and(eq(document.caseId, c.id), eq(document.recordKind, recordKind), recordId === undefined ? undefined : eq(document.recordId, recordId)))
    .orderBy(desc(document.createdAt), desc(document.id))
  if (rows.length === 0) return []
  const kinds = await documentKindsOf(db, rows[0]!.partnershipId)
  return rows.map((r) => ({
    id: r.id,
    recordId: r.recordId,
    title: r.title,
    kindLabel: documentKindLabel(kinds, r.kind),
    datedOn: r.datedOn,
    createdAt: r.createdAt,
    link: `/cases/${c.id}/documents#document-${r.id}`,
  }))
}

/** A version to download: what to send it as, and its bytes chunk by chunk. */
export interface DocumentDownload {
  fileName: string
  /** The Content-Type to send: never one a browser renders as a page (servedMediaType). */
  contentType: string
  sizeBytes: number
  sha256: string
  /** The bytes, a piece at a time (a 256 KiB chunk from the database, or as the object store sends them). */
  chunks(): AsyncGenerator<Buffer>
}

/**
 * Opens a version of a document on the case for download: a read of the case (the policy decides,
 * refusals audited), audited as a download of that version against the child.
 */
export function downloadDocumentVersion(ctx: ServiceContext, caseId: string, documentId: string, versionId: string): Promise<DocumentDownload> {
  return withCase(ctx, caseId, 'case:read', async (db, open) => {
    const [found] = await db
      .select({ v: documentVersion })
      .from(documentVersion)
      .innerJoin(document, eq(document.id, documentVersion.documentId))
      .where(and(eq(documentVersion.id, versionId), eq(document.id, documentId), eq(document.caseId, open.c.id)))
    if (!found) throw new NotFound('No such document on this case')
    const v = found.v
    const download = openVersion(db, ctx.objectStore, v)
    await auditGrouped(ctx, {
      action: 'document.download',
      recordType: 'document-version',
      recordId: v.id,
      subjectPersonId: open.c.personId,
      ground: open.ground,
      breakGlass: open.breakGlass,
      detail: { documentId: v.documentId, number: v.number },
    })
    return download
  }, SECTION)
}

/**
 * A version to send (the caller has decided the reader may, and audits the download): refused with
 * the reason when it is quarantined or waiting for its scan.
 */
export function openVersion(db: Db, objectStore: DocumentStore | null | undefined, v: DocumentVersionRow): DocumentDownload {
  if (v.scanStatus === 'infected') {
    throw new DocumentUnavailable(`${v.fileName} cannot be downloaded: the virus scanner found ${v.scanSignature ?? 'a virus'} in it, so it is quarantined.`)
  }
  if (!SERVABLE.has(v.scanStatus)) throw new DocumentUnavailable(`${v.fileName} cannot be downloaded yet: it is waiting for its virus scan. Try again in a few minutes.`)
  // A version in a store this process has no setting for fails here, before anything is sent.
  const store = storeOf(objectStore, v)
  return {
    fileName: v.fileName,
    contentType: servedMediaType(v.mediaType),
    sizeBytes: v.sizeBytes,
    sha256: v.sha256,
    chunks: () => store.read(db, v),
  }
}

export interface RescanResult {
  clean: number
  infected: number
  /** Still pending: clamd could not answer (the rest of the run waits for the next). */
  pending: number
}

/**
 * The periodic job's rescan of versions stored `pending` (clamd could not answer at upload), oldest
 * first, at most `limit` a run, each streamed to the scanner from its chunks. A clean version
 * becomes available; an infected one is quarantined and audited (`document.quarantine`, by no
 * one: the job). The first version clamd cannot answer for ends the run; the rest wait.
 */
export async function rescanPendingVersions(db: Db, scanner: VirusScanner, now: Date, objectStore: DocumentStore | null = null, limit = 20): Promise<RescanResult> {
  const result: RescanResult = { clean: 0, infected: 0, pending: 0 }
  const waiting = await db
    .select({ v: documentVersion, personId: childCase.personId })
    .from(documentVersion)
    .innerJoin(document, eq(document.id, documentVersion.documentId))
    // A document of a LADO case or a review has no case (and so no child to audit a quarantine against).
    .leftJoin(childCase, eq(childCase.id, document.caseId))
    // Without the object store configured (e.g. a command run without TOGETHER_S3_*), its versions wait for a process that has it.
    .where(and(eq(documentVersion.scanStatus, 'pending'), objectStore ? undefined : eq(documentVersion.storage, 'database')))
    .orderBy(asc(documentVersion.uploadedAt), asc(documentVersion.id))
    .limit(limit)
  for (const { v, personId } of waiting) {
    const outcome = await scanBytes(scanner, () => bytesOf(db, objectStore, v), now)
    if (outcome.scanStatus === 'pending') {
      result.pending = waiting.length - result.clean - result.infected
      break
    }
    await db.transaction(async (tx) => {
      // Claimed by the update: another process that scanned it first leaves nothing to do.
      const [updated] = await tx
        .update(documentVersion)
        .set(outcome)
        .where(and(eq(documentVersion.id, v.id), eq(documentVersion.scanStatus, 'pending')))
        .returning({ id: documentVersion.id })
      if (!updated) return
      if (outcome.scanStatus === 'infected') {
        await appendAudit(tx, {
          partnershipId: v.partnershipId,
          actorUserId: null,
          action: 'document.quarantine',
          recordType: 'document-version',
          recordId: v.id,
          subjectPersonId: personId,
          detail: { documentId: v.documentId, number: v.number, signature: outcome.scanSignature, rescan: true },
          occurredAt: now,
        })
      }
    })
    if (outcome.scanStatus === 'infected') result.infected++
    else result.clean++
  }
  return result
}

