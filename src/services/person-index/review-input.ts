/** Input schemas for the review queue, shared by the pages and the JSON API. */
import { z } from 'zod'

const reason = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(500, 'The reason must be 500 characters or fewer').optional())

export const reviewDecisionInput = z.object({
  version: z.coerce.number({ error: 'The page is out of date: reload it' }).int().min(1),
  reason,
})

export const unlinkInput = z.object({
  reason: z.string({ error: 'Say why the record is not this person' }).trim().min(5, 'Say why the record is not this person').max(500, 'The reason must be 500 characters or fewer'),
})

export const matchQueryInput = z.object({
  givenName: z.string().trim().max(100).optional(),
  familyName: z.string().trim().max(100).optional(),
  dateOfBirth: z.iso.date({ error: 'Enter a real date of birth' }).optional(),
  sex: z.enum(['M', 'F', 'U']).optional(),
  nhsNumber: z.string().trim().max(20).optional(),
  postcode: z.string().trim().max(10).optional(),
})
