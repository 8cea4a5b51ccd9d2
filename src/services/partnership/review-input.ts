/** Input schemas for practice reviews (LCSPRs and SCRs), their drafts, publication and actions. */
import { z } from 'zod'
import { requiredDate, requiredText, version } from '../common/fields-input.ts'
import { optionalText } from './incident-input.ts'
import { lateReasonCode, recordDelayReasonInput } from '../journey/clock-delays-input.ts'

export const reviewStartInput = z.object({
  incidentId: z.uuid({ error: 'Start a review from its serious incident' }),
  title: requiredText('a title for the review', 200),
  decidedOn: requiredDate('the date of the decision to hold the review'),
  /** Serious case reviews: when the incident was notified to the LSCB (starts the decision clock). */
  notifiedOn: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.iso.date({ error: 'The date must be a real date' }).nullable()),
  /** Serious case reviews: asked when the decision came after its due date (scr-decision), the coded reason and the words. */
  lateReasonCode: lateReasonCode.optional(),
  lateReason: optionalText('the reason it was late', 2000).optional(),
})

export const reviewDetailsInput = z.object({
  reviewer: optionalText('the reviewer', 200),
  termsOfReference: optionalText('the terms of reference', 20_000),
  version,
})

export const reviewDraftInput = z.object({
  receivedOn: requiredDate('the date the draft was received'),
  summary: requiredText('a summary of the draft', 20_000),
})

export const advanceNoticeInput = z.object({ advanceNoticeOn: requiredDate('the date the advance copy was sent'), version })

export const publicationInput = z.object({
  publishedOn: requiredDate('the date of publication'),
  publicationNote: optionalText('where it is published', 2000),
  lateReasonCode: lateReasonCode.optional(),
  lateReason: optionalText('the reason it was late', 2000),
  version,
})

/** A late decision (a serious case review's) or completion (a local review's publication) explained, or its reason changed, afterwards. */
export const reviewDelayInput = recordDelayReasonInput(['decision', 'completion'] as const)

export const recommendationInput = z.object({ text: requiredText('the recommendation', 5000) })

export const actionInput = z.object({
  recommendationId: z.uuid({ error: 'Select the recommendation' }),
  text: requiredText('the action', 5000),
  ownerUserId: z.uuid({ error: 'Select who at the owning agency is responsible' }),
  actionDueOn: requiredDate('the date the action is due'),
})

export const actionEvidenceInput = z.object({
  evidence: requiredText('the evidence that the action is complete', 20_000),
  completedOn: requiredDate('the date it was completed'),
  version,
})

export const actionCloseInput = z.object({ version })

export type ReviewStartInput = z.infer<typeof reviewStartInput>
