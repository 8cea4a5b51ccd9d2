/**
 * placed_for_adoption.csv: decisions to place for adoption (DATE_PLACED) standing at some time in the
 * year, with their reversal (DATE_PLACED_CEASED, REASON_PLACED_CEASED) when it came by 31 March.
 */
import { childColumns, ddmmyyyy, type TableBuilder } from './model.ts'

export const placedForAdoption: TableBuilder = (child, year) =>
  (child.permanence ?? [])
    .flatMap((p) => p.adoptionDecisions)
    .filter((d) => d.decidedOn <= year.end && (d.ceasedOn === null || d.ceasedOn >= year.start))
    .sort((a, b) => a.decidedOn.localeCompare(b.decidedOn))
    .map((d) => {
      const ceased = d.ceasedOn !== null && d.ceasedOn <= year.end
      return {
        ...childColumns(child),
        DATE_PLACED: ddmmyyyy(d.decidedOn),
        DATE_PLACED_CEASED: ceased ? ddmmyyyy(d.ceasedOn) : '',
        REASON_PLACED_CEASED: ceased ? (d.reasonCeased ?? '') : '',
      }
    })
