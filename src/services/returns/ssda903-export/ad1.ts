/**
 * ad1.csv: a child adopted in the year (a period of care ended by an adoption order, E11 or E12, in
 * the year), from the decision to place for adoption that stood: DATE_INT, DATE_MATCH and the
 * adopters (services/care/permanence.ts, which refuses an adoption order without them).
 */
import { ADOPTION_EXIT } from '../../../domain/care/permanence.ts'
import { childColumns, ddmmyyyy, type TableBuilder } from './model.ts'

export const ad1: TableBuilder = (child, year) =>
  (child.permanence ?? [])
    .filter((p) => p.endedOn !== null && p.endedOn >= year.start && p.endedOn <= year.end && ADOPTION_EXIT.has(p.reasonCeased ?? ''))
    .flatMap((p) => {
      const d = p.adoptionDecisions.find((a) => a.ceasedOn === null)
      if (!d) return []
      return [
        {
          ...childColumns(child),
          DATE_INT: ddmmyyyy(d.decidedOn),
          DATE_MATCH: ddmmyyyy(d.matchedOn),
          FOSTER_CARE: d.adoptersFosterCarers === null ? '' : d.adoptersFosterCarers ? '1' : '0',
          NB_ADOPTR: d.adopterCount === null ? '' : String(d.adopterCount),
          SEX_ADOPTR: d.adopterSex ?? '',
          LS_ADOPTR: d.adopterLegalStatus ?? '',
        },
      ]
    })
