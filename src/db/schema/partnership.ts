/**
 * The partnership's work (issue 8): serious incidents and rapid reviews, practice reviews (LCSPRs
 * and SCRs), domestic abuse related death reviews, allegations against people who work with
 * children (LADO) and section 11 audits. See docs/partnership.md.
 */
import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, partnershipId, createdAt, updatedAt, version, caseId, recordedBy, day, codes, datedEntries } from './common.ts'
import { agency, team } from './organisation.ts'
import { appUser } from './access.ts'
import { childCase, task } from './journey.ts'

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
    /** DELAY_REASON code of a late notification, beside the free text. */
    notificationLateReasonCode: text('notification_late_reason_code'),
    rapidReviewDueOn: day('rapid_review_due_on'),
    rapidReviewDecision: text('rapid_review_decision'),
    rapidReviewReasons: text('rapid_review_reasons'),
    rapidReviewDecidedOn: day('rapid_review_decided_on'),
    submittedToPanelOn: day('submitted_to_panel_on'),
    rapidReviewLateReason: text('rapid_review_late_reason'),
    rapidReviewLateReasonCode: text('rapid_review_late_reason_code'),
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
    /** SCRs: the reason the decision came after its due date (DELAY_REASON code), beside the free text. */
    decisionLateReasonCode: text('decision_late_reason_code'),
    decisionLateReason: text('decision_late_reason'),
    dueOn: day('due_on'),
    reviewer: text('reviewer'),
    termsOfReference: text('terms_of_reference'),
    advanceNoticeOn: day('advance_notice_on'),
    earliestPublicationOn: day('earliest_publication_on'),
    completedOn: day('completed_on'),
    publishedOn: day('published_on'),
    publicationNote: text('publication_note'),
    lateReason: text('late_reason'),
    /** DELAY_REASON code of a late completion (publication for a local review), beside the free text. */
    lateReasonCode: text('late_reason_code'),
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
    /** The reason the decision came after its due date (DELAY_REASON code), beside the free text. */
    decisionLateReasonCode: text('decision_late_reason_code'),
    decisionLateReason: text('decision_late_reason'),
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
    /** DELAY_REASON code of a late completion (the report sent to the Home Office), beside the free text. */
    lateReasonCode: text('late_reason_code'),
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
    /** DELAY_REASON code of a late referral to the designated officer, beside the free text. */
    referralLateReasonCode: text('referral_late_reason_code'),
    outcome: text('outcome'),
    outcomeOn: day('outcome_on'),
    outcomeNotes: text('outcome_notes'),
    /** Why a case concluded after 12 months (lado-resolution-year), in words, beside the code. */
    exceptionalReason: text('exceptional_reason'),
    /** DELAY_REASON code of a case concluded after 12 months (null before it was asked, or on time). */
    exceptionalReasonCode: text('exceptional_reason_code'),
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
