/**
 * previous_permanence.csv: for each period of care starting in the year, whether an earlier adoption,
 * special guardianship or child arrangements order broke down (PREV_PERM, LA_PERM, DATE_PERM with ZZ
 * for unknown parts), as asked when care started. A period without the answer has no row, so rule 630
 * names the child.
 */
import { childColumns, type TableBuilder } from './model.ts'

export const previousPermanence: TableBuilder = (child, year) =>
  (child.permanence ?? [])
    .filter((p) => p.startedOn >= year.start && p.startedOn <= year.end && p.previousPermanence !== null)
    .map((p) => ({
      ...childColumns(child),
      PREV_PERM: p.previousPermanence!.prevPerm,
      LA_PERM: p.previousPermanence!.laPerm ?? '',
      DATE_PERM: p.previousPermanence!.datePerm ?? '',
    }))
