/**
 * Body maps on a case (issue 18 §1): who saw marks on the child, when, and each mark placed on the
 * outline of the body. The marks are one typed list on the record (domain/records/body-map.ts), so
 * every change is one revision of the body map in the case's history.
 */
import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import type { BodyMark } from '../../domain/records/body-map.ts'
import { caseId, createdAt, day, id, partnershipId, recordedBy, updatedAt, version } from './common.ts'
import { agency } from './organisation.ts'

export const bodyMap = pgTable(
  'body_map',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** The day the marks were seen. */
    seenOn: day('seen_on').notNull(),
    /** Who saw them, in words: "Class teacher, Northshire Primary". */
    seenBy: text('seen_by').notNull(),
    /** The partnership's agency of whoever saw them, when it is one. */
    agencyId: uuid('agency_id').references(() => agency.id),
    /** How the marks came to be seen, and any explanation the child or a carer gave. */
    account: text('account'),
    marks: jsonb('marks').$type<BodyMark[]>().notNull().default([]),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('body_map_case_idx').on(t.caseId, t.seenOn)],
)
