/** Input schema for transferring a case to another team: shared by the page and the JSON API. */
import { z } from 'zod'
import { requiredText, version } from './assessment-input.ts'

export const transferInput = z.object({
  teamId: z.uuid({ error: 'Choose the team to transfer the case to' }),
  reason: requiredText('why the case is moving to this team', 2_000),
  version,
})

export type TransferInput = z.infer<typeof transferInput>
