/** Input schemas for serious incidents, rapid reviews and agency contributions (pages, API). */
import { z } from 'zod'
import { codesOf, INCIDENT_KIND, RAPID_REVIEW_DECISION } from '../../domain/partnership/codes.ts'
import { optionalDate as blankableDate, optionalText as blankable, requiredDate, requiredText, version } from '../common/fields-input.ts'
import { lateReasonCode, recordDelayReasonInput } from '../journey/clock-delays-input.ts'

/** Text that may be left out entirely (API) or blank (pages): null either way. */
export const optionalText = (what: string, max = 2000) => z.preprocess((v) => (v === undefined ? null : v), blankable(what, max))

/** A date that may be left out entirely (API) or blank (pages): null either way. */
export const optionalDate = (what: string) => z.preprocess((v) => (v === undefined ? null : v), blankableDate(what))

export const incidentInput = z
  .object({
    /** The child's NHS number, or the id of their case. */
    child: requiredText('the child’s NHS number', 64).transform((v) => v.replace(/\s+/g, '')),
    kind: z.enum(codesOf(INCIDENT_KIND), { error: 'Select what happened' }),
    incidentOn: requiredDate('the date of the incident'),
    awareOn: requiredDate('the date the local authority became aware'),
    summary: requiredText('what happened', 5000),
  })
  .refine((v) => v.incidentOn <= v.awareOn, { path: ['awareOn'], message: 'The date the local authority became aware must be on or after the incident' })

export const notificationInput = z.object({
  notifiedOn: requiredDate('the date the notification was sent'),
  lateReasonCode: lateReasonCode.optional(),
  lateReason: optionalText('the reason it was late', 2000),
  version,
})

export const memberInput = z.object({ userId: z.uuid({ error: 'Select who to add' }) })

export const contributionRequestInput = z.object({
  /** Optional: the contact's agency is used when left out. */
  agencyId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ error: 'Select the agency' }).optional()),
  contactUserId: z.uuid({ error: 'Select who at the agency should answer' }),
  question: requiredText('what you are asking the agency for', 5000),
  dueOn: requiredDate('the date the answer is due'),
})

/** One key event of a contribution: the date (a date input on the page) and what happened. */
export const datedEntryInput = z.object({
  on: requiredDate('the date of the event'),
  text: requiredText('what happened', 2000),
})

export const contributionAnswerInput = z.object({
  involvement: requiredText('your agency’s involvement with the child and family', 20_000),
  /** The key events, in any order (they are kept earliest first); none is allowed. */
  entries: z.preprocess((v) => v ?? [], z.array(datedEntryInput).max(200, 'Give at most 200 key events: summarise the rest in your involvement')),
  learning: optionalText('the learning and immediate actions', 20_000),
  version,
})

export const rapidReviewDecisionInput = z.object({
  decision: z.enum(codesOf(RAPID_REVIEW_DECISION), { error: 'Select the decision' }),
  reasons: requiredText('the reasons for the decision', 20_000),
  decidedOn: requiredDate('the date of the decision'),
  version,
})

export const panelSubmissionInput = z.object({
  submittedOn: requiredDate('the date the rapid review was sent to the Panel'),
  lateReasonCode: lateReasonCode.optional(),
  lateReason: optionalText('the reason it was late', 2000),
  version,
})

/** A late notification or rapid review explained (or its reason changed) afterwards. */
export const incidentDelayInput = recordDelayReasonInput(['notification', 'rapid-review'] as const)

export type IncidentInput = z.infer<typeof incidentInput>
export type NotificationInput = z.infer<typeof notificationInput>
export type ContributionRequestInput = z.infer<typeof contributionRequestInput>
export type ContributionAnswerInput = z.infer<typeof contributionAnswerInput>
export type RapidReviewDecisionInput = z.infer<typeof rapidReviewDecisionInput>
export type PanelSubmissionInput = z.infer<typeof panelSubmissionInput>
export type IncidentDelayInput = z.infer<typeof incidentDelayInput>
