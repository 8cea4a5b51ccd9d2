/**
 * Finds the child's record a partnership record links to, from an NHS number or a case id, without
 * offering anyone a search of children: the person recording must already know the child.
 */
import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db/connection.ts'
import { childCase, person } from '../../db/schema/index.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { loadCase, type CaseSummary } from '../journey/case-access.ts'

export async function findChildCase(ctx: ServiceContext, db: Db, ref: string, field = 'child'): Promise<CaseSummary> {
  if (z.uuid().safeParse(ref).success) {
    try {
      return await loadCase(db, ctx.actor, ref)
    } catch {
      throw new ValidationFailed({ [field]: 'There is no child’s record with that reference' })
    }
  }
  if (!/^\d{10}$/.test(ref)) throw new ValidationFailed({ [field]: 'Enter the child’s 10-digit NHS number' })
  const rows = await db
    .select({ caseId: childCase.id, personId: person.id })
    .from(person)
    .innerJoin(childCase, eq(childCase.personId, person.id))
    .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.nhsNumber, ref)))
    .orderBy(desc(childCase.openedOn))
  if (rows.length === 0) throw new ValidationFailed({ [field]: 'No child with that NHS number has a record in Together' })
  if (new Set(rows.map((r) => r.personId)).size > 1) {
    throw new ValidationFailed({ [field]: 'More than one child has that NHS number: ask the front door to resolve it' })
  }
  return loadCase(db, ctx.actor, rows[0]!.caseId)
}
