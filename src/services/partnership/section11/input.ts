/** Input schemas for section 11 audits: templates, cycles, answers, challenges, agreement, actions (pages and API). */
import { z } from 'zod'
import { codesOf, SECTION11_RATING } from '../../../domain/partnership/codes.ts'
import { parseStandards } from '../../../domain/partnership/section11.ts'
import { optionalText } from '../incident-input.ts'
import { requiredDate, requiredText, version } from '../../common/fields-input.ts'

const rating = z.enum(codesOf(SECTION11_RATING), { error: 'Select a rating' })
const optionalRating = z.preprocess((v) => (v === '' || v === undefined ? null : v), rating.nullable())

/** The standards typed as text ("Title" lines, "- criterion" lines), parsed into standards. */
const standardsText = requiredText('the standards', 50_000).transform((text, ctx) => {
  const parsed = parseStandards(text)
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message })
    return z.NEVER
  }
  return parsed.standards
})

export const templateInput = z.object({ name: requiredText('a name for the template', 200), standards: standardsText })
export const templateUpdate = templateInput.extend({ version })

const ids = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.uuid()))

export const cycleInput = z
  .object({
    templateId: z.uuid({ error: 'Select the template' }),
    name: requiredText('a name for the cycle', 200),
    issuedOn: requiredDate('the date the cycle is issued'),
    answersDueOn: requiredDate('the date answers are due'),
    /** One user per agency: who answers for it. */
    contactUserIds: ids.refine((v) => v.length > 0, { error: 'Choose who answers for each agency' }),
  })
  .refine((v) => v.answersDueOn > v.issuedOn, { path: ['answersDueOn'], error: 'Answers must be due after the cycle is issued' })

/** The agency's answers: [code] → rating and evidence; `submit` sends them to the partnership. */
export const answersInput = z.object({
  answers: z.record(z.string(), z.object({ rating: optionalRating, evidence: optionalText('the evidence', 20_000) })),
  submit: z.boolean().default(false),
  version,
})

export const challengeInput = z.object({
  standardCode: requiredText('the standard', 20),
  comment: requiredText('the challenge', 5000),
  version,
})

export const challengeResponseInput = z.object({
  standardCode: requiredText('the standard', 20),
  response: requiredText('your answer to the challenge', 20_000),
  /** The agency may revise its rating in answering. */
  rating: optionalRating,
  version,
})

export const agreementInput = z.object({ ratings: z.record(z.string(), rating), version })

export const section11ActionInput = z.object({
  standardCode: requiredText('the standard', 20),
  text: requiredText('the action', 5000),
  ownerUserId: z.uuid({ error: 'Select who at the agency is responsible' }),
  actionDueOn: requiredDate('the date the action is due'),
})

export type AnswersInput = z.infer<typeof answersInput>
