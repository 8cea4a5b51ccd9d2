/**
 * Input schemas for the child protection process: strategy discussions, section 47 enquiries,
 * conferences and core groups. The same schemas validate the page forms and
 * the JSON API. Dates are 'YYYY-MM-DD'.
 */
import { z } from 'zod'
import {
  ATTENDANCE,
  codesOf,
  CONFERENCE_DECISION,
  CONFERENCE_KIND,
  PLAN_END_REASON,
  S47_OUTCOME,
  STRATEGY_DECISION,
} from '../../domain/journey/codes.ts'
import { CATEGORY_OF_ABUSE } from '../../domain/journey/dfe-codes.ts'
import { normaliseTime } from '../../domain/journey/child-protection-rules.ts'
import { lateReasonCode, lateReasonInputs } from './clock-delays-input.ts'

const TEXT_LIMIT = 20_000

const date = (what: string) => z.iso.date({ error: `Enter ${what} as a real date, for example 27 3 2026` })

const requiredText = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .min(1, message)
    .max(TEXT_LIMIT, `Use ${TEXT_LIMIT.toLocaleString('en-GB')} characters or fewer`)

/** Free text that may be left out; empty means not given. */
const optionalText = z
  .string()
  .trim()
  .max(TEXT_LIMIT, `Use ${TEXT_LIMIT.toLocaleString('en-GB')} characters or fewer`)
  .transform((v) => (v ? v : undefined))
  .optional()

/** A time of day on the 24-hour London clock, as 'HH:MM' ('9.30' is '09:30'). */
const clockTime = (what: string, example: string) =>
  z.string({ error: `Enter ${what}, for example ${example}` }).transform((v, c) => {
    const time = normaliseTime(v)
    if (!time) {
      c.addIssue({ code: 'custom', message: `Enter ${what} using the 24-hour clock, for example ${example}` })
      return z.NEVER
    }
    return time
  })

const version = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(1)

// ---- Strategy discussions

export const strategyAttendeeInput = z.object({
  name: requiredText('Enter the name of the person who took part').max(200, 'Use 200 characters or fewer'),
  agencyId: z.uuid({ error: 'Select the agency they represented' }),
  role: optionalText,
})

export const strategyDiscussionInput = z.object({
  /** The child-in-need episode; the case's open episode when left out. */
  episodeId: z.uuid({ error: 'Select the episode' }).optional(),
  heldOn: date('the date the discussion was held'),
  heldAtTime: clockTime('the time the discussion started', '14:30'),
  attendees: z.array(strategyAttendeeInput).min(1, 'Add the people who took part in the discussion').max(50),
  /** Why children's social care, the police or health was not represented (otherwise refused). */
  requiredAgencyAbsenceReason: optionalText,
  informationShared: requiredText('Enter the information shared'),
  decision: z.enum(codesOf(STRATEGY_DECISION), { error: 'Select the decision' }),
  decisionDetail: optionalText,
  immediateSafetyActions: optionalText,
  /** Start of the section 47 enquiry when it differs from the discussion's date. */
  section47StartedOn: date('the date the enquiry started').optional(),
  /** Why the discussion was held after its timescale: the coded reason (DELAY_REASON) and the words. */
  delayReasonCode: lateReasonCode.optional(),
  delayReason: optionalText,
})
export type StrategyDiscussionInput = z.infer<typeof strategyDiscussionInput>

/** A correction of a recorded discussion: everything but its episode and its decision. */
export const strategyDiscussionCorrection = strategyDiscussionInput
  .omit({ episodeId: true, decision: true, section47StartedOn: true })
  .extend({ version })
export type StrategyDiscussionCorrection = z.infer<typeof strategyDiscussionCorrection>

// ---- Section 47 enquiries

export const section47Input = z.object({
  strategyDiscussionId: z.uuid({ error: 'Select the strategy discussion that initiated the enquiry' }),
  /** The enquiry's start; the discussion's date when left out. */
  startedOn: date('the date the enquiry started').optional(),
})
export type Section47Input = z.infer<typeof section47Input>

export const section47Update = z.object({
  version,
  childSeenOn: date('the date the child was seen').optional(),
  outcome: z.enum(codesOf(S47_OUTCOME), { error: 'Select the outcome' }).optional(),
  completedOn: date('the date the enquiry was completed').optional(),
  /** What the enquiry found: needed with the outcome. */
  findings: optionalText,
  /** The child's account in their own words (or why they could not give one). */
  childsAccount: optionalText,
  /** Why the enquiry reached its outcome: needed with the outcome. */
  outcomeReasons: optionalText,
  /**
   * Asked when an enquiry about an unborn child concludes needing no conference after the pre-birth
   * conference's due date (prebirth-conference): the coded reason and the words, kept on that clock.
   */
  lateReasonCode: lateReasonInputs.lateReasonCode.optional(),
  lateReason: lateReasonInputs.lateReason.optional(),
})
export type Section47Update = z.infer<typeof section47Update>

