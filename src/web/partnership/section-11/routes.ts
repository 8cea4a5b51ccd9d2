/**
 * Section 11 audit pages (under /partnership/section-11): the business unit's templates and
 * cycles, each agency's self-assessment (answered by the agency, challenged and agreed by the
 * business unit, compared with the agency's previous cycle) and the actions agreed with it.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { z } from 'zod'
import { SECTION11_AGENCY_ROLES } from '../../../domain/access/policy.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import { partnershipPeople } from '../../../services/partnership/people.ts'
import { actionCloseInput, actionEvidenceInput } from '../../../services/partnership/review-input.ts'
import { addSection11Action, closeSection11Action, getSection11Action, giveSection11Evidence } from '../../../services/partnership/section11/actions.ts'
import { getCycle, issueCycle, listCycles } from '../../../services/partnership/section11/cycles.ts'
import { agreementInput, answersInput, challengeInput, challengeResponseInput, cycleInput, section11ActionInput, templateInput, templateUpdate } from '../../../services/partnership/section11/input.ts'
import { agreeReturn, getReturn, raiseChallenge, respondToChallenge, saveAnswers } from '../../../services/partnership/section11/returns.ts'
import { createTemplate, DEFAULT_STANDARDS_TEXT, getTemplate, listTemplates, updateTemplate } from '../../../services/partnership/section11/templates.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { formHandler, idsOf, type Problem } from '../partnership/forms.ts'
import { idParam } from '../../common/router.ts'

const BASE = '/partnership/section-11'

/** Fields named `<prefix>-<code>` as { [code]: value }. */
function byCode(body: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(body)) if (k.startsWith(`${prefix}-`)) out[k.slice(prefix.length + 1)] = v
  return out
}

/** The answers form posts rating-<code> and evidence-<code>, and which button was pressed. */
const answersForm = z.preprocess((raw) => {
  const body = (raw ?? {}) as Record<string, unknown>
  const ratings = byCode(body, 'rating')
  const evidence = byCode(body, 'evidence')
  const codes = new Set([...Object.keys(ratings), ...Object.keys(evidence)])
  return { answers: Object.fromEntries([...codes].map((c) => [c, { rating: ratings[c] ?? '', evidence: evidence[c] ?? '' }])), submit: body.intent === 'submit', version: body.version }
}, answersInput)

const agreementForm = z.preprocess((raw) => {
  const body = (raw ?? {}) as Record<string, unknown>
  return { ratings: Object.fromEntries(Object.entries(byCode(body, 'agreed')).filter(([, v]) => v !== '')), version: body.version }
}, agreementInput)

