/**
 * Input schemas for partner participation: inviting a partner practitioner to a meeting, an
 * agency's conference report, and progress on a plan action. Shared by the pages and the JSON API.
 */
import { z } from 'zod'
import { ACTION_STATUS, codesOf } from '../../domain/journey/codes.ts'
import { requiredDate, requiredText, version } from '../journey/assessment-input.ts'

const partner = z.uuid({ error: 'Select the partner practitioner to invite' })

export const conferenceInvitationInput = z.object({ userId: partner })

export const strategyInvitationInput = z.object({
  userId: partner,
  meetingOn: requiredDate('the date of the strategy discussion'),
  meetingTime: z.string({ error: 'Enter the time of the strategy discussion' }).regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'Enter the time as hours and minutes, like 14:30'),
  purpose: requiredText('what the strategy discussion is about', 2000),
})

export const withdrawInvitationInput = z.object({ version })

/** An agency's report: `version` is the report's when amending one already sent. */
export const conferenceReportInput = z.object({
  version: z.preprocess((v) => (v === '' || v === undefined ? undefined : v), version.optional()),
  body: requiredText('your agency’s report', 50_000),
})

export const actionProgressInput = z.object({
  version,
  status: z.enum(codesOf(ACTION_STATUS), { error: 'Select the status of the action' }),
  note: requiredText('what has been done', 5000),
  progressOn: requiredDate('the date of this progress'),
})

export type ConferenceInvitationInput = z.infer<typeof conferenceInvitationInput>
export type StrategyInvitationInput = z.infer<typeof strategyInvitationInput>
export type ConferenceReportInput = z.infer<typeof conferenceReportInput>
export type ActionProgressInput = z.infer<typeof actionProgressInput>
