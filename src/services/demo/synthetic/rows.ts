/**
 * The rows the synthetic generator writes, shaped exactly as Drizzle returns them (camelCase keys,
 * every column present, instants as ISO strings as JSON writes a Date), so a record_revision's data
 * is what a service's own revision would hold.
 */
import { getTableColumns } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import {
  accessGrant,
  agency,
  appUser,
  assessment,
  careLeaver,
  careLeaverRecord,
  carer,
  caseNote,
  childCase,
  cinEpisode,
  clock,
  conference,
  contact,
  contactChild,
  coreGroupMeeting,
  healthEducationRecord,
  legalStatusChange,
  lookedAfterPeriod,
  missingEpisode,
  partnership,
  periodOfCare,
  person,
  placement,
  plan,
  planItem,
  previousPermanence,
  recordRevision,
  section47Enquiry,
  strategyDiscussion,
  task,
  team,
} from '../../../db/schema/index.ts'

/** The tables, in an order in which every foreign key points at an earlier table. */
export const SYNTHETIC_TABLES = {
  partnership,
  agency,
  team,
  appUser,
  person,
  childCase,
  accessGrant,
  contact,
  contactChild,
  cinEpisode,
  assessment,
  strategyDiscussion,
  section47Enquiry,
  plan,
  planItem,
  conference,
  coreGroupMeeting,
  caseNote,
  lookedAfterPeriod,
  periodOfCare,
  previousPermanence,
  legalStatusChange,
  carer,
  placement,
  missingEpisode,
  healthEducationRecord,
  careLeaver,
  careLeaverRecord,
  clock,
  task,
  recordRevision,
} as const satisfies Record<string, PgTable>

export type TableKey = keyof typeof SYNTHETIC_TABLES
export const TABLE_ORDER = Object.keys(SYNTHETIC_TABLES) as TableKey[]

/** A row as stored: Date columns become ISO strings. */
type Stored<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] }

export type RowOf<K extends TableKey> = Stored<(typeof SYNTHETIC_TABLES)[K]['$inferSelect']>
export type AnyRow = Record<string, unknown>

/** Rows waiting to be written, by table. */
export type RowBatch = { [K in TableKey]: RowOf<K>[] }

export function emptyBatch(): RowBatch {
  return Object.fromEntries(TABLE_ORDER.map((k) => [k, []])) as unknown as RowBatch
}

const templates = new Map<TableKey, AnyRow>()

/** Every column of the table set to null, in the table's column order. */
function templateOf(key: TableKey): AnyRow {
  let t = templates.get(key)
  if (!t) {
    t = Object.fromEntries(Object.keys(getTableColumns(SYNTHETIC_TABLES[key])).map((c) => [c, null]))
    templates.set(key, t)
  }
  return t
}

/** A complete row: the values given, every other column null. */
export function newRow<K extends TableKey>(key: K, values: Partial<RowOf<K>>): RowOf<K> {
  return { ...templateOf(key), ...values } as RowOf<K>
}
