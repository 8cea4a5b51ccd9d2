/**
 * Versioned updates and clocks for the partnership's own records (reviews, allegations, section
 * 11 returns): a change names the version it was made from, and a stale version is an
 * EditConflict carrying the record as it is now, never a silent overwrite.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/load.ts'
import { clockStatus, findRule, TimescaleError, type ClockStatus, type LocalRuleSettings, type RuleId } from '../../domain/timescales/index.ts'
import { EditConflict, NotFound, type ServiceContext } from '../common/context.ts'

export type VersionedTable = PgTable & { id: PgColumn; partnershipId: PgColumn; version: PgColumn }

/** A change to a versioned partnership record, worked out from the record as it is (inside the transaction). */
export type RecordChanges<R> = (record: R, tx: Db) => Promise<Partial<R>> | Partial<R>

export async function getOwnRecord<T>(tx: Db, ctx: ServiceContext, table: VersionedTable, id: string, what = 'record'): Promise<T> {
  const [row] = (await tx
    .select()
    .from(table as never)
    .where(and(eq(table.id, id), eq(table.partnershipId, ctx.actor.partnershipId)))) as unknown as T[]
  if (!row) throw new NotFound(`No such ${what}`)
  return row
}

/** A record that names a child's case, as shown to someone: the case id only where the policy shows them the child. */
export type ShownRecord<T extends { caseId: string }> = Omit<T, 'caseId'> & { caseId: string | null }

/**
 * The record with its child's case id kept only when the child is shown (showLinkedCase allowed
 * it): a refused or concealed child is not revealed by the case's id either (pages, API).
 */
export function shownRecord<T extends { caseId: string }>(record: T, childShown: boolean): ShownRecord<T> {
  return { ...record, caseId: childShown ? record.caseId : null }
}

export async function updateVersioned<T>(
  ctx: ServiceContext,
  tx: Db,
  table: VersionedTable,
  id: string,
  expectedVersion: number,
  changes: Record<string, unknown>,
): Promise<T> {
  const set: Record<string, unknown> = { ...changes, version: sql`${table.version} + 1` }
  if ('updatedAt' in table) set.updatedAt = ctx.now()
  const [row] = (await tx
    .update(table)
    .set(set as never)
    .where(and(eq(table.id, id), eq(table.partnershipId, ctx.actor.partnershipId), eq(table.version, expectedVersion)))
    .returning()) as unknown as T[]
  if (!row) {
    const current = await getOwnRecord<Record<string, unknown>>(tx, ctx, table, id)
    throw new EditConflict(
      `Someone else changed this record (now version ${String(current.version)}) after you opened it (version ${expectedVersion}). Your changes have not been saved.`,
      current,
    )
  }
  return row
}

/** A clock as the clock table shows it, for a record that is not a child's case. */
export interface RecordClock extends ClockStatus {
  title: string
  /** As on ClockView: set for rules from other law than Working Together. */
  inForceFrom: string | null
  startOn: string
  dueOn: string
  completedOn: string | null
}

/**
 * Where a timescale stands, or null when the rule does not apply to that start date (e.g. no
 * rapid review before WT2018): clocks inform, and an absent rule is shown as absent, not guessed.
 */
export function recordClock(
  rule: RuleId,
  start: string | null,
  completed: string | null,
  today: string,
  options: { edition?: number; delayReason?: string | null; localRules?: LocalRuleSettings } = {},
): RecordClock | null {
  if (!start) return null
  try {
    const status = clockStatus({
      rule,
      start,
      edition: options.edition,
      completed,
      today,
      delayReason: options.delayReason,
      localRules: options.localRules,
      calendar: defaultBankHolidayCalendar(),
    })
    const [row] = findRule(rule)
    return { ...status, title: row!.title, inForceFrom: row!.inForceFrom ?? null, startOn: start, dueOn: status.due, completedOn: completed }
  } catch (err) {
    if (err instanceof TimescaleError) return null
    throw err
  }
}
