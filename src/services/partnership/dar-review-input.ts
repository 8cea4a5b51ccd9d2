/** Input schemas for domestic abuse related death reviews (domestic homicide reviews). */
import { z } from 'zod'
import { codesOf, DAR_DECISION } from '../../domain/partnership/codes.ts'
import { requiredDate, requiredText, version, yesNo } from '../common/fields-input.ts'
import { optionalDate, optionalText } from './incident-input.ts'
import { lateReasonCode, recordDelayReasonInput } from '../journey/clock-delays-input.ts'

export const darReviewInput = z
  .object({
    cspName: requiredText('the community safety partnership', 200),
    deceased: requiredText('a pseudonym for the person who died', 100),
    deceasedAge: z.coerce
      .number({ error: 'Enter their age as a number' })
      .int('Enter their age as a whole number')
      .min(16, 'These reviews are about the deaths of people aged 16 or over')
      .max(130, 'Enter a real age'),
    deathOn: requiredDate('the date of death'),
    notifiedOn: requiredDate('the date the police notified the community safety partnership'),
    suicide: yesNo('was it a death by suicide where there was domestic abuse'),
    circumstances: requiredText('the circumstances', 20_000),
  })
  .refine((v) => v.deathOn <= v.notifiedOn, { path: ['notifiedOn'], message: 'The notification cannot come before the death' })

export const darDecisionInput = z.object({
  decision: z.enum(codesOf(DAR_DECISION), { error: 'Select the decision' }),
  decisionReasons: requiredText('the reasons for the decision', 20_000),
  decidedOn: requiredDate('the date of the decision'),
  decisionNotifiedOn: optionalDate('the date the Home Office was told'),
  /** Asked when the decision came after its due date (dhr-decision): the coded reason, the words beside it. */
  lateReasonCode: lateReasonCode.optional(),
  lateReason: optionalText('the reason it was late', 2000).optional(),
  version,
})

export const darChairInput = z.object({
  chair: requiredText('the independent chair', 200),
  chairAppointedOn: requiredDate('the date the chair was appointed'),
  scope: optionalText('the scope', 20_000),
  version,
})

export const darTimelineInput = z.object({
  entryOn: requiredDate('the date'),
  entry: requiredText('what happened (a panel meeting, for example)', 2000),
  version,
})

export const darReportInput = z.object({
  reportCompletedOn: requiredDate('the date the overview report was completed'),
  reportSummary: requiredText('a summary of the report', 20_000),
  homeOfficeSentOn: optionalDate('the date it was sent to the Home Office'),
  commissionerCopyOn: optionalDate('the date the copy went to the Domestic Abuse Commissioner'),
  lateReasonCode: lateReasonCode.optional(),
  lateReason: optionalText('the reason it was late', 2000),
  version,
})

/** A late decision, or a late completion (the report sent to the Home Office), explained or its reason changed afterwards. */
export const darDelayInput = recordDelayReasonInput(['decision', 'completion'] as const)

export const darPublicationInput = z.object({ publishedOn: requiredDate('the date of publication'), version })

export const darLinkInput = z.object({ reviewId: z.uuid({ error: 'Select the practice review' }), version })

export type DarReviewInput = z.infer<typeof darReviewInput>
