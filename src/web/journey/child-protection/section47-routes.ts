/**
 * Section 47 enquiries: /cases/:id/section47/new (start one from a strategy discussion that has
 * none) and /cases/:id/section47/:s47Id (the enquiry, with the child seen, outcome and completion,
 * and its narrative: what was found, the child's account and the reasons for the outcome).
 */
import { Router, type Response } from 'express'
import { featureRouter } from '../../common/router.ts'
import { ICPC_STATUS_TEXT } from '../../../domain/journey/child-protection-rules.ts'
import { labelOf, S47_OUTCOME } from '../../../domain/journey/codes.ts'
import type { ChildProtectionView, Section47View } from '../../../services/journey/child-protection.ts'
import { section47Input, section47Update, type Section47Update } from '../../../services/journey/child-protection-input.ts'
import { documentsAboutRecord } from '../../../services/records/documents.ts'
import { NotFound, type ServiceContext } from '../../../services/common/context.ts'
import { startSection47, updateSection47 } from '../../../services/journey/section47.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { formatDate } from '../../common/nunjucks.ts'
import { dateFields, dateFrom, errorsFor, given, parseWith, type Body } from './form-values.ts'
import { childProtectionOf, failureOf, page, valuesAfter, type Conflict } from './pages.ts'

const UPDATE_DATES = ['childSeenOn', 'completedOn']

/** Discussions that may still start an enquiry: none yet, and not decided against one. */
function discussionsWithoutEnquiry(view: ChildProtectionView) {
  return view.strategyDiscussions.filter((d) => d.section47Id === null && d.decision !== 'no-s47')
}

function enquiryOf(view: ChildProtectionView, s47Id: string): Section47View {
  const s47 = view.section47s.find((s) => s.id === s47Id)
  if (!s47) throw new NotFound('No such section 47 enquiry on this case')
  return s47
}

function storedValues(s47: Section47View): Body {
  return {
    version: String(s47.version),
    outcome: s47.outcome ?? '',
    ...dateFields('childSeenOn', s47.childSeenOn),
    ...dateFields('completedOn', s47.completedOn),
    findings: s47.findings ?? '',
    childsAccount: s47.childsAccount ?? '',
    outcomeReasons: s47.outcomeReasons ?? '',
  }
}

/** The enquiry's narrative fields and their labels (the form's, the conflict panel's). */
const NARRATIVE = [
  ['findings', 'What the enquiry found'],
  ['childsAccount', 'The child’s account'],
  ['outcomeReasons', 'Reasons for the outcome'],
] as const

function conflictRows(input: Section47Update) {
  return (current: Record<string, unknown>): Conflict['rows'] => [
    { label: 'Date the child was seen', yours: formatDate(input.childSeenOn), saved: formatDate(current.childSeenOn as string | null) },
    { label: 'Outcome', yours: labelOf(S47_OUTCOME, input.outcome), saved: labelOf(S47_OUTCOME, current.outcome as string | null) },
    { label: 'Date completed', yours: formatDate(input.completedOn), saved: formatDate(current.completedOn as string | null) },
    ...NARRATIVE.map(([field, label]) => ({ label, yours: input[field] ?? '', saved: (current[field] as string | null) ?? '' })),
  ]
}

async function renderEnquiry(
  res: Response,
  ctx: ServiceContext,
  caseId: string,
  s47Id: string,
  form: { values?: Body; errors?: FormErrors; conflict?: Conflict; status?: number; saved?: boolean } = {},
) {
  const view = await childProtectionOf(ctx, caseId)
  const s47 = enquiryOf(view, s47Id)
  const documents = await documentsAboutRecord(ctx, caseId, 'section-47', s47.id)
  res.status(form.status ?? 200).render('child-protection/section47.njk', {
    c: view.c,
    s47,
    documents,
    discussion: view.strategyDiscussions.find((d) => d.id === s47.strategyDiscussionId) ?? null,
    icpcClock: view.clocks.find((k) => k.rule === 'icpc' && k.subjectId === s47.id) ?? null,
    prebirthClock: view.clocks.find((k) => k.rule === 'prebirth-conference' && k.subjectId === s47.id) ?? null,
    values: form.values ?? storedValues(s47),
    errors: form.errors,
    conflict: form.conflict,
    saved: form.saved ?? false,
    icpcStatusText: ICPC_STATUS_TEXT,
  })
}

async function renderStart(res: Response, ctx: ServiceContext, caseId: string, form: { values: Body; errors?: FormErrors; status?: number }) {
  const view = await childProtectionOf(ctx, caseId)
  res.status(form.status ?? 200).render('child-protection/section47-new.njk', {
    c: view.c,
    discussions: discussionsWithoutEnquiry(view),
    values: form.values,
    errors: form.errors,
  })
}

export function section47Routes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get(
    '/cases/:id/section47/new',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id'], (req, res, ids, ctx) =>
      renderStart(res, ctx, ids.id!, { values: { strategyDiscussionId: typeof req.query.strategyDiscussionId === 'string' ? req.query.strategyDiscussionId : '' } }),
    ),
  )

  router.post(
    '/cases/:id/section47/new',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id'], async (req, res, ids, ctx) => {
      const body = req.body as Body
      const parsed = parseWith(section47Input, { strategyDiscussionId: given(body.strategyDiscussionId), startedOn: dateFrom(body, 'startedOn') })
      if (!parsed.ok) return renderStart(res, ctx, ids.id!, { values: body, errors: errorsFor(parsed.fields, ['startedOn']), status: 400 })
      try {
        const s47 = await startSection47(ctx, ids.id!, parsed.value)
        res.redirect(`/cases/${ids.id}/section47/${s47.id}?saved=1`)
      } catch (err) {
        const failure = failureOf(err, ['startedOn'])
        if (!failure) throw err
        await renderStart(res, ctx, ids.id!, { values: body, errors: failure.errors, status: failure.status })
      }
    }),
  )

  router.get(
    '/cases/:id/section47/:s47Id',
    requireSignIn,
    page(deps, ['id', 's47Id'], (req, res, ids, ctx) => renderEnquiry(res, ctx, ids.id!, ids.s47Id!, { saved: req.query.saved === '1' })),
  )

  router.post(
    '/cases/:id/section47/:s47Id',
    requireSignIn,
    caseForm(deps, 'child-protection'),
    page(deps, ['id', 's47Id'], async (req, res, ids, ctx) => {
      const body = req.body as Body
      const input = {
        version: body.version,
        childSeenOn: dateFrom(body, 'childSeenOn'),
        outcome: given(body.outcome),
        completedOn: dateFrom(body, 'completedOn'),
        findings: body.findings,
        childsAccount: body.childsAccount,
        outcomeReasons: body.outcomeReasons,
        lateReasonCode: body.lateReasonCode,
        lateReason: body.lateReason,
      }
      const parsed = parseWith(section47Update, input)
      if (!parsed.ok) {
        return renderEnquiry(res, ctx, ids.id!, ids.s47Id!, { values: body, errors: errorsFor(parsed.fields, UPDATE_DATES), status: 400 })
      }
      try {
        await updateSection47(ctx, ids.id!, ids.s47Id!, parsed.value)
        await discardSentDraft(ctx, req.body)
        res.redirect(`/cases/${ids.id}/section47/${ids.s47Id}?saved=1`)
      } catch (err) {
        const failure = failureOf(err, UPDATE_DATES, conflictRows(parsed.value))
        if (!failure) throw err
        await renderEnquiry(res, ctx, ids.id!, ids.s47Id!, {
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
