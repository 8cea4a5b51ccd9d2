/**
 * Case notes and visits pages: the list (newest first, by kind), adding and changing a note.
 * The note forms autosave a draft as the user types (assets/drafts.js); the form opens with the
 * draft when there is one, and the draft is discarded once the note is saved.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { noteInput, noteListQuery, noteUpdate, type NoteInput } from '../../../services/journey/case-notes-input.ts'
import { addNote, changeNote, getNote, notesOfCase, openCaseFrame, type CaseFrame, type NoteView } from '../../../services/journey/case-notes.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { discardDraft, loadDraft } from '../../../services/journey/drafts.ts'
import { tabDraftKeyOf } from '../../../services/journey/drafts-input.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { pagingOf } from '../../common/pagination.ts'
import { labelOf, NOTE_KIND } from '../../../domain/journey/codes.ts'
import {
  combineDates,
  conflictView,
  formValuesOf,
  linkDateErrors,
  uuidOf,
  type ConflictField,
  type ConflictView,
} from '../../common/form-helpers.ts'

const DATES = ['occurredOn'] as const

/** Notes on a page of the list: each is a card of several lines, so few keep the page short. */
const NOTES_PAGE_SIZE = 8

export const noteDraftKey = (caseId: string, noteId?: string) => (noteId ? `note:${caseId}:${noteId}` : `note:${caseId}`)

const CONFLICT_FIELDS: ConflictField[] = [
  { name: 'kind', label: 'Kind', show: (v) => labelOf(NOTE_KIND, v as string) },
  { name: 'occurredOn', label: 'Date' },
  { name: 'title', label: 'Title' },
  { name: 'body', label: 'Note' },
  { name: 'childSeen', label: 'Child seen' },
  { name: 'childSeenAlone', label: 'Child seen alone' },
]

interface FormLocals {
  c: CaseFrame
  values: Record<string, unknown>
  errors?: FormErrors
  note?: NoteView
  conflict?: ConflictView
  restoredFrom?: Date
}

function renderForm(res: Response, locals: FormLocals, status = 200) {
  const noteId = locals.note?.id
  res.status(status).render('case-notes/form.njk', {
    ...locals,
    draftKey: noteDraftKey(locals.c.id, noteId),
    // A new note is drafted per browser tab; a form shown again with what was posted restores nothing.
    draftPerTab: !noteId,
    draftRestore: !locals.errors && !locals.conflict,
    action: noteId ? `/cases/${locals.c.id}/notes/${noteId}` : `/cases/${locals.c.id}/notes/new`,
  })
}

/** The note the user was typing, when a draft was saved for this form. */
async function withDraft(req: Request, res: Response, deps: AppDeps, key: string, values: Record<string, unknown>) {
  const draft = await loadDraft(serviceContext(deps, req, res), key)
  return draft ? { values: { ...values, ...draft.data }, restoredFrom: draft.savedAt } : { values }
}

export function caseNoteRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/cases/:id/notes', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    const filter = noteListQuery.safeParse(req.query)
    const kind = filter.success ? filter.data.kind : undefined
    const paging = pagingOf(req, NOTES_PAGE_SIZE)
    const { c, notes, page } = await notesOfCase(serviceContext(deps, req, res), caseId, kind, paging.request)
    const pagination = paging.view(page)
    res.status(pagination.status).render('case-notes/list.njk', { c, notes, pagination, kind: kind ?? '', saved: req.query.saved })
  })

  router.get('/cases/:id/notes/new', requireSignIn, caseForm(deps, 'notes'), async (req, res, next) => {
    const caseId = idParam(req)
    const c = await openCaseFrame(serviceContext(deps, req, res), caseId, 'notes')
    // ?kind=visit: the child protection page's "Record a visit" opens this form on a visit.
    const kind = req.query.kind === 'visit' ? 'visit' : 'note'
    renderForm(res, { c, ...(await withDraft(req, res, deps, noteDraftKey(caseId), { kind })) })
  })

  router.post('/cases/:id/notes/new', requireSignIn, caseForm(deps, 'notes'), async (req, res, next) => {
    const caseId = idParam(req)
    const ctx = serviceContext(deps, req, res)
    const failed = async (errors: FormErrors) => {
      const c = await openCaseFrame(ctx, caseId, 'notes')
      renderForm(res, { c, values: req.body, errors: linkDateErrors(errors, DATES) }, 400)
    }
    const parsed = parseForm(noteInput, combineDates(req.body, DATES))
    if (!parsed.ok) return failed(parsed.errors)
    try {
      await addNote(ctx, caseId, parsed.value as NoteInput)
    } catch (err) {
      if (err instanceof ValidationFailed) return failed(formErrors(err.fieldErrors))
      throw err
    }
    await discardDraft(ctx, noteDraftKey(caseId))
    const tabKey = tabDraftKeyOf(noteDraftKey(caseId), req.body?._draftKey)
    if (tabKey) await discardDraft(ctx, tabKey)
    res.redirect(`/cases/${caseId}/notes?saved=added`)
  })

  /** Discards the draft of the new-note form, or of one note's form (body noteId). */
  router.post('/cases/:id/notes/discard-draft', requireSignIn, caseForm(deps, 'notes'), async (req, res, next) => {
    const caseId = idParam(req)
    const noteId = req.body?.noteId ? uuidOf(req.body.noteId) : undefined
    if (noteId === null) return next()
    await discardDraft(serviceContext(deps, req, res), noteDraftKey(caseId, noteId))
    res.redirect(noteId ? `/cases/${caseId}/notes/${noteId}` : `/cases/${caseId}/notes/new`)
  })

  router.get('/cases/:id/notes/:noteId', requireSignIn, caseForm(deps, 'notes'), async (req, res, next) => {
    const caseId = idParam(req)
    const noteId = idParam(req, 'noteId')
    const { c, note } = await getNote(serviceContext(deps, req, res), caseId, noteId)
    const stored = formValuesOf({ ...note }, DATES)
    renderForm(res, { c, note, ...(note.kind === 'statutory-visit' ? { values: stored } : await withDraft(req, res, deps, noteDraftKey(caseId, noteId), stored)) })
  })

  router.post('/cases/:id/notes/:noteId', requireSignIn, caseForm(deps, 'notes'), async (req, res, next) => {
    const caseId = idParam(req)
    const noteId = idParam(req, 'noteId')
    const ctx = serviceContext(deps, req, res)
    const rerender = async (status: number, extra: Partial<FormLocals>) => {
      const { c, note } = await getNote(ctx, caseId, noteId)
      renderForm(res, { c, note, values: req.body, ...extra }, status)
    }
    const combined = combineDates(req.body, DATES)
    const parsed = parseForm(noteUpdate, combined)
    if (!parsed.ok) return rerender(400, { errors: linkDateErrors(parsed.errors, DATES) })
    try {
      await changeNote(ctx, caseId, noteId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return rerender(400, { errors: formErrors(err.fieldErrors) })
      if (err instanceof EditConflict) {
        const conflict = conflictView(err, parsed.value, CONFLICT_FIELDS)
        return rerender(409, { conflict, values: { ...req.body, version: conflict.version } })
      }
      throw err
    }
    await discardDraft(ctx, noteDraftKey(caseId, noteId))
    res.redirect(`/cases/${caseId}/notes?saved=changed`)
  })

  return router
}
