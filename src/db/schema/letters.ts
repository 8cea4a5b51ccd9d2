/**
 * Letters (issue 18 §2): each partnership's letter templates (a kind, in English or Welsh, with
 * GOV.UK Notify's ((field)) placeholders), and the letters made on a case from them: the words as
 * the worker left them, the recipient's address, the PDF kept as a document of the case (kind
 * 'letter'), and how it was sent (printed, or posted through GOV.UK Notify with an idempotency key
 * so one click never posts twice).
 */
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { caseId, createdAt, id, partnershipId, updatedAt, version } from './common.ts'
import { appUser } from './access.ts'
import { document, documentVersion } from './records.ts'

export const letterTemplate = pgTable(
  'letter_template',
  {
    id: id(),
    partnershipId: partnershipId(),
    /** LETTER_KIND (domain/records/letters.ts). */
    kind: text('kind').notNull(),
    /** 'en' or 'cy'. */
    language: text('language').notNull(),
    title: text('title').notNull(),
    /** Plain text with ((field)) placeholders; a blank line between paragraphs. */
    body: text('body').notNull(),
    /** False: kept, not offered for new letters. */
    active: boolean('active').notNull().default(true),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('letter_template_partnership_idx').on(t.partnershipId, t.kind, t.language)],
)

export const letter = pgTable(
  'letter',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => letterTemplate.id),
    kind: text('kind').notNull(),
    language: text('language').notNull(),
    title: text('title').notNull(),
    /** The record it is about: 'conference' or 'contact' with its id; null for the case itself. */
    aboutType: text('about_type'),
    aboutId: uuid('about_id'),
    /** 'family' (a person of the child's family network), 'referrer' (a contact's) or 'other'. */
    recipientKind: text('recipient_kind').notNull(),
    recipientPersonId: uuid('recipient_person_id'),
    recipientName: text('recipient_name').notNull(),
    /** The name and address as printed in the window, one line each (3 to 7 lines). */
    addressLines: text('address_lines').array().notNull(),
    /** The words as the worker left them (merged, then edited for this family). */
    body: text('body').notNull(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => document.id),
    documentVersionId: uuid('document_version_id')
      .notNull()
      .references(() => documentVersion.id),
    pageCount: integer('page_count').notNull(),
    /** LETTER_STATUS. */
    status: text('status').notNull(),
    /** 'first' or 'second' when posted. */
    postage: text('postage'),
    /** The key of the one post this letter may make; a retry after a failure uses a new one. */
    idempotencyKey: text('idempotency_key'),
    /** The provider's id of the letter (GOV.UK Notify's notification id, or the double's). */
    providerId: text('provider_id'),
    provider: text('provider'),
    failure: text('failure'),
    printedAt: timestamp('printed_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentBy: uuid('sent_by').references(() => appUser.id),
    producedBy: uuid('produced_by')
      .notNull()
      .references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('letter_case_idx').on(t.caseId, t.createdAt), uniqueIndex('letter_idempotency_idx').on(t.idempotencyKey)],
)
