/**
 * Serious incidents and rapid reviews: the business unit records the incident, the notification,
 * who works on the review, the agencies' contributions, the decision and the submission to the
 * Panel; the merged chronology is a page of its own (printable).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import {
  contributionRequestInput,
  incidentDelayInput,
  incidentInput,
  memberInput,
  notificationInput,
  panelSubmissionInput,
  rapidReviewDecisionInput,
} from '../../../services/partnership/incident-input.ts'
import {
  addIncidentMember,
  explainIncidentDelay,
  getIncident,
  listIncidents,
  rapidReviewChronology,
  recordIncident,
  recordNotification,
  recordRapidReviewDecision,
  requestIncidentContribution,
  submitToPanel,
} from '../../../services/partnership/incidents.ts'
import { partnershipPeople } from '../../../services/partnership/people.ts'
import { requireGeneral } from '../../../services/partnership/access.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { formHandler, idsOf, type Problem } from './forms.ts'
import { idParam } from '../../common/router.ts'
import { renderPaged } from '../../common/pagination.ts'

async function renderIncident(ctx: ServiceContext, req: Request, res: Response, problem?: Problem, status = 200) {
  const view = await getIncident(ctx, idParam(req))
  res.status(status).render('partnership/incident.njk', {
    ...view,
    people: await partnershipPeople(ctx),
    problem,
    errors: problem?.errors,
    saved: req.query.saved,
  })
}

export function incidentRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const ctxOf = (req: Request, res: Response) => serviceContext(deps, req, res)

  router.get('/partnership/incidents', requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'partnership/incidents.njk', (at) => listIncidents(ctxOf(req, res), at), (listed) => ({ incidents: listed.items }))
  })

  const renderNew = async (ctx: ServiceContext, _req: Request, res: Response, problem?: Problem, status = 200) => {
    requireGeneral(ctx, 'review:start')
    res.status(status).render('partnership/incident-new.njk', { values: problem?.values ?? {}, errors: problem?.errors })
  }
  router.get('/partnership/incidents/new', requireSignIn, (req, res) => renderNew(ctxOf(req, res), req, res))
  router.post(
    '/partnership/incidents/new',
    requireSignIn,
    formHandler(deps, {
      form: 'incident',
      schema: incidentInput,
      dates: ['incidentOn', 'awareOn'],
      run: async (ctx, value) => `/partnership/incidents/${(await recordIncident(ctx, value)).id}?saved=recorded`,
      rerender: renderNew,
    }),
  )

  router.get('/partnership/incidents/:id', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    await renderIncident(ctxOf(req, res), req, res)
  })

  const back = (req: Request, saved: string) => `/partnership/incidents/${idParam(req)}?saved=${saved}`
  router.post('/partnership/incidents/:id/notification', requireSignIn, formHandler(deps, {
    form: 'notification', schema: notificationInput, dates: ['notifiedOn'], rerender: renderIncident,
    run: async (ctx, value, req) => (await recordNotification(ctx, idParam(req), value), back(req, 'notified')),
  }))
  router.post('/partnership/incidents/:id/late-reason', requireSignIn, formHandler(deps, {
    form: 'late-reason', schema: incidentDelayInput, rerender: renderIncident,
    run: async (ctx, value, req) => (await explainIncidentDelay(ctx, idParam(req), value), back(req, 'late-reason')),
  }))
  router.post('/partnership/incidents/:id/members', requireSignIn, formHandler(deps, {
    form: 'member', schema: memberInput, rerender: renderIncident,
    run: async (ctx, value, req) => (await addIncidentMember(ctx, idParam(req), value.userId), back(req, 'member')),
  }))
  router.post('/partnership/incidents/:id/contributions', requireSignIn, formHandler(deps, {
    form: 'contribution', schema: contributionRequestInput, dates: ['dueOn'], rerender: renderIncident,
    run: async (ctx, value, req) => (await requestIncidentContribution(ctx, idParam(req), value), back(req, 'requested')),
  }))
  router.post('/partnership/incidents/:id/decision', requireSignIn, formHandler(deps, {
    form: 'decision', schema: rapidReviewDecisionInput, dates: ['decidedOn'], rerender: renderIncident,
    run: async (ctx, value, req) => (await recordRapidReviewDecision(ctx, idParam(req), value), back(req, 'decided')),
  }))
  router.post('/partnership/incidents/:id/submission', requireSignIn, formHandler(deps, {
    form: 'submission', schema: panelSubmissionInput, dates: ['submittedOn'], rerender: renderIncident,
    run: async (ctx, value, req) => (await submitToPanel(ctx, idParam(req), value), back(req, 'submitted')),
  }))

  router.get('/partnership/incidents/:id/chronology', requireSignIn, async (req, res, next) => {
    if (!idsOf(req)) return next()
    res.render('partnership/incident-chronology.njk', await rapidReviewChronology(ctxOf(req, res), idParam(req)))
  })
  return router
}
