/**
 * The child search (the header's search field, /child-search, GET /api/v1/child-search): the one
 * person search (findPeople: the person index's matcher and the plain search, restricted people
 * only counted for a user related to their case, audited as `person.search`), with every
 * criterion narrowing, and for each child whether the user may open their case: the policy's
 * decision from the user's relationships to it now. Break-glass is not offered from here.
 */
import { and, eq, inArray } from 'drizzle-orm'
import { childCase } from '../../db/schema/index.ts'
import type { ServiceContext } from '../common/context.ts'
import { caseSummaryQuery, decideCaseAction } from '../journey/case-access.ts'
import { findPeople, SEARCH_LIMIT, type PeopleCriteria, type PeopleFound, type PersonMatch } from './people.ts'

export interface ChildMatch extends PersonMatch {
  /** The user may open `caseId` (the policy allows case:read now). */
  mayOpenCase: boolean
}

export interface ChildSearchResult extends Omit<PeopleFound, 'people'> {
  people: ChildMatch[]
  /** The most a search shows. */
  limit: number
}

export async function searchChildren(ctx: ServiceContext, q: PeopleCriteria): Promise<ChildSearchResult> {
  const found = await findPeople(ctx, q, { narrow: true })
  const caseIds = found.people.flatMap((p) => (p.caseId ? [p.caseId] : []))
  const cases = caseIds.length > 0 ? await caseSummaryQuery(ctx.db).where(and(eq(childCase.partnershipId, ctx.actor.partnershipId), inArray(childCase.id, caseIds))) : []
  const opens = new Set<string>()
  for (const c of cases) if ((await decideCaseAction(ctx.db, ctx, c, 'case:read')).allowed) opens.add(c.id)
  return {
    ...found,
    people: found.people.map((p) => ({ ...p, mayOpenCase: p.caseId !== null && opens.has(p.caseId) })),
    limit: SEARCH_LIMIT,
  }
}
