/**
 * Form validation results in the shape the GOV.UK error summary and field macros expect.
 */
import type { z } from 'zod'
import { unstorableTextErrors } from '../../services/common/storable-text.ts'
import { MalformedRequest } from './middleware/errors.ts'

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
  let result: z.ZodSafeParseResult<z.infer<T>>
  try {
    result = schema.safeParse(body ?? {})
  } catch (err) {
    // A schema's preprocessing met a value of a shape no form sends (a repeated field, say).
    if (err instanceof TypeError) throw new MalformedRequest(400, 'The form could not be read')
    throw err
  }
  if (result.success && !unstorable) return { ok: true, value: result.data }
  const messages = result.success ? {} : { ...fieldMessages(result.error), ...repeatedFields(result.error, body) }
  return { ok: false, errors: formErrors({ ...messages, ...unstorable }) }
}

/**
 * A field sent more than once where the schema takes one value (`a=1&a=2` is read as a list): a
 * browser does not send that from our forms, so the message says what is wrong instead of the
 * schema's "expected string".
 */
function repeatedFields(error: z.ZodError, body: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path[0]
    if (issue.code !== 'invalid_type' || issue.path.length !== 1 || typeof key !== 'string') continue
    if (Array.isArray((body as Record<string, unknown> | null)?.[key])) out[key] = 'This field was sent more than once: send it once'
  }
  return out
}
