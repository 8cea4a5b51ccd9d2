/**
 * Turning the child protection forms' posted fields into service input: dates posted as
 * day/month/year, repeated rows (attendees, participants) posted as `<list>-<n>-<field>`, yes/no
 * radios. Also the error summary's links, which for a date point at its day field.
 */
import type { z } from 'zod'
import { dateFieldValues, dateFromFields } from '../../common/form-dates.ts'
import type { FormErrors } from '../../common/forms.ts'

export type Body = Record<string, unknown>

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')

/** 'YYYY-MM-DD' from a date input (see dateFromFields); undefined when all three fields are empty. */
export function dateFrom(body: Body, name: string): string | undefined {
  return dateFromFields(body, name) || undefined
}

/** The day/month/year fields of a stored date, for a form's values ({} when there is none). */
export function dateFields(name: string, value: string | null | undefined): Record<string, string> {
  return value ? dateFieldValues(name, value) : {}
}

/** Empty strings become undefined, so optional fields left blank are simply not given. */
export const given = (v: unknown): string | undefined => (text(v) === '' ? undefined : text(v))

/** 'yes' → true, 'no' → false, anything else → undefined. */
export function yesNo(v: unknown): boolean | undefined {
  return v === 'yes' ? true : v === 'no' ? false : undefined
}

/** A checkbox group's values: one string for one ticked box, an array for several. */
export function listOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '')
  return typeof v === 'string' && v !== '' ? [v] : []
}

export interface RowList {
  /** The list's name: fields are `<name>-<n>-<field>`. */
  name: string
  /** Its text fields. */
  fields: readonly string[]
  /** Its date fields (each posted as day/month/year). */
  dates?: readonly string[]
  /** Fields that have a default value and so do not make a row count as filled in. */
  defaults?: Readonly<Record<string, string>>
}

/**
 * Renumbers a list's filled-in rows from 0 so gaps left in the form are dropped, and returns the
 * body with the list rewritten, its row count, and the rows as objects for the schema.
 */
export function compactRows(body: Body, list: RowList): { body: Body; rows: Record<string, string | undefined>[] } {
  const rowNumbers = new Set<number>()
  const pattern = new RegExp(`^${list.name}-(\\d+)-`)
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key)
    if (match) rowNumbers.add(Number(match[1]))
  }
  const out: Body = Object.fromEntries(Object.entries(body).filter(([key]) => !pattern.test(key)))
  const rows: Record<string, string | undefined>[] = []
  for (const n of [...rowNumbers].sort((a, b) => a - b)) {
    const prefix = `${list.name}-${n}-`
    const dateParts = (list.dates ?? []).flatMap((d) => ['day', 'month', 'year'].map((p) => `${d}-${p}`))
    const filled = [...list.fields, ...dateParts].some((f) => {
      const value = text(body[prefix + f])
      return value !== '' && value !== list.defaults?.[f]
    })
    if (!filled) continue
    const target = `${list.name}-${rows.length}-`
    const row: Record<string, string | undefined> = {}
    for (const f of list.fields) {
      out[target + f] = text(body[prefix + f])
      row[f] = given(body[prefix + f])
    }
    for (const d of list.dates ?? []) {
      for (const p of ['day', 'month', 'year']) out[`${target}${d}-${p}`] = text(body[`${prefix}${d}-${p}`])
      row[d] = dateFrom(body, prefix + d)
    }
    rows.push(row)
  }
  return { body: out, rows }
}

/** The form's values of a list of stored rows (participants ...). */
export function rowValues(name: string, rows: readonly Record<string, unknown>[], dates: readonly string[] = []): Body {
  const out: Body = {}
  rows.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) {
      if (dates.includes(field)) Object.assign(out, dateFields(`${name}-${i}-${field}`, value as string | null))
      else if (value !== null && value !== undefined) out[`${name}-${i}-${field}`] = String(value)
    }
  })
  return out
}

/** Messages per field; a field inside a list is named `<list>-<n>-<field>` like its input. */
export function messagesOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('-') : 'form'
    out[key] ??= issue.message
  }
  return out
}

/** The error summary and field messages; a date's link goes to its day field. */
export function errorsFor(fields: Record<string, string>, dateNames: readonly string[]): FormErrors {
  const isDate = (key: string) => dateNames.some((d) => key === d || key.endsWith(`-${d}`))
  return {
    fields,
    list: Object.entries(fields).map(([key, message]) => ({ text: message, href: `#${isDate(key) ? `${key}-day` : key}` })),
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> }

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(input)
  return result.success ? { ok: true, value: result.data } : { ok: false, fields: messagesOf(result.error) }
}

/** How many rows a list shows: at least `minimum`, one more when "add another" was pressed. */
export function rowCount(body: Body, name: string, filled: number, minimum: number, max = 40): number {
  const shown = Number(body[`${name}Rows`]) || minimum
  const adding = body.addRow === name ? 1 : 0
  return Math.min(max, Math.max(minimum, shown, filled) + adding)
}
