/**
 * Assessment pages: the case's assessments with their clocks and a start form, and each
 * assessment's page with the progress, completion and authorisation forms. Forms use the API's
 * schemas; edit conflicts show the user's values beside the saved ones.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import {
  assessmentProgressInput,
  authoriseAssessmentInput,
  completeAssessmentInput,
  reopenAssessmentInput,
  returnAssessmentInput,
  startAssessmentInput,
} from '../../../services/journey/assessment-input.ts'
import {
  assessmentsOfCase,
  authoriseAssessment,
  completeAssessment,
  getAssessment,
  reopenAssessment,
  returnAssessment,
  startAssessment,
  updateAssessment,
  type AssessmentDetail,
  type CaseAssessments,
} from '../../../services/journey/assessments.ts'
import { ASSESSMENT_KIND } from '../../../domain/journey/codes.ts'
import { factorGroups } from '../../../domain/journey/assessment-rules.ts'
import type { AppDeps } from '../../deps.ts'
import type { FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { discardSentDraft } from '../../common/drafts.ts'
import { caseForm } from '../../common/case-forms.ts'
import { formatDate } from '../../common/nunjucks.ts'
import { failureOf, parsePosted, splitDates, withDates } from './form-helpers.ts'
import { documentsAboutRecord } from '../../../services/records/documents.ts'

const START_DATES = ['startedOn']
const PROGRESS_DATES = ['childSeenOn', 'childSeenAloneOn']
const COMPLETE_DATES = ['completedOn']
const AUTHORISE_DATES = ['authorisedOn']

type AssessmentForm = 'progress' | 'completion' | 'authorisation' | 'return' | 'reopen'

/** The forms only a team manager of the case's team sends. */
const MANAGER_FORMS: readonly AssessmentForm[] = ['authorisation', 'return', 'reopen']

interface FormState {
  values?: Record<string, unknown>
  errors?: FormErrors
  conflict?: { message: string; rows: ConflictRow[] }
  status?: number
}

export interface ConflictRow {
  label: string
  yours: string
  saved: string
}

/** The fields of each form shown side by side on an edit conflict. */
const CONFLICT_FIELDS: Record<AssessmentForm, { name: string; label: string; date?: boolean }[]> = {
  progress: [
    { name: 'developmentalNeeds', label: 'Child’s developmental needs' },
    { name: 'parentingCapacity', label: 'Parenting capacity' },
    { name: 'familyEnvironment', label: 'Family and environmental factors' },
    { name: 'analysis', label: 'Analysis' },
    { name: 'childSeenOn', label: 'Child seen', date: true },
    { name: 'childSeenAloneOn', label: 'Child seen alone', date: true },
  ],
  completion: [
    { name: 'completedOn', label: 'Completed', date: true },
    { name: 'outcome', label: 'Outcome' },
    { name: 'factors', label: 'Factors identified' },
    { name: 'delayReason', label: 'Reason for delay' },
  ],
  authorisation: [{ name: 'authorisedOn', label: 'Authorised', date: true }, { name: 'comment', label: 'Comment' }],
  return: [{ name: 'reasons', label: 'Reasons for returning it' }],
  reopen: [{ name: 'reason', label: 'Reason for reopening it' }],
}

/** Rows of "your version" beside "saved version" for an edit conflict. */
export function conflictRows(
  fields: { name: string; label: string; date?: boolean }[],
  yours: Record<string, unknown>,
  saved: Record<string, unknown>,
): ConflictRow[] {
  const show = (v: unknown, date?: boolean) =>
    v === null || v === undefined || v === '' ? '(empty)' : Array.isArray(v) ? v.join(', ') || '(none)' : date ? formatDate(String(v)) : String(v)
  const version = saved.version === undefined ? [] : [{ label: 'Version', yours: 'Your changes', saved: `Version ${String(saved.version)}` }]
  return [...version, ...fields.map((f) => ({ label: f.label, yours: show(yours[f.name], f.date), saved: show(saved[f.name], f.date) }))]
}

