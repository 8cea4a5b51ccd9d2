/**
 * Police protection and emergency protection orders on a case (issue 17): the list with their
 * clocks (/cases/:id/emergency-protection), and one form page for each thing recorded (the start,
 * an order's extension, the end, which asks for the coded reason when it was after the limit).
 */
import type { Router } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { NotFound } from '../../../services/common/context.ts'
import {
  emergencyProtectionEnd,
  emergencyProtectionExtension,
  emergencyProtectionStart,
} from '../../../services/journey/emergency-protection-input.ts'
import {
  emergencyProtectionOfCase,
  endEmergencyProtection,
  extendEmergencyProtectionOrder,
  recordEmergencyProtection,
  type EmergencyProtectionPage,
} from '../../../services/journey/emergency-protection.ts'
import type { AppDeps } from '../../deps.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseRecordFormPage, type CaseRecordSection } from '../../common/case-record-forms.ts'

function recordOf(page: EmergencyProtectionPage, id: string | null) {
  if (id === null) return null
  const record = page.records.find((r) => r.id === id)
  if (!record) throw new NotFound('No such police protection or order on this case')
  return record
}

export function emergencyProtectionRoutes(deps: AppDeps): Router {
  const router = featureRouter()
  const base = '/cases/:id/emergency-protection'

  router.get(base, requireSignIn, async (req, res) => {
    res.render('emergency-protection/index.njk', { ...(await emergencyProtectionOfCase(serviceContext(deps, req, res), idParam(req))), saved: req.query.saved })
  })

  const section: CaseRecordSection<EmergencyProtectionPage> = {
    deps,
    router,
    section: 'emergency-protection',
    view: 'emergency-protection/form.njk',
    recordParam: 'recordId',
    load: emergencyProtectionOfCase,
    locals(page, id) {
      const record = recordOf(page, id)
      return { version: record?.version, view: { c: page.c, record } }
    },
    listPath: (caseId) => `/cases/${caseId}/emergency-protection`,
  }
  caseRecordFormPage(section, `${base}/new`, {
    form: 'start',
    schema: emergencyProtectionStart,
    dates: ['startedOn'],
    save: (ctx, caseId, _id, value) => recordEmergencyProtection(ctx, caseId, value),
    done: 'started',
  })
  caseRecordFormPage(section, `${base}/:recordId/extension`, {
    form: 'extension',
    schema: emergencyProtectionExtension,
    dates: ['extendedOn', 'extendedTo'],
    save: (ctx, caseId, id, value) => extendEmergencyProtectionOrder(ctx, caseId, id!, value),
    done: 'extended',
  })
  caseRecordFormPage(section, `${base}/:recordId/end`, {
    form: 'end',
    schema: emergencyProtectionEnd,
    dates: ['endedOn'],
    save: (ctx, caseId, id, value) => endEmergencyProtection(ctx, caseId, id!, value),
    done: 'ended',
  })

  return router
}
