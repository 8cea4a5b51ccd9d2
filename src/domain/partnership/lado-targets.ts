/**
 * Resolution targets for allegations against people who work with children (T49): 80% resolved
 * within a month of referral, 90% within 3 months, all but the most exceptional within 12. The
 * month arithmetic is the rules table's (lado-resolution-*), not local date maths.
 */
import { addMonths } from '../timescales/calendar/iso-date.ts'
import { findRule } from '../timescales/index.ts'

export interface AllegationTiming {
  referredOn: string
  outcomeOn: string | null
  exceptionalReason?: string | null
}

export interface TargetResult {
  rule: 'lado-resolution-month' | 'lado-resolution-quarter' | 'lado-resolution-year'
  months: number
  /** Share expected within the limit, as a percentage (100 = all but exceptional). */
  target: number
  /** Cases whose limit has passed (or that were resolved): the ones the target can be judged on. */
  measured: number
  within: number
  /** Percentage within, rounded to one decimal; null when nothing could be measured yet. */
  percent: number | null
  met: boolean | null
  /** Open cases now past the limit. */
  openPastLimit: number
  /** Of those past 12 months, how many have a recorded reason they are exceptional. */
  exceptional: number
}

const TARGETS = [
  { rule: 'lado-resolution-month', target: 80 },
  { rule: 'lado-resolution-quarter', target: 90 },
  { rule: 'lado-resolution-year', target: 100 },
] as const

/** How the cases stand against each target on `today`. */
export function resolutionTargets(cases: readonly AllegationTiming[], today: string): TargetResult[] {
  return TARGETS.map(({ rule, target }) => {
    const months = findRule(rule)[0]!.limit
    let measured = 0
    let within = 0
    let openPastLimit = 0
    let exceptional = 0
    for (const c of cases) {
      const limit = addMonths(c.referredOn, months)
      const resolvedWithin = c.outcomeOn !== null && c.outcomeOn <= limit
      if (resolvedWithin) {
        measured++
        within++
      } else if (c.outcomeOn !== null || limit < today) {
        measured++
        if (c.outcomeOn === null) openPastLimit++
        if (c.exceptionalReason) exceptional++
      }
    }
    const percent = measured === 0 ? null : Math.round((within / measured) * 1000) / 10
    // "All but exceptional": the 12-month target counts exceptional cases as meeting it.
    const effective = target === 100 && measured > 0 ? Math.round(((within + exceptional) / measured) * 1000) / 10 : percent
    return { rule, months, target, measured, within, percent, met: effective === null ? null : effective >= target, openPastLimit, exceptional }
  })
}
