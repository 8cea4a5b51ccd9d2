/**
 * A period chosen on a GET form (the performance page, the scorecard): from/to as GOV.UK date
 * inputs in the query string, the last 12 months by default, checked with the Annex A period
 * schema; on an error the user's typed fields come back with the messages.
 */
import { annexAPeriod } from '../../services/returns/annex-a-input.ts'
import { lastTwelveMonths } from '../../services/returns/performance.ts'
import { dateFieldValues, dateFromFields } from './form-dates.ts'
import { fieldMessages, formErrors, type FormErrors } from './forms.ts'

/** What the user typed in the from/to date fields, kept on error. */
export const pickDateFields = (query: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => /^(from|to)-(day|month|year)$/.test(e[0]) && typeof e[1] === 'string'))

export function periodFromQuery(
  query: Record<string, unknown>,
  today: string,
): { from: string; to: string; values: Record<string, string>; errors: FormErrors | null } {
  const typed = Object.keys(pickDateFields(query)).length > 0
  const { from, to } = typed ? { from: dateFromFields(query, 'from'), to: dateFromFields(query, 'to') } : lastTwelveMonths(today)
  const values = typed ? pickDateFields(query) : { ...dateFieldValues('from', from), ...dateFieldValues('to', to) }
  const parsed = annexAPeriod.safeParse({ from, to })
  return { from, to, values, errors: parsed.success ? null : formErrors(fieldMessages(parsed.error)) }
}
