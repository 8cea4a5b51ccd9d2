/**
 * Small helpers the assessment and plan pages share: GOV.UK date inputs post a date as three
 * fields (name-day, name-month, name-year), which are combined into 'YYYY-MM-DD' before the same
 * zod schema as the API checks them; error links point at the first field of a date.
 */
import type { Request, Response } from 'express'
import { AccessDenied, EditConflict, ValidationFailed } from '../../../services/context.ts'
import { BREAK_GLASS_HOURS } from '../../../services/cases.ts'
import { parseForm, type FormErrors } from '../../forms.ts'
import type { z } from 'zod'

type Body = Record<string, unknown>

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

/**
 * The date from a date input's three fields: '' when all are empty, 'YYYY-MM-DD' when they make a
 * date (the schema then checks it is real), otherwise a value the schema refuses as not a date.
 */
export function combineDate(day: string, month: string, year: string): string {
  if (!day && !month && !year) return ''
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return `${year}-${month}-${day}`
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
}

/** The body with each named date combined from its three fields. */
export function withDates(body: unknown, dateFields: readonly string[]): Body {
  const out: Body = { ...((body ?? {}) as Body) }
  for (const name of dateFields) {
    out[name] = combineDate(text(out[`${name}-day`]), text(out[`${name}-month`]), text(out[`${name}-year`]))
  }
  return out
}

/** Form values with each named ISO date also split into the date input's three fields. */
export function splitDates(values: Body, dateFields: readonly string[]): Body {
  const out: Body = { ...values }
  for (const name of dateFields) {
    if (out[`${name}-day`] !== undefined) continue
    const iso = typeof out[name] === 'string' ? (out[name] as string) : ''
    const [year = '', month = '', day = ''] = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-') : []
    out[`${name}-day`] = day.replace(/^0/, '')
    out[`${name}-month`] = month.replace(/^0/, '')
    out[`${name}-year`] = year
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

/** Renders the break-glass page when the user may break glass to read the case; otherwise rethrows. */
export function breakGlassOr(err: unknown, res: Response, caseId: string): void {
  if (err instanceof AccessDenied && err.breakGlassAvailable) {
    return void res.status(403).render('cases/break-glass.njk', { caseId, reason: err.message, hours: BREAK_GLASS_HOURS })
  }
  throw err
}

/** A route parameter that must be a UUID, or null (the route then answers 404). */
export function uuidParam(req: Request, name: string): string | null {
  const value = req.params[name]
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : null
}
