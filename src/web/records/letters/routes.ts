/**
 * Letters on a case (issue 18 §2): the case's Letters section (/cases/:id/letters), writing one
 * (pick the template, the record it is about and the recipient; edit the merged words and the
 * address; preview; make the PDF), a letter's page (download, print, send by post through GOV.UK
 * Notify once per click, try again after a failure), and the same in the JSON API.
 */
import { randomUUID } from 'node:crypto'
import type { Request, Response, Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { letterChoice, letterPrint, letterProduce, letterSend } from '../../../services/records/letters-input.ts'
import { draftLetter, letterChoices, letterOfCase, lettersOfCase, printLetter, produceLetter, sendLetter, type LetterChoices } from '../../../services/records/letters.ts'
import { letterPostFor, type LetterPost } from '../../../services/records/letter-post.ts'
import { LETTER_POSTAGE, MERGE_FIELDS } from '../../../domain/records/letters.ts'
import type { AppDeps } from '../../deps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'

const SECTION = 'letters'

const posts = new WeakMap<object, LetterPost>()

/** The letter service of this app: GOV.UK Notify when configured, else the local double (one per app, so tests can read it). */
export function letterPostOf(deps: Pick<AppDeps, 'config' | 'logger'>): LetterPost {
  let post = posts.get(deps.config)
  if (!post) {
    post = letterPostFor(deps.config.letters, deps.logger)
    posts.set(deps.config, post)
  }
  return post
}

/** The paragraphs of a letter's words, for the preview. */
const paragraphsOf = (body: string) =>
  String(body ?? '')
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.split('\n'))

type Values = Record<string, unknown>

function choiceItems(choices: LetterChoices, values: Values) {
  const selected = (v: string) => String(values.aboutId ?? '') === v
  return {
    templates: [
      { value: '', text: 'Select a template' },
      ...choices.templates.map((t) => ({ value: t.id, text: `${t.title} (${t.languageLabel})`, selected: String(values.templateId ?? '') === t.id })),
    ],
    about: [
      { value: '', text: 'Not about one record' },
      ...choices.conferences.map((x) => ({ value: x.id, text: x.text, selected: selected(x.id) })),
      ...choices.contacts.map((x) => ({ value: x.id, text: x.text, selected: selected(x.id) })),
    ],
    recipients: choices.recipients.map((r) => ({ value: r.value, text: r.text, checked: String(values.recipient ?? '') === r.value })),
  }
}

export function letterRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)
  const base = '/cases/:id/letters'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('letters/index.njk', { ...(await lettersOfCase(ctxOf(req, res), idParam(req))), saved: req.query.saved })
  })

  const renderChoose = async (req: Request, res: Response, values: Values, errors?: FormErrors, status = 200) => {
    const choices = await letterChoices(ctxOf(req, res), idParam(req))
    res.status(status).render('letters/choose.njk', { c: choices.c, values, errors, ...choiceItems(choices, values) })
  }
  const renderWrite = async (req: Request, res: Response, values: Values, locals: { errors?: FormErrors; unfilled?: string[]; preview?: boolean }, status = 200) => {
    const choices = await letterChoices(ctxOf(req, res), idParam(req))
    const template = choices.templates.find((t) => t.id === values.templateId)
    res.status(status).render('letters/write.njk', {
      c: choices.c,
      values,
      template,
      errors: locals.errors,
      unfilled: locals.unfilled ?? [],
      preview: locals.preview ? { title: values.title, address: String(values.address ?? '').split(/\r?\n/), paragraphs: paragraphsOf(String(values.body ?? '')) } : null,
      fields: MERGE_FIELDS,
    })
  }

  router.get(`${base}/new`, requireSignIn, caseForm(deps, SECTION), (req, res) => renderChoose(req, res, {}))
  router.post(`${base}/new`, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
    const body = (req.body ?? {}) as Values
    const step = String(body.step ?? 'merge')
    const choice = parseForm(letterChoice, body)
    if (!choice.ok) return renderChoose(req, res, body, choice.errors, 400)
    if (step === 'merge') {
      try {
        const draft = await draftLetter(ctxOf(req, res), idParam(req), choice.value)
        return renderWrite(req, res, { ...choice.value, aboutId: choice.value.aboutId ?? '', title: draft.title, body: draft.body, address: draft.address }, { unfilled: draft.unfilled })
      } catch (err) {
        if (err instanceof ValidationFailed) return renderChoose(req, res, body, formErrors(err.fieldErrors), 400)
        throw err
      }
    }
    const parsed = parseForm(letterProduce, body)
    if (!parsed.ok) return renderWrite(req, res, body, { errors: parsed.errors }, 400)
    if (step === 'preview') return renderWrite(req, res, body, { preview: true })
    try {
      const made = await produceLetter(ctxOf(req, res), idParam(req), parsed.value)
      res.redirect(303, `/cases/${idParam(req)}/letters/${made.id}?saved=produced`)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        const fields = err.fieldErrors
        if (fields.templateId || fields.aboutId || fields.recipient) return renderChoose(req, res, body, formErrors(fields), 400)
        return renderWrite(req, res, body, { errors: formErrors(fields) }, 400)
      }
      throw err
    }
  })

  const renderLetter = async (req: Request, res: Response, locals: { errors?: FormErrors; conflict?: string } = {}, status = 200) => {
    const page = await letterOfCase(ctxOf(req, res), idParam(req), idParam(req, 'letterId'))
    res.status(status).render('letters/letter.njk', {
      ...page,
      saved: req.query.saved,
      errors: locals.errors,
      conflict: locals.conflict,
      idempotencyKey: randomUUID(),
      postage: LETTER_POSTAGE.map((p) => ({ value: p.code, text: p.label, checked: (page.letter.postage ?? 'second') === p.code })),
      paragraphs: paragraphsOf(page.letter.body),
      provider: letterPostOf(deps).name,
    })
  }
  router.get(`${base}/:letterId`, requireSignIn, (req, res) => renderLetter(req, res))
  router.post(`${base}/:letterId/print`, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
    const parsed = parseForm(letterPrint, req.body)
    if (!parsed.ok) return renderLetter(req, res, { errors: parsed.errors }, 400)
    try {
      await printLetter(ctxOf(req, res), idParam(req), idParam(req, 'letterId'), parsed.value.version)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderLetter(req, res, { errors: formErrors(err.fieldErrors) }, 400)
      if (err instanceof EditConflict) return renderLetter(req, res, { conflict: err.message }, 409)
      throw err
    }
    res.redirect(303, `/cases/${idParam(req)}/letters/${idParam(req, 'letterId')}?saved=printed`)
  })
  router.post(`${base}/:letterId/send`, requireSignIn, caseForm(deps, SECTION), async (req, res) => {
    const parsed = parseForm(letterSend, req.body)
    if (!parsed.ok) return renderLetter(req, res, { errors: parsed.errors }, 400)
    const sent = await sendLetter(ctxOf(req, res), idParam(req), idParam(req, 'letterId'), parsed.value, letterPostOf(deps))
    res.redirect(303, `/cases/${idParam(req)}/letters/${sent.id}?saved=${sent.status === 'sent' ? 'sent' : 'failed'}`)
  })
  return router
}

