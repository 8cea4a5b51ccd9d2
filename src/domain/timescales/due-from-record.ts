/**
 * What is due on a child's case, derived from what has been recorded rather than from the clocks
 * that happen to be running: when the child was last seen, and for a child on a child protection
 * plan the next statutory visit, core group and review conference, each by the rule of the
 * timescales table that governs it (local rules where the partnership sets them). A child on a
 * plan with no visit or core group recorded yet is therefore due (or overdue) from the day the
 * plan started, and visits recorded before the visit clock existed count too.
 *
 * Other plans (child in need, early help) have no statutory cadence in the rules table: their next
 * review is the date recorded on the plan, and no visit timescale is invented for them.
 */
import type { IsoDate } from './calendar/iso-date.ts'
import type { BankHolidayCalendar } from './calendar/working-days.ts'
import { clockStatus } from './clock-status.ts'
import type { LocalRuleSettings } from './local-rules.ts'
import type { RuleId } from './rules.ts'

/** An open plan of the case, with the latest events recorded on it. */
export interface OpenPlanRecord {
  id: string
  /** PLAN_KIND: child-protection, child-in-need, early-help. */
  kind: string
  startedOn: IsoDate
  /** The next review recorded on the plan (plans.ts, conferences.ts). */
  nextReviewOn: IsoDate | null
  /** The latest core group meeting held on this plan. */
  lastCoreGroupOn: IsoDate | null
  /** The latest review conference held on this plan. */
  lastReviewConferenceOn: IsoDate | null
}

export interface CaseRecordSummary {
  /** The case's stage (CASE_STATUS). */
  status: string
  /** The case's plans that have not ended. */
  openPlans: OpenPlanRecord[]
  /** The latest visit (of any kind) on which the child was seen, on or before today. */
  lastSeenOn: IsoDate | null
}

export type DueWhat = 'visit' | 'core-group' | 'review'

export interface DueItem {
  what: DueWhat
  planId: string
  planKind: string
  /** The timescale applied, or null for a date recorded on the plan (no statutory cadence). */
  rule: RuleId | null
  /** The event the timescale runs from (last visit, last core group, plan start …), when a rule applies. */
  from: IsoDate | null
  due: IsoDate
  state: 'due' | 'overdue'
}

export interface DueFromRecord {
  lastSeenOn: IsoDate | null
  /** Whether the child is on a child protection plan today. */
  onProtectionPlan: boolean
  /** Soonest first. */
  items: DueItem[]
  /** The soonest due date, or null when nothing has a date. */
  nextDueOn: IsoDate | null
  overdue: number
}

/** Case stages in which a child is "in need" even without an open plan. */
const IN_NEED_STAGES = new Set(['child-in-need', 'child-protection'])

export interface DeriveOptions {
  today: IsoDate
  localRules?: LocalRuleSettings | undefined
  calendar?: BankHolidayCalendar | undefined
}

/**
 * What is due on a case on `today`, or null for a child neither on a plan nor in need (nothing
 * statutory is derived for them).
 */
export function dueFromRecord(record: CaseRecordSummary, options: DeriveOptions): DueFromRecord | null {
  if (record.openPlans.length === 0 && !IN_NEED_STAGES.has(record.status)) return null
  const items: DueItem[] = []
  const byRule = (what: DueWhat, p: OpenPlanRecord, rule: RuleId, from: IsoDate): DueItem => {
    const status = clockStatus({ rule, start: from, today: options.today, localRules: options.localRules, calendar: options.calendar })
    return { what, planId: p.id, planKind: p.kind, rule, from, due: status.due, state: status.state === 'overdue' ? 'overdue' : 'due' }
  }
  for (const p of record.openPlans) {
    if (p.kind === 'child-protection') {
      // A visit on which the child was seen restarts the visit timescale; until then it runs from the plan's start.
      const seenOnPlan = record.lastSeenOn !== null && record.lastSeenOn >= p.startedOn ? record.lastSeenOn : null
      items.push(byRule('visit', p, 'child-protection-visit', seenOnPlan ?? p.startedOn))
      items.push(
        p.lastCoreGroupOn
          ? byRule('core-group', p, 'core-group', p.lastCoreGroupOn)
          : byRule('core-group', p, 'first-core-group', p.startedOn),
      )
      items.push(
        p.lastReviewConferenceOn
          ? byRule('review', p, 'review-conference', p.lastReviewConferenceOn)
          : byRule('review', p, 'first-review-conference', p.startedOn),
      )
    } else if (p.nextReviewOn) {
      items.push({
        what: 'review',
        planId: p.id,
        planKind: p.kind,
        rule: null,
        from: null,
        due: p.nextReviewOn,
        state: p.nextReviewOn < options.today ? 'overdue' : 'due',
      })
    }
  }
  items.sort((a, b) => a.due.localeCompare(b.due))
  return {
    lastSeenOn: record.lastSeenOn,
    onProtectionPlan: record.openPlans.some((p) => p.kind === 'child-protection'),
    items,
    nextDueOn: items[0]?.due ?? null,
    overdue: items.filter((i) => i.state === 'overdue').length,
  }
}

/** The rules whose due dates are derived from the record for a child on a child protection plan. */
export const RULES_DERIVED_FROM_RECORD: readonly RuleId[] = [
  'child-protection-visit',
  'first-core-group',
  'core-group',
  'first-review-conference',
  'review-conference',
]

/**
 * A case's next due date and number of overdue items from its open clocks and what is derived
 * from its record, counting once what both say: on a child protection plan the derived visit,
 * core group and review stand for the clocks of those rules.
 */
export function dueWithClocks(
  openClocks: readonly { rule: string; dueOn: IsoDate; state: string }[],
  due: DueFromRecord | null,
): { nextDueOn: IsoDate | null; overdue: number } {
  const clocks = due?.onProtectionPlan ? openClocks.filter((k) => !RULES_DERIVED_FROM_RECORD.includes(k.rule as RuleId)) : openClocks
  const dates = [...clocks.map((k) => k.dueOn), ...(due?.items.map((i) => i.due) ?? [])].sort()
  return {
    nextDueOn: dates[0] ?? null,
    overdue: clocks.filter((k) => k.state === 'overdue').length + (due?.overdue ?? 0),
  }
}
