/**
 * Statements of disagreement (UK GDPR Article 16, a record kept as it is): which records of a
 * case carry one, read inside the caller's read of the case (the chronology shows them under the
 * entry of the record; rectification.ts records them).
 */
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { rectificationRequest } from '../../db/schema/index.ts'

/** A record as the chronology names it: `<entity>:<id>`. */
export const recordKey = (e: { entity: string; entityId: string }) => `${e.entity}:${e.entityId}`

/**
 * The statements of disagreement attached to records of a case, by `<entity>:<id>`: what the
 * chronology shows under each entry. Read inside the caller's read of the case.
 */
export async function statementsOfCase(db: Db, partnershipId: string, caseId: string, entityIds?: readonly string[]): Promise<Record<string, string[]>> {
  if (entityIds && entityIds.length === 0) return {}
  const rows = await db
    .select({ entity: rectificationRequest.entity, entityId: rectificationRequest.entityId, statement: rectificationRequest.statement })
    .from(rectificationRequest)
    .where(
      and(
        eq(rectificationRequest.caseId, caseId),
        eq(rectificationRequest.partnershipId, partnershipId),
        eq(rectificationRequest.decision, 'kept'),
        entityIds ? inArray(rectificationRequest.entityId, [...entityIds]) : undefined,
      ),
    )
    .orderBy(asc(rectificationRequest.decidedAt))
  const out: Record<string, string[]> = {}
  for (const r of rows) (out[recordKey(r)] ??= []).push(r.statement ?? '')
  return out
}
