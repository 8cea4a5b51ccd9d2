/**
 * REVIEW_CODE, the child's participation in a looked-after review (PN0-PN7). The record does not
 * hold participation yet (a colleague adds it with the IRO's reviews): until then a child under 4
 * at the review is PN0, which the guidance sets by age alone, and an older child PN7 ("does not
 * attend; views not conveyed"), the code that claims no participation the record cannot show,
 * since the code set has no "not known" (docs/returns.md). Replace `participationOf` when the
 * review records participation.
 */
import { ageOn } from './model.ts'

export function participationOf(dateOfBirth: string | null, reviewOn: string, recorded?: string | null): string {
  if (recorded) return recorded
  if (dateOfBirth !== null && ageOn(dateOfBirth, reviewOn) < 4) return 'PN0'
  return 'PN7'
}
