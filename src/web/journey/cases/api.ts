/**
 * The case's own JSON operations beside its pages: its alerts, and breaking the glass. (The case
 * read itself, with its summary, is GET /api/v1/cases/{id} in web/common/api/routes.ts.)
 */
import { setCaseAlerts } from '../../../services/journey/case-alerts.ts'
import { caseAlertsInput } from '../../../services/journey/case-alerts-input.ts'
import { breakGlass, BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'
import { breakGlassInput } from '../../../services/journey/break-glass-input.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { registerCaseAccessApi } from './access-api.ts'

export function registerCaseApi(api: ApiBuilder): void {
  api.put(
    '/cases/:caseId/alerts',
    {
      caseAction: 'case:update',
      summary:
        "Set the case's alerts: risks to workers and language or communication needs (null or empty for none); name the case version you read (summary.alerts.version of the case read)",
      tag: 'Cases',
      body: caseAlertsInput,
    },
    ({ ctx, params, body }) => setCaseAlerts(ctx, params.caseId!, body),
  )
  // Not decided as a case action first: breaking the glass is how a user without access gets it.
  api.post(
    '/cases/:caseId/break-glass',
    {
      summary: `Break the glass: read a case you have no relationship with for ${BREAK_GLASS_HOURS} hours, giving your reason (at least 10 characters). The grant and every read under it are flagged to auditors (GET /audit/break-glass). 201 with the grant's end; 200 with granted false when you may already read the case; 403 when the policy refuses even this; 404 for a restricted record you are unrelated to`,
      tag: 'Cases',
      body: breakGlassInput,
      status: 201,
    },
    async ({ ctx, params, body, res }) => {
      const grant = await breakGlass(ctx, params.caseId!, body.reason)
      if (!grant) return void res.status(200).json({ caseId: params.caseId!, granted: false })
      res.location(`/api/v1/cases/${grant.caseId}`)
      return { ...grant, granted: true }
    },
  )
  registerCaseAccessApi(api)
}
