/**
 * The returns' findings on our own data name the case to fix; the analyst who runs returns usually
 * cannot open it. Each finding here says whether the user may read its case now (the one policy,
 * case:read from their relationships: casesReadableBy), so the pages link only where the link would
 * open and otherwise say who can correct it. Not audited: nothing of the cases is shown.
 */
import type { ServiceContext } from '../common/context.ts'
import { casesReadableBy } from '../journey/case-access.ts'

export async function withCaseReadable<F extends { caseId: string | null }>(ctx: ServiceContext, findings: readonly F[]): Promise<(F & { caseReadable: boolean })[]> {
  const readable = await casesReadableBy(ctx.db, ctx.actor, findings.flatMap((f) => (f.caseId === null ? [] : [f.caseId])), ctx.now())
  return findings.map((f) => ({ ...f, caseReadable: f.caseId !== null && readable.has(f.caseId) }))
}
