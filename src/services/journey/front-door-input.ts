/**
 * Input schemas for the front door: person search and creation, contacts, decisions, and
 * child-in-need episodes. Shared by the pages, the JSON API and the services' callers, so a
 * field means the same thing everywhere. Dates are 'YYYY-MM-DD'; times 'HH:MM' in England.
 */
import { z } from 'zod'
import { CONSENT, CONTACT_DECISION, URGENCY } from '../../domain/journey/codes.ts'
import {
  codesOf,
  DISABILITY,
  ETHNICITY,
  PRIMARY_NEED,
  REASON_FOR_CLOSURE,
  REFERRAL_SOURCE,
  SEX,
} from '../../domain/journey/dfe-codes.ts'
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/journey/nhs-number.ts'
import { EDITIONS } from '../../domain/timescales/editions.ts'
import { lateReasonCode } from './clock-delays-input.ts'

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

const text = (what: string, max = 200) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${capitalise(what)} must be ${max} characters or fewer`)

const optionalText = (what: string, max = 200) => z.preprocess(blankToUndefined, text(what, max).optional())

const date = (message: string) => z.iso.date({ error: message })
const optionalDate = (message: string) => z.preprocess(blankToUndefined, date(message).optional())

export const version = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(1)

/** Form checkboxes post a string for one item and an array for several; nothing when none. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item))

/** An NHS number as typed (spaces or hyphens allowed), checked by its modulus 11 digit; the ten digits. */
export const nhsNumber = z
  .string()
  .trim()
  .refine((v) => normaliseNhsNumber(v) !== null, 'Enter the NHS number as 10 digits, like 999 000 0050')
  .refine((v) => isValidNhsNumber(v), 'This is not a valid NHS number: check each digit')
  .transform((v) => normaliseNhsNumber(v)!)

const optionalNhsNumber = z.preprocess(blankToUndefined, nhsNumber.optional())

function capitalise(s: string): string {
  return s.replace(/^(a |an |the )?/, '').replace(/^./, (c) => c.toUpperCase())
}

// ---- people

export const personSearchInput = z
  .object({
    givenName: optionalText('a first name', 100),
    familyName: optionalText('a last name', 100),
    dateOfBirth: optionalDate('Enter a real date of birth'),
    nhsNumber: optionalNhsNumber,
  })
  .refine((q) => q.givenName || q.familyName || q.dateOfBirth || q.nhsNumber, {
    message: 'Enter a name, a date of birth or an NHS number to search for',
    path: ['familyName'],
  })

export const personInput = z
  .object({
    givenName: text('the first name', 100),
    familyName: text('the last name', 100),
    dateOfBirth: optionalDate('Enter a real date of birth'),
    /** For an unborn child: the expected date of birth instead. */
    expectedDateOfBirth: optionalDate('Enter a real expected date of birth'),
    sex: z.enum(codesOf(SEX), { error: 'Select the child’s sex (or unknown)' }),
    nhsNumber: optionalNhsNumber,
    ethnicity: z.preprocess(blankToUndefined, z.enum(codesOf(ETHNICITY), { error: 'Select an ethnicity' }).optional()),
    disabilities: list(z.enum(codesOf(DISABILITY), { error: 'Select a disability from the list' })),
  })
  .superRefine((p, issues) => {
    if (!p.dateOfBirth && !p.expectedDateOfBirth) {
      issues.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Enter the date of birth, or the expected date of birth for an unborn child' })
    }
    if (p.dateOfBirth && p.expectedDateOfBirth) {
      issues.addIssue({ code: 'custom', path: ['expectedDateOfBirth'], message: 'Give either a date of birth or an expected date of birth, not both' })
    }
    if (p.disabilities.includes('NONE') && p.disabilities.length > 1) {
      issues.addIssue({ code: 'custom', path: ['disabilities'], message: 'Select “No disability” or the disabilities, not both' })
    }
  })

// ---- contacts

/** The first date Together's timescales cover: the earliest edition of Working Together it holds. */
export const EARLIEST_CONTACT_DATE = EDITIONS[0]!.inForce

const childOfContact = z.union([
  z.object({ personId: z.uuid({ error: 'Select a child' }) }),
  z.object({ newPerson: personInput }),
])

const CONSENT_NEEDS_REASON: readonly string[] = ['refused', 'not-sought']

/** The contact's own fields (step 2 of the contact form), each defined once for every schema below. */
const contactDetailFields = {
  receivedDate: date('Enter the date the contact was received'),
  receivedTime: z
    .string({ error: 'Enter the time the contact was received' })
    .trim()
    .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, 'Enter the time in 24-hour format, like 14:30')
    .transform((t) => t.replace('.', ':').padStart(5, '0')),
  source: z.enum(codesOf(REFERRAL_SOURCE), { error: 'Select where the contact came from' }),
  referrerName: optionalText('the referrer’s name'),
  referrerAgencyId: z.preprocess(blankToUndefined, z.uuid({ error: 'Select an agency from the list' }).optional()),
  referrerRole: optionalText('the referrer’s role'),
  referrerContact: optionalText('how to contact the referrer'),
  concern: text('what the concern is', 20_000),
  consent: z.enum(codesOf(CONSENT), { error: 'Select whether the family consented' }),
  consentReason: optionalText('the reason', 2_000),
  urgency: z.enum(codesOf(URGENCY), { error: 'Select how urgent it is' }),
}

/** The children a contact is about (step 1 of the contact form). */
const contactChildrenFields = {
  children: z.array(childOfContact, { error: 'Add the children the contact is about' }).min(1, 'Add at least one child'),
}

type ContactDetailFields = z.infer<z.ZodObject<typeof contactDetailFields>>

/** The rules between the details' fields. What needs the database or the clock is the service's checkContactDetails. */
function checkContactDetails(c: ContactDetailFields, issues: z.RefinementCtx): void {
  if (c.receivedDate < EARLIEST_CONTACT_DATE) {
    issues.addIssue({ code: 'custom', path: ['receivedDate'], message: `The date must be on or after 1 April 2006` })
  }
  if (!c.referrerName && c.source !== '9') {
    issues.addIssue({ code: 'custom', path: ['referrerName'], message: 'Enter the referrer’s name (or choose an anonymous source)' })
  }
  if (CONSENT_NEEDS_REASON.includes(c.consent) && !c.consentReason) {
    issues.addIssue({ code: 'custom', path: ['consentReason'], message: 'Explain why consent was refused or not sought' })
  }
}

/** Step 1 of the contact form: the children. */
export const contactChildrenInput = z.object(contactChildrenFields)

/** Step 2 of the contact form: the contact's details, checked on that step. */
export const contactDetailsInput = z.object(contactDetailFields).superRefine(checkContactDetails)

/** A whole contact: both steps (the check-answers step, and the JSON API). */
export const contactInput = z.object({ ...contactDetailFields, ...contactChildrenFields }).superRefine(checkContactDetails)

export const decisionInput = z.object({
  decision: z.enum(codesOf(CONTACT_DECISION), { error: 'Select a decision' }),
  reason: text('the reason for the decision', 20_000),
  /**
   * When the decision was made: today when not given. Not in the future, nor before the contact was
   * received; the decision's timescale is met or missed by this date, not by when it was typed.
   */
  decidedOn: optionalDate('Enter the date the decision was made as a real date, like 27 3 2026'),
  /** Why the decision was made after its due date, coded (DELAY_REASON) and in words: one of them required when it was. */
  delayReasonCode: lateReasonCode.optional(),
  delayReason: optionalText('the reason the decision was late', 2_000),
  /** A referral's receiving team: the children's cases move there from the front door. */
  teamId: z.preprocess(blankToUndefined, z.uuid({ error: 'Choose a team from the list' }).optional()),
  /**
   * Children of a contact about several children whose contact is added to their open case instead
   * of the decision (which then applies to the others). Decision 'open-case' adds every child.
   */
  openCase: list(z.uuid({ error: 'Select children this contact is about' })).optional(),
  version,
})

export const acknowledgementInput = z.object({
  acknowledgedOn: date('Enter the date the referrer was told the contact was received'),
  version,
})

export const feedbackInput = z.object({
  feedbackOn: date('Enter the date feedback was given to the referrer'),
  feedback: text('what the referrer was told', 20_000),
  version,
})

// ---- child-in-need episodes

export const primaryNeedInput = z.object({
  primaryNeed: z.enum(codesOf(PRIMARY_NEED), { error: 'Select the primary need' }),
  version,
})

export const episodeClosureInput = z.object({
  closureDate: date('Enter the date the episode closed'),
  closureReason: z.enum(codesOf(REASON_FOR_CLOSURE), { error: 'Select the reason for closure' }),
  version,
})

export const referralNfaInput = z.object({ version })

export type PersonSearchInput = z.infer<typeof personSearchInput>
export type PersonInput = z.infer<typeof personInput>
export type ContactInput = z.infer<typeof contactInput>
export type ContactDetailsInput = z.infer<typeof contactDetailsInput>
export type DecisionInput = z.infer<typeof decisionInput>
export type AcknowledgementInput = z.infer<typeof acknowledgementInput>
export type FeedbackInput = z.infer<typeof feedbackInput>
export type PrimaryNeedInput = z.infer<typeof primaryNeedInput>
export type EpisodeClosureInput = z.infer<typeof episodeClosureInput>
