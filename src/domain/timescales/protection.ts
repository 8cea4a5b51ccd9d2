/**
 * The clocks of immediate protection and of the new timescales of issue 17, worked out exactly
 * where the law counts in hours or allows a holiday: police protection (Children Act 1989 s46,
 * 72 hours), emergency protection orders (s45: 8 days, the end moved past a public holiday, one
 * extension of up to 7 days), the pre-birth conference (weeks of gestation from the expected date
 * of delivery) and the child death notification. Pure: dates and instants are parameters.
 */
import { addDays, type IsoDate } from './calendar/iso-date.ts'
import { londonDate } from './calendar/london-time.ts'
import type { BankHolidayCalendar } from './calendar/working-days.ts'
import { dueDate, type DueDate } from './due-date.ts'
import type { LocalRuleSettings } from './local-rules.ts'

/** Children Act 1989 s46(6): no child is kept in police protection for more than 72 hours. */
export const POLICE_PROTECTION_HOURS = 72
/** s45(1): an emergency protection order has effect for up to 8 days. */
export const EPO_DAYS = 8
/** s45(5): the court may extend it once, by up to 7 days. */
export const EPO_EXTENSION_DAYS = 7
/** A pregnancy's length from its start (gestation is counted from it): 40 weeks. */
export const PREGNANCY_DAYS = 280

/**
 * When police protection must end: 72 hours of elapsed time after the child was taken, so across a
 * change of the clocks it ends an hour later or earlier on the London clock. `on` is its London date.
 */
export function policeProtectionEnds(takenAt: Date): { at: Date; on: IsoDate } {
  return hoursAfter(takenAt, POLICE_PROTECTION_HOURS)
}

/** The statutory guidance on children who go missing: a return home interview is offered within 72 hours of the return. */
export const RETURN_HOME_INTERVIEW_HOURS = 72

/** When a return home interview should have been offered by: 72 hours of elapsed time after the child came back. */
export function returnHomeInterviewDue(returnedAt: Date): { at: Date; on: IsoDate } {
  return hoursAfter(returnedAt, RETURN_HOME_INTERVIEW_HOURS)
}

/** `hours` of elapsed time after `start` (so across a change of the clocks the London time moves), and its London date. */
function hoursAfter(start: Date, hours: number): { at: Date; on: IsoDate } {
  const at = new Date(start.getTime() + hours * 3_600_000)
  return { at, on: londonDate(at) }
}

/** s45(2): Christmas Day, Good Friday, a bank holiday or a Sunday. */
export function isPublicHoliday(date: IsoDate, calendar: BankHolidayCalendar): boolean {
  if (new Date(`${date}T00:00:00Z`).getUTCDay() === 0) return true
  if (date.endsWith('-12-25')) return true
  return calendar.covers(date) && calendar.isBankHoliday(date)
}

/**
 * The latest end of an emergency protection order made on `madeOn`: the eighth day, or, when that
 * is a public holiday, the first later day that is not (the order then ends at noon on it, s45(2)).
 */
export function emergencyProtectionOrderEnds(madeOn: IsoDate, calendar: BankHolidayCalendar): IsoDate {
  let end = addDays(madeOn, EPO_DAYS)
  while (isPublicHoliday(end, calendar)) end = addDays(end, 1)
  return end
}

/** The latest end of the one extension of an order that would have ended on `endedOn` (s45(5)). */
export function epoExtensionEnds(endedOn: IsoDate): IsoDate {
  return addDays(endedOn, EPO_EXTENSION_DAYS)
}

/** The start of a pregnancy, from which its weeks of gestation count: the expected date of delivery less 40 weeks. */
export function pregnancyStart(expectedDelivery: IsoDate): IsoDate {
  return addDays(expectedDelivery, -PREGNANCY_DAYS)
}

/** When the pre-birth conference is due: the partnership's weeks of gestation (28 by default) from the start of the pregnancy. */
export function prebirthConferenceDue(expectedDelivery: IsoDate, localRules?: Readonly<LocalRuleSettings>): DueDate {
  return dueDate({ rule: 'prebirth-conference', start: pregnancyStart(expectedDelivery), localRules })
}
