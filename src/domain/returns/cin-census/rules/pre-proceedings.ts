/**
 * Draft 2026-27 rules on <PreProceedingsandFGDM> (from the public validator's unreviewed draft
 * branch, January 2026): only run for the draft census, behind an explicit flag.
 */
import { censusDate, censusFlag, isBefore } from '../dates.ts'
import { itemsOf, reportEach, type CensusContext, type ChildRule } from '../rule.ts'

const PP = 'PreProceedings'
const DRAFT = [2027] as const
const OUTCOMES = new Set(['A', 'B', 'C'])

const preProceedings = itemsOf('PreProceedingsandFGDM', (e) => e.preProceedings)

/** Present but not a date in the census year. */
function outsideYear(value: string | undefined, ctx: CensusContext): boolean {
  if (value === undefined) return false
  const d = censusDate(value)
  return d === undefined || d < ctx.start || d > ctx.end
}


export const PRE_PROCEEDINGS_RULES: ChildRule[] = [
  {
    code: '9000Q', type: 'query', table: PP, field: 'PPStartDate', years: DRAFT,
    message: 'Please check: the date pre-proceedings started is not given (leave blank and explain if it is not collected)',
    check: reportEach(preProceedings, (p) => p.ppStartDate === undefined),
  },
  {
    code: '9005', type: 'error', table: PP, field: 'PPStartDate', years: DRAFT,
    message: 'The date of the decision to start pre-proceedings is not within the census year',
    check: reportEach(preProceedings, (p, _e, ctx) => outsideYear(p.ppStartDate, ctx)),
  },
  {
    code: '9006', type: 'error', table: PP, field: 'LBPSentDate', years: DRAFT,
    message: 'The letter before proceedings date must be in the census year and on or after pre-proceedings started',
    check: reportEach(preProceedings, (p, _e, ctx) => outsideYear(p.lbpSentDate, ctx) || isBefore(p.lbpSentDate, p.ppStartDate)),
  },
  {
    code: '9007', type: 'error', table: PP, field: 'FGDMMeetingOffer', years: DRAFT,
    message: 'A letter before proceedings was sent, so say whether a family group decision making meeting was offered',
    check: reportEach(preProceedings, (p) => p.lbpSentDate !== undefined && censusFlag(p.fgdmMeetingOffer) === undefined),
  },
  {
    code: '9008', type: 'error', table: PP, field: 'InitialPPMeetingDate', years: DRAFT,
    message: 'The first pre-proceedings meeting date is not within the census year',
    check: reportEach(preProceedings, (p, _e, ctx) => outsideYear(p.initialPpMeetingDate, ctx)),
  },
  {
    code: '9009', type: 'error', table: PP, field: 'StepDecisionDate', years: DRAFT,
    message: 'The step-up or step-down decision date must be in the census year and on or after pre-proceedings started',
    check: reportEach(preProceedings, (p, _e, ctx) => outsideYear(p.stepDecisionDate, ctx) || isBefore(p.stepDecisionDate, p.ppStartDate)),
  },
  {
    code: '9010Q', type: 'query', table: PP, field: 'FGDMMeetingFac', years: DRAFT,
    message: 'Please check: a family group decision making meeting was offered, so say whether it was facilitated',
    check: reportEach(preProceedings, (p) => censusFlag(p.fgdmMeetingOffer) === true && censusFlag(p.fgdmMeetingFac) === undefined),
  },
  {
    code: '9011', type: 'error', table: PP, field: 'PPOutcome', years: DRAFT,
    message: 'The pre-proceedings outcome is not a valid code (A, B or C in the draft)',
    check: reportEach(preProceedings, (p) => p.ppOutcome !== undefined && !OUTCOMES.has(p.ppOutcome)),
  },
  {
    code: '9012', type: 'error', table: PP, field: 'CourtAppDate', years: DRAFT,
    message: 'The court application date must be in the census year and on or after the decision to issue care proceedings',
    check: reportEach(preProceedings, (p, _e, ctx) => outsideYear(p.courtAppDate, ctx) || isBefore(p.courtAppDate, p.stepDecisionDate)),
  },
  {
    code: '9013', type: 'error', table: PP, field: 'LetterInitCPDate', years: DRAFT,
    message: 'The letter initiating care proceedings must be in the census year and on or after the court application',
    check: reportEach(preProceedings, (p, _e, ctx) => outsideYear(p.letterInitCpDate, ctx) || isBefore(p.letterInitCpDate, p.courtAppDate)),
  },
  {
    code: '9015Q', type: 'query', table: PP, field: 'ReviewMeetingsCount', years: DRAFT,
    message: 'Please check: count the review meetings held after the first pre-proceedings meeting',
    check: reportEach(preProceedings, (p) => p.initialPpMeetingDate !== undefined && p.reviewMeetingsCount === undefined),
  },
]
