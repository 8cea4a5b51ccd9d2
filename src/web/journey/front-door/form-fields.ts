/**
 * Form plumbing for the front door pages: GOV.UK date inputs post a date as three fields
 * (`<name>-day`, `-month`, `-year`); services take 'YYYY-MM-DD'. Error summary links must point at
 * the first input of a date, and at the per-episode copy of a field on the case page.
 */
import { formErrors, type FormErrors } from '../../common/forms.ts'

type Body = Record<string, unknown>

export { dateFromFields, dateFieldValues as fieldsFromDate } from '../../common/form-dates.ts'

/** A form's fields without the CSRF token, as strings or lists of strings. */
export function formValues(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries((body ?? {}) as Body)) {
    if (k === '_csrf') continue
    if (typeof v === 'string') out[k] = v
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string')
  }
  return out
}

/**
 * Errors for the summary and fields. `dates` are fields shown as date inputs (linked to their day
 * input); `suffix` is added to every id when a page repeats a form (one per episode); `order`
 * lists the form's fields top to bottom, so the summary follows the page.
 */
export function pageErrors(
  fields: Record<string, string>,
  options: { dates?: readonly string[]; suffix?: string; order?: readonly string[] } = {},
): FormErrors {
  const errors = formErrors(fields)
  const suffix = options.suffix ? `-${options.suffix}` : ''
  const rank = (name: string) => {
    const i = options.order?.indexOf(name) ?? -1
    return i === -1 ? Number.MAX_SAFE_INTEGER : i
  }
  const inFormOrder = Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b))
  errors.list = inFormOrder.map(([name, text]) => ({
    text,
    href: `#${name}${suffix}${options.dates?.includes(name) ? '-day' : ''}`,
  }))
  return errors
}
