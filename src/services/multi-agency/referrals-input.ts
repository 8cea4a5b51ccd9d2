/**
 * The professional referral form's pages, shared by the pages, the JSON API (the whole referral
 * in one body) and the drafts between pages. The child is described with the front door's own
 * person fields, so nothing is typed twice when the contact is made.
 */
import { z } from 'zod'
import { CONSENT, URGENCY } from '../../domain/journey/codes.ts'
import { codesOf } from '../../domain/journey/dfe-codes.ts'
import { personInput } from '../journey/front-door-input.ts'

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `The text must be ${max} characters or fewer`)
const optional = (what: string, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), text(what, max).optional())

/** Page 1: the child (the front door's person fields). */
export const referralChildInput = personInput

/** Page 2: the family and where the child lives. */
export const referralFamilyInput = z.object({
  address: optional('the child’s address', 500),
  familyDetails: text('who the child lives with and other family members', 5_000),
})

/** Page 3: the concern and how urgent it is. */
export const referralConcernInput = z.object({
  concern: text('what you are worried about', 20_000),
  urgency: z.enum(codesOf(URGENCY), { error: 'Select how urgent it is' }),
})

/** Page 4: what the family was told, and consent. */
export const referralConsentInput = z
  .object({
    familyTold: text('what you have told the family about this referral', 5_000),
    consent: z.enum(codesOf(CONSENT), { error: 'Select whether the family consented' }),
    consentReason: optional('why consent was refused or not sought', 2_000),
  })
  .superRefine((c, issues) => {
    if (c.consent !== 'given' && !c.consentReason) {
      issues.addIssue({ code: 'custom', path: ['consentReason'], message: 'Explain why consent was refused or not sought' })
    }
  })

/** The whole referral (the API's body, and the check page's final validation). */
export const referralInput = z.object({
  child: referralChildInput,
  family: referralFamilyInput,
  concern: referralConcernInput,
  consent: referralConsentInput,
})

export const referralAdditionInput = z.object({
  information: text('the information you want to add', 20_000),
})

export type ReferralInput = z.infer<typeof referralInput>
export type ReferralAdditionInput = z.infer<typeof referralAdditionInput>

/** The form's pages in order, each with the part of the referral it fills. */
export const REFERRAL_PAGES = [
  { slug: 'child', part: 'child', schema: referralChildInput, title: 'About the child' },
  { slug: 'family', part: 'family', schema: referralFamilyInput, title: 'The child’s family' },
  { slug: 'concern', part: 'concern', schema: referralConcernInput, title: 'Your concern' },
  { slug: 'consent', part: 'consent', schema: referralConsentInput, title: 'What the family knows' },
] as const

export type ReferralPart = (typeof REFERRAL_PAGES)[number]['part']
