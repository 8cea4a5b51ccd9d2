/** Recording a strategy discussion: /cases/:id/strategy-discussions/new. */
import { Router, type Request, type Response } from 'express'
import { agencyOptions, type ChildProtectionView } from '../../../services/child-protection.ts'
import { strategyDiscussionInput } from '../../../services/child-protection-input.ts'
import type { ServiceContext } from '../../../services/context.ts'
import { recordStrategyDiscussion } from '../../../services/strategy-discussions.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../forms.ts'
import { requireSignIn } from '../../middleware/auth.ts'
import { compactRows, dateFrom, errorsFor, given, parseWith, rowCount, type Body } from './form-values.ts'
import { childProtectionOf, failureOf, page } from './pages.ts'

const ATTENDEES = { name: 'attendees', fields: ['name', 'agencyId', 'role'] } as const
const ATTENDEE_ROWS = 6
const DATES = ['heldOn', 'section47StartedOn']

/** The form's fields as the service's input (the schema checks them). */
function inputFrom(body: Body, attendees: Record<string, string | undefined>[]) {
  return {
    heldOn: dateFrom(body, 'heldOn'),
    heldAtTime: typeof body.heldAtTime === 'string' ? body.heldAtTime : '',
    attendees,
    requiredAgencyAbsenceReason: body.requiredAgencyAbsenceReason,
    informationShared: body.informationShared ?? '',
    decision: given(body.decision),
    decisionDetail: body.decisionDetail,
    immediateSafetyActions: body.immediateSafetyActions,
    section47StartedOn: dateFrom(body, 'section47StartedOn'),
    delayReason: body.delayReason,
  }
}

/** When the open episode's strategy discussion clock is due, for the delay hint. */
function strategyDueOf(view: ChildProtectionView): string | null {
  const episodeId = view.openEpisode?.id
  return view.clocks.find((k) => k.rule === 'strategy-discussion' && k.subjectId === episodeId && k.completedOn === null)?.dueOn ?? null
}

async function renderForm(
  req: Request,
  res: Response,
  ctx: ServiceContext,
  caseId: string,
  form: { values: Body; errors?: FormErrors; rows: number; focusRow?: number; status?: number },
) {
  const view = await childProtectionOf(ctx, caseId)
  res.status(form.status ?? 200).render('child-protection/strategy-discussion-form.njk', {
    c: view.c,
    episode: view.openEpisode,
    agencies: await agencyOptions(ctx.db, ctx.actor.partnershipId),
    strategyDue: strategyDueOf(view),
    values: form.values,
    errors: form.errors,
    attendeeRows: form.rows,
    focusRow: form.focusRow ?? -1,
  })
}

export function strategyDiscussionRoutes(deps: AppDeps): Router {
  const router = Router()
  const path = '/cases/:id/strategy-discussions/new'

  router.get(
    path,
    requireSignIn,
    page(deps, ['id'], (req, res, ids, ctx) => renderForm(req, res, ctx, ids.id!, { values: {}, rows: ATTENDEE_ROWS })),
  )

  router.post(
    path,
    requireSignIn,
    page(deps, ['id'], async (req, res, ids, ctx) => {
      const { body, rows: attendees } = compactRows(req.body as Body, ATTENDEES)
      const rows = rowCount(req.body as Body, 'attendees', attendees.length, ATTENDEE_ROWS)
      if (body.addRow === 'attendees') {
        return renderForm(req, res, ctx, ids.id!, { values: body, rows, focusRow: rows - 1 })
      }
      const parsed = parseWith(strategyDiscussionInput, inputFrom(body, attendees))
      if (!parsed.ok) {
        return renderForm(req, res, ctx, ids.id!, { values: body, rows, errors: errorsFor(parsed.fields, DATES), status: 400 })
      }
      try {
        const recorded = await recordStrategyDiscussion(ctx, ids.id!, parsed.value)
        res.redirect(`/cases/${ids.id}/child-protection?saved=${recorded.section47 ? 'strategy-discussion-s47' : 'strategy-discussion'}`)
      } catch (err) {
        const failure = failureOf(err, DATES)
        if (!failure) throw err
        await renderForm(req, res, ctx, ids.id!, { values: body, rows, errors: failure.errors, status: failure.status })
      }
    }),
  )

  return router
}
