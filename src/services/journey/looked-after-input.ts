/** Input schemas for looked-after periods, their reviews and pre-proceedings (Public Law Outline). */
import { z } from 'zod'
import { codesOf, PRE_PROCEEDINGS_OUTCOME } from '../../domain/journey/codes.ts'
import { careLegalStatus, periodStartFields, reasonCeased } from '../care/care-input.ts'
import { previousPermanenceFields, reviewParticipationFields } from '../care/permanence-input.ts'

/** The family's answer to the family group decision-making offer (null: not answered yet). */
export const FGDM_RESPONSE = [
  { code: 'accepted', label: 'Accepted' },
  { code: 'declined', label: 'Declined' },
] as const
import { optionalDate, optionalText, requiredDate, version, yesNo } from '../common/fields-input.ts'
import { lateReasonCode, lateReasonInputs } from './clock-delays-input.ts'

/**
 * Becoming looked after: the legal status (903 LS) and what the 903 needs from the start
 * (care-input.ts), with previous permanence (903 PrevPerm, which rule 630 asks of every child
 * starting care; services/care/permanence.ts).
 */
export const lookedAfterStart = z.object({
  startedOn: requiredDate('the date the child became looked after'),
  legalStatus: careLegalStatus,
  ...periodStartFields,
  ...previousPermanenceFields,
})

export const lacReviewInput = z.object({
  heldOn: requiredDate('the date the review was held'),
  /** Why the review was late, when it was: the coded reason (DELAY_REASON) and the words. */
  delayReasonCode: lateReasonCode.optional(),
  delayReason: optionalText('the reason for the delay', 2000).default(null),
  /** 903 REVIEW_CODE, the chair (the IRO allocated when not given) and the permanence plan the review left (services/care/permanence.ts). */
  ...reviewParticipationFields,
})

export const lookedAfterEnd = z.object({
  version,
  endedOn: requiredDate('the date the child stopped being looked after'),
  /** 903 REC (never X1, which is derived). */
  reasonCeased,
})

const outcome = z.preprocess(
  (v) => (v === '' ? null : v),
  z.enum(codesOf(PRE_PROCEEDINGS_OUTCOME), { error: 'Select the outcome' }).nullable(),
)

/** The census items of pre-proceedings (PPStartDate, LBPSentDate, FGDMMeetingOffer ...). */
const preProceedingsFields = {
  decisionOn: requiredDate('the date of the decision to start pre-proceedings'),
  letterSentOn: optionalDate('the date the letter before proceedings was sent'),
  fgdmOffered: yesNo('was a family group decision-making meeting offered?'),
  fgdmOfferedOn: optionalDate('the date the family group decision-making meeting was offered'),
  fgdmResponse: z.preprocess(
    (v) => (v === '' ? null : v),
    z.enum(codesOf(FGDM_RESPONSE), { error: 'Select whether the family accepted or declined the offer' }).nullable(),
  ),
  fgdmNotOfferedReason: optionalText('why no family group decision-making meeting was offered', 2000),
  fgdmMeetingOn: optionalDate('the date of the family group decision-making meeting'),
  initialMeetingOn: optionalDate('the date of the initial pre-proceedings meeting'),
  proceedingsIssuedOn: optionalDate('the date care proceedings were issued'),
  outcome,
  endedOn: optionalDate('the date pre-proceedings ended'),
}

export const preProceedingsInput = z.object({
  ...preProceedingsFields,
  letterSentOn: preProceedingsFields.letterSentOn.default(null),
  fgdmOfferedOn: preProceedingsFields.fgdmOfferedOn.default(null),
  fgdmResponse: preProceedingsFields.fgdmResponse.default(null),
  fgdmNotOfferedReason: preProceedingsFields.fgdmNotOfferedReason.default(null),
  fgdmMeetingOn: preProceedingsFields.fgdmMeetingOn.default(null),
  initialMeetingOn: preProceedingsFields.initialMeetingOn.default(null),
  proceedingsIssuedOn: preProceedingsFields.proceedingsIssuedOn.default(null),
  outcome: outcome.default(null),
  endedOn: preProceedingsFields.endedOn.default(null),
  /** Asked when pre-proceedings end after the care proceedings' due date (care-proceedings): kept on the clock. */
  ...lateReasonInputs,
})

/** A change names the version it was made from; fields left out are unchanged, null clears one. */
export const preProceedingsUpdate = z.object(preProceedingsFields).partial().extend({ ...lateReasonInputs, version })

export type LookedAfterStart = z.infer<typeof lookedAfterStart>
export type LacReviewInput = z.infer<typeof lacReviewInput>
export type LookedAfterEnd = z.infer<typeof lookedAfterEnd>
export type PreProceedingsInput = z.infer<typeof preProceedingsInput>
export type PreProceedingsUpdate = z.infer<typeof preProceedingsUpdate>
