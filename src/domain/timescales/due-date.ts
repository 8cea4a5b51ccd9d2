import { parseIsoDate, type IsoDate } from './calendar/iso-date.ts'
import { defaultBankHolidayCalendar } from './calendar/load.ts'
import type { BankHolidayCalendar } from './calendar/working-days.ts'
import { addDuration, type TimescaleUnit } from './duration.ts'
import { EDITIONS, editionInForce, findEdition, type Edition, type EditionYear } from './editions.ts'
import { NoEditionInForceError, RuleNotInEditionError, RuleNotInForceError } from './errors.ts'
import { DEFAULT_LOCAL_RULES, type LocalRuleSettings } from './local-rules.ts'
import { findRule, type RuleId, type TimescaleRule } from './rules.ts'

export interface TimescaleQuery {
  rule: string
  /** Date of the starting event. */
  start: IsoDate
  /** The edition to apply (its year); by default the one in force on `start`. */
  edition?: number | undefined
  /** Working-day calendar; by default the shipped bank holidays plus TOGETHER_BANK_HOLIDAYS. */
  calendar?: BankHolidayCalendar | undefined
  /** The partnership's local rules; by default DEFAULT_LOCAL_RULES. */
  localRules?: Readonly<LocalRuleSettings> | undefined
}

/** The row of the rules table that answers a query, the edition applied and the limit in effect. */
export interface AppliedRule {
  row: TimescaleRule
  edition: Edition
  limit: number
  unit: TimescaleUnit
}

/** What `together due` prints. `edition` is the year of the edition applied, as a number. */
export interface DueDate {
  rule: RuleId
  start: IsoDate
  edition: EditionYear
  limit: number
  unit: TimescaleUnit
  due: IsoDate
}

/**
 * Picks the rule's row for the query. A Working Together rule must exist in the edition applied
 * (the one named, else the one in force on the start date); a rule made by legislation applies to
 * start dates from its commencement, whatever the edition. Throws InvalidDateError, UnknownRuleError,
 * UnknownEditionError, NoEditionInForceError, RuleNotInEditionError or RuleNotInForceError.
 */
export function applyRule({ rule, start, edition, localRules = DEFAULT_LOCAL_RULES }: TimescaleQuery): AppliedRule {
  parseIsoDate(start)
  const rows = findRule(rule)
  const named = edition === undefined ? null : findEdition(edition)
  let row: TimescaleRule | undefined
  if (rows[0]?.inForceFrom !== undefined) {
    row = rows.findLast((r) => r.inForceFrom !== undefined && r.inForceFrom <= start)
    if (!row) throw new RuleNotInForceError(rule, start, rows[0].inForceFrom)
  }
  const applied = named ?? editionInForce(start)
  if (!applied) throw new NoEditionInForceError(start, (EDITIONS[0] as Edition).inForce)
  row ??= rows.find((r) => r.editions?.includes(applied.year))
  if (!row) {
    throw new RuleNotInEditionError(rule, applied.year, rows.flatMap((r) => r.editions ?? []))
  }
  const { limit, unit } = row.local ? localRules[row.local] : row
  return { row, edition: applied, limit, unit }
}

/** applyRule plus the due date and the calendar that produced it. */
export function resolveDue(query: TimescaleQuery): AppliedRule & { due: IsoDate; calendar: BankHolidayCalendar } {
  const applied = applyRule(query)
  const calendar = query.calendar ?? defaultBankHolidayCalendar()
  return { ...applied, due: addDuration(query.start, applied, calendar), calendar }
}

/** The due date for a timescale: `limit` `unit`s after the start date, by the counting conventions. */
export function dueDate(query: TimescaleQuery): DueDate {
  const { row, edition, limit, unit, due } = resolveDue(query)
  return { rule: row.id, start: query.start, edition: edition.year, limit, unit, due }
}
