/**
 * Domestic abuse related death reviews (domestic homicide reviews): the business unit's list, the
 * form for a death notified to the community safety partnership, and a review's page (decision,
 * chair, timeline, report and copies, link to a practice review, publication, members).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import { requireGeneral } from '../../../services/partnership/access.ts'
import {
  darChairInput,
  darDecisionInput,
  darDelayInput,
  darLinkInput,
  darPublicationInput,
  darReportInput,
  darReviewInput,
  darTimelineInput,
} from '../../../services/partnership/dar-review-input.ts'
import {
  addDarMember,
  addDarTimelineEntry,
  appointDarChair,
  explainDarDelay,
  getDarReview,
  linkDarToPracticeReview,
  listDarReviews,
  publishDarReview,
  recordDarDecision,
  recordDarReport,
  recordDarReview,
} from '../../../services/partnership/dar-reviews.ts'
import { memberInput } from '../../../services/partnership/incident-input.ts'
import { partnershipPeople } from '../../../services/partnership/people.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { formHandler, idsOf, recordForms, type Problem } from '../partnership/forms.ts'
import { idParam } from '../../common/router.ts'
import { renderPaged } from '../../common/pagination.ts'

async function renderReview(ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) {
  const view = await getDarReview(ctx, idParam(req))
  res.status(status).render('domestic-abuse-reviews/review.njk', {
    ...view,
    people: view.mayUpdate ? await partnershipPeople(ctx) : [],
    problem,
    errors: problem?.errors,
    saved: req.query.saved,
  })
}

export function domesticAbuseReviewRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get('/partnership/dar-reviews', requireSignIn, async (req, res) => {
    const ctx = ctxOf(req, res)
    await renderPaged(req, res, 'domestic-abuse-reviews/index.njk', (at) => listDarReviews(ctx, at), (listed) => ({ reviews: listed.items, mayStart: ctx.actor.roles.includes('business-unit') }))
  })

  const renderNew = async (ctx: ServiceContext, _req: Request, res: Response, problem?: Problem, status = 200) => {
    requireGeneral(ctx, 'review:start')
    res.status(status).render('domestic-abuse-reviews/new.njk', { values: problem?.values ?? {}, errors: problem?.errors })
  }
  router.get('/partnership/dar-reviews/new', requireSignIn, (req, res) => renderNew(ctxOf(req, res), req, res))
  router.post('/partnership/dar-reviews/new', requireSignIn, formHandler(deps, {
    form: 'dar', schema: darReviewInput, dates: ['deathOn', 'notifiedOn'], rerender: renderNew,
    run: async (ctx, value) => `/partnership/dar-reviews/${(await recordDarReview(ctx, value)).id}?saved=recorded`,
  }))

  router.get('/partnership/dar-reviews/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderReview(ctxOf(req, res), req, res)
  })
  const form = recordForms(router, deps, '/partnership/dar-reviews', renderReview)
  form('decision', { form: 'decision', schema: darDecisionInput, dates: ['decidedOn', 'decisionNotifiedOn'], saved: 'decided', run: recordDarDecision })
  form('chair', { form: 'chair', schema: darChairInput, dates: ['chairAppointedOn'], saved: 'chair', run: appointDarChair })
  form('timeline', { form: 'timeline', schema: darTimelineInput, dates: ['entryOn'], saved: 'timeline', run: addDarTimelineEntry })
  form('report', { form: 'report', schema: darReportInput, dates: ['reportCompletedOn', 'homeOfficeSentOn', 'commissionerCopyOn'], saved: 'report', run: recordDarReport })
  form('late-reason', { form: 'late-reason', schema: darDelayInput, saved: 'late-reason', run: explainDarDelay })
  form('link', { form: 'link', schema: darLinkInput, saved: 'linked', run: linkDarToPracticeReview })
  form('publication', { form: 'publication', schema: darPublicationInput, dates: ['publishedOn'], saved: 'published', run: publishDarReview })
  form('members', { form: 'member', schema: memberInput, saved: 'member', run: (ctx, id, value) => addDarMember(ctx, id, value.userId) })
  return router
}
