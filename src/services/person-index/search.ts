/**
 * Person search for practitioners and API clients (`person:search`): candidates from the person
 * index, best first, each with its band and per-field reasons. Restricted people never appear; they
 * are counted only for a user related to their case (restrictedMatchesToTell). The search and who
 * it returned are audited.
 */
import { and, eq, inArray } from 'drizzle-orm'
import { childCase } from '../../db/schema/index.ts'
import { isRelatedToCase } from '../../domain/access/policy.ts'
import type { RawRecord } from '../../domain/person-index/standardise.ts'
import { audit } from '../access/audit.ts'
import { type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { caseSummaryQuery, relationshipsTo } from '../journey/case-access.ts'
import { candidateView, currentModel, findCandidates, indexPending, type Candidate, type CandidateView } from './store.ts'

export interface MatchResult {
  candidates: CandidateView[]
  restrictedMatches: number
  weightsEstimatedAt: string | null
}

/**
 * The index's candidates for a query, after indexing any journey people written since the last
 * search. `db`: where to look them up (a read replica, readDbOf), unless this search has just
 * indexed records, which only the primary has yet. Whether a candidate is restricted is then as
 * that database has it: the caller asks the primary about those it shows (restrictedNow).
 */
export async function indexCandidates(ctx: ServiceContext, query: RawRecord, limit: number, db = ctx.db): Promise<{ candidates: Candidate[]; estimatedAt: string | null }> {
  const indexed = await indexPending(ctx.db, ctx.actor.partnershipId)
  const { model, estimatedAt } = await currentModel(ctx.db, ctx.actor.partnershipId, ctx.now().getTime())
  const candidates = await findCandidates(indexed > 0 ? ctx.db : db, ctx.actor.partnershipId, query, model, { limit })
  return { candidates, estimatedAt }
}

/**
 * How many of these restricted people the user may be told match a search: only those with a case
 * the user is related to (a relationship that would open it were it not restricted, or explicit
 * permission: isRelatedToCase), so they know to ask for permission. To anyone else a restricted
 * person is not there at all, not even as a count.
 */
export async function restrictedMatchesToTell(ctx: ServiceContext, personIds: Iterable<string>): Promise<number> {
  const ids = [...new Set(personIds)]
  if (ids.length === 0) return 0
  const cases = await caseSummaryQuery(ctx.db).where(and(eq(childCase.partnershipId, ctx.actor.partnershipId), inArray(childCase.personId, ids)))
  const told = new Set<string>()
  for (const c of cases) {
    if (told.has(c.personId)) continue
    const relationships = await relationshipsTo(ctx.db, ctx.actor, c, ctx.now())
    if (isRelatedToCase(ctx.actor, { partnershipId: c.partnershipId, restricted: true, relationships })) told.add(c.personId)
  }
  return told.size
}

export async function matchPeople(ctx: ServiceContext, query: RawRecord, limit = 10): Promise<MatchResult> {
  const ground = requireGeneral(ctx, 'person:search')
  const { candidates, estimatedAt } = await indexCandidates(ctx, query, limit)
  const shown = candidates.filter((c) => !c.restricted)
  const restrictedMatches = await restrictedMatchesToTell(ctx, candidates.filter((c) => c.restricted).map((c) => c.personId))
  await audit(ctx, ctx.db, {
    action: 'person.match',
    ground,
    detail: { criteria: Object.keys(query).filter((k) => query[k as keyof RawRecord]), personIds: shown.map((c) => c.personId), restrictedMatches },
  })
  return { candidates: shown.map(candidateView), restrictedMatches, weightsEstimatedAt: estimatedAt }
}
