/** Statutory returns (issue 7): CIN census imports and the DfE daily data feed (docs/returns.md). */
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, partnershipId } from './common.ts'
import { appUser } from './access.ts'
import { person } from './journey.ts'

/** One run of `together import cin-census`: the file, who ran it, and what it created. */
export const censusImport = pgTable(
  'census_import',
  {
    id: id(),
    partnershipId: partnershipId(),
    fileName: text('file_name').notNull(),
    /** SHA-256 of the file, to tell a re-import of the same file. */
    fileSha256: text('file_sha256').notNull(),
    year: integer('year'),
    importedBy: uuid('imported_by').references(() => appUser.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
    /** Counts of children created, matched and rejected, and records created per kind. */
    summary: jsonb('summary').notNull().default({}),
  },
  (t) => [index('census_import_partnership_idx').on(t.partnershipId, t.importedAt)],
)

/**
 * A journey record an import created, with the census items Together's own tables do not hold
 * (e.g. a child protection plan's NumberOfPreviousCPP, which counts plans before our records start).
 */
export const censusImportedRecord = pgTable(
  'census_imported_record',
  {
    id: id(),
    partnershipId: partnershipId(),
    importId: uuid('import_id')
      .notNull()
      .references(() => censusImport.id),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    census: jsonb('census').notNull().default({}),
  },
  (t) => [index('census_imported_record_entity_idx').on(t.entityId), index('census_imported_record_import_idx').on(t.importId)],
)

/**
 * The DfE daily data feed's memory of what it last sent for each child: the payload's hash (to
 * send only changed children) and whether the child was purged (left the cohort after being sent).
 */
export const cscFeedChild = pgTable(
  'csc_feed_child',
  {
    partnershipId: partnershipId(),
    laChildId: text('la_child_id').notNull(),
    personId: uuid('person_id').references(() => person.id),
    payloadHash: text('payload_hash').notNull(),
    purged: boolean('purged').notNull().default(false),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('csc_feed_child_unique').on(t.partnershipId, t.laChildId)],
)

/**
 * One run of the daily feed: a full snapshot or changes, written to a file or sent; a run that
 * failed is kept too (status "failed", with the error), so the feed's page can show it.
 */
export const cscFeedRun = pgTable(
  'csc_feed_run',
  {
    id: id(),
    partnershipId: partnershipId(),
    ranAt: timestamp('ran_at', { withTimezone: true }).notNull(),
    kind: text('kind').notNull(),
    children: integer('children').notNull(),
    purged: integer('purged').notNull(),
    destination: text('destination').notNull(),
    receipts: jsonb('receipts').notNull().default([]),
    /** "sent" (or written), or "failed": nothing of a failed run is remembered, so the next run sends it again. */
    status: text('status').notNull().default('sent'),
    /** Why a failed run failed, in words (never a child's details). */
    error: text('error'),
    /** "scheduled" (the server's periodic jobs), "manual" (a user on the page or API) or "command" (the command line). */
    trigger: text('trigger').notNull().default('command'),
  },
  (t) => [index('csc_feed_run_partnership_idx').on(t.partnershipId, t.ranAt)],
)
