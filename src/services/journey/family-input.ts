/** Input schemas for the family network: shared by the family pages and the JSON API. */
import { z } from 'zod'
import { codesOf, RELATIONSHIP_KIND } from '../../domain/journey/codes.ts'
import { SEX } from '../../domain/journey/dfe-codes.ts'
import { optionalDate, optionalText, requiredDate, requiredText, version, yesNo } from '../common/fields-input.ts'

export const newPersonInput = z.object({
  givenName: requiredText('their first name', 100),
  familyName: requiredText('their last name', 100),
  dateOfBirth: optionalDate('their date of birth').default(null),
  sex: z
    .preprocess((v) => (v === '' ? null : v), z.enum(codesOf(SEX), { error: 'Select their sex, or unknown' }).nullable())
    .default(null),
})

const relationshipFields = {
  kind: z.enum(codesOf(RELATIONSHIP_KIND), { error: 'Select how they are related to the child' }),
  sameHousehold: yesNo('do they live in the child’s household?'),
  parentalResponsibility: yesNo('do they have parental responsibility for the child?'),
  notes: optionalText('the notes', 2000).default(null),
}

/** A family member: someone already known (personId) or a new person, and how they relate to the child. */
export const familyMemberInput = z
  .object({
    personId: z.uuid({ error: 'Select the person' }).optional(),
    person: newPersonInput.optional(),
    ...relationshipFields,
  })
  .superRefine((v, ctx) => {
    if ((v.personId === undefined) === (v.person === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'Select someone already known, or give a new person’s details' })
    }
  })

/** Changing a relationship; `endedOn` ends it (null reopens it; left out, unchanged). */
export const relationshipUpdate = z.object({
  ...relationshipFields,
  version,
  endedOn: optionalDate('the date the relationship ended').optional(),
})

export const relationshipEnd = z.object({
  version,
  endedOn: requiredDate('the date the relationship ended'),
})

/** How one member of the child's network relates to another: `relatedPersonId` is `kind` of `personId`. */
export const memberRelationshipInput = z.object({
  relatedPersonId: z.uuid({ error: 'Select the family member' }),
  kind: z.enum(codesOf(RELATIONSHIP_KIND), { error: 'Select how they are related' }),
  personId: z.uuid({ error: 'Select who they are related to' }),
  notes: optionalText('the notes', 2000).default(null),
})

export const personSearchQuery = z.object({
  q: z.string().trim().min(2, 'Enter at least 2 letters of their name').max(100, 'Enter 100 characters or fewer'),
})

export type NewPersonInput = z.infer<typeof newPersonInput>
export type FamilyMemberInput = z.infer<typeof familyMemberInput>
export type RelationshipUpdate = z.infer<typeof relationshipUpdate>
export type RelationshipEnd = z.infer<typeof relationshipEnd>
export type MemberRelationshipInput = z.infer<typeof memberRelationshipInput>
