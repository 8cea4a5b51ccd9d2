/**
 * Small helpers the assessment and plan pages share: GOV.UK date inputs post a date as three
 * fields (name-day, name-month, name-year), which are combined into 'YYYY-MM-DD' before the same
 * zod schema as the API checks them; error links point at the first field of a date.
 */
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { parseForm, type FormErrors } from '../../common/forms.ts'
import type { z } from 'zod'
import { dateFieldValues, dateFromFields } from '../../common/form-dates.ts'

type Body = Record<string, unknown>

/** The body with each named date combined from its three fields. */
export function withDates(body: unknown, dateFields: readonly string[]): Body {
  const out: Body = { ...((body ?? {}) as Body) }
  for (const name of dateFields) out[name] = dateFromFields(out, name)
  return out
}

/** Form values with each named ISO date also split into the date input's three fields. */
export function splitDates(values: Body, dateFields: readonly string[]): Body {
  const out: Body = { ...values }
  for (const name of dateFields) {
    if (out[`${name}-day`] !== undefined) continue
    Object.assign(out, dateFieldValues(name, typeof out[name] === 'string' ? (out[name] as string) : null))
  }
  return out
}

/** Errors for the summary and the fields; a date's link goes to its day field, a form-wide one to the form. */
export function pageErrors(fields: Record<string, string>, dateFields: readonly string[], formId: string): FormErrors {
  return {
    fields,
    list: Object.entries(fields).map(([name, text]) => ({
      text,
      href: name === 'form' ? `#${formId}` : dateFields.includes(name) ? `#${name}-day` : `#${name}`,
    })),
  }
}

export type FormOutcome<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

/** Parses a posted form (dates combined) with the API's schema. */
export function parsePosted<S extends z.ZodType>(schema: S, body: unknown, dateFields: readonly string[], formId: string): FormOutcome<z.infer<S>> {
  const parsed = parseForm(schema, withDates(body, dateFields))
  if (parsed.ok) return parsed
  return { ok: false, errors: pageErrors(parsed.errors.fields, dateFields, formId) }
}

/** A refusal the page shows beside the form, or null for errors to pass on. */
export function failureOf(
  err: unknown,
  dateFields: readonly string[],
  formId: string,
): { status: number; errors: FormErrors; conflict?: { message: string; current: Record<string, unknown> } } | null {
  if (err instanceof ValidationFailed) return { status: 400, errors: pageErrors(err.fieldErrors, dateFields, formId) }
  if (err instanceof EditConflict) {
    return {
      status: 409,
      errors: pageErrors({ form: err.message }, dateFields, formId),
      conflict: { message: err.message, current: err.current ?? {} },
    }
  }
  return null
}
