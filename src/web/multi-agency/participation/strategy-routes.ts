/**
 * Strategy discussions as a multi-agency record (issue 17 §5, docs/multi-agency.md):
 * - the invited partner's page (/cases/:id/participation/strategy-discussions/:invitationId): the
 *   discussion they are invited to, once recorded its decision and agreed actions, and their
 *   agency's information (added before or after the discussion, until its record is closed);
 * - the discussion's record for those who read the case (/cases/:id/strategy-discussions/:discussionId):
 *   each agency's information, the agreed actions with their owners and progress, the form adding an
 *   action and the button closing the record.
 * Progress on an agreed action is recorded on the plan action pages (/cases/:id/participation/actions/:itemId).
 */
import type { Request, Response, Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import {
  agreeStrategyAction,
  closeStrategyDiscussion,
  partnerStrategyView,
  saveStrategyInformation,
  strategyRecord,
} from '../../../services/multi-agency/strategy-participation.ts'
import { closeStrategyDiscussionInput, strategyActionInput, strategyInformationInput } from '../../../services/multi-agency/strategy-participation-input.ts'
import type { AppDeps } from '../../deps.ts'
import { dateFromFields } from '../../common/form-dates.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { errorsFor, parseWith, type Body } from '../../journey/child-protection/form-values.ts'
import { page } from '../../journey/child-protection/pages.ts'
import { formFailure, type Form } from './routes.ts'
import { documentsAboutRecord } from '../../../services/records/documents.ts'

const SAVED: Record<string, string> = {
  information: 'Your agency’s information has been saved. The social worker has been told.',
  action: 'The action has been added. Its agency sees it in its actions.',
  closed: 'The discussion’s record is closed. The invited partners’ access through it has ended.',
}

const savedOf = (req: Request) => (typeof req.query.saved === 'string' ? (SAVED[req.query.saved] ?? null) : null)

async function renderPartnerPage(req: Request, res: Response, ctx: ServiceContext, caseId: string, invitationId: string, form: Form = {}) {
  const view = await partnerStrategyView(ctx, caseId, invitationId)
  const values = form.values ?? { body: view.contribution?.body ?? '', version: view.contribution ? String(view.contribution.version) : '' }
  res.status(form.status ?? 200).render('participation/strategy-discussion.njk', { ...view, values, errors: form.errors, saved: savedOf(req) })
}

async function renderRecord(req: Request, res: Response, ctx: ServiceContext, caseId: string, discussionId: string, form: Form = {}) {
  const record = await strategyRecord(ctx, caseId, discussionId)
  const documents = await documentsAboutRecord(ctx, caseId, 'strategy-discussion', discussionId)
  const values = form.values ?? {}
  res.status(form.status ?? 200).render('participation/strategy-record.njk', {
    ...record,
    documents,
    values,
    errors: form.errors,
    saved: savedOf(req),
    agencyItems: [{ value: '', text: 'Choose an agency' }, ...record.agencies.map((a) => ({ value: a.id, text: a.name, selected: values.ownerAgencyId === a.id }))],
    personItems: [
      { value: '', text: 'Anyone in the agency' },
      ...record.partners.map((p) => ({ value: p.id, text: `${p.name}, ${p.agencyName}`, selected: values.ownerUserId === p.id })),
    ],
  })
}

export function strategyParticipationRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const partnerPath = '/cases/:id/participation/strategy-discussions/:invitationId'

  router.get(
    partnerPath,
    requireSignIn,
    page(deps, ['id', 'invitationId'], (req, res, ids, ctx) => renderPartnerPage(req, res, ctx, ids.id!, ids.invitationId!)),
  )

  router.post(
    partnerPath,
    requireSignIn,
    caseForm(deps, 'strategy-discussion', 'case:contribute'),
    page(deps, ['id', 'invitationId'], async (req, res, ids, ctx) => {
      const body = req.body as Body
      const again = (failure: { errors: FormErrors; status: number }) => renderPartnerPage(req, res, ctx, ids.id!, ids.invitationId!, { values: body, ...failure })
      const parsed = parseWith(strategyInformationInput, { body: body.body, version: body.version })
      if (!parsed.ok) return again({ errors: errorsFor(parsed.fields, []), status: 400 })
      try {
        await saveStrategyInformation(ctx, ids.id!, ids.invitationId!, parsed.value)
      } catch (err) {
        const failure = formFailure(err, [], 'body')
        if (!failure) throw err
        return again(failure)
      }
      res.redirect(`/cases/${ids.id}/participation/strategy-discussions/${ids.invitationId}?saved=information`)
    }),
  )

  const recordPath = '/cases/:id/strategy-discussions/:discussionId'

  router.get(
    recordPath,
    requireSignIn,
    page(deps, ['id', 'discussionId'], (req, res, ids, ctx) => renderRecord(req, res, ctx, ids.id!, ids.discussionId!)),
  )

  router.post(
    `${recordPath}/actions`,
    requireSignIn,
    caseForm(deps, 'strategy-discussion'),
    page(deps, ['id', 'discussionId'], async (req, res, ids, ctx) => {
      const body = req.body as Body
      const again = (failure: { errors: FormErrors; status: number }) => renderRecord(req, res, ctx, ids.id!, ids.discussionId!, { values: body, ...failure })
      const input = { description: body.description, ownerAgencyId: body.ownerAgencyId || undefined, ownerUserId: body.ownerUserId, dueOn: dateFromFields(body, 'dueOn') }
      const parsed = parseWith(strategyActionInput, input)
      if (!parsed.ok) return again({ errors: errorsFor(parsed.fields, ['dueOn']), status: 400 })
      try {
        await agreeStrategyAction(ctx, ids.id!, ids.discussionId!, parsed.value)
      } catch (err) {
        const failure = formFailure(err, ['dueOn'], 'description')
        if (!failure) throw err
        return again(failure)
      }
      res.redirect(`/cases/${ids.id}/strategy-discussions/${ids.discussionId}?saved=action#actions`)
    }),
  )

  router.post(
    `${recordPath}/close`,
    requireSignIn,
    caseForm(deps, 'strategy-discussion'),
    page(deps, ['id', 'discussionId'], async (req, res, ids, ctx) => {
      const parsed = parseWith(closeStrategyDiscussionInput, { version: (req.body as Body).version })
      if (!parsed.ok) return renderRecord(req, res, ctx, ids.id!, ids.discussionId!, { errors: errorsFor({ close: Object.values(parsed.fields)[0]! }, []), status: 400 })
      try {
        await closeStrategyDiscussion(ctx, ids.id!, ids.discussionId!, parsed.value.version)
      } catch (err) {
        const failure = formFailure(err, [], 'close')
        if (!failure) throw err
        return renderRecord(req, res, ctx, ids.id!, ids.discussionId!, { errors: errorsFor({ close: Object.values(failure.errors.fields)[0] ?? '' }, []), status: failure.status })
      }
      res.redirect(`/cases/${ids.id}/strategy-discussions/${ids.discussionId}?saved=closed`)
    }),
  )

  return router
}

