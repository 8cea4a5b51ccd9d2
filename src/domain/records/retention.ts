/**
 * Retention (issue 18 §4): how long each kind of record is kept, when one record's retention ends,
 * and whether a legal hold covers it. Pure: the date is a parameter, no I/O.
 *
 * The defaults follow the LGA/IRMS retention guidelines for local authorities; a partnership
 * confirms or changes each one, and until it does each is shown as "default — to confirm".
 */
import type { Code } from '../journey/dfe-codes.ts'
import { addMonths, type IsoDate } from '../timescales/calendar/iso-date.ts'

/** The kinds of record a schedule is set for. */
export const RETENTION_KIND = [
  { code: 'child-case', label: "A child's case (children in need, child protection)" },
  { code: 'looked-after-child', label: "A looked-after child's record" },
  { code: 'contact-no-further-action', label: 'A contact that went no further' },
  { code: 'document', label: 'A document on a case' },
  { code: 'lado-case', label: 'An allegation against a person who works with children (LADO case)' },
  { code: 'practice-review', label: 'A serious incident, rapid review or practice review' },
  { code: 'notification', label: 'An in-app notification (operational, no audit value)' },
  { code: 'draft', label: 'A saved draft of a form (operational)' },
] as const satisfies readonly Code[]

export type RetentionKind = (typeof RETENTION_KIND)[number]['code']

export const retentionKinds = RETENTION_KIND.map((k) => k.code) as [RetentionKind, ...RetentionKind[]]

export function retentionKindLabel(kind: string): string {
  return RETENTION_KIND.find((k) => k.code === kind)?.label ?? kind
}

/**
 * What a retention period counts from: the person's date of birth, the day the record was closed
 * (decided, concluded), the day it was created; or 'with-case': the record is kept as long as the
 * case it is on.
 */
export const RETENTION_BASIS = [
  { code: 'date-of-birth', label: 'from the date of birth' },
  { code: 'closure', label: 'from the day the record was closed' },
  { code: 'created', label: 'from the day the record was made' },
  { code: 'with-case', label: 'as long as the case it is on' },
] as const satisfies readonly Code[]

export type RetentionBasis = (typeof RETENTION_BASIS)[number]['code']

export const retentionBases = RETENTION_BASIS.map((k) => k.code) as [RetentionBasis, ...RetentionBasis[]]

export interface RetentionRule {
  basis: RetentionBasis
  /** Months after the basis date (ignored for 'with-case'). 25 years: 300. */
  months: number
}

export interface RetentionSchedule extends RetentionRule {
  kind: RetentionKind
  /** The guidance the period comes from, in words. */
  source: string
  /** False while the default has not been confirmed (or changed) by the partnership. */
  confirmed: boolean
}

export const DEFAULT_SOURCE = 'LGA/IRMS retention guidelines for local authorities — confirm locally'

const years = (n: number) => n * 12

/** The defaults a new partnership starts with, each "default — to confirm". */
export const DEFAULT_RETENTION: Readonly<Record<RetentionKind, RetentionRule>> = Object.freeze({
  'child-case': { basis: 'date-of-birth', months: years(25) },
  'looked-after-child': { basis: 'date-of-birth', months: years(75) },
  'contact-no-further-action': { basis: 'closure', months: years(6) },
  document: { basis: 'with-case', months: 0 },
  'lado-case': { basis: 'closure', months: years(10) },
  'practice-review': { basis: 'closure', months: years(25) },
  notification: { basis: 'created', months: years(2) },
  draft: { basis: 'created', months: 3 },
})

/** The partnership's schedules: its own rows, and the defaults (unconfirmed) for kinds it has not set. */
export function schedulesOf(saved: readonly RetentionSchedule[]): RetentionSchedule[] {
  return retentionKinds.map(
    (kind) => saved.find((s) => s.kind === kind) ?? { kind, ...DEFAULT_RETENTION[kind], source: DEFAULT_SOURCE, confirmed: false },
  )
}

