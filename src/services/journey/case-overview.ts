/**
 * The case overview: who the child is, allocation, agencies involved, the case at a glance (address
 * and household, key people, alerts, plans, last visit, latest notes, open tasks: case-summary.ts),
 * what is due derived from the record (last seen, next visit, core group and review for a child on
 * a plan or in need), and every statutory clock with its due date, rule and edition. One audited
 * read of the case (viewCase); the rest reads more of the case it opened.
 */
import { viewCase, type CaseView } from './cases.ts'
import { clocksOfCase, type ClockView } from './clocks.ts'
import { dueOfCases } from './due-from-record.ts'
import { caseAtGlance, type CaseAtGlance } from './case-summary.ts'
import { decideCaseAction } from './case-access.ts'
import type { DueFromRecord } from '../../domain/timescales/index.ts'
import type { ServiceContext } from '../common/context.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { outstandingBasesOfCase } from '../multi-agency/information-sharing.ts'

export interface CaseOverview extends CaseView {
  clocks: ClockView[]
  /** What is due, derived from the record; null for a child neither on a plan nor in need. */
  due: DueFromRecord | null
  /** The case at a glance. */
  summary: CaseAtGlance
  /** Whether the user may change the case (its alerts, from the overview). */
  mayUpdate: boolean
  /** The case's version: an allocation, a transfer or a change of the alerts names it. */
  version: number
  /** Urgent shares still waiting for their lawful basis ("Basis to be recorded"). */
  outstandingBases: number
}

export async function caseOverview(ctx: ServiceContext, caseId: string): Promise<CaseOverview> {
  const view = await viewCase(ctx, caseId)
  const today = londonDate(ctx.now())
  const [clocks, due, summary, update, outstandingBases] = await Promise.all([
    clocksOfCase(ctx.db, view.id, today),
    dueOfCases(ctx.db, ctx.actor.partnershipId, [{ caseId: view.id, status: view.status }], today),
    caseAtGlance(ctx.db, view.id, today),
    decideCaseAction(ctx.db, ctx, view, 'case:update'),
    outstandingBasesOfCase(ctx.db, view.id),
  ])
  return { ...view, clocks, due: due.get(view.id) ?? null, summary, mayUpdate: update.allowed, version: summary.alerts.version, outstandingBases }
}
