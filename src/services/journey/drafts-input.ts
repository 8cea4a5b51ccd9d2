/** Input schemas for drafts: a form's unsaved fields, saved as the user types. */
import { z } from 'zod'

/** The largest draft kept, as JSON: a long case note fits many times over. */
export const MAX_DRAFT_BYTES = 100 * 1024

/** A form's key, e.g. `note:<caseId>` or `note:<caseId>:<noteId>`. */
export const draftKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}(?::[A-Za-z0-9-]{1,64}){0,4}$/, 'A draft key is a form name and ids separated by colons, like note:<case id>')

/** Any JSON object (the form's field names and values), at most MAX_DRAFT_BYTES as JSON. */
export const draftData = z
  .record(z.string(), z.unknown(), { error: 'A draft is a JSON object of the form’s fields' })
  .refine((data) => Buffer.byteLength(JSON.stringify(data)) <= MAX_DRAFT_BYTES, {
    message: `A draft must be ${MAX_DRAFT_BYTES / 1024} kB or smaller`,
  })

/**
 * Forms for a new record are drafted per browser tab, so that two tabs on one new form keep their
 * own drafts: the tab's key is the form's key and `tab-<a uuid the tab keeps in sessionStorage>`
 * (assets/drafts.js). A form of an existing record keeps one key per record: its version check
 * catches two tabs saving over each other.
 */
const TAB_SEGMENT = /^tab-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The tab draft key sent with a new record's form (field `_draftKey`), if it is one of `formKey`. */
export function tabDraftKeyOf(formKey: string, sent: unknown): string | null {
  if (typeof sent !== 'string' || !sent.startsWith(`${formKey}:`)) return null
  return TAB_SEGMENT.test(sent.slice(formKey.length + 1)) && draftKey.safeParse(sent).success ? sent : null
}
