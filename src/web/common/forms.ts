/**
 * Form validation results in the shape the GOV.UK error summary and field macros expect.
 */
import type { z } from 'zod'
import { unstorableTextErrors } from '../../services/common/storable-text.ts'

export interface FormErrors {
  /** Message per field name, for the field's errorMessage. */
  fields: Record<string, string>
  /** The error summary's list: one link per field, in form order. */
  list: { text: string; href: string }[]
}

export function formErrors(fields: Record<string, string>): FormErrors {
  return {
    fields,
    list: Object.entries(fields).map(([name, text]) => ({ text, href: `#${name}` })),
  }
}

/** The first message for each field of a failed zod parse. */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : 'form'
    out[key] ??= issue.message
  }
  return out
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

/**
 * Parses a posted form with its schema. Text the database cannot store (a NUL character, an
 * unpaired surrogate) is refused first, with a message on its field, whatever the schema says.
 */
export function parseForm<T extends z.ZodType>(schema: T, body: unknown): Parsed<z.infer<T>> {
  const unstorable = unstorableTextErrors(body)
  const result = schema.safeParse(body ?? {})
  if (result.success && !unstorable) return { ok: true, value: result.data }
  return { ok: false, errors: formErrors({ ...(result.success ? {} : fieldMessages(result.error)), ...unstorable }) }
}