export function assessmentRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  const renderList = (res: Response, view: CaseAssessments, state: FormState = {}) => {
    const kinds = new Set(view.episodes.flatMap((e) => e.kinds))
    const values = splitDates(
      state.values ?? { episodeId: view.episodes.length === 1 ? view.episodes[0]!.id : '', kind: kinds.size === 1 ? [...kinds][0] : '' },
      START_DATES,
    )
    res.status(state.status ?? 200).render('assessments/list.njk', {
      ...view,
      section: 'assessments',
      kindItems: ASSESSMENT_KIND.filter((k) => kinds.has(k.code)).map((k) => ({ value: k.code, text: k.label, checked: values.kind === k.code })),
      values,
      errors: state.errors,
    })
  }

  const renderAssessment = (res: Response, detail: AssessmentDetail, form?: AssessmentForm, state: FormState = {}) => {
    const a = detail.assessment
    const defaults: Record<AssessmentForm, Record<string, unknown>> = {
      progress: {
        version: a.version,
        developmentalNeeds: a.developmentalNeeds,
        parentingCapacity: a.parentingCapacity,
        familyEnvironment: a.familyEnvironment,
        analysis: a.analysis,
        childSeenOn: a.childSeenOn,
        childSeenAloneOn: a.childSeenAloneOn,
      },
      // A returned assessment is completed again from what the worker recorded.
      completion: { version: a.version, factors: a.factors ?? [], outcome: a.outcome ?? '', delayReason: a.delayReason ?? '' },
      authorisation: { version: a.version },
      return: { version: a.version },
      reopen: { version: a.version },
    }
    if (form && state.values) defaults[form] = state.values
    res.status(state.status ?? 200).render('assessments/show.njk', {
      ...detail,
      section: 'assessments',
      progress: splitDates(defaults.progress, PROGRESS_DATES),
      completion: splitDates(defaults.completion, COMPLETE_DATES),
      authorisation: splitDates(defaults.authorisation, AUTHORISE_DATES),
      returning: defaults.return,
      reopening: defaults.reopen,
      factorGroups: factorGroups(),
      form,
      errors: state.errors,
      conflict: state.conflict,
    })
  }

  router.get('/cases/:id/assessments', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    renderList(res, await assessmentsOfCase(serviceContext(deps, req, res), caseId))
  })

  router.post('/cases/:id/assessments', requireSignIn, caseForm(deps, 'assessments'), async (req, res, next) => {
    const caseId = idParam(req)
    const ctx = serviceContext(deps, req, res)
    const parsed = parsePosted(startAssessmentInput, req.body, START_DATES, 'start-assessment')
    if (!parsed.ok) return renderList(res, await assessmentsOfCase(ctx, caseId), { values: req.body, errors: parsed.errors, status: 400 })
    try {
      const started = await startAssessment(ctx, caseId, parsed.value)
      await discardSentDraft(ctx, req.body)
      res.redirect(`/cases/${caseId}/assessments/${started.id}?saved=started`)
    } catch (err) {
      const failure = failureOf(err, START_DATES, 'start-assessment')
      if (!failure) throw err
      renderList(res, await assessmentsOfCase(ctx, caseId), { values: req.body, errors: failure.errors, status: failure.status })
    }
  })

  router.get('/cases/:id/assessments/:assessmentId', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    const assessmentId = idParam(req, 'assessmentId')
    const ctx = serviceContext(deps, req, res)
    const detail = await getAssessment(ctx, caseId, assessmentId)
    res.locals.documents = await documentsAboutRecord(ctx, caseId, 'assessment', assessmentId)
    res.locals.saved = typeof req.query.saved === 'string' ? req.query.saved : undefined
    renderAssessment(res, detail)
  })

  /** Handles one of the assessment page's forms: parse, call the service, or show what went wrong. */
  const assessmentForm = <S extends Parameters<typeof parsePosted>[0]>(
    path: string,
    form: AssessmentForm,
    schema: S,
    dates: string[],
    act: (req: Request, res: Response, caseId: string, assessmentId: string, value: never) => Promise<unknown>,
    saved: string,
  ) =>
    router.post(`/cases/:id/assessments/:assessmentId${path}`, requireSignIn, caseForm(deps, 'assessments', MANAGER_FORMS.includes(form) ? 'case:authorise' : 'case:update'), async (req, res, next) => {
      const caseId = idParam(req)
      const assessmentId = idParam(req, 'assessmentId')
      const ctx = serviceContext(deps, req, res)
      const formId = `${form}-form`
      const parsed = parsePosted(schema, req.body, dates, formId)
      const reshow = async (state: FormState) => {
        const detail = await getAssessment(ctx, caseId, assessmentId)
        res.locals.documents = await documentsAboutRecord(ctx, caseId, 'assessment', assessmentId)
        renderAssessment(res, detail, form, state)
      }
      if (!parsed.ok) return reshow({ values: req.body, errors: parsed.errors, status: 400 })
      try {
        await act(req, res, caseId, assessmentId, parsed.value as never)
      } catch (err) {
        const failure = failureOf(err, dates, formId)
        if (!failure) throw err
        if (!failure.conflict) return reshow({ values: req.body, errors: failure.errors, status: failure.status })
        const current = failure.conflict.current
        return reshow({
          values: { ...req.body, version: current.version },
          errors: failure.errors,
          status: 409,
          conflict: { message: failure.conflict.message, rows: conflictRows(CONFLICT_FIELDS[form], withDates(req.body, dates), current) },
        })
      }
      await discardSentDraft(ctx, req.body)
      res.redirect(`/cases/${caseId}/assessments/${assessmentId}?saved=${saved}`)
    })

  assessmentForm('', 'progress', assessmentProgressInput, PROGRESS_DATES, (req, res, caseId, id, value) =>
    updateAssessment(serviceContext(deps, req, res), caseId, id, value), 'progress')
  assessmentForm('/completion', 'completion', completeAssessmentInput, COMPLETE_DATES, (req, res, caseId, id, value) =>
    completeAssessment(serviceContext(deps, req, res), caseId, id, value), 'completed')
  assessmentForm('/authorisation', 'authorisation', authoriseAssessmentInput, AUTHORISE_DATES, (req, res, caseId, id, value) =>
    authoriseAssessment(serviceContext(deps, req, res), caseId, id, value), 'authorised')
  assessmentForm('/return', 'return', returnAssessmentInput, [], (req, res, caseId, id, value) =>
    returnAssessment(serviceContext(deps, req, res), caseId, id, value), 'returned')
  assessmentForm('/reopening', 'reopen', reopenAssessmentInput, [], (req, res, caseId, id, value) =>
    reopenAssessment(serviceContext(deps, req, res), caseId, id, value), 'reopened')

  return router
}
