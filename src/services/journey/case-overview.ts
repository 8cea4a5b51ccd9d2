/**
 * The case overview: who the child is, allocation, agencies involved, what is due derived from the
 * record (last seen, next visit, core group and review for a child on a plan or in need), and
 * every statutory clock with its due date, rule and edition.
 */
import { viewCase, type CaseView } from './cases.ts'
import { clocksOfCase, type ClockView } from './clocks.ts'
import { dueOfCases } from './due-from-record.ts'
import type { DueFromRecord } from '../../domain/timescales/index.ts'
import type { ServiceContext } from '../common/context.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export interface CaseOverview extends CaseView {
  clocks: ClockView[]
  /** What is due, derived from the record; null for a child neither on a plan nor in need. */
  due: DueFromRecord | null
}

export async function caseOverview(ctx: ServiceContext, caseId: string): Promise<CaseOverview> {
  const view = await viewCase(ctx, caseId)
  const today = londonDate(ctx.now())
  const [clocks, due] = await Promise.all([
    clocksOfCase(ctx.db, caseId, today),
    dueOfCases(ctx.db, ctx.actor.partnershipId, [{ caseId: view.id, status: view.status }], today),
  ])
  return { ...view, clocks, due: due.get(view.id) ?? null }
}