export function section11Routes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get(BASE, requireSignIn, async (req, res) => {
    const ctx = ctxOf(req, res)
    res.render('section-11/index.njk', { ...(await listCycles(ctx)), templates: await listTemplates(ctx), saved: req.query.saved })
  })

  // Templates.
  const renderTemplate = async (ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) => {
    const id = req.params.id ? idParam(req) : null
    const template = id ? await getTemplate(ctx, id) : null
    if (!id) await listTemplates(ctx) // refuses those who may not manage section 11
    const values = problem?.values ?? (template ? { name: template.name, standards: template.standardsText } : { name: 'Section 11 standards', standards: DEFAULT_STANDARDS_TEXT })
    res.status(status).render('section-11/template.njk', { template, values, errors: problem?.errors })
  }
  router.get(`${BASE}/templates/new`, requireSignIn, (req, res) => renderTemplate(ctxOf(req, res), req, res))
  router.post(`${BASE}/templates/new`, requireSignIn, formHandler(deps, {
    form: 'template', schema: templateInput, rerender: renderTemplate,
    run: async (ctx, value) => (await createTemplate(ctx, value), `${BASE}?saved=template`),
  }))
  router.get(`${BASE}/templates/:id`, requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderTemplate(ctxOf(req, res), req, res)
  })
  router.post(`${BASE}/templates/:id`, requireSignIn, formHandler(deps, {
    form: 'template', schema: templateUpdate, rerender: renderTemplate,
    run: async (ctx, value, req) => (await updateTemplate(ctx, idParam(req), value), `${BASE}?saved=template`),
  }))

  // Cycles.
  const renderNewCycle = async (ctx: ServiceContext, _req: Request, res: Response, problem?: Problem, status = 200) => {
    const templates = await listTemplates(ctx)
    const people = (await partnershipPeople(ctx)).filter((p) => p.roles.some((r) => (SECTION11_AGENCY_ROLES as string[]).includes(r)))
    const chosen = problem?.values.contactUserIds
    res.status(status).render('section-11/cycle-new.njk', {
      templates,
      people,
      chosen: Array.isArray(chosen) ? chosen : chosen ? [chosen] : [],
      values: problem?.values ?? { templateId: templates[0]?.id },
      errors: problem?.errors,
    })
  }
  router.get(`${BASE}/cycles/new`, requireSignIn, (req, res) => renderNewCycle(ctxOf(req, res), req, res))
  router.post(`${BASE}/cycles/new`, requireSignIn, formHandler(deps, {
    form: 'cycle', schema: cycleInput, dates: ['issuedOn', 'answersDueOn'], rerender: renderNewCycle,
    run: async (ctx, value) => `${BASE}/cycles/${(await issueCycle(ctx, value)).id}?saved=issued`,
  }))
  router.get(`${BASE}/cycles/:id`, requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    res.render('section-11/cycle.njk', { ...(await getCycle(ctxOf(req, res), idParam(req))), saved: req.query.saved })
  })

  // One agency's self-assessment.
  const renderReturn = async (ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) => {
    const view = await getReturn(ctx, idParam(req))
    const owners = view.may.manage ? (await partnershipPeople(ctx)).filter((p) => p.agencyId === view.ret.agencyId) : []
    res.status(status).render('section-11/return.njk', { ...view, owners, problem, errors: problem?.errors, saved: req.query.saved })
  }
  router.get(`${BASE}/returns/:id`, requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderReturn(ctxOf(req, res), req, res)
  })
  const post = <S extends z.ZodType>(path: string, form: string, schema: S, dates: string[], run: (ctx: ServiceContext, id: string, value: z.infer<S>) => Promise<unknown>) =>
    router.post(`${BASE}/returns/:id/${path}`, requireSignIn, formHandler(deps, {
      form, schema, dates, rerender: renderReturn,
      run: async (ctx, value, req) => (await run(ctx, idParam(req), value), `${BASE}/returns/${idParam(req)}?saved=${form}`),
    }))
  post('answers', 'answers', answersForm, [], saveAnswers)
  post('challenges', 'challenge', challengeInput, [], raiseChallenge)
  post('challenge-answers', 'response', challengeResponseInput, [], respondToChallenge)
  post('agreement', 'agreement', agreementForm, [], agreeReturn)
  post('actions', 'action', section11ActionInput, ['actionDueOn'], addSection11Action)

  // Actions: the owner gives evidence, the business unit closes.
  const renderAction = async (ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) => {
    const action = await getSection11Action(ctx, idParam(req))
    res.status(status).render('partnership/action.njk', {
      action: { ...action, reviewTitle: `Section 11: ${action.cycleName}` },
      title: 'Section 11 action',
      basePath: `${BASE}/actions`,
      values: problem?.values ?? {},
      errors: problem?.errors,
      saved: req.query.saved,
    })
  }
  router.get(`${BASE}/actions/:id`, requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderAction(ctxOf(req, res), req, res)
  })
  router.post(`${BASE}/actions/:id/evidence`, requireSignIn, formHandler(deps, {
    form: 'evidence', schema: actionEvidenceInput, dates: ['completedOn'], rerender: renderAction,
    run: async (ctx, value, req) => (await giveSection11Evidence(ctx, idParam(req), value), `${BASE}/actions/${idParam(req)}?saved=evidence`),
  }))
  router.post(`${BASE}/actions/:id/close`, requireSignIn, formHandler(deps, {
    form: 'close', schema: actionCloseInput, rerender: renderAction,
    run: async (ctx, value, req) => (await closeSection11Action(ctx, idParam(req), value), `${BASE}/actions/${idParam(req)}?saved=closed`),
  }))
  return router
}
