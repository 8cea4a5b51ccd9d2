/**
 * Input schemas for assessments: shared by the pages (forms) and the JSON API. Dates are
 * 'YYYY-MM-DD'; forms combine their day, month and year fields before parsing.
 */
import { z } from 'zod'
import { ASSESSMENT_KIND, ASSESSMENT_OUTCOME, codesOf } from '../../domain/journey/codes.ts'
import { ASSESSMENT_FACTOR } from '../../domain/journey/dfe-codes.ts'
import { lateReasonCode } from './clock-delays-input.ts'

/** A required calendar date; `what` names it in messages, e.g. "the date the assessment started". */
export const requiredDate = (what: string) =>
  z.iso.date({
    error: (issue) => (issue.input === undefined || issue.input === '' ? `Enter ${what}` : `${capitalise(what)} must be a real date`),
  })

/** An optional date: empty means none (null). */
export const optionalDate = (what: string) => z.preprocess(emptyToNull, requiredDate(what).nullable())

/** Free text that may be cleared: empty or blank means none (null). */
export const optionalText = (what: string, max = 20_000) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z
      .string({ error: `Enter ${what}` })
      .trim()
      .max(max, `${capitalise(what)} must be ${max.toLocaleString('en-GB')} characters or fewer`)
      .nullable(),
  )

export const requiredText = (what: string, max = 20_000) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${capitalise(what)} must be ${max.toLocaleString('en-GB')} characters or fewer`)

/** The version of the record the user read: every change names it. */
export const version = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(1)

/** Form checkboxes post a string for one item and an array for several. */
export const stringList = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))

function emptyToNull(v: unknown) {
  return v === '' ? null : v
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export const startAssessmentInput = z.object({
  episodeId: z.uuid({ error: 'Select the referral (episode) the assessment belongs to' }),
  kind: z.enum(codesOf(ASSESSMENT_KIND), { error: 'Select the kind of assessment' }),
  startedOn: requiredDate('the date the assessment started'),
})

/** Progress on an assessment; every field is optional, and absent fields are left as they are. */
export const assessmentProgressInput = z.object({
  version,
  developmentalNeeds: optionalText('the child’s developmental needs').optional(),
  parentingCapacity: optionalText('parenting capacity').optional(),
  familyEnvironment: optionalText('family and environmental factors').optional(),
  analysis: optionalText('the analysis').optional(),
  childSeenOn: optionalDate('the date the child was seen').optional(),
  childSeenAloneOn: optionalDate('the date the child was seen alone').optional(),
})

export const completeAssessmentInput = z.object({
  version,
  completedOn: requiredDate('the date the assessment was completed'),
  factors: stringList.pipe(z.array(z.enum(codesOf(ASSESSMENT_FACTOR), { error: 'Select factors from the list' }))),
  outcome: z.enum(codesOf(ASSESSMENT_OUTCOME), { error: 'Select the outcome of the assessment' }),
  /** When its clock ran late: the coded reason (DELAY_REASON) and the words. */
  delayReasonCode: lateReasonCode.optional(),
  delayReason: optionalText('the reason for the delay', 2000).optional(),
})

export const authoriseAssessmentInput = z.object({
  version,
  authorisedOn: requiredDate('the date you authorised the assessment'),
  comment: requiredText('your comment on the assessment', 5000),
})

/** A manager returns a completed assessment to the worker, saying what needs doing. */
export const returnAssessmentInput = z.object({
  version,
  reasons: requiredText('why you are returning the assessment', 5000),
})

/** A manager reopens an authorised assessment so it can change again. */
export const reopenAssessmentInput = z.object({
  version,
  reason: requiredText('why you are reopening the assessment', 5000),
})

export type StartAssessmentInput = z.infer<typeof startAssessmentInput>
export type AssessmentProgressInput = z.infer<typeof assessmentProgressInput>
export type CompleteAssessmentInput = z.infer<typeof completeAssessmentInput>
export type AuthoriseAssessmentInput = z.infer<typeof authoriseAssessmentInput>
export type ReturnAssessmentInput = z.infer<typeof returnAssessmentInput>
export type ReopenAssessmentInput = z.infer<typeof reopenAssessmentInput>
