/**
 * Input schemas for early help assessments (pages and the JSON API): the organisation completing
 * one is an agency of the partnership (agencyId) or, outside it, named in words (otherOrganisation).
 */
import { z } from 'zod'
import { optionalDate, optionalText, requiredDate, requiredText, version } from './assessment-input.ts'
import { optionalId } from './plan-input.ts'

export const earlyHelpAssessmentInput = z.object({
  startedOn: requiredDate('the date the assessment started'),
  /** When it was completed, if it already was; otherwise recorded later. */
  completedOn: optionalDate('the date the assessment was completed').optional(),
  agencyId: optionalId('Select the organisation completing the assessment').optional(),
  otherOrganisation: optionalText('the name of the organisation', 200).optional(),
  leadUserId: optionalId('Select the lead practitioner').optional(),
  summary: requiredText('a summary of the assessment', 5000),
})

export const earlyHelpAssessmentCompletion = z.object({
  version,
  completedOn: requiredDate('the date the assessment was completed'),
})

export type EarlyHelpAssessmentInput = z.infer<typeof earlyHelpAssessmentInput>
export type EarlyHelpAssessmentCompletion = z.infer<typeof earlyHelpAssessmentCompletion>
