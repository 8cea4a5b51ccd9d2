/**
 * Input schemas for a child's own details and addresses (issue 17): shared by the details pages
 * and the JSON API. A change of details gives every detail as it should now be (an empty or
 * missing one is cleared), the reason and the person's version; identifiers are checked here
 * (the NHS number's modulus 11 digit, the UPN's check letter, the LA child ID's characters).
 */
import { z } from 'zod'
import { codesOf, DISABILITY, ETHNICITY, SEX, UPN_UNKNOWN } from '../../domain/journey/dfe-codes.ts'
import { LA_CHILD_ID } from '../../domain/journey/la-child-id.ts'
import { formatPostcode, parsePostcode } from '../../domain/person-index/postcode.ts'
import { UPN_LA_CODES, UPN_SHAPE, upnCheckLetter } from '../../domain/returns/cin-census/upn.ts'
import { optionalDate, optionalText, requiredDate, requiredText, version } from '../common/fields-input.ts'
import { nhsNumber } from './front-door-input.ts'

const blankToNull = (v: unknown) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : v)

/** The problem with a UPN, or null: 13 characters, a recognised LA code, the right check letter. */
export function upnProblem(upn: string): string | null {
  if (!UPN_SHAPE.test(upn)) return 'Enter the UPN as 13 characters: a letter, 11 digits, then a digit or letter'
  if (!UPN_LA_CODES.has(upn.slice(1, 4))) return 'Characters 2 to 4 of the UPN are not a local authority’s code: check it'
  if (upnCheckLetter(upn) !== upn[0]) return 'This is not a valid UPN: its check letter does not match, check each character'
  return null
}

const upn = z.preprocess(
  blankToNull,
  z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .superRefine((v, ctx) => {
      const problem = upnProblem(v)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
    .nullable(),
)

/** A postcode as typed, written the standard way (upper case, one space), or null; a part of one is refused. */
export const postcode = z.preprocess(
  blankToNull,
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const p = parsePostcode(v)
      if (!p || !p.unit) {
        ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like ZZ99 1AA' })
        return z.NEVER
      }
      return formatPostcode(p)
    })
    .nullable(),
)

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item))

/** Why a change was made: the person's history shows it beside each earlier value. */
const reason = requiredText('why the details changed', 1000)

export const childDetailsInput = z
  .object({
    givenName: requiredText('the first name', 100),
    familyName: requiredText('the last name', 100),
    dateOfBirth: optionalDate('the date of birth').default(null),
    expectedDateOfBirth: optionalDate('the expected date of birth').default(null),
    sex: z.enum(codesOf(SEX), { error: 'Select the child’s sex (or unknown)' }),
    gender: optionalText('the gender', 100).default(null),
    nhsNumber: z.preprocess(blankToNull, nhsNumber.nullable()).default(null),
    upn: upn.default(null),
    formerUpn: upn.default(null),
    /** Why there is no UPN (UN1-UN7; the census and the 903 ask one or the other). */
    upnUnknown: z.preprocess(blankToNull, z.enum(codesOf(UPN_UNKNOWN), { error: 'Select why there is no UPN' }).nullable()).default(null),
    laChildId: z
      .preprocess(blankToNull, z.string().trim().regex(LA_CHILD_ID, 'Enter the LA child ID as up to 20 letters and digits').nullable())
      .default(null),
    ethnicity: z.preprocess(blankToNull, z.enum(codesOf(ETHNICITY), { error: 'Select an ethnicity' }).nullable()).default(null),
    disabilities: list(z.enum(codesOf(DISABILITY), { error: 'Select a disability from the list' })).default([]),
    communicationNeeds: optionalText('the language and communication needs', 1000).default(null),
    dateOfDeath: optionalDate('the date of death').default(null),
    reason,
    version,
  })
  .superRefine((p, issues) => {
    if (p.dateOfBirth && p.expectedDateOfBirth) {
      issues.addIssue({ code: 'custom', path: ['expectedDateOfBirth'], message: 'Give either a date of birth or an expected date of birth, not both' })
    }
    if (!p.dateOfBirth && !p.expectedDateOfBirth) {
      issues.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Enter the date of birth, or the expected date of birth for an unborn child' })
    }
    if (p.disabilities.includes('NONE') && p.disabilities.length > 1) {
      issues.addIssue({ code: 'custom', path: ['disabilities'], message: 'Select “No disability” or the disabilities, not both' })
    }
    if (p.upn && p.upnUnknown) {
      issues.addIssue({ code: 'custom', path: ['upnUnknown'], message: 'Give the UPN or why there is none, not both' })
    }
    if (p.upn && p.formerUpn && p.upn === p.formerUpn) {
      issues.addIssue({ code: 'custom', path: ['formerUpn'], message: 'The former UPN must differ from the UPN' })
    }
    if (p.dateOfDeath && p.dateOfBirth && p.dateOfDeath < p.dateOfBirth) {
      issues.addIssue({ code: 'custom', path: ['dateOfDeath'], message: 'The date of death must be on or after the date of birth' })
    }
  })

/** A new address for the child (a move): the previous one ends the day this one starts. */
export const childAddressInput = z.object({
  address: requiredText('the address', 500).transform((v) => v.replace(/\r\n?/g, '\n')),
  postcode: postcode.default(null),
  fromDate: requiredDate('the date the child started living there'),
  /** People of the child's family network who live there too. */
  residentIds: list(z.uuid({ error: 'Select people from the list' })).default([]),
  reason: requiredText('why the address changed', 1000),
  version,
})

export type ChildDetailsInput = z.infer<typeof childDetailsInput>
export type ChildAddressInput = z.infer<typeof childAddressInput>
