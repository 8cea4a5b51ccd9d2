/**
 * Multi-agency working (issue 6): notifications, professional referrals, information requests and
 * their deadlines, information sharing records, conference reports from partner agencies, child
 * protection status checks, and partner participation in meetings and plans. Not in `schema`
 * (index.ts): these tables are used through the query builder only.
 */
import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, partnershipId, createdAt, updatedAt, version, caseId, recordedBy, day } from './common.ts'
import { agency, partnership } from './organisation.ts'
import { accessGrant, appUser } from './access.ts'
import { childCase, conference, contact, person, plan, planItem, strategyDiscussion } from './journey.ts'

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
    /**
     * 'pending' until the sweep e-mails it, then 'sent', 'not-sent' (the user is inactive) or, after
     * its last attempt failed, 'failed': the administrators' list of undelivered e-mails.
     */
    emailStatus: text('email_status').notNull().default('pending'),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    /** Failed attempts so far; a failed attempt is tried again after a wait that grows each time. */
    emailAttempts: integer('email_attempts').notNull().default(0),
    /** Not tried again before this time (null: at the next sweep). */
    emailNextAttemptAt: timestamp('email_next_attempt_at', { withTimezone: true }),
    /** Why the last attempt failed, as the provider said (the address removed). */
    emailError: text('email_error'),
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
    /** The concern in the referrer's own words, as they sent it (null for referrals sent before it was kept). */
    concern: text('concern'),
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
    /**
     * A share Together made itself (AUTOMATIC_SHARES in services/multi-agency/information-sharing.ts:
     * an information request's answer, a conference report, a status check's answer, a census file,
     * the DfE feed), with the record that made it; null for a decision a practitioner recorded.
     */
    automatic: text('automatic'),
    sourceId: uuid('source_id'),
    /** Who recorded the decision, or whose action made the automatic share (null: a scheduled job or the command line). */
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('information_share_case_idx').on(t.caseId),
    index('information_share_agency_idx').on(t.recipientAgencyId),
    // "Basis to be recorded": urgent shares still waiting for their lawful basis.
    index('information_share_outstanding_idx').on(t.partnershipId).where(sql`${t.decision} = 'shared' and ${t.article6Basis} is null`),
  ],
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
    /** The strategy discussion the invitation was to, once it is recorded (its grant lasts until the record is closed). */
    strategyDiscussionId: uuid('strategy_discussion_id').references(() => strategyDiscussion.id),
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
    /** The action's plan, or its strategy discussion for an action agreed at one. */
    planId: uuid('plan_id').references(() => plan.id),
    strategyDiscussionId: uuid('strategy_discussion_id').references(() => strategyDiscussion.id),
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
 * An agency's information for a strategy discussion (issue 17 §5), added by an invited partner
 * before the discussion (strategyDiscussionId null until it is recorded) or after it, one per agency
 * and discussion; only its author changes it, until the discussion's record is closed.
 */
export const strategyContribution = pgTable(
  'strategy_contribution',
  {
    id: id(),
    partnershipId: partnershipId(),
    caseId: caseId(),
    strategyDiscussionId: uuid('strategy_discussion_id').references(() => strategyDiscussion.id),
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
  (t) => [
    uniqueIndex('strategy_contribution_agency_unique').on(t.strategyDiscussionId, t.agencyId).where(sql`${t.strategyDiscussionId} is not null`),
    uniqueIndex('strategy_contribution_pending_unique').on(t.caseId, t.agencyId).where(sql`${t.strategyDiscussionId} is null`),
    index('strategy_contribution_case_idx').on(t.caseId),
  ],
)
