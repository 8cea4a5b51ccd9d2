/**
 * Access: users and their sessions, the involvements and grants that give access to a case, the
 * hash-chained audit log, API tokens and this installation's settings.
 */
import { sql } from 'drizzle-orm'
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, partnershipId, createdAt, updatedAt, version } from './common.ts'
import { agency, team } from './organisation.ts'
import { childCase } from './journey.ts'

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
 * Failed sign-in attempts counted per key, shared by every server on the database: `address:` keys
 * limit a network address, `email:` keys give an email address without a usable account the same
 * lock-out an account gets (so the answer does not say whether it exists). Keys are SHA-256
 * hashes: neither addresses nor typed emails are stored. Counted with one atomic upsert.
 */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
  },
  (t) => [index('sign_in_throttle_window_idx').on(t.windowStartedAt)],
)

/**
 * An agency's involvement with a case, recorded by a manager of the case's team: its part in the
 * case (`role`), why (`reason`), from `startedOn` until `endedOn` (the last day, included).
 * Access through it ends when `endedOn` passes, or at once when a manager ends it (`endedAt`).
 */
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
    /** Why the agency is involved (null on involvements recorded before it was asked). */
    reason: text('reason'),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    /** When a manager ended the involvement: access through it ends at that instant. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: uuid('ended_by').references(() => appUser.id),
    endReason: text('end_reason'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
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
    /** An explicit permission withdrawn by a manager before its end: `endsAt` is then when. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnBy: uuid('withdrawn_by').references(() => appUser.id),
    withdrawReason: text('withdraw_reason'),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [
    index('access_grant_user_case_idx').on(t.userId, t.caseId),
    index('access_grant_case_idx').on(t.caseId, t.kind),
    check('access_grant_kind', sql`${t.kind} in ('invitation','addressed-request','explicit-permission','break-glass')`),
  ],
)

/**
 * Each time a manager marks a case restricted or lifts the restriction, with why: the case's
 * `restricted` flag is the state, this its history (the access page shows the latest).
 */
export const caseRestriction = pgTable(
  'case_restriction',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => childCase.id),
    restricted: boolean('restricted').notNull(),
    reason: text('reason').notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => appUser.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('case_restriction_case_idx').on(t.caseId, t.recordedAt)],
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
    /** HMAC-SHA-256 of `hash` with the audit key (kept outside the database); null before a key existed. */
    mac: text('mac'),
    /** Which audit key made `mac` (a digest of the key, not the key). */
    keyId: text('key_id'),
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
    /** HMAC-SHA-256 of the last sequence number and hash with the audit key, so the newest entries cannot be cut off unseen. */
    mac: text('mac'),
    keyId: text('key_id'),
  },
  (t) => [check('audit_chain_head_single_row', sql`${t.id} = 1`)],
)

/** Bearer tokens for API clients; only a SHA-256 hash of the token is kept. */
export const apiToken = pgTable(
  'api_token',
  {
    id: id(),
    partnershipId: partnershipId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_token_hash_unique').on(t.tokenHash)],
)

/** Settings of this installation that must survive restarts, such as the generated session secret. */
export const instanceSetting = pgTable('instance_setting', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
})
