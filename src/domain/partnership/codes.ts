/**
 * Code sets for the partnership's work (working-together.md §5, §7): serious incidents, review
 * decisions, allegations against people who work with children, section 11 ratings.
 */
import type { Code } from '../journey/dfe-codes.ts'

export { codesOf, labelOf, type CodeOf } from '../journey/dfe-codes.ts'

/** What makes an incident notifiable (WT2015 notifiable incidents; WT2018 s16C). */
export const INCIDENT_KIND = [
  { code: 'death-abuse-neglect', label: 'A child died, and abuse or neglect is known or suspected' },
  { code: 'serious-harm-abuse-neglect', label: 'A child was seriously harmed, and abuse or neglect is known or suspected' },
  { code: 'looked-after-death', label: 'A looked-after child died (whatever the cause)' },
] as const satisfies readonly Code[]

/** The rapid review's decision (WT2018 onward). */
export const RAPID_REVIEW_DECISION = [
  { code: 'local-review', label: 'Local child safeguarding practice review' },
  { code: 'national-review-recommended', label: 'National review recommended to the Panel' },
  { code: 'no-review', label: 'No review' },
] as const satisfies readonly Code[]

export const PRACTICE_REVIEW_KIND = [
  { code: 'lcspr', label: 'Local child safeguarding practice review' },
  { code: 'scr', label: 'Serious case review' },
] as const satisfies readonly Code[]

/** Outcomes of an allegation (KCSIE; "unfounded" added later). */
export const LADO_OUTCOME = [
  { code: 'substantiated', label: 'Substantiated: there is enough evidence to prove the allegation' },
  { code: 'malicious', label: 'Malicious: enough evidence to disprove it, and a deliberate act to deceive' },
  { code: 'false', label: 'False: enough evidence to disprove it' },
  { code: 'unsubstantiated', label: 'Unsubstantiated: not enough evidence to prove or disprove it' },
  { code: 'unfounded', label: 'Unfounded: no evidence or proper basis for it' },
] as const satisfies readonly Code[]

/** The harm test an allegation meets (working-together.md §7, scope). */
export const LADO_CATEGORY = [
  { code: 'harm', label: 'Behaved in a way that has harmed, or may have harmed, a child' },
  { code: 'offence', label: 'Possibly committed a criminal offence against or related to a child' },
  { code: 'risk', label: 'Behaved towards a child in a way that indicates they may pose a risk of harm' },
  { code: 'suitability', label: 'Behaved in a way that indicates they may not be suitable to work with children' },
] as const satisfies readonly Code[]

export const LADO_MEETING_KIND = [
  { code: 'strategy', label: 'Strategy meeting' },
  { code: 'evaluation', label: 'Evaluation meeting' },
] as const satisfies readonly Code[]

/** Section 11 self-assessment ratings, best first. */
export const SECTION11_RATING = [
  { code: 'met', label: 'Fully met' },
  { code: 'partly-met', label: 'Partly met' },
  { code: 'not-met', label: 'Not met' },
] as const satisfies readonly Code[]

export const DAR_DECISION = [
  { code: 'review', label: 'Hold a review' },
  { code: 'no-review', label: 'Do not hold a review' },
] as const satisfies readonly Code[]

/** Where a review action stands: the owner gives evidence, the partnership closes it. */
export const REVIEW_ACTION_STATUS = [
  { code: 'open', label: 'Open' },
  { code: 'evidence-submitted', label: 'Evidence given, awaiting the partnership' },
  { code: 'closed', label: 'Closed' },
] as const satisfies readonly Code[]

export const SECTION11_STATUS = [
  { code: 'issued', label: 'Issued, awaiting the agency' },
  { code: 'submitted', label: 'Answered, awaiting the partnership' },
  { code: 'challenged', label: 'Challenged by the partnership' },
  { code: 'agreed', label: 'Agreed' },
] as const satisfies readonly Code[]
