/**
 * Helpers shared by the record pages of several features (notes, tasks, family, looked-after,
 * referrals, information requests, partnership forms ...): GOV.UK date
 * inputs (three fields) to and from the schemas' single 'YYYY-MM-DD' value, edit conflicts shown
 * side by side, and the break-glass offer when a case is refused.
 */
import type { EditConflict } from '../../services/common/context.ts'
import { formatDate } from './nunjucks.ts'
import type { FormErrors } from './forms.ts'
import { dateFieldValues, dateFromFields } from './form-dates.ts'
import { isUuid } from './router.ts'

/** A UUID from a query or form value, or null (route parameters are checked by featureRouter). */
export function uuidOf(value: unknown): string | null {
  return isUuid(value) ? value : null
}

/** The body with each named date (three govukDateInput fields) combined into one value. */
export function combineDates(body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body }
  for (const name of names) out[name] = dateFromFields(body, name)
  return out
}

export { dateFieldValues as dateValues } from './form-dates.ts'

/** Form values for a stored record: its fields, with each named date split into three. */
export function formValuesOf(row: Record<string, unknown>, dates: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = { ...row }
  for (const name of dates) Object.assign(values, dateFieldValues(name, row[name] as string | null))
  for (const [k, v] of Object.entries(values)) if (typeof v === 'boolean') values[k] = v ? 'yes' : 'no'
  return values
}

/** Error summary links for date fields go to the day input, as the GOV.UK pattern asks. */
export function linkDateErrors(errors: FormErrors, dates: readonly string[]): FormErrors {
  return {
    fields: errors.fields,
    list: errors.list.map((e) => (dates.includes(e.href.slice(1)) ? { ...e, href: `${e.href}-day` } : e)),
  }
}

export interface ConflictField {
  name: string
  label: string
  /** How to show a stored value (dates, codes, yes/no); by default as text. */
  show?: (value: unknown) => string
}

export interface ConflictView {
  message: string
  version: number
  /** Each field shown (`yours`, `saved`), with its name and the values themselves, for a page that shows them its own way. */
  rows: { name: string; label: string; yours: string; saved: string; yoursValue: unknown; savedValue: unknown }[]
}

const shown = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return 'Not given'
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value)
  return String(value)
}

/**
 * The user's values and the saved ones side by side after a refused save, with the saved
 * version, so the user can re-submit deliberately (or copy what they need) and nothing is lost.
 */
export function conflictView(err: EditConflict, yours: Record<string, unknown>, fields: readonly ConflictField[]): ConflictView {
  const saved = err.current ?? {}
  return {
    message: err.message,
    version: Number(saved.version ?? 0),
    rows: fields.map((f) => {
      const show = f.show ?? shown
      return { name: f.name, label: f.label, yours: show(yours[f.name]), saved: show(saved[f.name]), yoursValue: yours[f.name], savedValue: saved[f.name] }
    }),
  }
}

