/** Every SSDA903 rule Together checks, by DfE rule code, grouped as in docs/ssda903.md. */
import type { Rule } from '../rule.ts'
import { ADOPTION_RULES } from './adoption.ts'
import { CHILD_RULES } from './child.ts'
import { INTEGRITY_RULES } from './integrity.ts'
import { EPISODE_CODE_RULES, EPISODE_SEQUENCE_RULES } from './episodes.ts'
import { LEGAL_STATUS_RULES } from './legal-status.ts'
import { OC2_RULES } from './oc2.ts'
import { OC3_RULES } from './oc3.ts'
import { MISSING_RULES, PREVIOUS_PERMANENCE_RULES } from './permanence-missing.ts'
import { NO_EPISODES_LAST_YEAR, PREVIOUS_YEAR_RULES } from './previous-year.ts'
import { SOCIAL_WORKER_RULES } from './social-workers.ts'
import { PLACEMENT_RULES } from './placement.ts'
import { REVIEW_RULES, UASC_RULES } from './reviews-uasc.ts'
import { TEMPORARY_RULES } from './temporary.ts'

export const RULES: readonly Rule[] = [
  ...CHILD_RULES,
  ...EPISODE_CODE_RULES,
  ...EPISODE_SEQUENCE_RULES,
  ...LEGAL_STATUS_RULES,
  ...PLACEMENT_RULES,
  ...TEMPORARY_RULES,
  ...REVIEW_RULES,
  ...UASC_RULES,
  ...OC2_RULES,
  ...OC3_RULES,
  ...ADOPTION_RULES,
  ...PREVIOUS_PERMANENCE_RULES,
  ...MISSING_RULES,
  ...SOCIAL_WORKER_RULES,
  ...PREVIOUS_YEAR_RULES,
  NO_EPISODES_LAST_YEAR,
  ...INTEGRITY_RULES,
]
