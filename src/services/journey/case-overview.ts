/**
 * The case overview: who the child is, allocation, agencies involved, and every statutory clock
 * with its due date, rule and edition.
 */
import { viewCase, type CaseView } from './cases.ts'
import { clocksOfCase, type ClockView } from './clocks.ts'
import type { ServiceContext } from '../common/context.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

export interface CaseOverview extends CaseView {
  clocks: ClockView[]
}

export async function caseOverview(ctx: ServiceContext, caseId: string): Promise<CaseOverview> {
  const view = await viewCase(ctx, caseId)
  const clocks = await clocksOfCase(ctx.db, caseId, londonDate(ctx.now()))
  return { ...view, clocks }
}
