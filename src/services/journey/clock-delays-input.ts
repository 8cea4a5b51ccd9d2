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
