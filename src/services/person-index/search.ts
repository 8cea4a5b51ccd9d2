/**
 * Person search for practitioners and API clients (`person:search`): candidates from the person
 * index, best first, each with its band and per-field reasons. Restricted people appear only as a
 * count. The search and who it returned are audited.
 */
import { decideGeneral } from '../../domain/access/policy.ts'
import type { RawRecord } from '../../domain/person-index/standardise.ts'
import { audit } from '../access/audit.ts'
import { AccessDenied, type ServiceContext } from '../common/context.ts'
import { candidateView, currentModel, findCandidates, indexPending, type Candidate, type CandidateView } from './store.ts'

export interface MatchResult {
  candidates: CandidateView[]
  restrictedMatches: number
  weightsEstimatedAt: string | null
}

/** The index's candidates for a query, after indexing any journey people written since the last search. */
export async function indexCandidates(ctx: ServiceContext, query: RawRecord, limit: number): Promise<{ candidates: Candidate[]; estimatedAt: string | null }> {
  await indexPending(ctx.db, ctx.actor.partnershipId)
  const { model, estimatedAt } = await currentModel(ctx.db, ctx.actor.partnershipId, ctx.now().getTime())
  const candidates = await findCandidates(ctx.db, ctx.actor.partnershipId, query, model, { limit })
  return { candidates, estimatedAt }
}

export async function matchPeople(ctx: ServiceContext, query: RawRecord, limit = 10): Promise<MatchResult> {
  const d = decideGeneral(ctx.actor, 'person:search')
  if (!d.allowed) throw new AccessDenied(d.reason)
  const { candidates, estimatedAt } = await indexCandidates(ctx, query, limit)
  const shown = candidates.filter((c) => !c.restricted)
  await audit(ctx, ctx.db, {
    action: 'person.match',
    ground: d.ground,
    detail: { criteria: Object.keys(query).filter((k) => query[k as keyof RawRecord]), personIds: shown.map((c) => c.personId), restrictedMatches: candidates.length - shown.length },
  })
  return { candidates: shown.map(candidateView), restrictedMatches: candidates.length - shown.length, weightsEstimatedAt: estimatedAt }
}
