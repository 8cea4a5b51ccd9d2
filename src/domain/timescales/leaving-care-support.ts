/**
 * Leaving care support at 21 and 25 (Children (Leaving Care) Act 2000; Children and Social Work
 * Act 2017 s3): a former relevant child is supported to 21, and to 25 when they ask for it. The
 * clock gives the worker 3 months' notice of the birthday on which support is to be reviewed, ended
 * or continued: due on the 21st birthday, or on the 25th when support to 25 is recorded, started 3
 * months before (as the pre-birth conference's clock starts back from the expected date of
 * delivery). A birthday is the date of birth plus 12 months a year (addMonths: 29 February becomes
 * 28 February in a common year), as the care leaver's birthday contacts and category count them.
 * Pure.
 */
import { addMonths, type IsoDate } from './calendar/iso-date.ts'
import type { RuleId } from './rules.ts'

/** The notice the clock gives before the birthday, in months (the rule's limit). */
export const LEAVING_CARE_SUPPORT_NOTICE_MONTHS = 3

export type LeavingCareSupportRule = Extract<RuleId, 'leaving-care-support-21' | 'leaving-care-support-25'>

export const LEAVING_CARE_SUPPORT_RULES: readonly LeavingCareSupportRule[] = ['leaving-care-support-21', 'leaving-care-support-25']

export interface LeavingCareSupportDue {
  rule: LeavingCareSupportRule
  age: 21 | 25
  /** The clock's start: 3 months before the birthday. */
  start: IsoDate
  /** The birthday. */
  due: IsoDate
}

/**
 * The leaving care support clock of a care leaver born on `dateOfBirth`: at 25 when they asked for
 * support to 25, else at 21; null when the date of birth is not known.
 */
export function leavingCareSupportDue(dateOfBirth: IsoDate | null, supportTo25: boolean): LeavingCareSupportDue | null {
  if (!dateOfBirth) return null
  const age = supportTo25 ? 25 : 21
  const due = addMonths(dateOfBirth, age * 12)
  return {
    rule: supportTo25 ? 'leaving-care-support-25' : 'leaving-care-support-21',
    age,
    start: addMonths(due, -LEAVING_CARE_SUPPORT_NOTICE_MONTHS),
    due,
  }
}

/**
 * The day a running leaving care support clock of `rule` is met, or null while it runs: the day
 * support ended; or, for the clock at 21, the day support to 25 was recorded (the clock at 25 then
 * takes over).
 */
export function leavingCareSupportMetOn(
  rule: LeavingCareSupportRule,
  record: { supportEndedOn: IsoDate | null; supportTo25: boolean; today: IsoDate },
): IsoDate | null {
  if (record.supportEndedOn) return record.supportEndedOn
  if (rule === 'leaving-care-support-21' && record.supportTo25) return record.today
  return null
}
