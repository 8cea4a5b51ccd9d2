/**
 * What the SSDA903 export reads of care plans, reviews and permanence (services/care/permanence.ts):
 * each period's reviews' participation, decisions to place for adoption with the match and the
 * adopters, and previous permanence, with the period's dates and how it ended. The Reviews (REVIEW_CODE),
 * AD1, PlacedAdoption and PrevPerm builders read only this.
 */
import type { Db } from '../../../db/connection.ts'
import type { AdoptionDecisionRow, PreviousPermanenceRow } from '../../care/permanence.ts'
import { permanenceOfPeriods } from '../../care/permanence.ts'

export interface ExportPermanence {
  periodId: string
  startedOn: string
  endedOn: string | null
  /** 903 REC of the period's last episode, when it has ended. */
  reasonCeased: string | null
  /** REVIEW_CODE by the day the review was held. */
  participation: Record<string, string>
  adoptionDecisions: AdoptionDecisionRow[]
  previousPermanence: PreviousPermanenceRow | null
}

/** Each period's permanence for the export, by period id. */
export async function exportPermanenceOf(
  db: Db,
  periods: { id: string; startedOn: string; endedOn: string | null; reasonCeased: string | null }[],
): Promise<Map<string, ExportPermanence>> {
  const byPeriod = await permanenceOfPeriods(db, periods.map((p) => p.id))
  return new Map(
    periods.map((p) => {
      const pm = byPeriod[p.id]!
      return [
        p.id,
        {
          periodId: p.id,
          startedOn: p.startedOn,
          endedOn: p.endedOn,
          reasonCeased: p.reasonCeased,
          participation: Object.fromEntries(pm.reviews.map((r) => [r.heldOn, r.participation])),
          adoptionDecisions: pm.adoptionDecisions,
          previousPermanence: pm.previousPermanence,
        },
      ]
    }),
  )
}
