/**
 * Conferences: /cases/:id/conferences/new (schedule, with the chair and invitations),
 * /cases/:id/conferences/:conferenceId (the conference, and the form that records the meeting) and
 * /cases/:id/conferences/:conferenceId/arrangements (its date, time, venue, chair and invitees, until it is held).
 */
import { Router, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { CATEGORY_OF_ABUSE } from '../../../domain/journey/dfe-codes.ts'
import { CONFERENCE_DECISION, CONFERENCE_KIND, labelOf } from '../../../domain/journey/codes.ts'
import { conferenceDecisionsFor } from '../../../domain/journey/child-protection-rules.ts'
import { agencyOptions, type ChildProtectionView, type ConferenceView } from '../../../services/journey/child-protection.ts'
import { conferenceArrangementsInput, conferenceInput, conferenceOutcomeInput } from '../../../services/journey/child-protection-input.ts'
import { documentsAboutRecord } from '../../../services/records/documents.ts'
import {
  changeConferenceArrangements,
  conferenceChairs,
  recordConferenceOutcome,
  scheduleConference,
} from '../../../services/journey/conferences.ts'
import { NotFound, type ServiceContext } from '../../../services/common/context.ts'
import { conferenceReports } from '../../../services/multi-agency/participation.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { formatDate } from '../../common/nunjucks.ts'
import {
  compactRows,
  dateFields,
  dateFrom,
  errorsFor,
  given,
  listOf,
  parseWith,
  rowCount,
  rowValues,
  type Body,
} from './form-values.ts'
import { childProtectionOf, failureOf, page, valuesAfter, type Conflict } from './pages.ts'

/** Blank participant rows a form starts with: one, more on demand ("Add another"); a saved list shows its rows and one blank. */
const PARTICIPANT_ROWS = 1
const INVITEES = { name: 'participants', fields: ['party', 'name', 'agencyId'] } as const
const PARTICIPANTS = {
  name: 'participants',
  fields: ['party', 'name', 'agencyId', 'attendance'],
  dates: ['reportReceivedOn'],
  defaults: { attendance: 'invited' },
} as const
const SCHEDULE_DATES = ['scheduledFor', 'notifiedOn']
const OUTCOME_DATES = ['heldOn', 'reportReceivedOn']

/** The partner invitation form's errors, named in the redirect back to the conference page. */
export const INVITE_ERRORS: Record<string, string> = {
  select: 'Select a partner practitioner of this partnership',
  already: 'This person is already invited to this conference',
  held: 'This conference has been held: no one can be invited to it now',
}

// ---- Scheduling

async function renderSchedule(
  res: Response,
  ctx: ServiceContext,
  caseId: string,
  form: { values: Body; rows: number; errors?: FormErrors; focusRow?: number; status?: number; conferenceId?: string; conflict?: Conflict },
) {
  const view = await childProtectionOf(ctx, caseId)
  const editing = form.conferenceId ? conferenceOf(view, form.conferenceId) : null
  if (editing?.heldOn) throw new NotFound('This conference has been held: its arrangements can no longer change')
  res.status(form.status ?? 200).render('child-protection/conference-schedule.njk', {
    c: view.c,
    editing,
    conflict: form.conflict,
    enquiries: view.section47s.filter((s) => s.icpcStatus === 'to-schedule' || s.icpcStatus === 'awaiting-outcome'),
    plans: view.plans.filter((p) => p.endedOn === null),
    chairs: await conferenceChairs(ctx.db, ctx.actor.partnershipId),
    agencies: await agencyOptions(ctx.db, ctx.actor.partnershipId),
    values: form.values,
    errors: form.errors,
    participantRows: form.rows,
    focusRow: form.focusRow ?? -1,
  })
}

const query = (v: unknown) => (typeof v === 'string' ? v : '')

// ---- Recording the meeting

function conferenceOf(view: ChildProtectionView, conferenceId: string): ConferenceView {
  const k = view.conferences.find((x) => x.id === conferenceId)
  if (!k) throw new NotFound('No such conference on this case')
  return k
}

/** The timescale the conference answers: the enquiry's ICPC, the plan's review, or the transfer-in. */
function clockOf(view: ChildProtectionView, k: ConferenceView) {
  if (k.kind === 'initial') return view.clocks.find((c) => c.rule === 'icpc' && c.subjectId === k.section47Id) ?? null
  if (k.kind === 'review') {
    const reviews = view.clocks.filter((c) => c.subjectId === k.planId && (c.rule === 'first-review-conference' || c.rule === 'review-conference'))
    return reviews.find((c) => c.completedOn === null) ?? null
  }
  return view.clocks.find((c) => c.rule === 'transfer-in-conference' && c.subjectId === k.id) ?? null
}

function storedOutcomeValues(k: ConferenceView): Body {
  return {
    version: String(k.version),
    ...dateFields('heldOn', k.heldOn),
    rescheduleReason: k.rescheduleReason ?? '',
    decision: k.decision ?? '',
    categories: k.categories,
    outlinePlan: k.outlinePlan ?? '',
    dissent: k.dissent ?? '',
    delayReason: k.delayReason ?? '',
    ...rowValues(
      'participants',
      k.participants.map((p) => ({ party: p.party, name: p.name, agencyId: p.agencyId, attendance: p.attendance, reportReceivedOn: p.reportReceivedOn })),
      ['reportReceivedOn'],
    ),
  }
}

async function renderConference(
  res: Response,
  ctx: ServiceContext,
  caseId: string,
  conferenceId: string,
  form: {
    values?: Body
    rows?: number
    errors?: FormErrors
    conflict?: Conflict
    focusRow?: number
    status?: number
    saved?: boolean | string
    /** The partner invitation form's outcome: invited, withdrawn, or its error. */
    invitation?: { done?: string; error?: string }
  } = {},
) {
  const view = await childProtectionOf(ctx, caseId)
  const k = conferenceOf(view, conferenceId)
  const decisions = conferenceDecisionsFor(k.kind)
  const values = form.values ?? storedOutcomeValues(k)
  const reports = await conferenceReports(ctx, caseId, conferenceId)
  const documents = await documentsAboutRecord(ctx, caseId, 'conference', conferenceId)
  res.status(form.status ?? 200).render('child-protection/conference.njk', {
    c: view.c,
    k,
    documents,
    s47: view.section47s.find((s) => s.id === k.section47Id) ?? null,
    plan: view.plans.find((p) => p.id === k.planId) ?? null,
    followingPlan: view.followingPlans.find((p) => p.previousPlanId === k.planId && p.startedOn === k.heldOn) ?? null,
    clock: clockOf(view, k),
    decisionItems: CONFERENCE_DECISION.filter((d) => decisions.includes(d.code)).map((d) => ({
      value: d.code,
      text: d.label,
      checked: values.decision === d.code,
    })),
    agencies: await agencyOptions(ctx.db, ctx.actor.partnershipId),
    values,
    errors: form.errors,
    conflict: form.conflict,
    participantRows: form.rows ?? Math.max(PARTICIPANT_ROWS, k.participants.length + 1),
    focusRow: form.focusRow ?? -1,
    saved: form.saved ?? false,
    reports,
    partnerItems: [
      { value: '', text: 'Choose a person' },
      ...reports.partners.map((p) => ({ value: p.id, text: `${p.name}, ${p.agencyName}` })),
    ],
    invitation: form.invitation ?? {},
  })
}

function outcomeConflictRows(input: { heldOn?: string | undefined; decision?: string | undefined; categories?: string[]; outlinePlan?: string | undefined }) {
  const categories = (list: unknown) =>
    Array.isArray(list) ? list.map((c) => labelOf(CATEGORY_OF_ABUSE, String(c))).join(', ') : ''
  return (current: Record<string, unknown>): Conflict['rows'] => [
    { label: 'Date held', yours: formatDate(input.heldOn), saved: formatDate(current.heldOn as string | null) },
    { label: 'Decision', yours: labelOf(CONFERENCE_DECISION, input.decision), saved: labelOf(CONFERENCE_DECISION, current.decision as string | null) },
    { label: 'Categories of abuse', yours: categories(input.categories), saved: categories(current.categories) },
    { label: 'Outline plan', yours: input.outlinePlan ?? '', saved: (current.outlinePlan as string | null) ?? '' },
  ]
}

export function conferenceRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get(
    '/cases/:id/conferences/new',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id'], (req, res, ids, ctx) => {
      const kind = query(req.query.kind)
      const values: Body = {
        kind: CONFERENCE_KIND.some((k) => k.code === kind) ? kind : '',
        section47Id: query(req.query.section47Id),
        planId: query(req.query.planId),
      }
      return renderSchedule(res, ctx, ids.id!, { values, rows: PARTICIPANT_ROWS })
    }),
  )

  router.post(
    '/cases/:id/conferences/new',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id'], async (req, res, ids, ctx) => {
      const { body, rows: participants } = compactRows(req.body as Body, INVITEES)
      const rows = rowCount(req.body as Body, 'participants', participants.length, PARTICIPANT_ROWS)
      if (body.addRow === 'participants') return renderSchedule(res, ctx, ids.id!, { values: body, rows, focusRow: rows - 1 })
      const parsed = parseWith(conferenceInput, {
        kind: given(body.kind),
        scheduledFor: dateFrom(body, 'scheduledFor'),
        scheduledTime: given(body.scheduledTime),
        venue: body.venue,
        chairId: given(body.chairId),
        section47Id: body.kind === 'initial' ? given(body.section47Id) : undefined,
        planId: body.kind === 'review' ? given(body.planId) : undefined,
        notifiedOn: body.kind === 'transfer-in' ? dateFrom(body, 'notifiedOn') : undefined,
        participants,
      })
      if (!parsed.ok) {
        return renderSchedule(res, ctx, ids.id!, { values: body, rows, errors: errorsFor(parsed.fields, SCHEDULE_DATES), status: 400 })
      }
      try {
        const k = await scheduleConference(ctx, ids.id!, parsed.value)
        await discardSentDraft(ctx, req.body)
        res.redirect(`/cases/${ids.id}/conferences/${k.id}?saved=1`)
      } catch (err) {
        const failure = failureOf(err, SCHEDULE_DATES)
        if (!failure) throw err
        await renderSchedule(res, ctx, ids.id!, { values: body, rows, errors: failure.errors, status: failure.status })
      }
    }),
  )

  router.get(
    '/cases/:id/conferences/:conferenceId',
    requireSignIn,
    page(deps, ['id', 'conferenceId'], (req, res, ids, ctx) =>
      renderConference(res, ctx, ids.id!, ids.conferenceId!, {
        saved: req.query.saved === '1' || (req.query.saved === 'arrangements' && 'arrangements'),
        invitation: {
          done: req.query.invited === '1' ? 'The partner has been invited and told.' : req.query.withdrawn === '1' ? 'The invitation has been withdrawn.' : undefined,
          error: INVITE_ERRORS[String(req.query.inviteError)],
        },
      }),
    ),
  )

  router.post(
    '/cases/:id/conferences/:conferenceId',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id', 'conferenceId'], async (req, res, ids, ctx) => {
      const { body, rows: participants } = compactRows(req.body as Body, PARTICIPANTS)
      const rows = rowCount(req.body as Body, 'participants', participants.length, PARTICIPANT_ROWS)
      const again = { rows, values: body }
      if (body.addRow === 'participants') return renderConference(res, ctx, ids.id!, ids.conferenceId!, { ...again, focusRow: rows - 1 })
      const input = {
        version: body.version,
        heldOn: dateFrom(body, 'heldOn'),
        rescheduleReason: body.rescheduleReason,
        participants: participants.map((p) => ({ ...p, attendance: p.attendance ?? 'invited' })),
        decision: given(body.decision),
        categories: listOf(body.categories),
        outlinePlan: body.outlinePlan,
        dissent: body.dissent,
        delayReason: body.delayReason,
        endReason: given(body.endReason),
        startChildInNeedPlan: body.startChildInNeedPlan === 'yes',
        childInNeedPlanSummary: body.childInNeedPlanSummary,
      }
      const parsed = parseWith(conferenceOutcomeInput, input)
      if (!parsed.ok) {
        return renderConference(res, ctx, ids.id!, ids.conferenceId!, { ...again, errors: errorsFor(parsed.fields, OUTCOME_DATES), status: 400 })
      }
      try {
        await recordConferenceOutcome(ctx, ids.id!, ids.conferenceId!, parsed.value)
        await discardSentDraft(ctx, req.body)
        res.redirect(`/cases/${ids.id}/conferences/${ids.conferenceId}?saved=1`)
      } catch (err) {
        const failure = failureOf(err, OUTCOME_DATES, outcomeConflictRows(parsed.value))
        if (!failure) throw err
        await renderConference(res, ctx, ids.id!, ids.conferenceId!, {
          rows,
          values: valuesAfter(body, failure),
          errors: failure.errors,
          conflict: failure.conflict,
          status: failure.status,
        })
      }
    }),
  )

  router.get(
    '/cases/:id/conferences/:conferenceId/arrangements',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id', 'conferenceId'], async (_req, res, ids, ctx) => {
      const k = conferenceOf(await childProtectionOf(ctx, ids.id!), ids.conferenceId!)
      const values = storedArrangementValues(k)
      await renderSchedule(res, ctx, ids.id!, { values, rows: Math.max(PARTICIPANT_ROWS, k.participants.length + 1), conferenceId: k.id })
    }),
  )

  router.post(
    '/cases/:id/conferences/:conferenceId/arrangements',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id', 'conferenceId'], async (req, res, ids, ctx) => {
      const { body, rows: participants } = compactRows(req.body as Body, INVITEES)
      const rows = rowCount(req.body as Body, 'participants', participants.length, PARTICIPANT_ROWS)
      const again = { values: body, rows, conferenceId: ids.conferenceId! }
      if (body.addRow === 'participants') return renderSchedule(res, ctx, ids.id!, { ...again, focusRow: rows - 1 })
      const parsed = parseWith(conferenceArrangementsInput, {
        version: body.version,
        scheduledFor: dateFrom(body, 'scheduledFor'),
        scheduledTime: given(body.scheduledTime),
        venue: body.venue,
        chairId: given(body.chairId),
        participants,
      })
      if (!parsed.ok) return renderSchedule(res, ctx, ids.id!, { ...again, errors: errorsFor(parsed.fields, SCHEDULE_DATES), status: 400 })
      try {
        await changeConferenceArrangements(ctx, ids.id!, ids.conferenceId!, parsed.value)
        await discardSentDraft(ctx, req.body)
        res.redirect(`/cases/${ids.id}/conferences/${ids.conferenceId}?saved=arrangements`)
      } catch (err) {
        const chairs = await conferenceChairs(ctx.db, ctx.actor.partnershipId)
        const failure = failureOf(err, SCHEDULE_DATES, arrangementConflictRows(parsed.value, chairs))
        if (!failure) throw err
        await renderSchedule(res, ctx, ids.id!, {
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

function storedArrangementValues(k: ConferenceView): Body {
  return {
    version: String(k.version),
    ...dateFields('scheduledFor', k.scheduledFor),
    scheduledTime: k.scheduledTime ?? '',
    venue: k.venue ?? '',
    chairId: k.chairId ?? '',
    ...rowValues('participants', k.participants.map((p) => ({ party: p.party, name: p.name, agencyId: p.agencyId }))),
  }
}

function arrangementConflictRows(
  input: { scheduledFor: string; scheduledTime: string; venue: string; chairId: string; participants: { name: string }[] },
  chairs: { id: string; name: string }[],
) {
  const chairName = (id: unknown) => chairs.find((c) => c.id === id)?.name ?? ''
  const names = (list: unknown) => (Array.isArray(list) ? list.map((p: { name: string }) => p.name).join(', ') : '')
  return (current: Record<string, unknown>): Conflict['rows'] => [
    { label: 'Date of the conference', yours: formatDate(input.scheduledFor), saved: formatDate(current.scheduledFor as string | null) },
    { label: 'Time it starts', yours: input.scheduledTime, saved: (current.scheduledTime as string | null) ?? '' },
    { label: 'Venue', yours: input.venue, saved: (current.venue as string | null) ?? '' },
    { label: 'Chair', yours: chairName(input.chairId), saved: chairName(current.chairId) },
    { label: 'Who is invited', yours: names(input.participants), saved: names(current.participants) },
  ]
}
