/** Organisation: the partnership (the tenant), its agencies and teams, and how to reach an agency. */
import { sql } from 'drizzle-orm'
import { boolean, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, partnershipId, createdAt, updatedAt, version } from './common.ts'

export const partnership = pgTable('partnership', {
  id: id(),
  name: text('name').notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  /** The partnership's own values for local timescale rules (LocalRuleOverrides); {} = defaults. */
  localRules: jsonb('local_rules').notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
})

export const agency = pgTable(
  'agency',
  {
    id: id(),
    partnershipId: partnershipId(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('agency_name_unique').on(t.partnershipId, sql`lower(${t.name})`)],
)

export const team = pgTable(
  'team',
  {
    id: id(),
    partnershipId: partnershipId(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('team_name_unique').on(t.agencyId, sql`lower(${t.name})`)],
)

/**
 * How to reach an agency as the responsible authority (for the child protection status check), set
 * by the partnership's administrator: the day-time duty line (`phone`, `email`, `hours`: when it
 * answers) and the out-of-hours (emergency duty) service.
 */
export const agencyContactDetails = pgTable('agency_contact_details', {
  agencyId: uuid('agency_id')
    .primaryKey()
    .references(() => agency.id),
  partnershipId: partnershipId(),
  phone: text('phone'),
  email: text('email'),
  hours: text('hours'),
  outOfHoursPhone: text('out_of_hours_phone'),
  outOfHoursEmail: text('out_of_hours_email'),
  updatedAt: updatedAt(),
  version: version(),
})