/** "25 years from the date of birth", "as long as the case it is on". */
export function describeRule(rule: RetentionRule): string {
  const basis = RETENTION_BASIS.find((b) => b.code === rule.basis)?.label ?? rule.basis
  if (rule.basis === 'with-case') return basis
  const y = Math.floor(rule.months / 12)
  const m = rule.months % 12
  const parts = [y ? `${y} year${y === 1 ? '' : 's'}` : '', m ? `${m} month${m === 1 ? '' : 's'}` : ''].filter(Boolean)
  return `${parts.join(' and ') || '0 months'} ${basis}`
}

/** The dates a record's retention is counted from (null: not known, or not yet: an open record). */
export interface RecordDates {
  dateOfBirth: IsoDate | null
  /** The day the record was closed; null while it is open. */
  closedOn: IsoDate | null
  createdOn: IsoDate
  /** For 'with-case': the retention date of the case the record is on (null: not yet known). */
  caseRetainUntil?: IsoDate | null
}

/** A retention date set for one record by hand, with its reason. */
export interface RetentionOverride {
  retainUntil: IsoDate
  reason: string
}

export interface RetentionDate {
  /** The last day the record is kept; null while it cannot be known (an open case). */
  retainUntil: IsoDate | null
  /** Why: the rule in words, or the override's reason. */
  why: string
  overridden: boolean
}

/**
 * When a record's retention ends. An override wins. An open record (no closure) is kept at least
 * until it closes, so a closure-based period has no date yet; a date-of-birth period ends on the
 * later of that birthday and the closure (a case still open at 25 is not due). A date of birth
 * that is not recorded falls back to the closure day plus the same period, said so.
 */
export function retentionDate(rule: RetentionRule, dates: RecordDates, override?: RetentionOverride | null): RetentionDate {
  if (override) return { retainUntil: override.retainUntil, why: `Set for this record: ${override.reason}`, overridden: true }
  const why = describeRule(rule)
  switch (rule.basis) {
    case 'with-case':
      return { retainUntil: dates.caseRetainUntil ?? null, why, overridden: false }
    case 'created':
      return { retainUntil: addMonths(dates.createdOn, rule.months), why, overridden: false }
    case 'closure':
      return { retainUntil: dates.closedOn ? addMonths(dates.closedOn, rule.months) : null, why, overridden: false }
    case 'date-of-birth': {
      if (!dates.closedOn) return { retainUntil: null, why, overridden: false }
      if (!dates.dateOfBirth) {
        return { retainUntil: addMonths(dates.closedOn, rule.months), why: `${why} (no date of birth recorded: counted from the closure)`, overridden: false }
      }
      const birthday = addMonths(dates.dateOfBirth, rule.months)
      return { retainUntil: birthday > dates.closedOn ? birthday : dates.closedOn, why, overridden: false }
    }
  }
}

/** Past its retention date on `today`: the day after the last day kept, or later. */
export function isPastRetention(retainUntil: IsoDate | null, today: IsoDate): boolean {
  return retainUntil !== null && retainUntil < today
}

/** What a legal hold is placed on: a person, a case, or a whole kind of record. */
export type HoldTarget = { on: 'person'; personId: string } | { on: 'case'; caseId: string } | { on: 'kind'; kind: RetentionKind }

export interface LegalHold {
  id: string
  target: HoldTarget
  reason: string
  /** Null while the hold is in force. */
  liftedAt: Date | string | null
}

/**
 * A record as holds see it: its kinds (a case's own kind and 'document' when erasing it erases
 * documents; a document's kind and its case's), its case and the people it is about.
 */
export interface HeldRecord {
  kinds: readonly RetentionKind[]
  caseId: string | null
  personIds: readonly string[]
}

/** The holds in force that cover a record (any one stops its erasure). */
export function holdsCovering<H extends LegalHold>(holds: readonly H[], record: HeldRecord): H[] {
  return holds.filter((h) => {
    if (h.liftedAt !== null) return false
    switch (h.target.on) {
      case 'kind':
        return record.kinds.includes(h.target.kind)
      case 'case':
        return h.target.caseId === record.caseId
      case 'person':
        return record.personIds.includes(h.target.personId)
    }
  })
}
