/** Input schema for breaking the glass on a case: shared by the page, the JSON API and the service. */
import { z } from 'zod'

const REASON = 'Explain why you need to see this record (at least 10 characters)'

/** The reason, which the auditors read beside every access under the grant. */
export const breakGlassInput = z.object({
  reason: z.string({ error: REASON }).trim().min(10, { error: REASON }),
})

export type BreakGlassInput = z.infer<typeof breakGlassInput>
