/**
 * Finds the child's record a partnership record links to, from an NHS number or a case id, without
 * offering anyone a search of children: the person recording must already know the child. The
 * link goes through the case gateway (linkCase), so the policy decides it: a restricted child
 * (case or person) is linked only with explicit permission, and to anyone else the answer is the
 * one a child without a record gets, as in the person index's searches.
 */
import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { childCase, person } from '../../db/schema/index.ts'
import type { Decision } from '../../domain/access/policy.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import type { CaseSummary } from '../journey/case-access.ts'
import { linkCase } from '../journey/case-records.ts'

const NO_RECORD = 'There is no child’s record with that reference'
const NO_NHS_RECORD = 'No child with that NHS number has a record in Together'

/**
 * The child's case to link, outside any transaction (a refusal is audited); `via` is the policy's
 * decision that allows making or changing the partnership record.
 */
export async function findChildCase(ctx: ServiceContext, ref: string, via: Decision, field = 'child'): Promise<CaseSummary> {
  if (z.uuid().safeParse(ref).success) return linkCase(ctx, ref, via, field, NO_RECORD)
  if (!/^\d{10}$/.test(ref)) throw new ValidationFailed({ [field]: 'Enter the child’s 10-digit NHS number' })
  const rows = await ctx.db
    .select({ caseId: childCase.id, personId: person.id })
    .from(person)
    .innerJoin(childCase, eq(childCase.personId, person.id))
    .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.nhsNumber, ref)))
    .orderBy(desc(childCase.openedOn))
  if (rows.length === 0) throw new ValidationFailed({ [field]: NO_NHS_RECORD })
  if (new Set(rows.map((r) => r.personId)).size > 1) {
    throw new ValidationFailed({ [field]: 'More than one child has that NHS number: ask the front door to resolve it' })
  }
  return linkCase(ctx, rows[0]!.caseId, via, field, NO_NHS_RECORD)
}
