/** Tests of forms that complete a timescale late: how the partnership's counts by reason see it. */
import type { Db } from '../../src/db/connection.ts'
import { lateCompletionsByReason } from '../../src/services/journey/clock-delays.ts'

/** How many of the partnership's timescales completed late in 2026 count under `reason` (a DELAY_REASON code, or 'not-given'). */
export async function lateCountOf(db: Db, partnershipId: string, reason: string): Promise<number> {
  const counted = await lateCompletionsByReason(db, partnershipId, { from: '2026-01-01', to: '2026-12-31' })
  return counted.reasons.find((r) => r.reason === reason)!.count
}
