/**
 * Partner participation pages (docs/multi-agency.md "Partner participation"):
 * /cases/:id/participation (the partner's scoped view), its agency report form
 * (/cases/:id/participation/conferences/:conferenceId/report) and plan action progress form
 * (/cases/:id/participation/actions/:itemId), "My agency's actions" (/my-agency-actions), and the
 * social worker's invitation and withdrawal of partners (/cases/:id/conferences/:conferenceId/invitations,
 * and the strategy discussion invitations page /cases/:id/strategy-discussions/invitations).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { ACTION_STATUS } from '../../../domain/journey/codes.ts'
import { EditConflict, ValidationFailed, type ServiceContext } from '../../../services/common/context.ts'
import {
  actionProgressInput,
  conferenceInvitationInput,
  conferenceReportInput,
  strategyInvitationInput,
  withdrawInvitationInput,
} from '../../../services/multi-agency/participation-input.ts'
import {
  agencyAction,
  agencyReportPage,
  inviteToConference,
  inviteToStrategyDiscussion,
  myAgencyActions,
  participationOf,
  strategyInvitations,
  submitConferenceReport,
  updateActionProgress,
  withdrawInvitation,
} from '../../../services/multi-agency/participation.ts'
import type { AppDeps } from '../../deps.ts'
import { dateFieldValues, dateFromFields } from '../../common/form-dates.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { INVITE_ERRORS } from '../../journey/child-protection/conference-routes.ts'
import { errorsFor, parseWith, type Body } from '../../journey/child-protection/form-values.ts'
import { page } from '../../journey/child-protection/pages.ts'
import { londonDate } from '../../../domain/timescales/calendar/london-time.ts'
import { renderPaged } from '../../common/pagination.ts'
import { pageQuery } from '../../../services/common/paging.ts'

export interface Form {
  values?: Body
  errors?: FormErrors
  status?: number
}

/** A service refusal the form shows (400 for bad input, 409 for a conflict), or null for the error handler. */
export function formFailure(err: unknown, dates: readonly string[], conflictField: string): { errors: FormErrors; status: number } | null {
  if (err instanceof ValidationFailed) return { errors: errorsFor(err.fieldErrors, dates), status: 400 }
  if (err instanceof EditConflict) return { errors: errorsFor({ [conflictField]: err.message }, dates), status: 409 }
  return null
}

async function renderReport(res: Response, ctx: ServiceContext, caseId: string, conferenceId: string, form: Form = {}) {
  const { c, conference } = await agencyReportPage(ctx, caseId, conferenceId)
  const values = form.values ?? { body: conference.report?.body ?? '', version: conference.report ? String(conference.report.version) : '' }
  res.status(form.status ?? 200).render('participation/report.njk', { c, k: conference, values, errors: form.errors })
}

async function renderAction(res: Response, ctx: ServiceContext, caseId: string, itemId: string, today: string, form: Form = {}) {
  const { participation, action } = await agencyAction(ctx, caseId, itemId)
  const values = form.values ?? { version: String(action.version), status: action.status, note: '', ...dateFieldValues('progressOn', today) }
  res.status(form.status ?? 200).render('participation/action.njk', {
    c: participation,
    action,
    statusItems: ACTION_STATUS.map((s) => ({ value: s.code, text: s.label, checked: values.status === s.code })),
    values,
    errors: form.errors,
  })
}

/** The strategy discussion invitations page: who is invited, and the form to invite a partner. */
async function renderStrategyInvitations(req: Request, res: Response, ctx: ServiceContext, caseId: string, form: Form = {}) {
  const view = await strategyInvitations(ctx, caseId)
  const values = form.values ?? {}
  res.status(form.status ?? 200).render('child-protection/strategy-invitations.njk', {
    ...view,
    values,
    errors: form.errors,
    done: req.query.invited === '1' ? 'The partner has been invited and told.' : req.query.withdrawn === '1' ? 'The invitation has been withdrawn.' : null,
    partnerItems: [
      { value: '', text: 'Choose a person' },
      ...view.partners.map((p) => ({ value: p.id, text: `${p.name}, ${p.agencyName}`, selected: values.userId === p.id })),
    ],
  })
}

/** A "Withdraw" button's handler: withdraws the invitation (at the version shown) and goes back to the page it was on. */
function withdrawThenBack(deps: AppDeps, names: readonly string[], back: (ids: Record<string, string>) => string) {
  return page(deps, names, async (req, res, ids, ctx) => {
    const parsed = parseWith(withdrawInvitationInput, { version: (req.body as Body).version })
    if (parsed.ok) {
      try {
        await withdrawInvitation(ctx, ids.id!, ids.invitationId!, parsed.value.version)
      } catch (err) {
        if (!(err instanceof ValidationFailed || err instanceof EditConflict)) throw err
      }
    }
    res.redirect(`${back(ids)}?withdrawn=1#invitations`)
  })
}

