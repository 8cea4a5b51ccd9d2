/** Input schemas for missing episodes, the child's return and the return home interview (pages and the JSON API). */
import { z } from 'zod'
import { codesOf, EXPLOITATION_SCREENING_OUTCOME, MISSING_KIND } from '../../domain/journey/codes.ts'
import { optionalDate, optionalText, optionalYesNo, requiredDate, timeOfDay, version } from '../common/fields-input.ts'
import { lateReasonInputs } from './clock-delays-input.ts'

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v)
const optionalTime = (what: string) => z.preprocess(blankToNull, timeOfDay(what).nullable())

export const missingEpisodeStart = z
  .object({
    kind: z.enum(codesOf(MISSING_KIND), { error: 'Select whether the child was missing or away without permission' }),
    startedOn: requiredDate('the date the child went missing'),
    startedTime: timeOfDay('the time the child went missing'),
    /** When the child is already back as it is recorded. */
    returnedOn: optionalDate('the date the child came back').default(null),
    returnedTime: optionalTime('the time the child came back').default(null),
    notes: optionalText('the notes', 4000).default(null),
  })
  .superRefine((v, ctx) => {
    if (v.returnedOn && !v.returnedTime) ctx.addIssue({ code: 'custom', path: ['returnedTime'], message: 'Enter the time the child came back' })
    if (v.returnedTime && !v.returnedOn) ctx.addIssue({ code: 'custom', path: ['returnedOn'], message: 'Enter the date the child came back' })
  })

export const missingEpisodeReturn = z.object({
  version,
  returnedOn: requiredDate('the date the child came back'),
  returnedTime: timeOfDay('the time the child came back'),
})

const screeningOutcome = z.preprocess(
  blankToNull,
  z.enum(codesOf(EXPLOITATION_SCREENING_OUTCOME), { error: 'Select what the screening found' }).nullable(),
)

export const returnInterview = z
  .object({
    version,
    interviewOfferedOn: optionalDate('the date the interview was offered').default(null),
    interviewAccepted: optionalYesNo('did the child accept the interview?').default(null),
    interviewHeldOn: optionalDate('the date the interview was held').default(null),
    interviewBy: optionalText('who held the interview', 200).default(null),
    screenedOn: optionalDate('the date of the exploitation screening').default(null),
    screeningOutcome: screeningOutcome.default(null),
    /** The coded reason when the interview was offered more than 72 hours after the return (DELAY_REASON), with the words. */
    ...lateReasonInputs,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (!v.interviewOfferedOn && (v.interviewAccepted !== null || v.interviewHeldOn || v.interviewBy)) issue('interviewOfferedOn', 'Enter the date the interview was offered')
    if (v.interviewHeldOn && v.interviewAccepted === false) issue('interviewAccepted', 'An interview that was held was accepted: select yes, or remove the date it was held')
    if (v.interviewHeldOn && !v.interviewBy) issue('interviewBy', 'Enter who held the interview')
    if (v.screenedOn && !v.screeningOutcome) issue('screeningOutcome', 'Select what the screening found')
    if (v.screeningOutcome && !v.screenedOn) issue('screenedOn', 'Enter the date of the exploitation screening')
  })

export type MissingEpisodeStart = z.infer<typeof missingEpisodeStart>
export type MissingEpisodeReturn = z.infer<typeof missingEpisodeReturn>
export type ReturnInterview = z.infer<typeof returnInterview>