export function registerStrategyParticipationApi(api: ApiBuilder): void {
  const tag = 'Partner participation'
  api.get(
    '/cases/:caseId/strategy-invitations/:invitationId',
    { summary: 'Your invitation to a strategy discussion: once recorded, its decision and agreed actions; your agency’s information', tag },
    ({ ctx, params }) => partnerStrategyView(ctx, params.caseId!, params.invitationId!).then(({ c, ...view }) => ({ caseId: c.id, ...view })),
  )
  api.put(
    '/cases/:caseId/strategy-invitations/:invitationId/information',
    {
      caseAction: 'case:contribute',
      summary: 'Add or change (name the version you read) your agency’s information for the strategy discussion you are invited to, until its record is closed',
      tag,
      body: strategyInformationInput,
    },
    ({ ctx, params, body }) => saveStrategyInformation(ctx, params.caseId!, params.invitationId!, body),
  )
  api.get(
    '/cases/:caseId/strategy-discussions/:discussionId',
    { summary: 'A strategy discussion’s record: each agency’s information, the agreed actions with their owners and progress', tag },
    async ({ ctx, params }) => {
      const { c, agencies: _a, partners: _p, ...record } = await strategyRecord(ctx, params.caseId!, params.discussionId!)
      return { caseId: c.id, ...record }
    },
  )
  api.post(
    '/cases/:caseId/strategy-discussions/:discussionId/actions',
    { caseAction: 'case:update', summary: 'Add an action agreed at a strategy discussion, owned by an agency (and optionally one of its people)', tag, body: strategyActionInput, status: 201 },
    ({ ctx, params, body }) => agreeStrategyAction(ctx, params.caseId!, params.discussionId!, body),
  )
  api.post(
    '/cases/:caseId/strategy-discussions/:discussionId/close',
    { caseAction: 'case:update', summary: 'Close a strategy discussion’s record (name the version you read): invited partners’ access through it ends', tag, body: closeStrategyDiscussionInput },
    ({ ctx, params, body }) => closeStrategyDiscussion(ctx, params.caseId!, params.discussionId!, body.version),
  )
}
