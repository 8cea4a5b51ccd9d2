/** Input schema for a case's alerts: shared by the alerts page and the JSON API. */
import { z } from 'zod'
import { optionalText, version } from '../common/fields-input.ts'

/** Each alert is text that may be left empty (no alert of that kind); the version is the case's. */
export const caseAlertsInput = z.object({
  workerSafety: optionalText('risks to workers', 1000).default(null),
  communicationNeeds: optionalText('language or communication needs', 1000).default(null),
  version,
})

export type CaseAlertsInput = z.infer<typeof caseAlertsInput>
