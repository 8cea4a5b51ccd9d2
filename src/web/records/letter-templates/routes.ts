/**
 * Letter templates (issue 18 §2): the partnership's templates (/admin/letter-templates), listed for
 * every signed-in user, added and changed by administrators at the version read; a placeholder that
 * is not a merge field is refused, named. The same in the JSON API.
 */
import type { Request, Response, Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { letterTemplateChange, letterTemplateInput } from '../../../services/records/letters-input.ts'
import { addLetterTemplate, changeLetterTemplate, letterTemplateOf, letterTemplates, mayManageTemplates } from '../../../services/records/letter-templates.ts'
import { LETTER_KIND, LETTER_LANGUAGE, MERGE_FIELDS } from '../../../domain/records/letters.ts'
import type { AppDeps } from '../../deps.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const base = '/admin/letter-templates'

type Values = Record<string, unknown>

const options = (values: Values) => ({
  kinds: [{ value: '', text: 'Select a kind' }, ...LETTER_KIND.map((k) => ({ value: k.code, text: k.label, selected: values.kind === k.code }))],
  languages: LETTER_LANGUAGE.map((l) => ({ value: l.code, text: l.label, checked: (values.language ?? 'en') === l.code })),
  fields: MERGE_FIELDS,
})

export function letterTemplateRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)
  const requireManage = (req: Request, res: Response) => {
    if (!mayManageTemplates(ctxOf(req, res))) throw new AccessDenied('Only an administrator can add or change letter templates')
  }

  router.get(base, requireSignIn, async (req, res) => {
    const ctx = ctxOf(req, res)
    res.render('letter-templates/index.njk', { templates: await letterTemplates(ctx), mayManage: mayManageTemplates(ctx), saved: req.query.saved })
  })

  const renderForm = (res: Response, locals: { values: Values; errors?: FormErrors; conflict?: string; templateId?: string }, status = 200) =>
    res.status(status).render('letter-templates/form.njk', { ...locals, ...options(locals.values) })

  router.get(`${base}/new`, requireSignIn, (req, res) => {
    requireManage(req, res)
    renderForm(res, { values: { kind: String(req.query.kind ?? ''), language: String(req.query.language ?? 'en') } })
  })
  router.post(`${base}/new`, requireSignIn, async (req, res) => {
    requireManage(req, res)
    const body = (req.body ?? {}) as Values
    const parsed = parseForm(letterTemplateInput, body)
    if (!parsed.ok) return renderForm(res, { values: body, errors: parsed.errors }, 400)
    try {
      await addLetterTemplate(ctxOf(req, res), parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderForm(res, { values: body, errors: formErrors(err.fieldErrors) }, 400)
      throw err
    }
    res.redirect(303, `${base}?saved=added`)
  })

  router.get(`${base}/:templateId`, requireSignIn, async (req, res) => {
    requireManage(req, res)
    const t = await letterTemplateOf(ctxOf(req, res), idParam(req, 'templateId'))
    renderForm(res, { values: t as unknown as Values, templateId: t.id })
  })
  router.post(`${base}/:templateId`, requireSignIn, async (req, res) => {
    requireManage(req, res)
    const body = (req.body ?? {}) as Values
    const templateId = idParam(req, 'templateId')
    const parsed = parseForm(letterTemplateChange, body)
    if (!parsed.ok) return renderForm(res, { values: body, errors: parsed.errors, templateId }, 400)
    try {
      await changeLetterTemplate(ctxOf(req, res), templateId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderForm(res, { values: body, errors: formErrors(err.fieldErrors), templateId }, 400)
      if (err instanceof EditConflict) {
        // What was typed is kept; the form now names the version as it is, to save over it knowingly.
        return renderForm(res, { values: { ...body, version: err.current?.version }, conflict: err.message, templateId }, 409)
      }
      throw err
    }
    res.redirect(303, `${base}?saved=changed`)
  })
  return router
}

const TAG = 'Letter templates'

export function registerLetterTemplateApi(api: ApiBuilder): void {
  api.get('/letter-templates', { summary: 'The partnership’s letter templates (kind, language en or cy, title, body with ((field)) placeholders, version), and the merge fields a template may use', tag: TAG }, async ({ ctx }) => ({
    templates: await letterTemplates(ctx),
    fields: MERGE_FIELDS,
  }))
  api.get('/letter-templates/:templateId', { summary: 'One letter template', tag: TAG }, async ({ ctx, params }) => letterTemplateOf(ctx, params.templateId!))
  api.post('/letter-templates', { summary: 'Add a letter template (administrators): kind, language, title, body; a placeholder that is not a merge field is refused (422 naming it)', tag: TAG, body: letterTemplateInput, status: 201 }, async ({ ctx, body }) => addLetterTemplate(ctx, body))
  api.put('/letter-templates/:templateId', { summary: 'Change a letter template (administrators) at the version read (409 when stale)', tag: TAG, body: letterTemplateChange }, async ({ ctx, params, body }) => changeLetterTemplate(ctx, params.templateId!, body))
}
