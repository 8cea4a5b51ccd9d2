/**
 * Plan pages: the case's plans with a start form; each plan with its goals, actions, history and
 * clocks; and one page per change (add or change a goal or action, review, end, step up or down).
 * Forms use the API's schemas; edit conflicts show the user's values beside the saved ones.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import type { z } from 'zod'
import {
  endPlanInput,
  planItemInput,
  planItemUpdate,
  reviewPlanInput,
  startPlanInput,
  stepPlanInput,
} from '../../../services/journey/plan-input.ts'
import {
  addPlanItem,
  endPlan,
  getPlan,
  plansOfCase,
  reviewPlan,
  startPlan,
  stepPlan,
  updatePlanItem,
  type CasePlans,
  type PlanDetail,
  type PlanItemView,
} from '../../../services/journey/plans.ts'
import { NotFound, type ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import { conflictRows } from '../assessments/routes.ts'
import { failureOf, parsePosted, splitDates, withDates } from '../assessments/form-helpers.ts'

const START_DATES = ['startedOn', 'nextReviewOn']
const ITEM_DATES = ['dueOn']
const REVIEW_DATES = ['nextReviewOn']
const END_DATES = ['endedOn']
const STEP_DATES = ['steppedOn', 'nextReviewOn']

interface FormState {
  values?: Record<string, unknown>
  errors?: FormErrors
  conflict?: { message: string; rows: ReturnType<typeof conflictRows> }
  status?: number
}

type Field = { name: string; label: string; date?: boolean }

/** A page with one form about a plan: what it shows, checks and does. */
interface PlanFormPage<S extends z.ZodType> {
  /** Path under /cases/:id/plans/:planId, e.g. '/review'. */
  path: string
  view: string
  schema: S
  dates: string[]
  formId: string
  /** The form's values before the user has typed anything. */
  defaults(detail: PlanDetail, req: Request): Record<string, unknown>
  /** Extra things the view needs (the item being changed ...). */
  locals?(detail: PlanDetail, req: Request): Record<string, unknown>
  act(ctx: ServiceContext, caseId: string, planId: string, value: z.infer<S>, req: Request): Promise<unknown>
  conflictFields: Field[]
  /** Where to go afterwards. */
  next(caseId: string, planId: string, result: unknown): string
}

const ITEM_FIELDS: Field[] = [
  { name: 'description', label: 'Description' },
  { name: 'ownerAgencyId', label: 'Owner agency' },
  { name: 'ownerUserId', label: 'Owner' },
  { name: 'dueOn', label: 'Due', date: true },
  { name: 'status', label: 'Status' },
  { name: 'progress', label: 'Progress' },
]

/** The people who may own an action, by agency (agencies in name order): the owner list's groups. */
function ownerGroups(detail: PlanDetail) {
  return detail.options.agencies
    .map((a) => ({ agencyId: a.id, agencyName: a.name, users: detail.options.users.filter((u) => u.agencyId === a.id) }))
    .filter((g) => g.users.length > 0)
}

function itemOf(detail: PlanDetail, itemId: string | null): PlanItemView {
  const items = [...detail.goals, ...detail.goals.flatMap((g) => g.actions), ...detail.otherActions]
  const item = items.find((i) => i.id === itemId)
  if (!item) throw new NotFound('No such goal or action on this plan')
  return item
}

/** Owner ids replaced by names, so the conflict view is readable. */
function withOwnerNames(detail: PlanDetail, values: Record<string, unknown>) {
  const agency = detail.options.agencies.find((a) => a.id === values.ownerAgencyId)
  const user = detail.options.users.find((u) => u.id === values.ownerUserId)
  return { ...values, ownerAgencyId: agency?.name ?? values.ownerAgencyId, ownerUserId: user?.name ?? values.ownerUserId }
}

