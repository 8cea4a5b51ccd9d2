/** Every SSDA903 rule Together checks, by DfE rule code, grouped as in docs/ssda903.md. */
import type { Rule } from '../rule.ts'
import { CHILD_RULES } from './child.ts'

export const RULES: readonly Rule[] = [...CHILD_RULES]
