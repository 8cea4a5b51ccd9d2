/**
 * The rules of children's social care assessments that do not need the database: which kind of
 * assessment the guidance in force offers, which clock each kind runs against, and the CIN census
 * rules on the factors identified at the end of an assessment (statutory-returns.md §2, rules
 * 8869, 8898, 8945Q/8950Q). Pure: dates are parameters.
 */
import { applyRule, editionInForce, type RuleId } from '../timescales/index.ts'
import { ASSESSMENT_FACTOR, type Code } from './dfe-codes.ts'

export type AssessmentKind = 'single' | 'initial' | 'core'

/** The factor code meaning "no factors identified": alone, and only with no further action. */
export const NO_FACTORS = '21'

/** Working Together 2013 replaced initial and core assessments with the single assessment. */
const SINGLE_ASSESSMENT_FROM = 2013

/**
 * The kinds of assessment offered on an episode: the edition in force on the referral date
 * decides, not today (a referral of 2012 is assessed by initial then core assessment).
 */
export function assessmentKindsFor(referralDate: string): AssessmentKind[] {
  const edition = editionInForce(referralDate)
  return edition && edition.year >= SINGLE_ASSESSMENT_FROM ? ['single'] : ['initial', 'core']
}

/**
 * The clock an assessment of this kind is measured against: the single and initial assessments'
 * clocks run from the referral (their subject is the episode); a core assessment runs its own.
 */
export function clockRuleOf(kind: AssessmentKind): { rule: RuleId; subject: 'episode' | 'assessment' } {
  switch (kind) {
    case 'single':
      return { rule: 'assessment', subject: 'episode' }
    case 'initial':
      return { rule: 'initial-assessment', subject: 'episode' }
    case 'core':
      return { rule: 'core-assessment', subject: 'assessment' }
  }
}

/**
 * Whether a rule has a timescale for a start date: a core assessment begun after WT2013 came into
 * force (a transitional case) has none, so no clock is started for it.
 */
export function ruleAppliesOn(rule: RuleId, start: string): boolean {
  try {
    applyRule({ rule, start })
    return true
  } catch {
    return false
  }
}

const factorSet: readonly Code[] = ASSESSMENT_FACTOR

/** A heading of the CIN census factor list with its factors, as the DfE guide groups them. */
export interface FactorGroup {
  heading: string
  /** `text` is the DfE label without the heading; `label` the whole DfE label. */
  factors: { code: string; text: string; label: string }[]
}

/** Splits a DfE factor label into its heading and the rest ("Alcohol misuse: concerns about …"). */
function splitFactorLabel(label: string): [string, string] {
  const abuse = /^Abuse or neglect – /.exec(label)
  if (abuse) return ['Abuse or neglect', label.slice(abuse[0].length)]
  const parts = /^(.*?)(?::| - )\s*(.+)$/.exec(label)
  return parts ? [parts[1]!, parts[2]!] : [label, label]
}

/**
 * The assessment factors grouped under the DfE headings (one per number of the code: 1 alcohol
 * misuse, 2 drug misuse … 16–19 abuse or neglect), in the census order; retired codes only when
 * asked (an old record showing them), and never "no factors identified", which stands apart.
 */
export function factorGroups(includeRetired = false): FactorGroup[] {
  const groups: FactorGroup[] = []
  for (const f of factorSet) {
    if (f.code === NO_FACTORS || (f.retired && !includeRetired)) continue
    const [heading, text] = splitFactorLabel(f.label)
    const last = groups.at(-1)
    if (last && last.heading === heading) last.factors.push({ code: f.code, text, label: f.label })
    else groups.push({ heading, factors: [{ code: f.code, text, label: f.label }] })
  }
  return groups
}

/**
 * What is wrong with the factors identified at the end of an assessment, or null. Retired codes
 * are refused (they are kept only so old records stay readable); "no factors" stands alone and
 * only when no further action follows; a single assessment must say which factors it found (or
 * "no factors"); initial and core assessments predate the census item, so they may record none.
 */
export function factorProblem(factors: readonly string[], outcome: string, kind: AssessmentKind): string | null {
  const seen = new Set<string>()
  for (const code of factors) {
    const known = factorSet.find((c) => c.code === code)
    if (!known) return `${code} is not an assessment factor code`
    if (known.retired) return `Factor ${code} is no longer used: choose one of the factors offered`
    if (seen.has(code)) return `Factor ${code} is selected more than once`
    seen.add(code)
  }
  if (seen.has(NO_FACTORS) && seen.size > 1) return '“No factors identified” cannot be selected with other factors'
  if (seen.has(NO_FACTORS) && outcome !== 'nfa') return '“No factors identified” can only be used when the outcome is no further action'
  if (kind === 'single' && seen.size === 0) return 'Select the factors identified, or “No factors identified”'
  return null
}

/** What is wrong with an outcome for this kind of assessment, or null. */
export function outcomeProblem(outcome: string, kind: AssessmentKind): string | null {
  if (outcome === 'core-assessment' && kind !== 'initial') return 'Only an initial assessment can lead to a core assessment'
  return null
}

/** Whether work finished on `completedOn` was late against a clock due on `dueOn`. */
export function isLate(dueOn: string, completedOn: string): boolean {
  return completedOn > dueOn
}
