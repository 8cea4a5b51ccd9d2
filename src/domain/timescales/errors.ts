import type { IsoDate } from './calendar/iso-date.ts'

/** A timescale question with no answer: unknown rule or edition, or a rule that does not apply. */
export class TimescaleError extends Error {
  override name = 'TimescaleError'
}

export class UnknownRuleError extends TimescaleError {
  override name = 'UnknownRuleError'
  constructor(readonly rule: unknown) {
    super(`unknown rule: ${JSON.stringify(rule) ?? String(rule)} (run "together rules" for the list)`)
  }
}

export class UnknownEditionError extends TimescaleError {
  override name = 'UnknownEditionError'
  constructor(
    readonly edition: unknown,
    known: readonly number[],
  ) {
    super(`unknown edition of Working Together: ${JSON.stringify(edition) ?? String(edition)} (editions: ${known.join(', ')})`)
  }
}

/** The start date is before the first edition, so no edition was in force. */
export class NoEditionInForceError extends TimescaleError {
  override name = 'NoEditionInForceError'
  constructor(readonly start: IsoDate, firstInForce: IsoDate) {
    super(`no edition of Working Together was in force on ${start} (the first, WT2006, applies from ${firstInForce})`)
  }
}

/** The rule does not exist in the edition applied. */
export class RuleNotInEditionError extends TimescaleError {
  override name = 'RuleNotInEditionError'
  constructor(
    readonly rule: string,
    readonly edition: number,
    readonly editions: readonly number[],
  ) {
    super(`rule ${rule} is not in Working Together ${edition} (it is in ${editions.join(', ')})`)
  }
}

/** A rule from legislation that was not yet in force on the start date. */
export class RuleNotInForceError extends TimescaleError {
  override name = 'RuleNotInForceError'
  constructor(
    readonly rule: string,
    readonly start: IsoDate,
    readonly inForceFrom: IsoDate,
  ) {
    super(`rule ${rule} applies only to start dates from ${inForceFrom}, not ${start}`)
  }
}
