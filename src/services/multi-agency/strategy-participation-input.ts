/**
 * Input schemas for strategy discussions as a multi-agency record: an agency's information for a
 * discussion, an action agreed at it, and closing its record. Shared by the pages and the JSON API.
 */
import { z } from 'zod'
import { optionalDate, requiredText, version } from '../journey/assessment-input.ts'

const optionalId = (message: string) => z.preprocess((v) => (v === '' ? null : v), z.uuid({ error: message }).nullable())

/** An agency's information: `version` is its own when changing what was added before. */
export const strategyInformationInput = z.object({
  version: z.preprocess((v) => (v === '' || v === undefined ? undefined : v), version.optional()),
  body: requiredText('what your agency knows and has shared', 50_000),
})

export const strategyActionInput = z.object({
  description: requiredText('the action agreed', 2000),
  ownerAgencyId: z.uuid({ error: 'Select the agency that owns the action' }),
  ownerUserId: optionalId('Select the person who owns the action').optional(),
  dueOn: optionalDate('the date the action is due').optional(),
})

export const closeStrategyDiscussionInput = z.object({ version })

export type StrategyInformationInput = z.infer<typeof strategyInformationInput>
export type StrategyActionInput = z.infer<typeof strategyActionInput>
