/**
 * Drafts of the long forms (issue 17, section 6): a form longer than a few fields keeps a draft as
 * the user types, so a timed-out session or a closed tab loses nothing. Each form needs two lines:
 *
 * - in its template, the form's key (the form's name and the id of the record it belongs to):
 *   `{% from "partials/autosave.njk" import autosave %}` and
 *   `<form method="post" action="…" novalidate{{ autosave("assessment:" + a.id) }}>`, or for a new
 *   record's form `{{ autosave("assessment-new:" + c.id, newRecord = true) }}` (drafted per browser
 *   tab, so two tabs on one new form keep their own);
 * - where the record is saved, before the redirect: `await discardSentDraft(ctx, req.body)`.
 *
 * assets/drafts.js saves the fields to PUT /api/v1/drafts/<key>, sends the key with the form
 * (`_draftKey`), and when the form opens puts the draft back with a notice. Drafts are the
 * signed-in user's own (services/journey/drafts.ts): nobody else can read or discard them, which is
 * why the key the form sent can be discarded as it is.
 */
import type { ServiceContext } from '../../services/common/context.ts'
import { discardDraft } from '../../services/journey/drafts.ts'
import { draftKey } from '../../services/journey/drafts-input.ts'

/** The draft key a form sent (field `_draftKey`, added by assets/drafts.js), when it is one. */
export function sentDraftKey(body: unknown): string | null {
  const sent = (body as Record<string, unknown> | null | undefined)?._draftKey
  return typeof sent === 'string' && draftKey.safeParse(sent).success ? sent : null
}

/** Discards the user's draft of the form just saved (nothing happens when it sent none). */
export async function discardSentDraft(ctx: ServiceContext, body: unknown): Promise<void> {
  const key = sentDraftKey(body)
  if (key) await discardDraft(ctx, key)
}