const todayIn = (ctx: ServiceContext) => londonDate(ctx.now())

export function participationRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get(
    '/cases/:id/participation',
    requireSignIn,
    page(deps, ['id'], async (req, res, ids, ctx) => {
      const view = await participationOf(ctx, ids.id!)
      res.render('participation/show.njk', { ...view, saved: typeof req.query.saved === 'string' ? req.query.saved : null })
    }),
  )

  router.get(
    '/cases/:id/participation/conferences/:conferenceId/report',
    requireSignIn,
    caseForm(deps, 'participation', 'case:contribute'),
    page(deps, ['id', 'conferenceId'], (_req, res, ids, ctx) => renderReport(res, ctx, ids.id!, ids.conferenceId!)),
  )

  router.post(
    '/cases/:id/participation/conferences/:conferenceId/report',
    requireSignIn,
    caseForm(deps, 'participation', 'case:contribute'),
    page(deps, ['id', 'conferenceId'], async (req, res, ids, ctx) => {
      const body = req.body as Body
      const parsed = parseWith(conferenceReportInput, { body: body.body, version: body.version })
      if (!parsed.ok) return renderReport(res, ctx, ids.id!, ids.conferenceId!, { values: body, errors: errorsFor(parsed.fields, []), status: 400 })
      try {
        await submitConferenceReport(ctx, ids.id!, ids.conferenceId!, parsed.value)
      } catch (err) {
        const failure = formFailure(err, [], 'body')
        if (!failure) throw err
        return renderReport(res, ctx, ids.id!, ids.conferenceId!, { values: body, ...failure })
      }
      await discardSentDraft(ctx, req.body)
      res.redirect(`/cases/${ids.id}/participation?saved=report`)
    }),
  )

  router.get(
    '/cases/:id/participation/actions/:itemId',
    requireSignIn,
    caseForm(deps, 'participation', 'case:contribute'),
    page(deps, ['id', 'itemId'], (_req, res, ids, ctx) => renderAction(res, ctx, ids.id!, ids.itemId!, todayIn(ctx))),
  )

  router.post(
    '/cases/:id/participation/actions/:itemId',
    requireSignIn,
    caseForm(deps, 'participation', 'case:contribute'),
    page(deps, ['id', 'itemId'], async (req, res, ids, ctx) => {
      const body = req.body as Body
      const input = { version: body.version, status: body.status, note: body.note, progressOn: dateFromFields(body, 'progressOn') }
      const parsed = parseWith(actionProgressInput, input)
      const again = (failure: { errors: FormErrors; status: number }) =>
        renderAction(res, ctx, ids.id!, ids.itemId!, todayIn(ctx), { values: body, ...failure })
      if (!parsed.ok) return again({ errors: errorsFor(parsed.fields, ['progressOn']), status: 400 })
      try {
        await updateActionProgress(ctx, ids.id!, ids.itemId!, parsed.value)
      } catch (err) {
        const failure = formFailure(err, ['progressOn'], 'note')
        if (!failure) throw err
        return again(failure)
      }
      res.redirect(`/cases/${ids.id}/participation?saved=action`)
    }),
  )

  router.get('/my-agency-actions', requireSignIn, async (req: Request, res: Response) => {
    await renderPaged(req, res, 'participation/my-actions.njk', (at) => myAgencyActions(serviceContext(deps, req, res), at), (listed) => ({ actions: listed.items }))
  })

  // ---- Inviting partners (the conference page's form) and withdrawing an invitation

  router.post(
    '/cases/:id/conferences/:conferenceId/invitations',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id', 'conferenceId'], async (req, res, ids, ctx) => {
      const parsed = parseWith(conferenceInvitationInput, { userId: (req.body as Body).userId || undefined })
      const fail = (fields: Record<string, string>) => {
        const message = Object.values(fields)[0] ?? ''
        const code = Object.keys(INVITE_ERRORS).find((key) => INVITE_ERRORS[key] === message) ?? 'select'
        res.redirect(`/cases/${ids.id}/conferences/${ids.conferenceId}?inviteError=${code}#userId`)
      }
      if (!parsed.ok) return fail(parsed.fields)
      try {
        await inviteToConference(ctx, ids.id!, ids.conferenceId!, parsed.value.userId)
      } catch (err) {
        if (err instanceof ValidationFailed) return fail(err.fieldErrors)
        throw err
      }
      res.redirect(`/cases/${ids.id}/conferences/${ids.conferenceId}?invited=1#invitations`)
    }),
  )

  router.post(
    '/cases/:id/conferences/:conferenceId/invitations/:invitationId/withdraw',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    withdrawThenBack(deps, ['id', 'conferenceId', 'invitationId'], (ids) => `/cases/${ids.id}/conferences/${ids.conferenceId}`),
  )

  const strategyPath = '/cases/:id/strategy-discussions/invitations'

  router.get(
    strategyPath,
    requireSignIn,
    page(deps, ['id'], (req, res, ids, ctx) => renderStrategyInvitations(req, res, ctx, ids.id!)),
  )

  router.post(
    strategyPath,
    requireSignIn,
    caseForm(deps, 'strategy-invitations'),
    page(deps, ['id'], async (req, res, ids, ctx) => {
      const body = req.body as Body
      const input = { userId: body.userId || undefined, meetingOn: dateFromFields(body, 'meetingOn') || undefined, meetingTime: body.meetingTime || undefined, purpose: body.purpose }
      const parsed = parseWith(strategyInvitationInput, input)
      const again = (failure: { errors: FormErrors; status: number }) => renderStrategyInvitations(req, res, ctx, ids.id!, { values: body, ...failure })
      if (!parsed.ok) return again({ errors: errorsFor(parsed.fields, ['meetingOn']), status: 400 })
      try {
        await inviteToStrategyDiscussion(ctx, ids.id!, parsed.value)
      } catch (err) {
        const failure = formFailure(err, ['meetingOn'], 'userId')
        if (!failure) throw err
        return again(failure)
      }
      res.redirect(`/cases/${ids.id}/strategy-discussions/invitations?invited=1#invitations`)
    }),
  )

  router.post(
    `${strategyPath}/:invitationId/withdraw`,
    requireSignIn,
    caseForm(deps, 'strategy-invitations'),
    withdrawThenBack(deps, ['id', 'invitationId'], (ids) => `/cases/${ids.id}/strategy-discussions/invitations`),
  )

  return router
}

