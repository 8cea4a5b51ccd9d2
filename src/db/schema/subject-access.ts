/**
 * Subject access requests and requests to correct a record (issue 18 §3; the records capability,
 * in a file of its own beside records.ts). docs/data-protection.md describes them.
 */
import { customType, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { caseId, createdAt, day, id, partnershipId, updatedAt, version } from './common.ts'
import { appUser } from './access.ts'
import { childCase, person } from './journey.ts'

/** bytea: node-postgres answers a Buffer, PGlite a Uint8Array; both are read as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
})

const userRef = (name: string) => uuid(name).references(() => appUser.id)

export const subjectAccessRequest = pgTable(
  'subject_access_request',
  {
    id: id(),
    partnershipId: partnershipId(),
    requesterName: text('requester_name').notNull(),
    /** SAR_REQUESTER_KIND. */
    requesterKind: text('requester_kind').notNull(),
    /** Their relationship to the people it is about, in words (for a parent or a representative). */
    requesterRelationship: text('requester_relationship'),
    receivedOn: day('received_on').notNull(),
    /** SAR_IDENTITY_METHOD; null until the identity has been checked. */
    identityMethod: text('identity_method'),
    identityVerifiedBy: userRef('identity_verified_by'),
    identityVerifiedOn: day('identity_verified_on'),
    identityNotes: text('identity_notes'),
    /** 0, 1 or 2 further months (a complex request), with the reason. */
    extensionMonths: integer('extension_months').notNull().default(0),
    extensionReason: text('extension_reason'),
    /** SAR_STATUS. */
    status: text('status').notNull().default('received'),
    compiledAt: timestamp('compiled_at', { withTimezone: true }),
    compiledBy: userRef('compiled_by'),
    submittedBy: userRef('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedBy: userRef('approved_by'),
    /** The day the bundle was released: stops the clock. */
    completedOn: day('completed_on'),
    recordedBy: userRef('recorded_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('subject_access_request_open_idx').on(t.partnershipId, t.completedOn, t.receivedOn)],
)

/** The people of the person index a request is about. */
export const subjectAccessSubject = pgTable(
  'subject_access_subject',
  {
    partnershipId: partnershipId(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => subjectAccessRequest.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.personId] })],
)

/** One item of a request's bundle, and the reviewer's decision on it. */
export const subjectAccessItem = pgTable(
  'subject_access_item',
  {
    id: id(),
    partnershipId: partnershipId(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => subjectAccessRequest.id),
    /** Order in the bundle. */
    seq: integer('seq').notNull(),
    /** Where it comes from, in words: "Person index", "Chronology", "Case note", "Document". */
    source: text('source').notNull(),
    /** The record it was compiled from (`<entity>:<id>`), for the schedule and statements. */
    sourceRef: text('source_ref'),
    personId: uuid('person_id').references(() => person.id),
    caseId: uuid('case_id').references(() => childCase.id),
    datedOn: day('dated_on'),
    title: text('title').notNull(),
    text: text('text').notNull(),
    /**
     * SAR_REVIEW_FLAG: why the reviewer must look closely before releasing (an allegation's or a
     * review's record, where other people's information is typical); null for none.
     */
    reviewFlag: text('review_flag'),
    /** SAR_ITEM_DECISION; null until decided. */
    decision: text('decision'),
    /** SAR_EXEMPTION for a redaction or withholding. */
    exemption: text('exemption'),
    exemptionDetail: text('exemption_detail'),
    /** The text as released when redacted. */
    redactedText: text('redacted_text'),
    decidedBy: userRef('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    version: version(),
  },
  (t) => [index('subject_access_item_request_idx').on(t.requestId, t.seq)],
)

/** The released bundle: a PDF kept in the database. */
export const subjectAccessBundle = pgTable('subject_access_bundle', {
  requestId: uuid('request_id')
    .primaryKey()
    .references(() => subjectAccessRequest.id),
  partnershipId: partnershipId(),
  pdf: bytea('pdf').notNull(),
  sha256: text('sha256').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  producedBy: userRef('produced_by').notNull(),
  producedAt: timestamp('produced_at', { withTimezone: true }).notNull(),
})

/** A request to correct a record of a case (Article 16) and the manager's decision. */
export const rectificationRequest = pgTable(
  'rectification_request',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** The record: its kind (record_revision.entity) and id, as the chronology names it. */
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    /** The record's title as shown when the request was made. */
    recordTitle: text('record_title').notNull(),
    field: text('field'),
    requesterName: text('requester_name').notNull(),
    receivedOn: day('received_on').notNull(),
    whatIsWrong: text('what_is_wrong').notNull(),
    whatTheyWant: text('what_they_want').notNull(),
    /** RECTIFICATION_DECISION; null while open. */
    decision: text('decision'),
    decisionReason: text('decision_reason'),
    /** The person's statement of disagreement, in their words, when the record is kept. */
    statement: text('statement'),
    decidedBy: userRef('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    recordedBy: userRef('recorded_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('rectification_request_case_idx').on(t.caseId, t.entityId)],
)
