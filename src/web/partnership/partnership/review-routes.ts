/** Practice reviews (LCSPRs and SCRs) and their actions: pages for the review's members and the actions' owners. */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import { contributionRequestInput } from '../../../services/partnership/incident-input.ts'
import { partnershipPeople } from '../../../services/partnership/people.ts'
import {
  addAction,
  addDraft,
  addRecommendation,
  closeAction,
  explainReviewDelay,
  getAction,
  getReview,
  giveActionEvidence,
  listReviews,
  publishReview,
  recordAdvanceNotice,
  requestReviewContribution,
  startReview,
  updateReviewDetails,
} from '../../../services/partnership/practice-reviews.ts'
import {
  actionCloseInput,
  actionEvidenceInput,
  actionInput,
  advanceNoticeInput,
  publicationInput,
  recommendationInput,
  reviewDelayInput,
  reviewDetailsInput,
  reviewDraftInput,
  reviewStartInput,
} from '../../../services/partnership/review-input.ts'
import { getIncident } from '../../../services/partnership/incidents.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { uuidOf } from '../../common/form-helpers.ts'
import { formHandler, idsOf, type Problem } from './forms.ts'
import { idParam } from '../../common/router.ts'
import { documentSummariesOfOwner } from '../../../services/partnership/documents.ts'
import { renderPaged } from '../../common/pagination.ts'

async function renderReview(ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) {
  const review = await getReview(ctx, idParam(req))
  const { owner: documentsOwner, documents } = await documentSummariesOfOwner(ctx, { kind: 'practice-review', id: idParam(req) })
  res.status(status).render('partnership/review.njk', {
    ...review,
    documents,
    documentsOwner,
    people: await partnershipPeople(ctx),
    problem,
    errors: problem?.errors,
    saved: req.query.saved,
  })
}

async function renderAction(ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) {
  const action = await getAction(ctx, idParam(req))
  res.status(status).render('partnership/action.njk', { action, values: problem?.values ?? {}, errors: problem?.errors, saved: req.query.saved })
}

export function reviewRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get('/partnership/reviews', requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'partnership/reviews.njk', (at) => listReviews(ctxOf(req, res), at), (listed) => ({ reviews: listed.items }))
  })

  const renderNew = async (ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) => {
    const incidentId = uuidOf(problem?.values.incidentId ?? req.query.incident)
    if (!incidentId) return void res.redirect('/partnership/incidents')
    const view = await getIncident(ctx, incidentId)
    res.status(status).render('partnership/review-new.njk', { ...view, values: problem?.values ?? { title: view.child ? `Review: ${view.child.givenName} ${view.child.familyName}` : '' }, errors: problem?.errors })
  }
  router.get('/partnership/reviews/new', requireSignIn, (req, res) => renderNew(ctxOf(req, res), req, res))
  router.post('/partnership/reviews/new', requireSignIn, formHandler(deps, {
    form: 'review', schema: reviewStartInput, dates: ['decidedOn', 'notifiedOn'], rerender: renderNew,
    run: async (ctx, value) => `/partnership/reviews/${(await startReview(ctx, value)).id}?saved=started`,
  }))

  router.get('/partnership/reviews/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderReview(ctxOf(req, res), req, res)
  })
  const back = (req: Request, saved: string) => `/partnership/reviews/${idParam(req)}?saved=${saved}`
  const post = <S extends Parameters<typeof formHandler>[1]['schema']>(path: string, form: string, schema: S, dates: string[], run: (ctx: ServiceContext, id: string, value: never) => Promise<unknown>) =>
    router.post(`/partnership/reviews/:id/${path}`, requireSignIn, formHandler(deps, {
      form, schema, dates, rerender: renderReview,
      run: async (ctx, value, req) => (await run(ctx, idParam(req), value as never), back(req, form)),
    }))
  post('details', 'details', reviewDetailsInput, [], updateReviewDetails)
  post('contributions', 'contribution', contributionRequestInput, ['dueOn'], requestReviewContribution)
  post('drafts', 'draft', reviewDraftInput, ['receivedOn'], addDraft)
  post('advance-notice', 'notice', advanceNoticeInput, ['advanceNoticeOn'], recordAdvanceNotice)
  post('publication', 'publication', publicationInput, ['publishedOn'], publishReview)
  post('late-reason', 'late-reason', reviewDelayInput, [], explainReviewDelay)
  post('recommendations', 'recommendation', recommendationInput, [], addRecommendation)
  post('actions', 'action', actionInput, ['actionDueOn'], addAction)

  router.get('/partnership/actions/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderAction(ctxOf(req, res), req, res)
  })
  router.post('/partnership/actions/:id/evidence', requireSignIn, formHandler(deps, {
    form: 'evidence', schema: actionEvidenceInput, dates: ['completedOn'], rerender: renderAction,
    run: async (ctx, value, req) => (await giveActionEvidence(ctx, idParam(req), value), `/partnership/actions/${idParam(req)}?saved=evidence`),
  }))
  router.post('/partnership/actions/:id/close', requireSignIn, formHandler(deps, {
    form: 'close', schema: actionCloseInput, rerender: renderAction,
    run: async (ctx, value, req) => (await closeAction(ctx, idParam(req), value), `/partnership/actions/${idParam(req)}?saved=closed`),
  }))
  return router
}
