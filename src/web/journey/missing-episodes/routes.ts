/**
 * Missing episodes on a case (issue 19 §5): the list with the return home interview clocks and the
 * last 12 months' counts (/cases/:id/missing), and one form page for each thing recorded (the
 * episode, the child's return, the return home interview and exploitation screening).
 */
import type { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { NotFound } from '../../../services/common/context.ts'
import { missingEpisodeReturn, missingEpisodeStart, returnInterview } from '../../../services/journey/missing-episodes-input.ts'
import {
  missingEpisodesOfCase,
  recordMissingEpisode,
  recordMissingReturn,
  recordReturnInterview,
  type MissingEpisodesPage,
} from '../../../services/journey/missing-episodes.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseRecordFormPage, type CaseRecordSection } from '../../common/case-record-forms.ts'
import { formValuesOf } from '../../common/form-helpers.ts'

const INTERVIEW_DATES = ['interviewOfferedOn', 'interviewHeldOn', 'screenedOn'] as const

function recordOf(page: MissingEpisodesPage, id: string | null) {
  if (id === null) return null
  const record = page.records.find((r) => r.id === id)
  if (!record) throw new NotFound('No such missing episode on this case')
  return record
}

export function missingEpisodeRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const base = '/cases/:id/missing'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('missing-episodes/index.njk', { ...(await missingEpisodesOfCase(serviceContext(deps, req, res), idParam(req))), saved: req.query.saved })
  })

  const section = (prefill: boolean): CaseRecordSection<MissingEpisodesPage> => ({
    deps,
    router,
    section: 'missing',
    view: 'missing-episodes/form.njk',
    recordParam: 'recordId',
    load: missingEpisodesOfCase,
    locals(page, id) {
      const record = recordOf(page, id)
      return { version: record?.version, view: { c: page.c, record }, values: prefill && record ? formValuesOf({ ...record }, INTERVIEW_DATES) : undefined }
    },
    listPath: (caseId) => `/cases/${caseId}/missing`,
  })
  caseRecordFormPage(section(false), `${base}/new`, {
    form: 'start',
    schema: missingEpisodeStart,
    dates: ['startedOn', 'returnedOn'],
    save: (ctx, caseId, _id, value) => recordMissingEpisode(ctx, caseId, value),
    done: 'recorded',
  })
  caseRecordFormPage(section(false), `${base}/:recordId/return`, {
    form: 'return',
    schema: missingEpisodeReturn,
    dates: ['returnedOn'],
    save: (ctx, caseId, id, value) => recordMissingReturn(ctx, caseId, id!, value),
    done: 'returned',
  })
  caseRecordFormPage(section(true), `${base}/:recordId/interview`, {
    form: 'interview',
    schema: returnInterview,
    dates: INTERVIEW_DATES,
    conflictFields: [
      { name: 'interviewOfferedOn', label: 'Offered on' },
      { name: 'interviewAccepted', label: 'Accepted', show: (v) => (v === true ? 'Yes' : v === false ? 'No' : 'Not known') },
      { name: 'interviewHeldOn', label: 'Held on' },
      { name: 'interviewBy', label: 'Held by' },
      { name: 'screenedOn', label: 'Screened on' },
      { name: 'screeningOutcome', label: 'Screening outcome' },
    ],
    save: (ctx, caseId, id, value) => recordReturnInterview(ctx, caseId, id!, value),
    done: 'interview',
  })

  return router
}
