/**
 * Information request pages: a case's requests and the form to send one; the requests addressed
 * to a partner's agency and the answer form; the response times dashboard.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { informationAnswerInput, informationRequestInput } from '../../../services/multi-agency/information-requests-input.ts'
import {
  answerRequest,
  incomingRequests,
  requestsOfCase,
  responseDashboard,
  sendInformationRequest,
  viewRequest,
} from '../../../services/multi-agency/information-requests.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { renderPaged } from '../../common/pagination.ts'
import { pageQuery } from '../../../services/common/paging.ts'

export function informationRequestRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  const renderCase = async (req: Request, res: Response, caseId: string, extra: { errors?: FormErrors; values?: Record<string, unknown> } = {}, status = 200) => {
    const page = await requestsOfCase(serviceContext(deps, req, res), caseId)
    res.status(status).render('information-requests/case.njk', { ...page, section: 'information-requests', values: {}, sent: req.query.sent === '1', ...extra })
  }

  router.get('/cases/:id/information-requests', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    await renderCase(req, res, caseId)
  })

  router.post('/cases/:id/information-requests', requireSignIn, caseForm(deps, 'information-requests'), async (req, res, next) => {
    const caseId = idParam(req)
    const parsed = parseForm(informationRequestInput, req.body)
    if (!parsed.ok) return renderCase(req, res, caseId, { errors: parsed.errors, values: req.body }, 400)
    try {
      await sendInformationRequest(serviceContext(deps, req, res), caseId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderCase(req, res, caseId, { errors: formErrors(err.fieldErrors), values: req.body }, 400)
      throw err
    }
    res.redirect(`/cases/${caseId}/information-requests?sent=1`)
  })

  router.get('/information-requests', requireSignIn, async (req, res) => {
    await renderPaged(req, res, 'information-requests/incoming.njk', (page) => incomingRequests(serviceContext(deps, req, res), page), (page) => ({ requests: page.items }))
  })

  router.get('/information-requests/dashboard', requireSignIn, async (req, res) => {
    res.render('information-requests/dashboard.njk', { agencies: await responseDashboard(serviceContext(deps, req, res)) })
  })

  const renderRequest = async (req: Request, res: Response, id: string, extra: { errors?: FormErrors; values?: Record<string, unknown> } = {}, status = 200) => {
    const request = await viewRequest(serviceContext(deps, req, res), id)
    res.status(status).render('information-requests/show.njk', { request, values: {}, answered: req.query.answered === '1', ...extra })
  }

  router.get('/information-requests/:id', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    await renderRequest(req, res, id)
  })

  router.post('/information-requests/:id/answer', requireSignIn, async (req, res, next) => {
    const id = idParam(req)
    const parsed = parseForm(informationAnswerInput, req.body)
    if (!parsed.ok) return renderRequest(req, res, id, { errors: parsed.errors, values: req.body }, 400)
    try {
      await answerRequest(serviceContext(deps, req, res), id, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return renderRequest(req, res, id, { errors: formErrors(err.fieldErrors), values: req.body }, 400)
      if (err instanceof EditConflict) return renderRequest(req, res, id, { errors: formErrors({ held: err.message }), values: req.body }, 409)
      throw err
    }
    res.redirect(`/information-requests/${id}?answered=1`)
  })

  return router
}

export function registerInformationRequestApi(api: ApiBuilder): void {
  api.get('/cases/:caseId/information-requests', { summary: 'The information requests of a case', tag: 'Information requests' }, async ({ ctx, params }) =>
    (await requestsOfCase(ctx, params.caseId!)).requests,
  )
  api.post(
    '/cases/:caseId/information-requests',
    { caseAction: 'case:update', summary: 'Ask an agency of the partnership for what it holds about named people (deadline by RAG urgency)', tag: 'Information requests', body: informationRequestInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      const row = await sendInformationRequest(ctx, params.caseId!, body)
      res.location(`/api/v1/information-requests/${row.id}`)
      return viewRequest(ctx, row.id)
    },
  )
  api.get(
    '/information-requests',
    { summary: 'The requests addressed to your agency, open ones first by deadline: a page of them (offset, limit) with how many there are', tag: 'Information requests', query: pageQuery },
    ({ ctx, query }) => incomingRequests(ctx, query),
  )
  api.get('/information-requests/dashboard', { summary: 'Response times by agency', tag: 'Information requests' }, ({ ctx }) => responseDashboard(ctx))
  api.get('/information-requests/:id', { summary: 'One information request', tag: 'Information requests' }, ({ ctx, params }) => viewRequest(ctx, params.id!))
  api.post(
    '/information-requests/:id/answer',
    { summary: 'Answer a request to your agency: held or not held, and the information', tag: 'Information requests', body: informationAnswerInput },
    async ({ ctx, params, body }) => {
      await answerRequest(ctx, params.id!, body)
      return viewRequest(ctx, params.id!)
    },
  )
}
