/** Every CIN census rule Together checks, by DfE rule code. */
import type { ChildRule, HeaderRule, ReturnRule } from '../rule.ts'
import { ASSESSMENT_RULES } from './assessment.ts'
import { CHILD_RULES } from './child.ts'
import { EPISODE_RULES } from './episode.ts'
import { PLAN_RULES } from './plans.ts'
import { PRE_PROCEEDINGS_RULES } from './pre-proceedings.ts'
import { SECTION47_RULES } from './section47.ts'
import { HEADER_RULES, RETURN_RULES } from './whole-return.ts'

export const CHILD_LEVEL_RULES: readonly ChildRule[] = [
  ...CHILD_RULES,
  ...EPISODE_RULES,
  ...ASSESSMENT_RULES,
  ...SECTION47_RULES,
  ...PLAN_RULES,
  ...PRE_PROCEEDINGS_RULES,
]

export { HEADER_RULES, RETURN_RULES }

const appliesTo = (year: number) => (rule: { years?: readonly number[] }) => rule.years === undefined || rule.years.includes(year)

/** The rules of one census year (the year it ends in). */
export function rulesFor(year: number): { header: HeaderRule[]; child: ChildRule[]; whole: ReturnRule[] } {
  const applies = appliesTo(year)
  return {
    header: HEADER_RULES.filter(applies),
    child: CHILD_LEVEL_RULES.filter(applies),
    whole: RETURN_RULES.filter(applies),
  }
}
