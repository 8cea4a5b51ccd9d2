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
    /** DfE census items (statutory-returns.md §2.3); sex is the DfE code M, F or U. */
    expectedDateOfBirth: date('expected_date_of_birth', { mode: 'string' }),
    dateOfDeath: date('date_of_death', { mode: 'string' }),
    laChildId: text('la_child_id'),
    upn: text('upn'),
    formerUpn: text('former_upn'),
    upnUnknown: text('upn_unknown'),
    ethnicity: text('ethnicity'),
    disabilities: text('disabilities').array().notNull().default(sql`'{}'::text[]`),
    postcode: text('postcode'),
    address: text('address'),
    restricted: boolean('restricted').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('person_name_idx').on(t.partnershipId, sql`lower(${t.familyName})`, sql`lower(${t.givenName})`),
    index('person_nhs_idx').on(t.partnershipId, t.nhsNumber),
    index('person_family_name_trgm_idx').using('gin', sql`lower(${t.familyName}) gin_trgm_ops`),
    index('person_given_name_trgm_idx').using('gin', sql`lower(${t.givenName}) gin_trgm_ops`),
    index('person_family_name_dmetaphone_idx').on(t.partnershipId, sql`dmetaphone(${t.familyName})`),
    uniqueIndex('person_la_child_id_unique').on(t.partnershipId, t.laChildId),
  ],
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
    // A team's open cases, which the team view starts from.
    index('child_case_open_team_idx').on(t.teamId, t.allocatedWorkerId).where(sql`${t.status} <> 'closed'`),
    index('child_case_partnership_status_idx').on(t.partnershipId, t.status),
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

// ---- The child's journey (issue 4). Every record hangs off a case, carries who recorded it and a
// version, and every write appends a record_revision (what the chronology "as known at" reads).

const caseId = () =>
  uuid('case_id')
    .notNull()
    .references(() => childCase.id)
const recordedBy = () =>
  uuid('recorded_by')
    .notNull()
    .references(() => appUser.id)
