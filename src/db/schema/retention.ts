/**
 * Retention, legal holds and erasure (issue 18 §4), part of the `records` capability: the
 * partnership's schedule per kind of record, one record's own retention date, holds, and erasures
 * (proposed by one person, approved by another; an approved erasure is the record's tombstone).
 */
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt, day, id, partnershipId, updatedAt, version } from './common.ts'
import { appUser } from './access.ts'
import { childCase, person } from './journey.ts'

/** A partnership's retention period for one kind of record (RETENTION_KIND); absent: the default, to confirm. */
export const retentionSchedule = pgTable(
  'retention_schedule',
  {
    id: id(),
    partnershipId: partnershipId(),
    kind: text('kind').notNull(),
    /** RETENTION_BASIS. */
    basis: text('basis').notNull(),
    months: integer('months').notNull(),
    /** The guidance the period comes from, in words. */
    source: text('source').notNull(),
    confirmedBy: uuid('confirmed_by')
      .notNull()
      .references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('retention_schedule_kind_idx').on(t.partnershipId, t.kind)],
)

/** One record's own retention date, set by hand with the reason (replaces the schedule's date). */
export const retentionOverride = pgTable(
  'retention_override',
  {
    id: id(),
    partnershipId: partnershipId(),
    /** 'case' or 'document'. */
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    retainUntil: day('retain_until').notNull(),
    reason: text('reason').notNull(),
    setBy: uuid('set_by')
      .notNull()
      .references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('retention_override_record_idx').on(t.partnershipId, t.recordType, t.recordId)],
)

/** A legal hold on a person, a case or a kind of record: nothing it covers is erased until it is lifted. */
export const legalHold = pgTable(
  'legal_hold',
  {
    id: id(),
    partnershipId: partnershipId(),
    /** 'person', 'case' or 'kind'; exactly the matching column below is set. */
    targetOn: text('target_on').notNull(),
    personId: uuid('person_id').references(() => person.id),
    caseId: uuid('case_id').references(() => childCase.id),
    kind: text('kind'),
    reason: text('reason').notNull(),
    placedBy: uuid('placed_by')
      .notNull()
      .references(() => appUser.id),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    liftedBy: uuid('lifted_by').references(() => appUser.id),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftReason: text('lift_reason'),
    version: version(),
  },
  (t) => [index('legal_hold_partnership_idx').on(t.partnershipId, t.liftedAt)],
)

/**
 * An erasure of one record past its retention date: proposed by one person under the rule, then
 * approved by another (the personal data is then removed, and this row is the tombstone: what was
 * erased, by kind and id, when, under which rule, by whom) or refused. No personal details here.
 */
export const erasure = pgTable(
  'erasure',
  {
    id: id(),
    partnershipId: partnershipId(),
    /** 'case' or 'document'. */
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    /** The case the record is (or is on), kept so the chronology can show the gap. */
    caseId: uuid('case_id').references(() => childCase.id),
    /** RETENTION_KIND of the record. */
    kind: text('kind').notNull(),
    /** The rule in words ("25 years from the date of birth", or the override's reason). */
    rule: text('rule').notNull(),
    retainUntil: day('retain_until').notNull(),
    /** 'proposed', 'erased' or 'refused'. */
    status: text('status').notNull(),
    proposedBy: uuid('proposed_by')
      .notNull()
      .references(() => appUser.id),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    refusalReason: text('refusal_reason'),
    /** What was removed, counted by what it was ({ revisions: 12, notes: 3, documents: 1 ... }). */
    erased: jsonb('erased').notNull().default({}),
    version: version(),
  },
  (t) => [index('erasure_partnership_idx').on(t.partnershipId, t.status, t.proposedAt), index('erasure_record_idx').on(t.recordType, t.recordId), index('erasure_case_idx').on(t.caseId)],
)
