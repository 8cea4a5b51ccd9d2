/**
 * The database schema. Every table carries `partnership_id` (the tenant key) so the schema can be
 * distributed by partnership without redesign. Calendar dates are `date` in string mode
 * ('YYYY-MM-DD'); instants are `timestamptz`.
 */
import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

const id = () => uuid('id').primaryKey().defaultRandom()
const partnershipId = () =>
  uuid('partnership_id')
    .notNull()
    .references(() => partnership.id)
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
/** Optimistic concurrency: every update must name the version it read. */
const version = () => integer('version').notNull().default(1)

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

export const appUser = pgTable(
  'app_user',
  {
    id: id(),
    partnershipId: partnershipId(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    teamId: uuid('team_id').references(() => team.id),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    roles: text('roles').array().notNull(),
    passwordHash: text('password_hash'),
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    active: boolean('active').notNull().default(true),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('app_user_email_unique').on(sql`lower(${t.email})`),
    uniqueIndex('app_user_oidc_unique').on(t.oidcIssuer, t.oidcSubject),
    index('app_user_team_idx').on(t.teamId),
  ],
)

/** Server-side sessions (express-session store). */
export const session = pgTable(
  'session',
  {
    sid: text('sid').primaryKey(),
    userId: uuid('user_id'),
    data: jsonb('data').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('session_expires_idx').on(t.expiresAt)],
)

/**
 * A person known to the partnership. The person index (matching, source records, name history)
 * grows from this table; here it holds what the case view and the access policy need.
 */
export const person = pgTable(
  'person',
  {
    id: id(),
    partnershipId: partnershipId(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    sex: text('sex'),
    nhsNumber: text('nhs_number'),
    restricted: boolean('restricted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('person_name_idx').on(t.partnershipId, sql`lower(${t.familyName})`, sql`lower(${t.givenName})`)],
)

/** A child's case with children's social care: the record that allocation and involvement attach to. */
export const childCase = pgTable(
  'child_case',
  {
    id: id(),
    partnershipId: partnershipId(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id),
    teamId: uuid('team_id').references(() => team.id),
    allocatedWorkerId: uuid('allocated_worker_id').references(() => appUser.id),
    status: text('status').notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    restricted: boolean('restricted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('child_case_person_idx').on(t.personId),
    index('child_case_worker_idx').on(t.allocatedWorkerId),
    index('child_case_team_idx').on(t.teamId),
  ],
)

/** An agency's involvement with a case; access through it ends when `endedOn` passes. */
export const caseInvolvement = pgTable(
  'case_involvement',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => childCase.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    role: text('role').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [index('case_involvement_case_idx').on(t.caseId), index('case_involvement_agency_idx').on(t.agencyId)],
)

/**
 * A grant of access to one case for one user: an invitation (to a strategy discussion or
 * conference), a request addressed to the user, an explicit permission on a restricted record, or
 * break-glass access. Features that invite or address people create these rows; ending the
 * involvement sets `endsAt`.
 */
export const accessGrant = pgTable(
  'access_grant',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => childCase.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    grantedBy: uuid('granted_by').references(() => appUser.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('access_grant_user_case_idx').on(t.userId, t.caseId),
    check('access_grant_kind', sql`${t.kind} in ('invitation','addressed-request','explicit-permission','break-glass')`),
  ],
)

/**
 * The append-only, hash-chained audit log. Each entry's hash covers its own content and the
 * previous entry's hash, so an edited, deleted or reordered row breaks the chain.
 */
export const auditEvent = pgTable(
  'audit_event',
  {
    /** Contiguous from 1: assigned under the chain head's row lock, so a gap means a deleted entry. */
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    partnershipId: uuid('partnership_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    recordType: text('record_type'),
    recordId: text('record_id'),
    subjectPersonId: uuid('subject_person_id'),
    ground: text('ground'),
    reason: text('reason'),
    breakGlass: boolean('break_glass').notNull().default(false),
    requestId: text('request_id'),
    detail: jsonb('detail').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_event_subject_idx').on(t.subjectPersonId, t.seq),
    index('audit_event_record_idx').on(t.recordType, t.recordId),
    index('audit_event_actor_idx').on(t.actorUserId, t.seq),
    index('audit_event_break_glass_idx').on(t.seq).where(sql`${t.breakGlass}`),
  ],
)

/** The head of the audit chain, so that removing the newest entries is detected too. */
export const auditChainHead = pgTable(
  'audit_chain_head',
  {
    id: integer('id').primaryKey().default(1),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    lastHash: text('last_hash').notNull(),
  },
  (t) => [check('audit_chain_head_single_row', sql`${t.id} = 1`)],
)



/** Settings of this installation that must survive restarts, such as the generated session secret. */
export const instanceSetting = pgTable('instance_setting', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
})

export const schema = {
  partnership,
  agency,
  team,
  appUser,
  session,
  person,
  childCase,
  caseInvolvement,
  accessGrant,
  auditEvent,
  auditChainHead,
  instanceSetting,
}
