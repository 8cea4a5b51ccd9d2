/** Input schema for a looked-after child's health and education records (pages and the JSON API). */
import { z } from 'zod'
import { codesOf, HEALTH_EDUCATION_KIND, OFFENDING_SUBSTANCE_KIND, SDQ_REASON } from '../../domain/journey/codes.ts'
import { optionalText, optionalYesNo, requiredDate } from '../common/fields-input.ts'
import { lateReasonInputs } from './clock-delays-input.ts'

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v)

export const healthEducationInput = z
  .object({
    kind: z.enum(codesOf(HEALTH_EDUCATION_KIND), { error: 'Select what was done' }),
    doneOn: requiredDate('the date it was done'),
    upToDate: optionalYesNo('are the immunisations up to date?').default(null),
    sdqScore: z.preprocess(blankToNull, z.coerce.number({ error: 'The score must be a whole number from 0 to 40' }).int('The score must be a whole number from 0 to 40').min(0, 'The score must be a whole number from 0 to 40').max(40, 'The score must be a whole number from 0 to 40').nullable()).default(null),
    sdqReason: z.preprocess(blankToNull, z.enum(codesOf(SDQ_REASON), { error: 'Select why there is no score' }).nullable()).default(null),
    doneBy: optionalText('who did it', 200).default(null),
    notes: optionalText('the notes', 4000).default(null),
    /** The coded reason when it completes a timescale late (DELAY_REASON), with the words. */
    ...lateReasonInputs,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (v.kind === 'immunisations' && v.upToDate === null) issue('upToDate', 'Select yes or no: are the immunisations up to date?')
    if (v.kind === 'sdq' && (v.sdqScore === null) === (v.sdqReason === null)) issue('sdqScore', 'Enter the score, or select why there is none (not both)')
  })
  // What does not belong to the kind is not kept.
  .transform((v) => ({
    ...v,
    upToDate: v.kind === 'immunisations' ? v.upToDate : null,
    sdqScore: v.kind === 'sdq' ? v.sdqScore : null,
    sdqReason: v.kind === 'sdq' ? v.sdqReason : null,
  }))

export type HealthEducationInput = z.infer<typeof healthEducationInput>

/**
 * The small form for offending and substance misuse (the SSDA903 OC2's CONVICTED, SUBSTANCE_MISUSE,
 * INTERVENTION_RECEIVED, INTERVENTION_OFFERED): one of those kinds, its day and notes, recorded as a
 * health and education record.
 */
export const offendingSubstanceInput = z
  .object({
    kind: z.enum(OFFENDING_SUBSTANCE_KIND, { error: 'Select what happened' }),
    doneOn: requiredDate('the date'),
    notes: optionalText('the notes', 4000).default(null),
  })
  .transform((v): HealthEducationInput => ({ ...v, upToDate: null, sdqScore: null, sdqReason: null, doneBy: null, lateReasonCode: null, lateReason: null }))
