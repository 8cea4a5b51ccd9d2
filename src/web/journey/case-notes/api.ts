import { noteInput, noteListQuery, noteUpdate } from '../../../services/journey/case-notes-input.ts'
import { addNote, changeNote, getNote, notesOfCase } from '../../../services/journey/case-notes.ts'
import { NotFound } from '../../../services/common/context.ts'
import { draftData } from '../../../services/journey/drafts-input.ts'
import { discardDraft, loadDraft, saveDraft } from '../../../services/journey/drafts.ts'
import { pageQuery } from '../../../services/common/paging.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function registerCaseNoteApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/notes',
    {
      summary: 'The case notes and visits of a case, newest first (optionally of one kind): a page of them (offset, limit) with their total',
      tag: 'Notes',
      query: noteListQuery.extend(pageQuery.shape),
    },
    async ({ ctx, params, query }) => (await notesOfCase(ctx, params.caseId!, query.kind, query)).page,
  )

  api.post(
    '/cases/:caseId/notes',
    { caseAction: 'case:update', summary: 'Record a case note, visit or management oversight', tag: 'Notes', body: noteInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      const note = await addNote(ctx, params.caseId!, body)
      res.location(`/api/v1/cases/${params.caseId}/notes/${note.id}`)
      return (await getNote(ctx, params.caseId!, note.id)).note
    },
  )

  api.get('/cases/:caseId/notes/:noteId', { summary: 'One case note or visit', tag: 'Notes' }, async ({ ctx, params }) =>
    (await getNote(ctx, params.caseId!, params.noteId!)).note,
  )

  api.put(
    '/cases/:caseId/notes/:noteId',
    { caseAction: 'case:update', summary: 'Change a case note or visit (name the version you read; 409 if it changed since)', tag: 'Notes', body: noteUpdate },
    async ({ ctx, params, body }) => {
      await changeNote(ctx, params.caseId!, params.noteId!, body)
      return (await getNote(ctx, params.caseId!, params.noteId!)).note
    },
  )

  api.put(
    '/drafts/:key',
    { summary: 'Save your draft of a form (any JSON object up to 100 kB), e.g. key note:<case id>', tag: 'Drafts', body: draftData },
    async ({ ctx, params, body }) => {
      const saved = await saveDraft(ctx, params.key!, body)
      return { key: saved.key, savedAt: saved.savedAt }
    },
  )

  api.get('/drafts/:key', { summary: 'Your draft of a form, if you saved one', tag: 'Drafts' }, async ({ ctx, params }) => {
    const draft = await loadDraft(ctx, params.key!)
    if (!draft) throw new NotFound('No draft with that key')
    return draft
  })

  api.delete('/drafts/:key', { summary: 'Discard your draft of a form', tag: 'Drafts' }, async ({ ctx, params }) => {
    await discardDraft(ctx, params.key!)
  })
}
