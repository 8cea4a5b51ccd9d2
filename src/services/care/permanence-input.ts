/**
 * Input schemas of care plans, the IRO, reviews' participation, IRO escalations and permanence
 * (adoption decisions, matching, adopters, reversal; previous permanence). Pages post strings
 * ('' for empty); the API posts JSON. Codes: domain/care/permanence.ts.
 */
import { z } from 'zod'
import { codesOf } from '../../domain/care/codes.ts'
import {
  IRO_ESCALATION_OUTCOME,
  IRO_ESCALATION_STAGE,
  LS_ADOPTR,
  PERMANENCE_PLAN,
  PREV_PERM,
  REASON_PLACED_CEASED,
  REVIEW_CODE,
  SEX_ADOPTR,
} from '../../domain/care/permanence.ts'
import { optionalDate, requiredDate, requiredText, version, yesNo } from '../common/fields-input.ts'

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v)
const optionalCode = (codes: [string, ...string[]], error: string) => z.preprocess(blankToNull, z.enum(codes, { error }).nullable())
const requiredCode = (codes: [string, ...string[]], error: string) => z.preprocess((v) => (v === '' ? undefined : v), z.enum(codes, { error }))
const upperText = (v: unknown) => (typeof v === 'string' ? (v.trim() === '' ? null : v.trim().toUpperCase()) : (v ?? null))

export const permanencePlan = requiredCode(codesOf(PERMANENCE_PLAN), 'Select the permanence plan')

export const carePlanInput = z.object({
  agreedOn: requiredDate('the date the care plan was agreed'),
  permanencePlan,
})

export const iroAllocationInput = z.object({
  iroId: z.preprocess(blankToNull, z.uuid({ error: 'Select the independent reviewing officer' })),
  fromOn: requiredDate('the date the IRO was allocated'),
})

/** What a review held records beside its date (services/journey/looked-after.ts keeps the clocks). */
export const reviewParticipationFields = {
  participation: requiredCode(codesOf(REVIEW_CODE), 'Select how the child took part in the review'),
  chairId: z.preprocess(blankToNull, z.uuid({ error: 'Select who chaired the review' }).nullable()).default(null),
  reviewedPermanencePlan: optionalCode(codesOf(PERMANENCE_PLAN), 'Select the permanence plan').default(null),
}

export const iroEscalationInput = z.object({
  raisedOn: requiredDate('the date the escalation was raised'),
  stage: requiredCode(codesOf(IRO_ESCALATION_STAGE), 'Select the stage'),
  concern: requiredText('the concern', 2000),
})

export const iroEscalationUpdate = z.object({
  version,
  stage: requiredCode(codesOf(IRO_ESCALATION_STAGE), 'Select the stage'),
  resolvedOn: optionalDate('the date it was resolved').default(null),
  outcome: optionalCode(codesOf(IRO_ESCALATION_OUTCOME), 'Select the outcome').default(null),
})

export const adoptionDecisionInput = z.object({
  decidedOn: requiredDate('the date of the decision that the child should be placed for adoption'),
})

/** Matching and the adopters (AD1): all of the adopters' items together, or none yet. */
export const adoptionMatchInput = z.object({
  version,
  matchedOn: requiredDate('the date the child was matched with the adopters'),
  adopterCount: z.preprocess((v) => (v === '' || v === undefined ? undefined : typeof v === 'string' ? Number(v) : v), z.union([z.literal(1), z.literal(2)], { error: 'Select the number of adopters' })),
  adopterSex: requiredCode(codesOf(SEX_ADOPTR), 'Select the adopters’ sexes'),
  adopterLegalStatus: requiredCode(codesOf(LS_ADOPTR), 'Select the adopters’ legal status'),
  adoptersFosterCarers: yesNo('were the adopters the child’s foster carers?'),
})

export const adoptionReversalInput = z.object({
  version,
  ceasedOn: requiredDate('the date of the decision that the child should no longer be placed for adoption'),
  reasonCeased: requiredCode(codesOf(REASON_PLACED_CEASED), 'Select why the child should no longer be placed for adoption'),
})

/** 903 PrevPerm, asked on its own page and on the form that starts care (journey/looked-after-input.ts). */
export const previousPermanenceFields = {
  prevPerm: requiredCode(codesOf(PREV_PERM), 'Select whether an earlier permanence order ended'),
  laPerm: z.preprocess(upperText, z.string().max(3, 'The authority is a 3-digit code, or 999, WAL, SCO, NIR or NUK').nullable()).default(null),
  datePerm: z.preprocess(upperText, z.string().max(10, 'The date is dd/mm/yyyy, with ZZ for an unknown day or month').nullable()).default(null),
}

export const previousPermanenceInput = z.object(previousPermanenceFields)


export type CarePlanInput = z.infer<typeof carePlanInput>
export type IroAllocationInput = z.infer<typeof iroAllocationInput>
export type IroEscalationInput = z.infer<typeof iroEscalationInput>
export type IroEscalationUpdate = z.infer<typeof iroEscalationUpdate>
export type AdoptionDecisionInput = z.infer<typeof adoptionDecisionInput>
export type AdoptionMatchInput = z.infer<typeof adoptionMatchInput>
export type AdoptionReversalInput = z.infer<typeof adoptionReversalInput>
export type PreviousPermanenceInput = z.infer<typeof previousPermanenceInput>
export type ReviewParticipation = { participation: string; chairId: string | null; reviewedPermanencePlan: string | null }
