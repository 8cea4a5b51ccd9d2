/**
 * Column helpers shared by the schema's tables. They are function declarations (hoisted), so a
 * table file can call them even while this module, which imports tables back for the lazy
 * `.references()` arrows, has not finished evaluating.
 */
import { sql } from 'drizzle-orm'
import { date, integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { appUser } from './access.ts'
import { childCase } from './journey.ts'
import { partnership } from './organisation.ts'

export function id() {
  return uuid('id').primaryKey().defaultRandom()
}
export function partnershipId() {
  return uuid('partnership_id')
    .notNull()
    .references(() => partnership.id)
}
export function createdAt() {
  return timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}
export function updatedAt() {
  return timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}
/** Optimistic concurrency: every update must name the version it read. */
export function version() {
  return integer('version').notNull().default(1)
}

/** A case record's case. */
export function caseId() {
  return uuid('case_id')
    .notNull()
    .references(() => childCase.id)
}
/** Who recorded a case record. */
export function recordedBy() {
  return uuid('recorded_by')
    .notNull()
    .references(() => appUser.id)
}
export function day(name: string) {
  return date(name, { mode: 'string' })
}
export function codes(name: string) {
  return text(name).array().notNull().default(sql`'{}'::text[]`)
}
/** A short free-text list of dated events: [{ on: 'YYYY-MM-DD', text }]. */
export function datedEntries(name: string) {
  return jsonb(name).notNull().default(sql`'[]'::jsonb`)
}
