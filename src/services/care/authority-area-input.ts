import { z } from 'zod'

/** The authority's three-digit DfE LA code and the upper-tier area code of the postcode lookup. */
export const authorityAreaInput = z.object({
  laCode: z.string({ error: 'Enter the LA code' }).trim().regex(/^\d{3}$/, 'Enter the LA code as three digits, like 938'),
  area: z.string({ error: 'Select the area' }).trim().toUpperCase().regex(/^[A-Z]\d{8}$/, 'Select the area: an upper-tier code like E06000999'),
})

export type AuthorityAreaInput = z.infer<typeof authorityAreaInput>
