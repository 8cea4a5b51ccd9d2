/**
 * Documents on a case (issue 18 §1). A document (title, kind, date, who it came from) has
 * versions, each a file whose bytes are kept in the database in chunks of 256 KiB, so backups and
 * both engines (PGlite, PostgreSQL) need nothing more; nothing is deleted by a user.
 */
import { sql } from 'drizzle-orm'
import { boolean, check, customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { childCase } from './journey.ts'
import { caseId, createdAt, day, id, partnershipId, updatedAt, version } from './common.ts'
import { appUser } from './access.ts'
import { informationShare } from './multi-agency.ts'
import { agency } from './organisation.ts'

/** bytea: node-postgres answers a Buffer, PGlite a Uint8Array; both are read as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
})

export const document = pgTable(
  'document',
  {
    id: id(),
    partnershipId: partnershipId(),
    /** The child's case the document is on; null for a document on one of the partnership's own records (ownerKind). */
    caseId: uuid('case_id').references(() => childCase.id),
    /**
     * What the document belongs to: 'case' (a child's case, caseId), or one of the partnership's
     * own records, 'lado-case' or 'practice-review' (ownerId; caseId null). Exactly one owner is set.
     */
    ownerKind: text('owner_kind').notNull().default('case'),
    ownerId: uuid('owner_id'),
    title: text('title').notNull(),
    /** The code of one of the partnership's document kinds (document_kind; DOCUMENT_KIND until it has its own). */
    kind: text('kind').notNull(),
    /** The date the document bears (a report's date, the day a photograph was taken). */
    datedOn: day('dated_on'),
    /** Who it came from, in words (an agency, a person, a court). */
    receivedFrom: text('received_from'),
    /**
     * The record of the same case the document is about (DOCUMENT_RECORD_KIND: referral, assessment,
     * strategy-discussion, section-47, conference) and its id; both null for the case as a whole.
     */
    recordKind: text('record_kind'),
    recordId: uuid('record_id'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('document_case_idx').on(t.caseId, t.createdAt),
    index('document_owner_idx').on(t.ownerKind, t.ownerId, t.createdAt),
    check(
      'document_one_owner',
      sql`(${t.ownerKind} = 'case' and ${t.caseId} is not null and ${t.ownerId} is null) or (${t.ownerKind} in ('lado-case', 'practice-review') and ${t.caseId} is null and ${t.ownerId} is not null)`,
    ),
    // A record of a case is about the case's own records only.
    check('document_record_on_case', sql`${t.recordKind} is null or ${t.ownerKind} = 'case'`),
  ],
)

/**
 * A partnership's kinds of document, each with the largest file it takes. A partnership with no
 * rows has the built-in list (DOCUMENT_KIND); its first change puts that list in. A kind no longer
 * in use stays on the documents filed under it and is not offered for new uploads; 'letter' and
 * 'photograph' are always in use (letters are kept as documents of kind 'letter').
 */
export const documentKind = pgTable(
  'document_kind',
  {
    id: id(),
    partnershipId: partnershipId(),
    /** Stored on each document; never changes. */
    code: text('code').notNull(),
    label: text('label').notNull(),
    /** The largest file taken, in bytes (at most DOCUMENT_MAX_BYTES). */
    maxBytes: integer('max_bytes').notNull(),
    /** False: retired, kept on old documents, not offered for new uploads. */
    active: boolean('active').notNull().default(true),
    /** Where it comes in the lists. */
    position: integer('position').notNull(),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('document_kind_code_idx').on(t.partnershipId, t.code)],
)

export const documentVersion = pgTable(
  'document_version',
  {
    id: id(),
    partnershipId: partnershipId(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id),
    /** 1 for the first file, then 2, 3 ... */
    number: integer('number').notNull(),
    /** The name the file was uploaded with (shown, and offered on download). */
    fileName: text('file_name').notNull(),
    /** Decided from the content, never the name. */
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** Hex SHA-256 of the bytes. */
    sha256: text('sha256').notNull(),
    /** 'not-scanned' while no virus scanner is configured; 'pending', 'clean', 'infected' come with ClamAV. */
    scanStatus: text('scan_status').notNull().default('not-scanned'),
    /** The signature clamd named when it found the file infected (e.g. 'Eicar-Signature'); null otherwise. */
    scanSignature: text('scan_signature'),
    /** When clamd last answered about the file (clean or infected); null while not scanned or pending. */
    scannedAt: timestamp('scanned_at', { withTimezone: true }),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => appUser.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    /** Where the bytes are: 'database' (document_chunk rows) or 's3' (the object store, under objectKey). */
    storage: text('storage').notNull().default('database'),
    /** The object's key in the S3 bucket ('<partnership id>/<version id>': no personal data); null in the database. */
    objectKey: text('object_key'),
  },
  (t) => [
    uniqueIndex('document_version_number_idx').on(t.documentId, t.number),
    // The periodic job's rescan of versions whose scan could not be made (clamd unreachable).
    index('document_version_pending_idx').on(t.partnershipId).where(sql`${t.scanStatus} = 'pending'`),
  ],
)

export const documentChunk = pgTable(
  'document_chunk',
  {
    partnershipId: partnershipId(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => documentVersion.id),
    /** 0, 1, 2 ... in the order of the bytes. */
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.seq] })],
)

/**
 * A version of a document shared with a partner agency: its practitioners see that version (the
 * list of documents shared with their agency, the download), audited, even without access to the
 * case. The share's lawful basis is its entry on the information sharing ledger (information_share).
 */
export const documentShare = pgTable(
  'document_share',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => documentVersion.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    /** The ledger's entry: what was shared, with whom, why, the Article 6 basis and Article 9 condition, consent. */
    informationShareId: uuid('information_share_id')
      .notNull()
      .references(() => informationShare.id),
    sharedBy: uuid('shared_by')
      .notNull()
      .references(() => appUser.id),
    sharedAt: timestamp('shared_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('document_share_agency_idx').on(t.agencyId, t.sharedAt), index('document_share_document_idx').on(t.documentId)],
)
