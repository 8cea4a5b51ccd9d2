/**
 * The person index (docs/person-matching.md): source records as each agency holds them, linked
 * into person clusters (the `person` row), with the keys that find them, every link decision,
 * and the four-eyes review of possible duplicates.
 */
import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, partnershipId, createdAt, updatedAt, version, day } from './common.ts'
import { appUser } from './access.ts'
import { person } from './journey.ts'

/**
 * One agency system's record of a person, kept as recorded and never deleted. The journey's own
 * people are source records too (source_system 'together', source_id = person.id), written by a
 * trigger on `person` with match_data null until the index standardises them.
 */
export const sourceRecord = pgTable(
  'source_record',
  {
    id: id(),
    partnershipId: partnershipId(),
    sourceSystem: text('source_system').notNull(),
    sourceId: text('source_id').notNull(),
    givenName: text('given_name'),
    middleNames: text('middle_names'),
    familyName: text('family_name'),
    /** As recorded: a full date, or with dob_precision 'year' / 'estimated' only the year counts. */
    dateOfBirth: day('date_of_birth'),
    dobPrecision: text('dob_precision').notNull().default('day'),
    /** An unborn child's expected date of delivery. */
    expectedDateOfBirth: day('expected_date_of_birth'),
    sex: text('sex'),
    nhsNumber: text('nhs_number'),
    upn: text('upn'),
    /** Other identifiers by kind, e.g. {"police": "P123"}. */
    localIds: jsonb('local_ids').notNull().default({}),
    postcode: text('postcode'),
    addressLine: text('address_line'),
    /** 'pre-adoption' identities are sealed: never searched, never linked to anything else. */
    adoption: text('adoption'),
    /** The cluster (person) this record is linked to now; null while unlinked. */
    personId: uuid('person_id').references(() => person.id),
    /** Standardised fields the matcher scores (MatchRecord); null until indexed. */
    matchData: jsonb('match_data'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('source_record_source_unique').on(t.partnershipId, t.sourceSystem, t.sourceId),
    index('source_record_person_idx').on(t.personId),
    index('source_record_pending_idx').on(t.partnershipId).where(sql`${t.matchData} is null`),
    index('source_record_family_trgm_idx').using('gin', sql`lower(${t.familyName}) gin_trgm_ops`),
  ],
)

/** Earlier names and aliases of a source record ("known as", previous surnames). */
export const sourceName = pgTable(
  'source_name',
  {
    id: id(),
    partnershipId: partnershipId(),
    sourceRecordId: uuid('source_record_id')
      .notNull()
      .references(() => sourceRecord.id),
    kind: text('kind').notNull(),
    givenName: text('given_name'),
    familyName: text('family_name'),
    fromDate: day('from_date'),
    toDate: day('to_date'),
    createdAt: createdAt(),
  },
  (t) => [index('source_name_record_idx').on(t.sourceRecordId)],
)

/** Addresses of a source record over time; the current one is also on the record itself. */
export const sourceAddress = pgTable(
  'source_address',
  {
    id: id(),
    partnershipId: partnershipId(),
    sourceRecordId: uuid('source_record_id')
      .notNull()
      .references(() => sourceRecord.id),
    postcode: text('postcode'),
    /** Upper case, no space, O/0 and I/1 repaired by position; null when not a postcode. */
    postcodeNormalised: text('postcode_normalised'),
    addressLine: text('address_line'),
    fromDate: day('from_date'),
    toDate: day('to_date'),
    createdAt: createdAt(),
  },
  (t) => [index('source_address_record_idx').on(t.sourceRecordId)],
)

/** The blocking keys of each indexed source record: one row per key (docs/person-matching.md §2.4). */
export const matchKey = pgTable(
  'match_key',
  {
    partnershipId: partnershipId(),
    key: text('key').notNull(),
    sourceRecordId: uuid('source_record_id')
      .notNull()
      .references(() => sourceRecord.id),
  },
  (t) => [
    index('match_key_lookup_idx').on(t.partnershipId, t.key, t.sourceRecordId),
    index('match_key_record_idx').on(t.sourceRecordId),
  ],
)

/**
 * Every link decision, append-only: link, unlink, not-same (a reviewer's "different people", which
 * stops the pair being suggested again). The evidence is the comparison at decision time.
 */
export const personLinkEvent = pgTable(
  'person_link_event',
  {
    id: id(),
    partnershipId: partnershipId(),
    sourceRecordId: uuid('source_record_id')
      .notNull()
      .references(() => sourceRecord.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id),
    action: text('action').notNull(),
    /** 'auto-nhs', 'reviewer', 'new-person', 'journey'. */
    method: text('method').notNull(),
    score: text('score'),
    band: text('band'),
    weightsId: uuid('weights_id'),
    evidence: jsonb('evidence').notNull().default({}),
    reason: text('reason'),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('person_link_event_record_idx').on(t.sourceRecordId, t.decidedAt),
    index('person_link_event_person_idx').on(t.personId),
  ],
)

/** A possible duplicate for a person to decide: a source record and a person it may belong to. */
export const matchReview = pgTable(
  'match_review',
  {
    id: id(),
    partnershipId: partnershipId(),
    sourceRecordId: uuid('source_record_id')
      .notNull()
      .references(() => sourceRecord.id),
    candidatePersonId: uuid('candidate_person_id')
      .notNull()
      .references(() => person.id),
    score: text('score').notNull(),
    band: text('band').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
    /** open, linked, not-same, withdrawn. */
    status: text('status').notNull().default('open'),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('match_review_pair_unique').on(t.sourceRecordId, t.candidatePersonId),
    index('match_review_open_idx').on(t.partnershipId, t.status, t.createdAt),
  ],
)

/** Estimated match weights (m and u per comparison level, term frequencies), newest first by date. */
export const matchWeights = pgTable(
  'match_weights',
  {
    id: id(),
    partnershipId: partnershipId(),
    estimatedAt: timestamp('estimated_at', { withTimezone: true }).notNull(),
    model: jsonb('model').notNull(),
    pairsUsed: integer('pairs_used').notNull(),
    decisionsUsed: integer('decisions_used').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('match_weights_latest_idx').on(t.partnershipId, t.estimatedAt)],
)

// ---- Person index: four-eyes review (issue 5) -------------------------------------------------

/**
 * The first reviewer's "same person" on a pair that needs two (either side has a child
 * protection plan or a looked-after period): the link waits for a different reviewer to agree.
 * Append-only; the pair's status is 'awaiting-second' meanwhile.
 */
export const matchReviewApproval = pgTable(
  'match_review_approval',
  {
    id: id(),
    partnershipId: partnershipId(),
    reviewId: uuid('review_id')
      .notNull()
      .references(() => matchReview.id),
    decidedBy: uuid('decided_by')
      .notNull()
      .references(() => appUser.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('match_review_approval_review_idx').on(t.reviewId, t.decidedAt)],
)
