/**
 * Text the database cannot store faithfully: a NUL character (PostgreSQL refuses it in text and
 * jsonb) or an unpaired UTF-16 surrogate (not Unicode: it would be stored as U+FFFD, silently
 * changing what was typed). Every input is checked here before its schema, by the pages' form
 * parsing, the JSON API builder and the CLI's importers, so such text is refused with a message
 * on the field that holds it instead of failing the query.
 */

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

export const UNSTORABLE_TEXT_MESSAGE = 'Remove the character that cannot be saved (a null character or a broken symbol)'

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text)

/** The path of the first string (or property name) in `value` that cannot be stored, or null. */
export function unstorableTextPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path
  if (value === null || typeof value !== 'object' || depth > 32) return null
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableTextPath(item, [...path, i], depth + 1)
      if (found) return found
    }
    return null
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return [...path, key]
    const found = unstorableTextPath(item, [...path, key], depth + 1)
    if (found) return found
  }
  return null
}

/**
 * A message for each top-level field of `input` that holds text that cannot be stored (keyed like
 * the forms' and API's field messages: by the first element of the path), or null when all is well.
 */
export function unstorableTextErrors(input: unknown): Record<string, string> | null {
  if (typeof input === 'string') return isStorableText(input) ? null : { form: UNSTORABLE_TEXT_MESSAGE }
  if (input === null || typeof input !== 'object') return null
  const errors: Record<string, string> = {}
  for (const [key, item] of Object.entries(input)) {
    if (!isStorableText(key)) errors.form = UNSTORABLE_TEXT_MESSAGE
    else if (unstorableTextPath(item)) errors[key] = UNSTORABLE_TEXT_MESSAGE
  }
  return Object.keys(errors).length > 0 ? errors : null
}
