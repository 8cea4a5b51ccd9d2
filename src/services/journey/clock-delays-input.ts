/** The reason a clock was late: shared by the reason's page and the JSON API. */
import { z } from 'zod'
import { codesOf, DELAY_REASON } from '../../domain/journey/codes.ts'
import { optionalText, version } from '../common/fields-input.ts'

export const delayReasonInput = z
  .object({
    reasonCode: z.enum(codesOf(DELAY_REASON), { error: 'Select the reason for the delay' }),
    reason: optionalText('the reason in your words', 2000).default(null),
    version,
  })
  .superRefine((v, ctx) => {
    if (v.reasonCode === 'other' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say what the other reason was' })
  })

export type DelayReasonInput = z.infer<typeof delayReasonInput>

/** The coded reason on a form that completes a clock: left blank when it was on time. */
export const lateReasonCode = z.preprocess(
  (v) => (v === '' || v === undefined ? null : v),
  z.enum(codesOf(DELAY_REASON), { error: 'Select the reason it was late from the list' }).nullable(),
)

/** On a form that completes a case clock: the coded reason when it was late, and the words beside it. */
export const lateReasonInputs = {
  lateReasonCode: lateReasonCode.default(null),
  lateReason: optionalText('the reason in your words', 2000).default(null),
}

/** A partnership record's late timescale explained afterwards: which timescale, the coded reason and the words. */
export const recordDelayReasonInput = <T extends readonly [string, ...string[]]>(timescales: T) =>
  z
    .object({
      timescale: z.enum(timescales, { error: 'Select the timescale' }),
      reasonCode: z.enum(codesOf(DELAY_REASON), { error: 'Select the reason for the delay' }),
      reason: optionalText('the reason in your words', 2000).default(null),
      version,
    })
    .superRefine((v, ctx) => {
      if (v.reasonCode === 'other' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say what the other reason was' })
    })
