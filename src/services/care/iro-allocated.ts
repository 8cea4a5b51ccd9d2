/**
 * The IRO relationship (policy 'iro'): the user is the independent reviewing officer allocated now
 * on a period of care that is still open — allocated from today or earlier, the allocation not
 * ended by a later one. Asked with iro_allocation joined to looked_after_period on the period, by
 * the case's relationships (journey/case-access.ts) and the IRO's own list (iro-list.ts).
 */
import { and, eq, gt, isNull, lte, or, type Placeholder, type SQL } from 'drizzle-orm'
import { iroAllocation, lookedAfterPeriod } from '../../db/schema/index.ts'

export const iroAllocatedNow = (userId: string | Placeholder | SQL, today: string | Placeholder): SQL =>
  and(
    eq(iroAllocation.iroId, userId),
    lte(iroAllocation.fromOn, today),
    or(isNull(iroAllocation.toOn), gt(iroAllocation.toOn, today)),
    isNull(lookedAfterPeriod.endedOn),
  )!

/** The join the condition needs: iro_allocation to its period. */
export const iroPeriodJoin = eq(lookedAfterPeriod.id, iroAllocation.periodId)
