/**
 * Annex A lists 10 and 11's categories from the adoption record: the reason a child should no
 * longer be placed for adoption (903 REASON_PLACED_CEASED RD1-RD4 in the list's order a-d, by the
 * crosswalk in shared/reference/annex-a/annex_a_lists_8_11_from_903.json, ours and UNVERIFIED). Pure.
 */
import type { Cell } from './codes.ts'

const NO_LONGER_PLACED: Record<string, string> = {
  RD1: "a) Child's needs changed",
  RD2: 'b) Court did not make a placement order',
  RD3: 'c) Prospective adopters could not be found',
  RD4: 'd) Any other reason',
}

/** "Reason Why Child No Longer Placed for Adoption". */
export const noLongerPlacedReason = (code: string | null): Cell => (code ? (NO_LONGER_PLACED[code] ?? 'zzCodeError') : null)
