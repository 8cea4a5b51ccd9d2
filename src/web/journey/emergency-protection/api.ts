/** Police protection and emergency protection orders (JSON API): the same services as the pages. */
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
} from '../../../services/journey/emergency-protection.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const TAG = 'Emergency protection'

export function registerEmergencyProtectionApi(api: ApiBuilder): void {
  const path = '/cases/:caseId/emergency-protection'
  api.get(path, { summary: 'Police protection and emergency protection orders on the case, newest first, each with its clocks and latest lawful end (endsBy)', tag: TAG }, async ({ ctx, params }) => ({
    records: (await emergencyProtectionOfCase(ctx, params.caseId!)).records,
  }))
  api.post(
    path,
    {
      caseAction: 'case:update',
      summary:
        "Record police protection (Children Act 1989 s46: its clock ends 72 hours after startedOn at startedTime, London time) or an emergency protection order (s44: 8 days, moved past a public holiday): kind, startedOn, startedTime ('HH:MM'), notes",
      tag: TAG,
      body: emergencyProtectionStart,
      status: 201,
    },
    ({ ctx, params, body }) => recordEmergencyProtection(ctx, params.caseId!, body),
  )
  api.post(
    `${path}/:recordId/extension`,
    {
      caseAction: 'case:update',
      summary: "Record the one extension of an emergency protection order (s45: up to 7 days after its first end): extendedOn, extendedTo, the version read (409 when stale)",
      tag: TAG,
      body: emergencyProtectionExtension,
    },
    ({ ctx, params, body }) => extendEmergencyProtectionOrder(ctx, params.caseId!, params.recordId!, body),
  )
  api.post(
    `${path}/:recordId/end`,
    {
      caseAction: 'case:update',
      summary:
        'Record the end of police protection or an order: endedOn, the version read; after its limit lateReasonCode (DELAY_REASON) is required (422 naming the due date), with lateReason in words',
      tag: TAG,
      body: emergencyProtectionEnd,
    },
    ({ ctx, params, body }) => endEmergencyProtection(ctx, params.caseId!, params.recordId!, body),
  )
}
