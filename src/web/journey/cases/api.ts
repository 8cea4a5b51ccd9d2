/**
 * The case's own JSON operations beside its pages: its alerts. (The case read itself, with its
 * summary, is GET /api/v1/cases/{id} in web/common/api/routes.ts.)
 */
import { setCaseAlerts } from '../../../services/journey/case-alerts.ts'
import { caseAlertsInput } from '../../../services/journey/case-alerts-input.ts'
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
  registerCaseAccessApi(api)
}
