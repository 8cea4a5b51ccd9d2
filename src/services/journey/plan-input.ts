/**
 * Input schemas for plans (early help, child in need; goals and actions of any plan): shared by
 * the pages and the JSON API. Dates are 'YYYY-MM-DD'; empty optional fields mean none.
 */
import { z } from 'zod'
import { ACTION_STATUS, PLAN_END_REASON, PLAN_KIND, codesOf } from '../../domain/journey/codes.ts'
import { optionalDate, optionalText, requiredDate, requiredText, version } from './assessment-input.ts'

export const optionalId = (message: string) => z.preprocess((v) => (v === '' ? null : v), z.uuid({ error: message }).nullable())

/** The kinds of plan a practitioner starts here; child protection plans are made by a conference. */
export const STARTABLE_PLAN_KINDS = ['early-help', 'child-in-need'] as const

export const startPlanInput = z.object({
  kind: z.enum(codesOf(PLAN_KIND), { error: 'Select the kind of plan' }),
  startedOn: requiredDate('the date the plan started'),
  episodeId: optionalId('Select the referral (episode) the plan belongs to').optional(),
  summary: requiredText('a summary of the plan'),
  leadUserId: optionalId('Select the lead practitioner').optional(),
  nextReviewOn: optionalDate('the date of the next review').optional(),
  previousPlanId: optionalId('The previous plan is not valid').optional(),
})

const itemFields = {
  description: requiredText('what the goal or action is', 2000),
  goalId: optionalId('Select the goal the action serves').optional(),
  ownerAgencyId: optionalId('Select the agency that owns the action').optional(),
  ownerUserId: optionalId('Select the person who owns the action').optional(),
  dueOn: optionalDate('the date the action is due').optional(),
  status: z.enum(codesOf(ACTION_STATUS), { error: 'Select the status' }).optional(),
  progress: optionalText('the progress made', 5000).optional(),
}

export const planItemInput = z.object({
  kind: z.enum(['goal', 'action'], { error: 'Say whether this is a goal or an action' }),
  ...itemFields,
})

/** A change to a goal or action: absent fields stay as they are. */
export const planItemUpdate = z.object({ version, ...itemFields, description: itemFields.description.optional() })

export const reviewPlanInput = z.object({
  version,
  summary: requiredText('a summary of the review: how the plan stands now'),
  nextReviewOn: requiredDate('the date of the next review'),
})

export const endPlanInput = z.object({
  version,
  endedOn: requiredDate('the date the plan ended'),
  endReason: z.enum(codesOf(PLAN_END_REASON), { error: 'Select why the plan ended' }),
})

export const stepPlanInput = z.object({
  version,
  steppedOn: requiredDate('the date of the step'),
  to: z.enum(STARTABLE_PLAN_KINDS, { error: 'Select the plan the child moves to' }),
  summary: requiredText('a summary of the new plan'),
  episodeId: optionalId('Select the referral (episode) the plan belongs to').optional(),
  leadUserId: optionalId('Select the lead practitioner').optional(),
  nextReviewOn: optionalDate('the date of the next review').optional(),
})

export type StartPlanInput = z.infer<typeof startPlanInput>
export type PlanItemInput = z.infer<typeof planItemInput>
export type PlanItemUpdate = z.infer<typeof planItemUpdate>
export type ReviewPlanInput = z.infer<typeof reviewPlanInput>
export type EndPlanInput = z.infer<typeof endPlanInput>
export type StepPlanInput = z.infer<typeof stepPlanInput>
