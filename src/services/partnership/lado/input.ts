/** Input schemas for allegations against people who work with children (pages and services). */
import { z } from 'zod'
import { codesOf, LADO_CATEGORY, LADO_MEETING_KIND, LADO_OUTCOME } from '../../../domain/partnership/codes.ts'
import { requiredDate, requiredText, version } from '../../common/fields-input.ts'
import { optionalText } from '../incident-input.ts'
import { lateReasonCode, recordDelayReasonInput } from '../../journey/clock-delays-input.ts'

const optionalId = (message: string) => z.preprocess((v) => (v === '' || v === undefined ? null : v), z.uuid({ error: message }).nullable())
/** Checkboxes post a string for one item and an array for several. */
const checked = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item))
/** A child's NHS number as typed (spaces allowed), or nothing. */
const nhsNumber = z.preprocess(
  (v) => (typeof v === 'string' ? (v.replace(/\s+/g, '') === '' ? null : v.replace(/\s+/g, '')) : (v ?? null)),
  z.string().nullable(),
)

export const ladoChildInput = z
  .object({
    /** The child's NHS number (or case id) when they are known to Together. */
    childNhsNumber: nhsNumber,
    childDescription: optionalText('the description of the child', 500),
  })
  .refine((v) => v.childNhsNumber !== null || v.childDescription !== null, {
    path: ['childNhsNumber'],
    message: 'Enter the child’s NHS number, or describe the child if they are not known to Together',
  })

export const ladoReferralInput = z
  .object({
    knownOn: requiredDate('the date the allegation came to the employer’s attention'),
    referredOn: requiredDate('the date it was referred to the designated officer'),
    referralLateReasonCode: lateReasonCode.optional(),
    referralLateReason: optionalText('the reason the referral was late', 2000),
    referrer: optionalText('who referred it', 200),
    subjectName: requiredText('the name of the person the allegation is about', 200),
    subjectRole: requiredText('their role', 200),
    employerAgencyId: optionalId('Select the employer'),
    employerName: optionalText('the employer', 200),
    employerContactUserId: optionalId('Select the employer’s named contact'),
    employerContactName: optionalText('the employer’s named contact', 200),
    categories: checked(z.enum(codesOf(LADO_CATEGORY), { error: 'Select the harm tests from the list' })).refine((v) => v.length > 0, 'Select at least one harm test the allegation meets'),
    allegation: requiredText('the nature of the allegation', 20_000),
    childNhsNumber: nhsNumber,
    childDescription: optionalText('the description of the child', 500),
  })
  .refine((v) => v.knownOn <= v.referredOn, { path: ['referredOn'], message: 'The referral cannot come before the employer knew of the allegation' })
  .refine((v) => v.employerAgencyId !== null || v.employerName !== null, { path: ['employerName'], message: 'Select the employer, or enter its name' })
  .refine((v) => v.childNhsNumber !== null || v.childDescription !== null, {
    path: ['childNhsNumber'],
    message: 'Enter the child’s NHS number, or describe the child if they are not known to Together',
  })

export const ladoMeetingInput = z.object({
  kind: z.enum(codesOf(LADO_MEETING_KIND), { error: 'Select the kind of meeting' }),
  heldOn: requiredDate('the date of the meeting'),
  attendees: requiredText('who attended', 5000),
  decisions: requiredText('the decisions', 20_000),
})

export const ladoOutcomeInput = z.object({
  outcome: z.enum(codesOf(LADO_OUTCOME), { error: 'Select the outcome' }),
  outcomeOn: requiredDate('the date the case was concluded'),
  outcomeNotes: optionalText('the notes on the outcome', 20_000),
  /** Asked when the case concluded after 12 months (lado-resolution-year): the coded reason, the words beside it. */
  exceptionalReasonCode: lateReasonCode.optional(),
  exceptionalReason: optionalText('the reason it took more than 12 months', 2000),
  version,
})

export const ladoReportInput = z
  .object({ from: requiredDate('the start of the period'), to: requiredDate('the end of the period') })
  .refine((v) => v.from <= v.to, { path: ['to'], message: 'The end of the period must be on or after its start' })

export type LadoReferralInput = z.infer<typeof ladoReferralInput>
export type LadoChildInput = z.infer<typeof ladoChildInput>
export type LadoMeetingInput = z.infer<typeof ladoMeetingInput>
export type LadoOutcomeInput = z.infer<typeof ladoOutcomeInput>

/** A late referral to the designated officer, or a case concluded after 12 months, explained (or its reason changed) afterwards. */
export const ladoDelayInput = recordDelayReasonInput(['referral', 'resolution'] as const)
export type LadoDelayInput = z.infer<typeof ladoDelayInput>
