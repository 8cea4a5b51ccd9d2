/**
 * Recording a strategy discussion (/cases/:id/strategy-discussions/new) and correcting one
 * (/cases/:id/strategy-discussions/:discussionId/edit).
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { londonWallClock } from '../../../domain/journey/child-protection-rules.ts'
import { formatDate } from '../../common/nunjucks.ts'
import { NotFound, type ServiceContext } from '../../../services/common/context.ts'
import { agencyOptions, type ChildProtectionView, type StrategyDiscussionView } from '../../../services/journey/child-protection.ts'
import { strategyDiscussionCorrection, strategyDiscussionInput } from '../../../services/journey/child-protection-input.ts'
import { correctStrategyDiscussion, recordStrategyDiscussion } from '../../../services/journey/strategy-discussions.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { compactRows, dateFields, dateFrom, errorsFor, given, parseWith, rowCount, rowValues, type Body } from './form-values.ts'
import { childProtectionOf, failureOf, page, valuesAfter, type Conflict } from './pages.ts'

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
    delayReasonCode: body.delayReasonCode,
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
  form: {
    values: Body
    errors?: FormErrors
    rows: number
    focusRow?: number
    status?: number
    /** The discussion being corrected; absent when recording a new one. */
    discussionId?: string
    conflict?: Conflict
  },
) {
  const view = await childProtectionOf(ctx, caseId)
  const discussion = form.discussionId ? discussionOf(view, form.discussionId) : null
  res.status(form.status ?? 200).render('child-protection/strategy-discussion-form.njk', {
    c: view.c,
    episode: discussion ? view.episodes.find((e) => e.id === discussion.episodeId) : view.openEpisode,
    discussion,
    conflict: form.conflict,
    agencies: await agencyOptions(ctx.db, ctx.actor.partnershipId),
    strategyDue: discussion ? null : strategyDueOf(view),
    values: form.values,
    errors: form.errors,
    attendeeRows: form.rows,
    focusRow: form.focusRow ?? -1,
  })
}

export function strategyDiscussionRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const path = '/cases/:id/strategy-discussions/new'

  router.get(
    path,
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id'], (req, res, ids, ctx) => renderForm(req, res, ctx, ids.id!, { values: {}, rows: ATTENDEE_ROWS })),
  )

  router.post(
    path,
    requireSignIn,
    caseForm(deps, 'child-protection'),
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
        await discardSentDraft(ctx, req.body)
        res.redirect(`/cases/${ids.id}/child-protection?saved=${recorded.section47 ? 'strategy-discussion-s47' : 'strategy-discussion'}`)
      } catch (err) {
        const failure = failureOf(err, DATES)
        if (!failure) throw err
        await renderForm(req, res, ctx, ids.id!, { values: body, rows, errors: failure.errors, status: failure.status })
      }
    }),
  )

  const editPath = '/cases/:id/strategy-discussions/:discussionId/edit'

  router.get(
    editPath,
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id', 'discussionId'], async (_req, res, ids, ctx) => {
      const d = discussionOf(await childProtectionOf(ctx, ids.id!), ids.discussionId!)
      await renderForm(_req, res, ctx, ids.id!, {
        values: storedValues(d),
        rows: Math.max(ATTENDEE_ROWS, d.attendees.length + 1),
        discussionId: d.id,
      })
    }),
  )

  router.post(
    editPath,
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id', 'discussionId'], async (req, res, ids, ctx) => {
      const { body, rows: attendees } = compactRows(req.body as Body, ATTENDEES)
      const rows = rowCount(req.body as Body, 'attendees', attendees.length, ATTENDEE_ROWS)
      const again = { values: body, rows, discussionId: ids.discussionId! }
      if (body.addRow === 'attendees') return renderForm(req, res, ctx, ids.id!, { ...again, focusRow: rows - 1 })
      const parsed = parseWith(strategyDiscussionCorrection, { ...inputFrom(body, attendees), version: body.version })
      if (!parsed.ok) return renderForm(req, res, ctx, ids.id!, { ...again, errors: errorsFor(parsed.fields, DATES), status: 400 })
      try {
        await correctStrategyDiscussion(ctx, ids.id!, ids.discussionId!, parsed.value)
        await discardSentDraft(ctx, req.body)
        res.redirect(`/cases/${ids.id}/child-protection?saved=strategy-discussion-corrected`)
      } catch (err) {
        const failure = failureOf(err, DATES, correctionConflictRows(parsed.value))
        if (!failure) throw err
        await renderForm(req, res, ctx, ids.id!, {
          ...again,
          values: valuesAfter(body, failure),
          errors: failure.errors,
          conflict: failure.conflict,
          status: failure.status,
        })
      }
    }),
  )

  return router
}

function discussionOf(view: ChildProtectionView, id: string): StrategyDiscussionView {
  const d = view.strategyDiscussions.find((x) => x.id === id)
  if (!d) throw new NotFound('No such strategy discussion on this case')
  return d
}

function storedValues(d: StrategyDiscussionView): Body {
  return {
    version: String(d.version),
    ...dateFields('heldOn', d.heldOn),
    heldAtTime: d.heldAtTime,
    ...rowValues('attendees', d.attendees.map((a) => ({ name: a.name, agencyId: a.agencyId, role: a.role }))),
    requiredAgencyAbsenceReason: d.absences[0]?.reason ?? '',
    informationShared: d.informationShared,
    decisionDetail: d.decisionDetail ?? '',
    immediateSafetyActions: d.immediateSafetyActions ?? '',
  }
}

function correctionConflictRows(input: { heldOn: string; heldAtTime: string; attendees: { name: string }[]; informationShared: string }) {
  const names = (list: unknown) => (Array.isArray(list) ? list.filter((p) => !p.absent).map((p: { name: string }) => p.name).join(', ') : '')
  return (current: Record<string, unknown>): Conflict['rows'] => {
    const heldAt = current.heldAt ? new Date(current.heldAt as string) : null
    return [
      { label: 'Date and time', yours: `${formatDate(input.heldOn)} ${input.heldAtTime}`, saved: heldAt ? wallClockInWords(heldAt) : '' },
      { label: 'Who took part', yours: names(input.attendees), saved: names(current.attendees) },
      { label: 'Information shared', yours: input.informationShared, saved: String(current.informationShared ?? '') },
    ]
  }
}

function wallClockInWords(instant: Date): string {
  const [day, time] = londonWallClock(instant).split(' ')
  return `${formatDate(day)} ${time}`
}
