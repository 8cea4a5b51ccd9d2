/**
 * The child's journey (issue 4): the person, the case, and what is recorded on the case. Every
 * record on a case carries who recorded it and a version, and every write appends a
 * record_revision (what the chronology "as known at" reads).
 */
import { sql } from 'drizzle-orm'
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, partnershipId, createdAt, updatedAt, version, caseId, recordedBy, day, codes } from './common.ts'
import { agency, team } from './organisation.ts'
import { appUser } from './access.ts'

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
    /** How the person describes their gender, in their words, when it differs from or adds to sex. */
    gender: text('gender'),
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
    /** The person's first language, and language or communication needs (an interpreter, signing). */
    communicationNeeds: text('communication_needs'),
    /** The current address (person_address holds it with its history); postcode upper case, one space. */
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

/**
 * Each change of a person's own details (name, date of birth, identifiers, census items, date of
 * death), one row per field changed: the value before and after, who changed it, when and why.
 * Appended only; the person's earlier values and their dates are read from here.
 */
export const personChange = pgTable(
  'person_change',
  {
    id: id(),
    partnershipId: partnershipId(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id),
    /** The person's version the change made. */
    version: integer('version').notNull(),
    field: text('field').notNull(),
    previousValue: jsonb('previous_value'),
    newValue: jsonb('new_value'),
    reason: text('reason').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
    changedBy: uuid('changed_by')
      .notNull()
      .references(() => appUser.id),
  },
  (t) => [index('person_change_person_idx').on(t.personId, t.changedAt)],
)

/**
 * A person's addresses over time: the current one has no `to_date` (and is copied to
 * person.address and person.postcode); earlier ones are kept with their dates. `resident_ids`:
 * who else lives there (people of the child's family network).
 */
