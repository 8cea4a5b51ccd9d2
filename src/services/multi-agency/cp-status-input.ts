import { z } from 'zod'
import { nhsNumber } from '../journey/front-door-input.ts'

/** A child protection status check: the NHS number (modulus 11 checked) and where the child is seen. */
export const cpStatusCheckInput = z.object({
  nhsNumber: z.string({ error: 'Enter the child’s NHS number' }).trim().min(1, 'Enter the child’s NHS number').pipe(nhsNumber),
  setting: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(200, 'The setting must be 200 characters or fewer').optional(),
  ),
})

export type CpStatusCheckInput = z.infer<typeof cpStatusCheckInput>