export function planRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  const renderList = (res: Response, view: CasePlans, state: FormState = {}) => {
    const values = splitDates(
      state.values ?? { kind: '', episodeId: view.openEpisodes.length === 1 ? view.openEpisodes[0]!.id : '', leadUserId: '' },
      START_DATES,
    )
    res.status(state.status ?? 200).render('plans/list.njk', { ...view, section: 'plans', values, errors: state.errors })
  }

  router.get('/cases/:id/plans', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    renderList(res, await plansOfCase(serviceContext(deps, req, res), caseId))
  })

  router.post('/cases/:id/plans', requireSignIn, caseForm(deps, 'plans'), async (req, res, next) => {
    const caseId = idParam(req)
    const ctx = serviceContext(deps, req, res)
    const parsed = parsePosted(startPlanInput, req.body, START_DATES, 'start-plan')
    if (!parsed.ok) return renderList(res, await plansOfCase(ctx, caseId), { values: req.body, errors: parsed.errors, status: 400 })
    try {
      const started = await startPlan(ctx, caseId, parsed.value)
      await discardSentDraft(ctx, req.body)
      res.redirect(`/cases/${caseId}/plans/${started.id}?saved=started`)
    } catch (err) {
      const failure = failureOf(err, START_DATES, 'start-plan')
      if (!failure) throw err
      renderList(res, await plansOfCase(ctx, caseId), { values: req.body, errors: failure.errors, status: failure.status })
    }
  })

  router.get('/cases/:id/plans/:planId', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    const planId = idParam(req, 'planId')
    const detail = await getPlan(serviceContext(deps, req, res), caseId, planId)
    res.render('plans/show.njk', { ...detail, section: 'plans', saved: req.query.saved })
  })

  /** GET shows the form; POST checks it, calls the service and redirects, or shows what went wrong. */
  const formPage = <S extends z.ZodType>(page: PlanFormPage<S>, postPath = page.path) => {
    const render = (res: Response, req: Request, detail: PlanDetail, state: FormState = {}) => {
      const values = splitDates(state.values ?? page.defaults(detail, req), page.dates)
      res.status(state.status ?? 200).render(page.view, {
        ...detail,
        ...(page.locals?.(detail, req) ?? {}),
        section: 'plans',
        values,
        errors: state.errors,
        conflict: state.conflict,
      })
    }

    router.get(`/cases/:id/plans/:planId${page.path}`, requireSignIn, caseForm(deps, 'plans'), async (req, res, next) => {
      const caseId = idParam(req)
      const planId = idParam(req, 'planId')
      render(res, req, await getPlan(serviceContext(deps, req, res), caseId, planId))
    })

    router.post(`/cases/:id/plans/:planId${postPath}`, requireSignIn, caseForm(deps, 'plans'), async (req, res, next) => {
      const caseId = idParam(req)
      const planId = idParam(req, 'planId')
      const ctx = serviceContext(deps, req, res)
      const reshow = async (state: FormState) => render(res, req, await getPlan(ctx, caseId, planId), state)
      const parsed = parsePosted(page.schema, req.body, page.dates, page.formId)
      if (!parsed.ok) return reshow({ values: req.body, errors: parsed.errors, status: 400 })
      let result: unknown
      try {
        result = await page.act(ctx, caseId, planId, parsed.value, req)
      } catch (err) {
        const failure = failureOf(err, page.dates, page.formId)
        if (!failure) throw err
        if (!failure.conflict) return reshow({ values: req.body, errors: failure.errors, status: failure.status })
        const detail = await getPlan(ctx, caseId, planId)
        const current = failure.conflict.current
        const yours = withOwnerNames(detail, withDates(req.body, page.dates))
        return render(res, req, detail, {
          values: { ...req.body, version: current.version },
          errors: failure.errors,
          status: 409,
          conflict: { message: failure.conflict.message, rows: conflictRows(page.conflictFields, yours, withOwnerNames(detail, current)) },
        })
      }
      await discardSentDraft(ctx, req.body)
      res.redirect(page.next(caseId, planId, result))
    })
  }

  const planPage = (caseId: string, planId: string, saved: string) => `/cases/${caseId}/plans/${planId}?saved=${saved}`

  formPage(
    {
      path: '/items/new',
      view: 'plans/item-form.njk',
      schema: planItemInput,
      dates: ITEM_DATES,
      formId: 'item-form',
      defaults: (_detail, req) => ({ kind: req.query.kind === 'goal' ? 'goal' : 'action', goalId: typeof req.query.goalId === 'string' ? req.query.goalId : '', status: 'not-started' }),
      locals: (detail, req) => ({ kind: (req.body?.kind ?? req.query.kind) === 'goal' ? 'goal' : 'action', item: null, ownerGroups: ownerGroups(detail) }),
      act: (ctx, caseId, planId, value) => addPlanItem(ctx, caseId, planId, value),
      conflictFields: ITEM_FIELDS,
      next: (caseId, planId, result) => planPage(caseId, planId, (result as { kind: string }).kind === 'goal' ? 'goal-added' : 'action-added'),
    },
    '/items',
  )

  formPage({
    path: '/items/:itemId',
    view: 'plans/item-form.njk',
    schema: planItemUpdate,
    dates: ITEM_DATES,
    formId: 'item-form',
    defaults: (detail, req) => {
      const item = itemOf(detail, idParam(req, 'itemId'))
      return {
        version: item.version,
        description: item.description,
        goalId: item.goalId ?? '',
        ownerAgencyId: item.ownerAgencyId ?? '',
        ownerUserId: item.ownerUserId ?? '',
        dueOn: item.dueOn,
        status: item.status,
        progress: item.progress,
      }
    },
    locals: (detail, req) => {
      const item = itemOf(detail, idParam(req, 'itemId'))
      return { kind: item.kind, item, ownerGroups: ownerGroups(detail) }
    },
    act: (ctx, caseId, planId, value, req) => updatePlanItem(ctx, caseId, planId, idParam(req, 'itemId'), value),
    conflictFields: ITEM_FIELDS,
    next: (caseId, planId, result) => planPage(caseId, planId, (result as { kind: string }).kind === 'goal' ? 'goal-changed' : 'action-changed'),
  })

  formPage({
    path: '/review',
    view: 'plans/review.njk',
    schema: reviewPlanInput,
    dates: REVIEW_DATES,
    formId: 'review-form',
    defaults: (detail) => ({ version: detail.plan.version, summary: '' }),
    act: (ctx, caseId, planId, value) => reviewPlan(ctx, caseId, planId, value),
    conflictFields: [
      { name: 'summary', label: 'Summary' },
      { name: 'nextReviewOn', label: 'Next review', date: true },
    ],
    next: (caseId, planId) => planPage(caseId, planId, 'reviewed'),
  })

  formPage({
    path: '/end',
    view: 'plans/end.njk',
    schema: endPlanInput,
    dates: END_DATES,
    formId: 'end-form',
    defaults: (detail) => ({ version: detail.plan.version }),
    act: (ctx, caseId, planId, value) => endPlan(ctx, caseId, planId, value),
    conflictFields: [
      { name: 'endedOn', label: 'Ended', date: true },
      { name: 'endReason', label: 'Reason' },
    ],
    next: (caseId, planId) => planPage(caseId, planId, 'ended'),
  })

  formPage({
    path: '/step',
    view: 'plans/step.njk',
    schema: stepPlanInput,
    dates: STEP_DATES,
    formId: 'step-form',
    defaults: (detail) => ({
      version: detail.plan.version,
      to: detail.plan.kind === 'early-help' ? 'child-in-need' : 'early-help',
      leadUserId: detail.plan.leadUserId ?? '',
      episodeId: detail.openEpisodes.at(-1)?.id ?? '',
    }),
    act: (ctx, caseId, planId, value) => stepPlan(ctx, caseId, planId, value),
    conflictFields: [
      { name: 'steppedOn', label: 'Date of the step', date: true },
      { name: 'summary', label: 'Summary of the new plan' },
    ],
    next: (caseId, _planId, result) => planPage(caseId, (result as { started: { id: string } }).started.id, 'stepped'),
  })

  return router
}