const day = (name: string) => date(name, { mode: 'string' })
const codes = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`)

/** A contact to the front door about one or more children (contact_child). */
export const contact = pgTable(
  'contact',
  {
    id: id(),
    partnershipId: partnershipId(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** DfE ReferralSource code. */
    source: text('source').notNull(),
    referrerName: text('referrer_name').notNull(),
    referrerAgencyId: uuid('referrer_agency_id').references(() => agency.id),
    referrerRole: text('referrer_role'),
    referrerContact: text('referrer_contact'),
    concern: text('concern').notNull(),
    consent: text('consent').notNull(),
    consentReason: text('consent_reason'),
    urgency: text('urgency').notNull(),
    /** The front door team whose queue holds it. */
    teamId: uuid('team_id').references(() => team.id),
    decision: text('decision'),
    decisionReason: text('decision_reason'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    acknowledgedOn: day('acknowledged_on'),
    feedbackOn: day('feedback_on'),
    feedback: text('feedback'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('contact_queue_idx').on(t.partnershipId, t.decidedAt, t.receivedAt)],
)

export const contactChild = pgTable(
  'contact_child',
  {
    id: id(),
    partnershipId: partnershipId(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contact.id),
    caseId: caseId(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id),
  },
  (t) => [
    uniqueIndex('contact_child_unique').on(t.contactId, t.personId),
    index('contact_child_case_idx').on(t.caseId),
  ],
)

/** A child-in-need episode: opened by a referral, closed with a reason (CIN census CINdetails). */
export const cinEpisode = pgTable(
  'cin_episode',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    contactId: uuid('contact_id').references(() => contact.id),
    referralDate: day('referral_date').notNull(),
    referralSource: text('referral_source').notNull(),
    primaryNeed: text('primary_need'),
    referralNfa: boolean('referral_nfa').notNull().default(false),
    closureDate: day('closure_date'),
    closureReason: text('closure_reason'),
    /** Another referral for this child within 12 months before this one. */
    rereferral: boolean('rereferral').notNull().default(false),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('cin_episode_case_idx').on(t.caseId, t.referralDate),
    index('cin_episode_referral_idx').on(t.partnershipId, t.referralDate),
  ],
)

export const assessment = pgTable(
  'assessment',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => cinEpisode.id),
    kind: text('kind').notNull(),
    startedOn: day('started_on').notNull(),
    childSeenOn: day('child_seen_on'),
    childSeenAloneOn: day('child_seen_alone_on'),
    developmentalNeeds: text('developmental_needs'),
    parentingCapacity: text('parenting_capacity'),
    familyEnvironment: text('family_environment'),
    analysis: text('analysis'),
    /** DfE AssessmentFactors codes identified at the end of the assessment. */
    factors: codes('factors'),
    completedOn: day('completed_on'),
    outcome: text('outcome'),
    authorisedOn: day('authorised_on'),
    authorisedBy: uuid('authorised_by').references(() => appUser.id),
    delayReason: text('delay_reason'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('assessment_case_idx').on(t.caseId),
    // Completed assessments waiting for a manager's authorisation (few), by case, for the team view.
    index('assessment_awaiting_authorisation_idx').on(t.caseId).where(sql`${t.completedOn} is not null and ${t.authorisedOn} is null`),
  ],
)

export const strategyDiscussion = pgTable(
  'strategy_discussion',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => cinEpisode.id),
    heldAt: timestamp('held_at', { withTimezone: true }).notNull(),
    /**
     * [{ name, agencyId, role }], and for a required agency (local authority, police, health) that
     * was not represented: { absent: true, requiredAgency, reason }.
     */
    attendees: jsonb('attendees').notNull().default([]),
    informationShared: text('information_shared').notNull(),
    decision: text('decision').notNull(),
    decisionDetail: text('decision_detail'),
    immediateSafetyActions: text('immediate_safety_actions'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('strategy_discussion_case_idx').on(t.caseId)],
)

export const section47Enquiry = pgTable(
  'section47_enquiry',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => cinEpisode.id),
    strategyDiscussionId: uuid('strategy_discussion_id')
      .notNull()
      .references(() => strategyDiscussion.id),
    startedOn: day('started_on').notNull(),
    childSeenOn: day('child_seen_on'),
    outcome: text('outcome'),
    completedOn: day('completed_on'),
    /** The ICPC due date (census InitialCPCtarget), fixed when the enquiry starts. */
    icpcTarget: day('icpc_target'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('section47_case_idx').on(t.caseId)],
)

/** Early help, child in need and child protection plans. Category columns are for CP plans only. */
export const plan = pgTable(
  'plan',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    episodeId: uuid('episode_id').references(() => cinEpisode.id),
    kind: text('kind').notNull(),
    startedOn: day('started_on').notNull(),
    endedOn: day('ended_on'),
    endReason: text('end_reason'),
    /** The plan this one stepped up or down from. */
    previousPlanId: uuid('previous_plan_id'),
    leadUserId: uuid('lead_user_id').references(() => appUser.id),
    summary: text('summary'),
    initialCategory: text('initial_category'),
    latestCategory: text('latest_category'),
    /** The first core group's date, when the outline plan became the detailed plan. */
    detailedPlanOn: day('detailed_plan_on'),
    nextReviewOn: day('next_review_on'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('plan_case_idx').on(t.caseId),
    index('plan_open_idx').on(t.partnershipId, t.kind).where(sql`${t.endedOn} is null`),
  ],
)

/** A goal or an action of a plan; actions have an owner in any agency. */
export const planItem = pgTable(
  'plan_item',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plan.id),
    kind: text('kind').notNull(),
    goalId: uuid('goal_id'),
    description: text('description').notNull(),
    ownerAgencyId: uuid('owner_agency_id').references(() => agency.id),
    ownerUserId: uuid('owner_user_id').references(() => appUser.id),
    dueOn: day('due_on'),
    status: text('status').notNull().default('not-started'),
    progress: text('progress'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('plan_item_plan_idx').on(t.planId),
    index('plan_item_owner_agency_idx').on(t.ownerAgencyId),
    // Every read of a case asks whether the reader's agency owns one of its actions (plan-action-owner).
    index('plan_item_case_idx').on(t.caseId),
  ],
)

/** Initial, review and transfer-in child protection conferences. */
export const conference = pgTable(
  'conference',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => cinEpisode.id),
    section47Id: uuid('section47_id').references(() => section47Enquiry.id),
    planId: uuid('plan_id').references(() => plan.id),
    kind: text('kind').notNull(),
    scheduledFor: day('scheduled_for').notNull(),
    heldOn: day('held_on'),
    chairId: uuid('chair_id').references(() => appUser.id),
    /** [{ name, party: 'agency'|'family'|'child', agencyId?, attendance, reportReceivedOn? }] */
    participants: jsonb('participants').notNull().default([]),
    decision: text('decision'),
    categories: codes('categories'),
    outlinePlan: text('outline_plan'),
    dissent: text('dissent'),
    delayReason: text('delay_reason'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('conference_case_idx').on(t.caseId)],
)

export const coreGroupMeeting = pgTable(
  'core_group_meeting',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plan.id),
    heldOn: day('held_on').notNull(),
    attendees: text('attendees'),
    notes: text('notes'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('core_group_plan_idx').on(t.planId)],
)

/** Case notes and visits (a visit records whether the child was seen, and seen alone). */
export const caseNote = pgTable(
  'case_note',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    kind: text('kind').notNull(),
    occurredOn: day('occurred_on').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    childSeen: boolean('child_seen'),
    childSeenAlone: boolean('child_seen_alone'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('case_note_case_idx').on(t.caseId, t.occurredOn)],
)

export const lookedAfterPeriod = pgTable(
  'looked_after_period',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    startedOn: day('started_on').notNull(),
    legalStatus: text('legal_status').notNull(),
    endedOn: day('ended_on'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('looked_after_case_idx').on(t.caseId)],
)

/** Pre-proceedings under the Public Law Outline (census 2026-27 draft module PreProceedingsandFGDM). */
export const preProceedings = pgTable(
  'pre_proceedings',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    episodeId: uuid('episode_id').references(() => cinEpisode.id),
    decisionOn: day('decision_on').notNull(),
    letterSentOn: day('letter_sent_on'),
    fgdmOffered: boolean('fgdm_offered').notNull().default(false),
    fgdmMeetingOn: day('fgdm_meeting_on'),
    initialMeetingOn: day('initial_meeting_on'),
    proceedingsIssuedOn: day('proceedings_issued_on'),
    outcome: text('outcome'),
    endedOn: day('ended_on'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('pre_proceedings_case_idx').on(t.caseId)],
)

/**
 * A statutory clock on a case: the rule and edition applied and the due date, stored when the
 * starting event is recorded (working-together.md §9.3), so oversight queries can filter by date.
 */
export const clock = pgTable(
  'clock',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    rule: text('rule').notNull(),
    edition: integer('edition').notNull(),
    startOn: day('start_on').notNull(),
    dueOn: day('due_on').notNull(),
    completedOn: day('completed_on'),
    delayReason: text('delay_reason'),
    /** The record whose event stops the clock (assessment, conference ...). */
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('clock_case_idx').on(t.caseId),
    index('clock_subject_idx').on(t.subjectId),
    index('clock_open_due_idx').on(t.partnershipId, t.dueOn).where(sql`${t.completedOn} is null`),
    // The open clocks of one case: how a team's clocks are found, from the team's open cases.
    index('clock_open_case_idx').on(t.caseId, t.dueOn).where(sql`${t.completedOn} is null`),
  ],
)

/** Work for a person or a team: made by hand, or from a clock. */
export const task = pgTable(
  'task',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: uuid('case_id').references(() => childCase.id),
    clockId: uuid('clock_id').references(() => clock.id),
    title: text('title').notNull(),
    dueOn: day('due_on'),
    assigneeUserId: uuid('assignee_user_id').references(() => appUser.id),
    assigneeTeamId: uuid('assignee_team_id').references(() => team.id),
    status: text('status').notNull().default('open'),
    doneOn: day('done_on'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('task_assignee_idx').on(t.assigneeUserId, t.status),
    index('task_team_idx').on(t.assigneeTeamId, t.status),
    index('task_case_idx').on(t.caseId),
    uniqueIndex('task_clock_unique').on(t.clockId),
  ],
)

/**
 * A case passed from one team of the local authority to another (child_case.team_id changes with
 * it), with the reason. The teams' names are kept as they were, for the chronology.
 */
export const caseTransfer = pgTable(
  'case_transfer',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    fromTeamId: uuid('from_team_id').references(() => team.id),
    fromTeamName: text('from_team_name'),
    toTeamId: uuid('to_team_id')
      .notNull()
      .references(() => team.id),
    toTeamName: text('to_team_name').notNull(),
    transferredOn: day('transferred_on').notNull(),
    reason: text('reason').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [index('case_transfer_case_idx').on(t.caseId)],
)

/** A form's unsaved work, saved as the user types, so a timed-out session loses nothing. */
export const draft = pgTable(
  'draft',
  {
    id: id(),
    partnershipId: partnershipId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    key: text('key').notNull(),
    data: jsonb('data').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('draft_user_key_unique').on(t.userId, t.key)],
)

/** Family network: how another person relates to a child. */
export const personRelationship = pgTable(
  'person_relationship',
  {
    id: id(),
    partnershipId: partnershipId(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id),
    relatedPersonId: uuid('related_person_id')
      .notNull()
      .references(() => person.id),
    kind: text('kind').notNull(),
    sameHousehold: boolean('same_household').notNull().default(false),
    parentalResponsibility: boolean('parental_responsibility').notNull().default(false),
    notes: text('notes'),
    /** When the relationship ended (e.g. a partner of a parent moved out); kept, never deleted. */
    endedOn: day('ended_on'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('person_relationship_person_idx').on(t.personId),
    uniqueIndex('person_relationship_unique').on(t.personId, t.relatedPersonId, t.kind),
  ],
)

/**
 * Every version of every journey record, appended on each write. The chronology "as known at" a
 * date reads the newest revision of each record recorded by then; a refused conflicting save
 * shows the current revision beside the user's.
 */
export const recordRevision = pgTable(
  'record_revision',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    version: integer('version').notNull(),
    data: jsonb('data').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
  },
  (t) => [index('record_revision_case_idx').on(t.caseId, t.recordedAt)],
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

// ---- person index (docs/person-matching.md): source records as each agency holds them, linked
// into person clusters (the `person` row), with the keys that find them and every link decision.

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

// ---- statutory returns (issue 7): CIN census imports and the DfE daily data feed
// (docs/returns.md). Kept together at the end of the schema.

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

/** One run of the daily feed: a full snapshot or changes, written to a file or sent. */
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
  },
  (t) => [index('csc_feed_run_partnership_idx').on(t.partnershipId, t.ranAt)],
)

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
  contact,
  contactChild,
  cinEpisode,
  assessment,
  strategyDiscussion,
  section47Enquiry,
  plan,
  planItem,
  conference,
  coreGroupMeeting,
  caseNote,
  lookedAfterPeriod,
  preProceedings,
  clock,
  task,
  draft,
  personRelationship,
  recordRevision,
  apiToken,
  sourceRecord,
  sourceName,
  sourceAddress,
  matchKey,
  personLinkEvent,
  matchReview,
  matchWeights,
  censusImport,
  censusImportedRecord,
  cscFeedChild,
  cscFeedRun,
}

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

// ---- Multi-agency working (issue 6): notifications, professional referrals, information
// requests and their deadlines, information sharing records, conference reports from partner
// agencies, agencies' contact details and child protection status checks. Not in `schema` above:
// these tables are used through the query builder only.

/** An in-app notification for one user; e-mail copies are sent from it by the jobs sweep. */
export const notification = pgTable(
  'notification',
  {
    id: id(),
    partnershipId: partnershipId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    kind: text('kind').notNull(),
    /** Says what happened; names a child only when the recipient may see that child. */
    title: text('title').notNull(),
    link: text('link'),
    caseId: uuid('case_id').references(() => childCase.id),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** 'pending' until the sweep e-mails it, then 'sent' or 'failed'. */
    emailStatus: text('email_status').notNull().default('pending'),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
  },
  (t) => [
    index('notification_user_idx').on(t.userId, t.createdAt),
    index('notification_email_pending_idx').on(t.createdAt).where(sql`${t.emailStatus} = 'pending'`),
  ],
)

/** A referral made by a partner practitioner through the referral form; it became `contactId`. */
export const professionalReferral = pgTable(
  'professional_referral',
  {
    id: id(),
    partnershipId: partnershipId(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contact.id),
    referrerUserId: uuid('referrer_user_id')
      .notNull()
      .references(() => appUser.id),
    referrerAgencyId: uuid('referrer_agency_id')
      .notNull()
      .references(() => agency.id),
    /** The child and family as the referrer described them: all their "my referrals" list shows. */
    childDetails: jsonb('child_details').notNull(),
    familyTold: text('family_told').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('professional_referral_referrer_idx').on(t.referrerUserId, t.createdAt), uniqueIndex('professional_referral_contact_unique').on(t.contactId)],
)

/** Information a referrer added to their contact after sending it. */
export const contactAddition = pgTable(
  'contact_addition',
  {
    id: id(),
    partnershipId: partnershipId(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contact.id),
    body: text('body').notNull(),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => appUser.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('contact_addition_contact_idx').on(t.contactId, t.addedAt)],
)

/** A request to a partner agency for what it holds about named people, with a deadline by urgency. */
export const informationRequest = pgTable(
  'information_request',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    contactId: uuid('contact_id').references(() => contact.id),
    toAgencyId: uuid('to_agency_id')
      .notNull()
      .references(() => agency.id),
    /** The people asked about (the child and members of the family network). */
    personIds: uuid('person_ids').array().notNull(),
    question: text('question').notNull(),
    /** red, amber or green. */
    urgency: text('urgency').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('open'),
    held: boolean('held'),
    information: text('information'),
    answeredBy: uuid('answered_by').references(() => appUser.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('information_request_case_idx').on(t.caseId),
    index('information_request_agency_idx').on(t.toAgencyId, t.status),
    index('information_request_open_due_idx').on(t.dueAt).where(sql`${t.status} = 'open'`),
  ],
)

/** A partnership's own deadlines for information requests (defaults: red 4 hours, amber 1 WD, green 3 WD). */
export const requestDeadlineSetting = pgTable('request_deadline_setting', {
  partnershipId: uuid('partnership_id')
    .primaryKey()
    .references(() => partnership.id),
  redHours: integer('red_hours').notNull(),
  amberWorkingDays: integer('amber_working_days').notNull(),
  greenWorkingDays: integer('green_working_days').notNull(),
  updatedAt: updatedAt(),
  version: version(),
})

/** A decision to share personal information out of Together, or not to share it, with its lawful basis. */
export const informationShare = pgTable(
  'information_share',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** shared or not-shared. */
    decision: text('decision').notNull(),
    decidedOn: day('decided_on').notNull(),
    information: text('information').notNull(),
    recipientAgencyId: uuid('recipient_agency_id').references(() => agency.id),
    recipient: text('recipient').notNull(),
    purpose: text('purpose').notNull(),
    article6Basis: text('article6_basis'),
    specialCategory: boolean('special_category').notNull().default(false),
    article9Condition: text('article9_condition'),
    consent: text('consent').notNull(),
    consentReason: text('consent_reason'),
    method: text('method'),
    identitiesProtected: boolean('identities_protected'),
    adviceSought: text('advice_sought'),
    urgent: boolean('urgent').notNull().default(false),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('information_share_case_idx').on(t.caseId), index('information_share_agency_idx').on(t.recipientAgencyId)],
)

/** A partner agency's report to a child protection conference, sent before the meeting. */
export const conferenceReport = pgTable(
  'conference_report',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => conference.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    body: text('body').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('conference_report_agency_unique').on(t.conferenceId, t.agencyId)],
)

/** How to reach an agency (a responsible authority's duty line, for the child protection status check). */
export const agencyContactDetails = pgTable('agency_contact_details', {
  agencyId: uuid('agency_id')
    .primaryKey()
    .references(() => agency.id),
  partnershipId: partnershipId(),
  phone: text('phone'),
  email: text('email'),
  hours: text('hours'),
  updatedAt: updatedAt(),
})

/** One child protection status check by an unscheduled-care clinician (CP-IS style). */
export const cpStatusCheck = pgTable(
  'cp_status_check',
  {
    id: id(),
    partnershipId: partnershipId(),
    checkedBy: uuid('checked_by')
      .notNull()
      .references(() => appUser.id),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
    /** The child found, if any (the NHS number typed is not kept when nobody matched). */
    personId: uuid('person_id').references(() => person.id),
    caseId: uuid('case_id').references(() => childCase.id),
    /** child-protection-plan, looked-after or none. */
    status: text('status').notNull(),
    setting: text('setting'),
  },
  (t) => [index('cp_status_check_case_idx').on(t.caseId, t.checkedAt)],
)

// ================================================================================================
// The partnership's work (issue 8): serious incidents and rapid reviews, practice reviews (LCSPRs
// and SCRs), domestic abuse related death reviews, allegations against people who work with
// children (LADO) and section 11 audits. See docs/partnership.md.
// ================================================================================================

/** A short free-text list of dated events: [{ on: 'YYYY-MM-DD', text }]. */
const datedEntries = (name: string) => jsonb(name).notNull().default(sql`'[]'::jsonb`)

/**
 * The people working on one review: only they (and an agency's contact for its own contribution)
 * see the review's material. `subjectType` is 'incident' (a serious incident and its rapid
 * review), 'practice-review' or 'dar-review'. Removing someone sets `endedAt`; rows are kept.
 */
export const reviewMember = pgTable(
  'review_member',
  {
    id: id(),
    partnershipId: partnershipId(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    role: text('role').notNull(),
    addedBy: uuid('added_by').references(() => appUser.id),
    createdAt: createdAt(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('review_member_subject_idx').on(t.subjectId, t.userId), index('review_member_user_idx').on(t.userId)],
)

/**
 * A serious incident the local authority became aware of, linked to the child's record, with its
 * notification (5 working days; recipients per edition) and its rapid review (15 working days
 * from the notification; 2018 onward).
 */
export const seriousIncident = pgTable(
  'serious_incident',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    kind: text('kind').notNull(),
    incidentOn: day('incident_on').notNull(),
    awareOn: day('aware_on').notNull(),
    summary: text('summary').notNull(),
    /** The edition in force on the date the local authority became aware. */
    edition: integer('edition').notNull(),
    notificationDueOn: day('notification_due_on'),
    notifiedOn: day('notified_on'),
    recipients: codes('recipients'),
    notificationLateReason: text('notification_late_reason'),
    rapidReviewDueOn: day('rapid_review_due_on'),
    rapidReviewDecision: text('rapid_review_decision'),
    rapidReviewReasons: text('rapid_review_reasons'),
    rapidReviewDecidedOn: day('rapid_review_decided_on'),
    submittedToPanelOn: day('submitted_to_panel_on'),
    rapidReviewLateReason: text('rapid_review_late_reason'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('serious_incident_partnership_idx').on(t.partnershipId, t.awareOn), index('serious_incident_case_idx').on(t.caseId)],
)

/**
 * What one agency is asked to contribute to a review (rapid review, practice review, DAR review),
 * addressed to a named user of the agency with a deadline (and a task), and their answer.
 */
export const agencyContribution = pgTable(
  'agency_contribution',
  {
    id: id(),
    partnershipId: partnershipId(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    contactUserId: uuid('contact_user_id')
      .notNull()
      .references(() => appUser.id),
    taskId: uuid('task_id').references(() => task.id),
    question: text('question').notNull(),
    requestedOn: day('requested_on').notNull(),
    dueOn: day('due_on').notNull(),
    involvement: text('involvement'),
    entries: datedEntries('entries'),
    learning: text('learning'),
    submittedOn: day('submitted_on'),
    submittedBy: uuid('submitted_by').references(() => appUser.id),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('agency_contribution_subject_idx').on(t.subjectId), index('agency_contribution_contact_idx').on(t.contactUserId)],
)

/**
 * A local child safeguarding practice review (2018 onward: 6 months from decision to
 * publication) or a serious case review (2006–2015 editions: decision 1 month under 2013/2015,
 * completion 4 or 6 months).
 */
export const practiceReview = pgTable(
  'practice_review',
  {
    id: id(),
    partnershipId: partnershipId(),
    kind: text('kind').notNull(),
    incidentId: uuid('incident_id').references(() => seriousIncident.id),
    caseId: caseId(),
    edition: integer('edition').notNull(),
    title: text('title').notNull(),
    /** SCRs: when the incident was notified to the LSCB (starts the decision clock). */
    notifiedOn: day('notified_on'),
    decisionDueOn: day('decision_due_on'),
    decidedOn: day('decided_on').notNull(),
    dueOn: day('due_on'),
    reviewer: text('reviewer'),
    termsOfReference: text('terms_of_reference'),
    advanceNoticeOn: day('advance_notice_on'),
    earliestPublicationOn: day('earliest_publication_on'),
    completedOn: day('completed_on'),
    publishedOn: day('published_on'),
    publicationNote: text('publication_note'),
    lateReason: text('late_reason'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('practice_review_partnership_idx').on(t.partnershipId, t.decidedOn)],
)

/** A draft of a review's report as it was received. */
export const reviewDraft = pgTable(
  'review_draft',
  {
    id: id(),
    partnershipId: partnershipId(),
    reviewId: uuid('review_id').notNull(),
    receivedOn: day('received_on').notNull(),
    summary: text('summary').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
  },
  (t) => [index('review_draft_review_idx').on(t.reviewId)],
)

/** A recommendation of a review (practice review or DAR review). */
export const reviewRecommendation = pgTable(
  'review_recommendation',
  {
    id: id(),
    partnershipId: partnershipId(),
    reviewId: uuid('review_id').notNull(),
    number: integer('number').notNull(),
    text: text('text').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
  },
  (t) => [index('review_recommendation_review_idx').on(t.reviewId)],
)

/**
 * An action agreed for a recommendation, owned by an agency (a named user there), with a due
 * date; the owner gives evidence of completion and the partnership closes it.
 */
export const reviewAction = pgTable(
  'review_action',
  {
    id: id(),
    partnershipId: partnershipId(),
    reviewId: uuid('review_id').notNull(),
    recommendationId: uuid('recommendation_id')
      .notNull()
      .references(() => reviewRecommendation.id),
    text: text('text').notNull(),
    ownerAgencyId: uuid('owner_agency_id')
      .notNull()
      .references(() => agency.id),
    ownerUserId: uuid('owner_user_id')
      .notNull()
      .references(() => appUser.id),
    taskId: uuid('task_id').references(() => task.id),
    dueOn: day('due_on').notNull(),
    status: text('status').notNull().default('open'),
    evidence: text('evidence'),
    completedOn: day('completed_on'),
    closedOn: day('closed_on'),
    closedBy: uuid('closed_by').references(() => appUser.id),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('review_action_review_idx').on(t.reviewId),
    index('review_action_open_idx').on(t.partnershipId, t.dueOn).where(sql`${t.status} <> 'closed'`),
  ],
)

/**
 * A domestic abuse related death review (domestic homicide review): the community safety
 * partnership's decision, scope (deaths by suicide with domestic abuse included), timeline,
 * report, copies to the Domestic Abuse Commissioner, and links to a child safeguarding review
 * about the same family.
 */
export const darReview = pgTable(
  'dar_review',
  {
    id: id(),
    partnershipId: partnershipId(),
    reference: text('reference').notNull(),
    cspName: text('csp_name').notNull(),
    /** A pseudonym ("Adult A"): reviews are anonymised. */
    deceased: text('deceased').notNull(),
    /** Age at death: reviews cover deaths of people aged 16 or over. */
    deceasedAge: integer('deceased_age'),
    deathOn: day('death_on').notNull(),
    notifiedOn: day('notified_on').notNull(),
    suicide: boolean('suicide').notNull(),
    circumstances: text('circumstances').notNull(),
    decisionDueOn: day('decision_due_on'),
    decision: text('decision'),
    decisionReasons: text('decision_reasons'),
    decidedOn: day('decided_on'),
    /** The Home Office (and, under DARDR, the Domestic Abuse Commissioner) told of the decision. */
    decisionNotifiedOn: day('decision_notified_on'),
    completionDueOn: day('completion_due_on'),
    chair: text('chair'),
    chairAppointedOn: day('chair_appointed_on'),
    scope: text('scope'),
    timeline: datedEntries('timeline'),
    reportCompletedOn: day('report_completed_on'),
    reportSummary: text('report_summary'),
    homeOfficeSentOn: day('home_office_sent_on'),
    commissionerCopyOn: day('commissioner_copy_on'),
    publishedOn: day('published_on'),
    lateReason: text('late_reason'),
    linkedIncidentId: uuid('linked_incident_id').references(() => seriousIncident.id),
    linkedReviewId: uuid('linked_review_id').references(() => practiceReview.id),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('dar_review_partnership_idx').on(t.partnershipId, t.notifiedOn)],
)

/**
 * An allegation against a person who works with children, handled by the designated officer's
 * team; visible only to that team and the employer's named contact for the case.
 */
export const ladoCase = pgTable(
  'lado_case',
  {
    id: id(),
    partnershipId: partnershipId(),
    reference: text('reference').notNull(),
    designatedTeamId: uuid('designated_team_id')
      .notNull()
      .references(() => team.id),
    employerName: text('employer_name').notNull(),
    employerAgencyId: uuid('employer_agency_id').references(() => agency.id),
    employerContactUserId: uuid('employer_contact_user_id').references(() => appUser.id),
    subjectName: text('subject_name').notNull(),
    subjectRole: text('subject_role').notNull(),
    /** The first of `categories` (the harm tests the allegation meets). */
    category: text('category').notNull(),
    categories: codes('categories'),
    allegation: text('allegation').notNull(),
    /** The employer's named contact when they are not a user of Together. */
    employerContactName: text('employer_contact_name'),
    /** Who referred the allegation (name and role), as told. */
    referrer: text('referrer'),
    knownOn: day('known_on').notNull(),
    referredOn: day('referred_on').notNull(),
    edition: integer('edition').notNull(),
    referralDueOn: day('referral_due_on'),
    referralLateReason: text('referral_late_reason'),
    outcome: text('outcome'),
    outcomeOn: day('outcome_on'),
    outcomeNotes: text('outcome_notes'),
    exceptionalReason: text('exceptional_reason'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('lado_case_team_idx').on(t.designatedTeamId, t.referredOn), index('lado_case_contact_idx').on(t.employerContactUserId)],
)

/** A strategy or evaluation meeting about an allegation. */
export const ladoMeeting = pgTable(
  'lado_meeting',
  {
    id: id(),
    partnershipId: partnershipId(),
    ladoCaseId: uuid('lado_case_id')
      .notNull()
      .references(() => ladoCase.id),
    kind: text('kind').notNull(),
    heldOn: day('held_on').notNull(),
    attendees: text('attendees').notNull(),
    decisions: text('decisions').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
  },
  (t) => [index('lado_meeting_case_idx').on(t.ladoCaseId)],
)

/** A section 11 self-assessment template: standards, each with criteria ([{ code, title, criteria[] }]). */
export const section11Template = pgTable('section11_template', {
  id: id(),
  partnershipId: partnershipId(),
  name: text('name').notNull(),
  standards: jsonb('standards').notNull(),
  recordedBy: recordedBy(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
})

/** One round of section 11 audits, issued to agencies, with the template's standards as issued. */
export const section11Cycle = pgTable(
  'section11_cycle',
  {
    id: id(),
    partnershipId: partnershipId(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => section11Template.id),
    name: text('name').notNull(),
    standards: jsonb('standards').notNull(),
    issuedOn: day('issued_on').notNull(),
    answersDueOn: day('answers_due_on').notNull(),
    nextCycleDueOn: day('next_cycle_due_on').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
  },
  (t) => [index('section11_cycle_partnership_idx').on(t.partnershipId, t.issuedOn)],
)

/**
 * One agency's self-assessment in a cycle: answers per standard ({ [code]: { rating, evidence } }),
 * the partnership's challenges and agreed actions ({ [code]: { challenge, action, actionDueOn } }).
 */
export const section11Return = pgTable(
  'section11_return',
  {
    id: id(),
    partnershipId: partnershipId(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => section11Cycle.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    contactUserId: uuid('contact_user_id')
      .notNull()
      .references(() => appUser.id),
    taskId: uuid('task_id').references(() => task.id),
    status: text('status').notNull().default('issued'),
    answers: jsonb('answers').notNull().default(sql`'{}'::jsonb`),
    submittedOn: day('submitted_on'),
    challenges: jsonb('challenges').notNull().default(sql`'{}'::jsonb`),
    agreedOn: day('agreed_on'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('section11_return_unique').on(t.cycleId, t.agencyId), index('section11_return_contact_idx').on(t.contactUserId)],
)

// ---- Partner participation (issue 6 item 4): partner practitioners invited to strategy
// discussions and conferences, and progress on the plan actions their agencies own.

/**
 * A partner practitioner invited to a meeting about a case. `grantId` is the invitation grant that
 * gives them the participation view; it ends when the meeting's involvement ends (the conference is
 * held, the strategy discussion recorded, or the invitation withdrawn).
 */
export const meetingInvitation = pgTable(
  'meeting_invitation',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** 'conference' or 'strategy-discussion'. */
    meeting: text('meeting').notNull(),
    conferenceId: uuid('conference_id').references(() => conference.id),
    /** When a strategy discussion is to be held (it is recorded only once held). */
    meetingAt: timestamp('meeting_at', { withTimezone: true }),
    purpose: text('purpose').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    grantId: uuid('grant_id')
      .notNull()
      .references(() => accessGrant.id),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('meeting_invitation_case_idx').on(t.caseId),
    index('meeting_invitation_conference_idx').on(t.conferenceId),
    index('meeting_invitation_user_idx').on(t.userId),
    check('meeting_invitation_meeting', sql`${t.meeting} in ('conference','strategy-discussion')`),
  ],
)

/** One progress update on a plan action (status, note, date), by its owning agency or the case's workers. */
export const planActionUpdate = pgTable(
  'plan_action_update',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plan.id),
    planItemId: uuid('plan_item_id')
      .notNull()
      .references(() => planItem.id),
    /** The agency the update was made for (the updater's). */
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agency.id),
    status: text('status').notNull(),
    note: text('note').notNull(),
    progressOn: day('progress_on').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('plan_action_update_item_idx').on(t.planItemId, t.createdAt)],
)

/**
 * An action agreed with an agency after its section 11 self-assessment, for one standard: owned
 * by a named user of the agency with a due date; the owner gives evidence of completion and the
 * partnership business unit closes it.
 */
export const section11Action = pgTable(
  'section11_action',
  {
    id: id(),
    partnershipId: partnershipId(),
    returnId: uuid('return_id')
      .notNull()
      .references(() => section11Return.id),
    standardCode: text('standard_code').notNull(),
    text: text('text').notNull(),
    ownerAgencyId: uuid('owner_agency_id')
      .notNull()
      .references(() => agency.id),
    ownerUserId: uuid('owner_user_id')
      .notNull()
      .references(() => appUser.id),
    taskId: uuid('task_id').references(() => task.id),
    dueOn: day('due_on').notNull(),
    status: text('status').notNull().default('open'),
    evidence: text('evidence'),
    completedOn: day('completed_on'),
    closedOn: day('closed_on'),
    closedBy: uuid('closed_by').references(() => appUser.id),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('section11_action_return_idx').on(t.returnId), index('section11_action_open_idx').on(t.partnershipId, t.dueOn).where(sql`${t.status} <> 'closed'`)],
)

/**
 * A child an allegation concerns (lado_case): linked to the child's record where they are known
 * to Together, otherwise described (anonymously) as the employer gave it.
 */
export const ladoChild = pgTable(
  'lado_child',
  {
    id: id(),
    partnershipId: partnershipId(),
    ladoCaseId: uuid('lado_case_id')
      .notNull()
      .references(() => ladoCase.id),
    caseId: uuid('case_id').references(() => childCase.id),
    description: text('description'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
  },
  (t) => [index('lado_child_case_idx').on(t.ladoCaseId)],
)