export function registerParticipationApi(api: ApiBuilder): void {
  const tag = 'Partner participation'
  api.get('/cases/:caseId/participation', { summary: 'A partner’s participation view of a case: the child, their meetings, their agency’s reports and actions', tag }, ({ ctx, params }) =>
    participationOf(ctx, params.caseId!),
  )
  api.put(
    '/cases/:caseId/conferences/:conferenceId/report',
    { caseAction: 'case:contribute', summary: 'Send or amend (name the version you read) your agency’s report to a conference before it is held', tag, body: conferenceReportInput },
    ({ ctx, params, body }) => submitConferenceReport(ctx, params.caseId!, params.conferenceId!, body),
  )
  api.post(
    '/cases/:caseId/plan-actions/:itemId/progress',
    { caseAction: 'case:contribute', summary: 'Record progress on a plan action your agency owns: status, note and date (name the version you read)', tag, body: actionProgressInput },
    ({ ctx, params, body }) => updateActionProgress(ctx, params.caseId!, params.itemId!, body),
  )
  api.get(
    '/my-agency-actions',
    { summary: 'The actions of open plans your agency owns, soonest due first: a page of them (offset, limit) with how many there are', tag, query: pageQuery },
    ({ ctx, query }) => myAgencyActions(ctx, query),
  )
  api.post(
    '/cases/:caseId/conferences/:conferenceId/invitations',
    { caseAction: 'case:update', summary: 'Invite a partner practitioner to a conference not yet held (gives them the participation view)', tag, body: conferenceInvitationInput, status: 201 },
    ({ ctx, params, body }) => inviteToConference(ctx, params.caseId!, params.conferenceId!, body.userId),
  )
  api.post(
    '/cases/:caseId/strategy-invitations',
    { caseAction: 'case:update', summary: 'Invite a partner practitioner to a strategy discussion to be held (ends when it is recorded)', tag, body: strategyInvitationInput, status: 201 },
    ({ ctx, params, body }) => inviteToStrategyDiscussion(ctx, params.caseId!, body),
  )
  api.post(
    '/cases/:caseId/invitations/:invitationId/withdraw',
    { caseAction: 'case:update', summary: 'Withdraw an invitation: the partner’s access through it ends at once', tag, body: withdrawInvitationInput },
    ({ ctx, params, body }) => withdrawInvitation(ctx, params.caseId!, params.invitationId!, body.version),
  )
}