// ---- Conferences

export const PARTIES = ['agency', 'family', 'child'] as const

export const conferenceParticipantInput = z
  .object({
    party: z.enum(PARTIES, { error: 'Select whether they come for an agency, the family or are the child' }),
    name: requiredText('Enter the participant’s name').max(200, 'Use 200 characters or fewer'),
    agencyId: z.uuid({ error: 'Select the agency' }).optional(),
    attendance: z.enum(codesOf(ATTENDANCE), { error: 'Select their attendance' }).default('invited'),
    /** When the agency's report to the conference arrived. */
    reportReceivedOn: date('the date the report was received').optional(),
  })
  .superRefine((p, c) => {
    if (p.party === 'agency' && !p.agencyId) c.addIssue({ code: 'custom', path: ['agencyId'], message: 'Select the agency they come for' })
  })
export type ConferenceParticipantInput = z.infer<typeof conferenceParticipantInput>

/** The start time of a conference on the London clock, 'HH:MM'. */
const conferenceTime = clockTime('the time the conference starts', '10:00')

const venue = requiredText('Enter where the conference meets, for example Room 2, Civic Centre, or Online (Teams)').max(
  300,
  'Use 300 characters or fewer',
)

export const conferenceInput = z.object({
  kind: z.enum(codesOf(CONFERENCE_KIND), { error: 'Select the kind of conference' }),
  scheduledFor: date('the date of the conference'),
  /** When it starts on that day, 'HH:MM' (London time). */
  scheduledTime: conferenceTime,
  venue,
  chairId: z.uuid({ error: 'Select the chair' }),
  /** Initial conferences: the section 47 enquiry that led to it. */
  section47Id: z.uuid({ error: 'Select the section 47 enquiry' }).optional(),
  /** Review conferences: the child protection plan under review. */
  planId: z.uuid({ error: 'Select the plan under review' }).optional(),
  /** Transfer-in and review conferences: the episode; the case's open episode when left out. */
  episodeId: z.uuid({ error: 'Select the episode' }).optional(),
  /** Transfer-in: when this authority was told the child on a plan had moved here (starts the timescale). */
  notifiedOn: date('the date you were told the child had moved into the area').optional(),
  participants: z.array(conferenceParticipantInput).max(60).default([]),
})
export type ConferenceInput = z.infer<typeof conferenceInput>

/** A change to a conference's arrangements before it is held: date, time, venue, chair and who is invited. */
export const conferenceArrangementsInput = z.object({
  version,
  scheduledFor: date('the date of the conference'),
  scheduledTime: conferenceTime,
  venue,
  chairId: z.uuid({ error: 'Select the chair' }),
  participants: z.array(conferenceParticipantInput).max(60).default([]),
})
export type ConferenceArrangementsInput = z.infer<typeof conferenceArrangementsInput>

export const conferenceOutcomeInput = z.object({
  version,
  heldOn: date('the date the conference was held'),
  /** Why it was held on another day than it was scheduled for: needed then. */
  rescheduleReason: optionalText,
  /** Replaces the invitation list (with attendance) when given. */
  participants: z.array(conferenceParticipantInput).max(60).optional(),
  decision: z.enum(codesOf(CONFERENCE_DECISION), { error: 'Select the conference’s decision' }),
  categories: z.array(z.enum(codesOf(CATEGORY_OF_ABUSE), { error: 'Select a category of abuse' })).max(5).default([]),
  outlinePlan: optionalText,
  dissent: optionalText,
  /** Why the conference was held after its timescale: the coded reason (DELAY_REASON) and the words. */
  delayReasonCode: lateReasonCode.optional(),
  delayReason: optionalText,
  /** When the plan ends: why (step-down-cin when a child in need plan starts and none is given). */
  endReason: z.enum(codesOf(PLAN_END_REASON), { error: 'Select why the plan ends' }).optional(),
  startChildInNeedPlan: z.boolean().default(false),
  childInNeedPlanSummary: optionalText,
})
export type ConferenceOutcomeInput = z.infer<typeof conferenceOutcomeInput>

// ---- Core groups (statutory visits are recorded on the notes form: case-notes-input.ts)

export const coreGroupInput = z.object({
  heldOn: date('the date the core group met'),
  attendees: requiredText('Enter who attended'),
  notes: optionalText,
  delayReasonCode: lateReasonCode.optional(),
  delayReason: optionalText,
})
export type CoreGroupInput = z.infer<typeof coreGroupInput>