const TAG = 'Letters'

export function registerLetterApi(api: ApiBuilder): void {
  const deps = api.deps
  const path = '/cases/:caseId/letters'
  api.get(path, { summary: 'The letters made on the case, newest first (status produced, printed, sending, sent or failed; pdfLink downloads the PDF kept as a document)', tag: TAG }, async ({ ctx, params }) => ({
    letters: (await lettersOfCase(ctx, params.caseId!)).letters,
  }))
  api.get(`${path}/options`, { summary: 'What a letter on the case may be written from: the templates, the conferences and contacts it may be about, and the recipients (a person of the family network, a referrer, or other); for those who may change the case', tag: TAG, caseAction: 'case:update' }, async ({ ctx, params }) => {
    const { c: _c, ...choices } = await letterChoices(ctx, params.caseId!)
    return choices
  })
  api.post(
    `${path}/drafts`,
    { summary: 'Merge a template with the record: templateId, aboutId (a conference or contact, for the kinds about one), recipient (person:<id>, referrer:<contact id> or other); returns { title, body, address, unfilled } to edit (nothing is stored)', tag: TAG, body: letterChoice, caseAction: 'case:update', status: 200 },
    async ({ ctx, params, body }) => {
      const { template, ...draft } = await draftLetter(ctx, params.caseId!, body)
      return { templateId: template.id, ...draft }
    },
  )
  api.post(
    path,
    { summary: 'Make the letter: the choice, with title, body (no ((placeholder)) left) and address (3 to 7 lines, the name first, the last a postcode or country); the PDF is kept as a document of kind letter; 201 with the letter', tag: TAG, body: letterProduce, caseAction: 'case:update', status: 201 },
    async ({ ctx, params, body }) => produceLetter(ctx, params.caseId!, body),
  )
  api.get(`${path}/:letterId`, { summary: 'One letter of the case', tag: TAG }, async ({ ctx, params }) => (await letterOfCase(ctx, params.caseId!, params.letterId!)).letter)
  api.post(
    `${path}/:letterId/print`,
    { summary: 'Record that the letter was printed to send by hand or post (version: the letter’s, as read; 409 when stale); then download the PDF from pdfLink', tag: TAG, body: letterPrint, caseAction: 'case:update', status: 200 },
    async ({ ctx, params, body }) => printLetter(ctx, params.caseId!, params.letterId!, body.version),
  )
  api.post(
    `${path}/:letterId/send`,
    { summary: 'Post the letter through GOV.UK Notify (precompiled PDF): postage (first or second), idempotencyKey (a new UUID per attempt: the same key again never posts again); answers the letter, status sent or failed (with failure) — a failed letter can be sent again with a new key', tag: TAG, body: letterSend, caseAction: 'case:update', status: 200 },
    async ({ ctx, params, body }) => sendLetter(ctx, params.caseId!, params.letterId!, body, letterPostOf(deps)),
  )
}
