/** Input schemas for subject access requests and requests to correct a record (pages and the JSON API). */
import { z } from 'zod'
import { codesOf } from '../../domain/journey/dfe-codes.ts'
import { RECTIFICATION_DECISION, SAR_EXEMPTION, SAR_IDENTITY_METHOD, SAR_ITEM_DECISION, SAR_REQUESTER_KIND } from '../../domain/records/subject-access.ts'
import { optionalDate, optionalText, requiredDate, requiredText, version } from '../common/fields-input.ts'

/** One id or several (a form's checkboxes post one value or many; the API an array). */
const idList = (message: string) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.uuid({ error: message })).min(1, message))

const identityFields = {
  identityMethod: z.preprocess((v) => (v === '' ? null : v), z.enum(codesOf(SAR_IDENTITY_METHOD), { error: 'Select how the identity was checked' }).nullable()).default(null),
  identityVerifiedOn: optionalDate('the date the identity was checked').default(null),
  identityNotes: optionalText('the notes on the identity check', 2000).default(null),
}

export const subjectAccessNew = z
  .object({
    requesterName: requiredText('the name of the person asking', 200),
    requesterKind: z.enum(codesOf(SAR_REQUESTER_KIND), { error: 'Select who is asking' }),
    requesterRelationship: optionalText('their relationship to the person', 200).default(null),
    receivedOn: requiredDate('the date the request was received'),
    personIds: idList('Choose at least one person the request is about'),
    ...identityFields,
  })
  .superRefine((v, ctx) => {
    if (v.requesterKind !== 'data-subject' && !v.requesterRelationship) {
      ctx.addIssue({ code: 'custom', path: ['requesterRelationship'], message: 'Enter their relationship to the person the request is about' })
    }
    if (v.identityMethod && !v.identityVerifiedOn) {
      ctx.addIssue({ code: 'custom', path: ['identityVerifiedOn'], message: 'Enter the date the identity was checked' })
    }
  })

export const subjectAccessIdentity = z.object({
  identityMethod: z.enum(codesOf(SAR_IDENTITY_METHOD), { error: 'Select how the identity was checked' }),
  identityVerifiedOn: requiredDate('the date the identity was checked'),
  identityNotes: optionalText('the notes on the identity check', 2000).default(null),
  version,
})

export const subjectAccessExtension = z.object({
  months: z.coerce.number({ error: 'Choose an extension of 1 or 2 months' }).int(),
  reason: z.string().trim().max(2000, 'The reason must be 2000 characters or fewer').default(''),
  version,
})

export const subjectAccessItemDecision = z.object({
  decision: z.enum(codesOf(SAR_ITEM_DECISION), { error: 'Select whether the item is released, redacted or withheld' }),
  exemption: z.preprocess((v) => (v === '' ? null : v), z.enum(codesOf(SAR_EXEMPTION), { error: 'Choose the exemption relied on' }).nullable()).default(null),
  exemptionDetail: optionalText('the exemption', 500).default(null),
  /** Line ends as stored (a browser posts a textarea's lines with CRLF). */
  redactedText: z.preprocess((v) => (v === '' ? null : typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v), z.string().max(100_000).nullable()).default(null),
  version,
})

/** Compiling, sending for approval and approving name the request's version read. */
export const subjectAccessStep = z.object({ version })

export const subjectAccessSearch = z.object({ q: z.string().trim().max(100).default('') })

export const rectificationNew = z.object({
  /** `<entity>:<id>`, a record of the case as its chronology names it. */
  record: z.string({ error: 'Choose the record to correct' }).regex(/^[a-z0-9-]+:[0-9a-f-]{36}$/i, 'Choose the record to correct'),
  field: optionalText('the field', 200).default(null),
  requesterName: requiredText('the name of the person asking', 200),
  receivedOn: requiredDate('the date the request was received'),
  whatIsWrong: requiredText('what the person says is wrong', 4000),
  whatTheyWant: requiredText('what they want the record to say', 4000),
})

export const rectificationDecision = z.object({
  decision: z.enum(codesOf(RECTIFICATION_DECISION), { error: 'Select whether the record was corrected or kept' }),
  reason: z.string().trim().max(4000, 'The reason must be 4000 characters or fewer').default(''),
  statement: optionalText('the statement of disagreement', 4000).default(null),
  version,
})

export type SubjectAccessNew = z.infer<typeof subjectAccessNew>
export type SubjectAccessIdentity = z.infer<typeof subjectAccessIdentity>
export type SubjectAccessExtension = z.infer<typeof subjectAccessExtension>
export type SubjectAccessItemDecision = z.infer<typeof subjectAccessItemDecision>
export type RectificationNew = z.infer<typeof rectificationNew>
export type RectificationDecisionInput = z.infer<typeof rectificationDecision>
