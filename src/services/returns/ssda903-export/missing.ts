/**
 * missing.csv: missing (M) and away without permission (A) episodes open at some time in the year,
 * during care. An episode still going on at 31 March has no end date in the return.
 */
import { childColumns, ddmmyyyy, type TableBuilder } from './model.ts'

export const missing: TableBuilder = (child, year) =>
  child.missing
    .filter((m) => m.startedOn <= year.end && (m.returnedOn === null || m.returnedOn >= year.start))
    .filter((m) => child.periods.some((p) => p.startedOn <= m.startedOn && (p.endedOn === null || m.startedOn <= p.endedOn)))
    .map((m) => ({
      ...childColumns(child),
      MISSING: m.kind === 'away' ? 'A' : 'M',
      MIS_START: ddmmyyyy(m.startedOn),
      MIS_END: m.returnedOn !== null && m.returnedOn <= year.end ? ddmmyyyy(m.returnedOn) : '',
    }))