export const personAddress = pgTable(
  'person_address',
  {
    id: id(),
    partnershipId: partnershipId(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id),
    address: text('address').notNull(),
    postcode: text('postcode'),
    /** Null for an address held before its history was kept (its start not known). */
    fromDate: day('from_date'),
    toDate: day('to_date'),
    residentIds: uuid('resident_ids').array().notNull().default(sql`'{}'::uuid[]`),
    reason: text('reason').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('person_address_person_idx').on(t.personId, t.fromDate)],
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
    /**
     * Alerts a worker records on the case, shown at the top of its overview: risks to workers who
     * visit (a dangerous dog, an adult who has threatened staff) and the child's or family's
     * language or communication needs (first language, an interpreter, signing). Null: none recorded.
     */
    workerSafety: text('worker_safety'),
    communicationNeeds: text('communication_needs'),
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
    /**
     * This child's decision, set when the contact is decided: the contact's decision, or 'open-case'
     * when the contact was added to this child's open case instead (a contact about several children
     * gets a decision per child). Null before the decision, and for contacts decided before issue 16.
     */
    decision: text('decision'),
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
    /** The manager's comment on authorising it. */
    authorisationComment: text('authorisation_comment'),
    delayReason: text('delay_reason'),
    /** A manager returned the completed assessment to the worker (completion cleared), with the reasons; kept when it is resubmitted. */
    returnedOn: day('returned_on'),
    returnedBy: uuid('returned_by').references(() => appUser.id),
    returnReasons: text('return_reasons'),
    /** A manager reopened the authorised assessment (authorisation cleared), with the reason. */
    reopenedOn: day('reopened_on'),
    reopenedBy: uuid('reopened_by').references(() => appUser.id),
    reopenReason: text('reopen_reason'),
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
    /**
     * When the social worker closed the discussion's record: the invited partners' access through it
     * ends, their agencies' information can no longer be changed and its actions leave "My agency's actions".
     */
    closedAt: timestamp('closed_at', { withTimezone: true }),
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
    /** What the enquiry found (recorded with the outcome). */
    findings: text('findings'),
    /** The child's account, in their own words where they gave one. */
    childsAccount: text('childs_account'),
    /** Why the enquiry reached its outcome (required with the outcome). */
    outcomeReasons: text('outcome_reasons'),
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

/**
 * A goal or an action of a plan, or an action agreed at a strategy discussion (exactly one of
 * planId and strategyDiscussionId); actions have an owner in any agency.
 */
export const planItem = pgTable(
  'plan_item',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    planId: uuid('plan_id').references(() => plan.id),
    strategyDiscussionId: uuid('strategy_discussion_id').references(() => strategyDiscussion.id),
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
    index('plan_item_strategy_discussion_idx').on(t.strategyDiscussionId),
    check('plan_item_parent', sql`num_nonnulls(${t.planId}, ${t.strategyDiscussionId}) = 1`),
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
    /** The start time on scheduledFor, 'HH:MM' on the London clock (none on conferences scheduled before it was asked). */
    scheduledTime: text('scheduled_time'),
    /** Where it meets: a room and building, or "Online (Teams)". */
    venue: text('venue'),
    heldOn: day('held_on'),
    /** Why it was held on another day than scheduledFor (required then, so the record never disagrees with itself unexplained). */
    rescheduleReason: text('reschedule_reason'),
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
    /** The family group decision-making offer (CA 1989 s31ZA, CWSA 2026 s1): when it was made and the family's answer (accepted, declined, or null: not answered yet). */
    fgdmOfferedOn: day('fgdm_offered_on'),
    fgdmResponse: text('fgdm_response'),
    /** Why no meeting was offered (for example, not in the child's best interests). */
    fgdmNotOfferedReason: text('fgdm_not_offered_reason'),
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
    /** The partnership's code for the reason it was late (DELAY_REASON, domain/timescales/delay-reasons.ts), beside the free text. */
    delayReasonCode: text('delay_reason_code'),
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
 * date reads the revisions of each record recorded by then (the newest for what it says, the one
 * where each event first appeared for who recorded it); a refused conflicting save
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

/**
 * Immediate protection of a child (issue 17): police protection (Children Act 1989 s46, at most
 * 72 hours) or an emergency protection order (s44, up to 8 days, extended once by up to 7, s45).
 * The start is an instant (police protection counts hours); its clock is on `clock`.
 */
export const emergencyProtection = pgTable(
  'emergency_protection',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    /** 'police-protection' or 'emergency-protection-order' (EMERGENCY_PROTECTION_KIND). */
    kind: text('kind').notNull(),
    /** When the child was taken into police protection, or the order was made. */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** The London date of startedAt. */
    startedOn: day('started_on').notNull(),
    /** An order's one extension: the day the court extended it, and the new end. */
    extendedOn: day('extended_on'),
    extendedTo: day('extended_to'),
    endedOn: day('ended_on'),
    /** What was done or happened, in words (who applied, where the child went). */
    notes: text('notes'),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('emergency_protection_case_idx').on(t.caseId, t.startedOn)],
)

/**
 * An early help assessment of a child (issue 17 §7; Ofsted Annex A list 2): when it started, when
 * it was completed (recorded later), and the organisation completing it — an agency of the
 * partnership (agencyId, its name kept as it was then) or one outside it (its name only).
 */
export const earlyHelpAssessment = pgTable(
  'early_help_assessment',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    startedOn: day('started_on').notNull(),
    completedOn: day('completed_on'),
    /** The partnership's agency completing it; null for an organisation outside the partnership. */
    agencyId: uuid('agency_id').references(() => agency.id),
    /** The name of the organisation completing it (the agency's name when it is one). */
    organisation: text('organisation').notNull(),
    leadUserId: uuid('lead_user_id').references(() => appUser.id),
    summary: text('summary').notNull(),
    recordedBy: recordedBy(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('early_help_assessment_case_idx').on(t.caseId, t.startedOn),
    index('early_help_assessment_partnership_idx').on(t.partnershipId, t.startedOn),
    check('early_help_assessment_completed_after_start', sql`${t.completedOn} is null or ${t.completedOn} >= ${t.startedOn}`),
  ],
)
