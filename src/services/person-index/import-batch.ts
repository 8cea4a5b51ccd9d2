/**
 * `together import people` a batch at a time, with the decisions the row-at-a-time path
 * (importOne) makes on the same file. A run of rows is standardised and keyed in memory; the
 * records every one of its search keys reaches in the database are fetched in one query (each key's
 * records capped as blockedRecords caps them, lowest id first), and their persons' records in two
 * more. Each row is then taken in file order as the row path takes it: a new record is matched
 * against those and the rows before it in the run (its own record counted in the caps, earlier rows
 * linked or made persons of their own); a row whose source_system and source_id are held already
 * (in the database or earlier in the run) updates that record, its history and keys, which the
 * rows after it then see. Record ids are made here, so the caps' order is known before anything is
 * written. Then everything is written set-wise: persons, records (new ones inserted, held ones
 * updated), history, keys, link events, their audit entries (in file order, one a new record as
 * before) and reviews.
 *
 * A run the database refuses is rolled back and loaded again row at a time, so the refused row is
 * named and the rest load.
 */
import { randomUUID } from 'node:crypto'
import { getTableColumns, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connection.ts'
import { matchKey, matchReview, person, personLinkEvent, sourceAddress, sourceName, sourceRecord } from '../../db/schema/index.ts'
import { queryKeys, recordKeys } from '../../domain/person-index/blocking.ts'
import type { MatchModel } from '../../domain/person-index/model.ts'
import { standardise, type MatchRecord } from '../../domain/person-index/standardise.ts'
import { appendAuditBatch, type AuditEntryInput } from '../access/audit.ts'
import { decideNew, newHistory, recordValues, reviewValues, type HistoryName, type ImportOneResult, type ImportRow } from './import.ts'
import { linkAuditEntry, linkEventValues, markIndexWriting, personValuesFor, type LinkActor } from './links.ts'
import { compareIds, HIT_CAP, KEY_CAP, keyedRecords, rankCandidates, rawOf, recordsOfPersonsOf, type HitRow } from './store.ts'

type SourceRow = typeof sourceRecord.$inferSelect
type AddressRow = { postcode: string; postcodeNormalised: string }

/** A source record the run creates or updates, as it stands after the rows taken so far. */
interface RunRecord {
  /** Held in the database before the run (updated), or made by it (inserted). */
  held: boolean
  record: SourceRow
  /** Its whole name and address history, oldest first, and what the run adds to it. */
  names: HistoryName[]
  addresses: { postcode: string | null; postcodeNormalised: string | null }[]
  addedNames: HistoryName[]
  addedAddresses: AddressRow[]
  data: MatchRecord
  keys: string[]
}

/** Standardised as the index standardises a stored record, and as read back from the database (JSON). */
function standardised(r: Pick<RunRecord, 'record' | 'names' | 'addresses'>): MatchRecord {
  const raw = rawOf(r.record, r.names.map((n) => ({ id: r.record.id, givenName: n.givenName, familyName: n.familyName })), r.addresses.map((a) => a.postcode))
  return JSON.parse(JSON.stringify(standardise(raw))) as MatchRecord
}

/** A new record as importOne would store it. */
function created(who: LinkActor, row: ImportRow): RunRecord {
  const id = randomUUID()
  const record = {
    id,
    partnershipId: who.partnershipId,
    sourceSystem: row.source_system,
    sourceId: row.source_id,
    ...recordValues(row, who.now),
    dobPrecision: 'day',
    expectedDateOfBirth: null,
    localIds: {},
    adoption: null,
    personId: null,
    createdAt: who.now,
    version: 1,
  } as SourceRow
  const { names, addresses } = newHistory(row, new Set(), new Set())
  const r: RunRecord = { held: false, record, names: [...names], addresses: [...addresses], addedNames: names, addedAddresses: addresses, data: null as unknown as MatchRecord, keys: [] }
  r.data = standardised(r)
  r.keys = recordKeys(r.data)
  return r
}

/** The row applied to a record as importOne updates it: its columns, a new version, history added to, standardised again. */
function update(who: LinkActor, r: RunRecord, row: ImportRow): void {
  const { matchData: _, ...values } = recordValues(row, who.now)
  r.record = { ...r.record, ...values, version: r.record.version + 1 }
  const add = newHistory(
    row,
    new Set(r.names.map((n) => `${n.kind}|${n.givenName ?? ''}|${n.familyName ?? ''}`)),
    new Set(r.addresses.map((a) => a.postcodeNormalised)),
  )
  r.names.push(...add.names)
  r.addresses.push(...add.addresses)
  r.addedNames.push(...add.names)
  r.addedAddresses.push(...add.addresses)
  r.data = standardised(r)
  r.keys = recordKeys(r.data)
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::json`

/** The records of `rows` held already, by source (sourceKey), with their history in the order it was written. */
async function heldRecords(db: Db, partnershipId: string, rows: readonly ImportRow[]): Promise<Map<string, RunRecord>> {
  const held = new Map<string, RunRecord>()
  if (rows.length === 0) return held
  const pairs = json(rows.map((r) => [r.source_system, r.source_id]))
  const records = await db
    .select()
    .from(sourceRecord)
    .where(
      sql`${sourceRecord.partnershipId} = ${partnershipId} and (${sourceRecord.sourceSystem}, ${sourceRecord.sourceId}) in (select p->>0, p->>1 from json_array_elements(${pairs}) p)`,
    )
  if (records.length === 0) return held
  const ids = json(records.map((r) => r.id))
  const inIds = (column: PgColumn) => sql`${column} in (select value::uuid from json_array_elements_text(${ids}))`
  const names = await db
    .select({ id: sourceName.sourceRecordId, kind: sourceName.kind, givenName: sourceName.givenName, familyName: sourceName.familyName })
    .from(sourceName)
    .where(inIds(sourceName.sourceRecordId))
    .orderBy(sql`ctid`)
  const addresses = await db
    .select({ id: sourceAddress.sourceRecordId, postcode: sourceAddress.postcode, postcodeNormalised: sourceAddress.postcodeNormalised })
    .from(sourceAddress)
    .where(inIds(sourceAddress.sourceRecordId))
    .orderBy(sql`ctid`)
  const keys = await db.select({ id: matchKey.sourceRecordId, key: matchKey.key }).from(matchKey).where(inIds(matchKey.sourceRecordId))
  const byId = new Map<string, RunRecord>()
  for (const record of records) {
    const r: RunRecord = { held: true, record, names: [], addresses: [], addedNames: [], addedAddresses: [], data: record.matchData as MatchRecord, keys: [] }
    byId.set(record.id, r)
    held.set(sourceKey(record.sourceSystem, record.sourceId), r)
  }
  for (const { id, ...n } of names) byId.get(id)!.names.push(n)
  for (const { id, ...a } of addresses) byId.get(id)!.addresses.push(a)
  for (const { id, key } of keys) byId.get(id)!.keys.push(key)
  return held
}

export const sourceKey = (system: string, id: string) => `${system}\u0000${id}`

/**
 * Inserts rows as one JSON parameter a statement (thousands of rows with few parameters, which the
 * embedded database parses far faster than thousands of bound values). Every row names the same
 * columns; a column left out takes its default.
 */
async function insertAll<T extends PgTable>(db: Db, table: T, rows: readonly T['$inferInsert'][], tail = sql``): Promise<void> {
  if (rows.length === 0) return
  const { names, part } = columnsOf(table, rows[0]!)
  for (const some of chunks(rows, 5000)) {
    await db.execute(sql`insert into ${table} (${names}) select ${names} from json_populate_recordset(null::${table}, ${json(some.map(part))}) ${tail}`)
  }
}

/** The table's columns `row` names, and a row as JSON under those columns' names. */
function columnsOf<T extends PgTable>(table: T, row: T['$inferInsert']) {
  const columns = getTableColumns(table) as Record<string, PgColumn>
  const fields = Object.keys(row).filter((f) => columns[f])
  return {
    fields: fields.map((f) => columns[f]!.name),
    names: sql.join(fields.map((f) => sql.identifier(columns[f]!.name)), sql`, `),
    part: (r: T['$inferInsert']) => Object.fromEntries(fields.map((f) => [columns[f]!.name, (r as Record<string, unknown>)[f] ?? null])),
  }
}

/** Updates rows by id, the columns the first row names, as insertAll inserts them. */
async function updateAll(db: Db, rows: readonly (typeof sourceRecord.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return
  const { fields, part } = columnsOf(sourceRecord, rows[0]!)
  const set = sql.join(
    fields.filter((f) => f !== 'id').map((f) => sql`${sql.identifier(f)} = v.${sql.identifier(f)}`),
    sql`, `,
  )
  for (const some of chunks(rows, 5000)) {
    await db.execute(sql`update source_record s set ${set} from json_populate_recordset(null::source_record, ${json(some.map(part))}) v where s.id = v.id`)
  }
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n))

/**
 * Imports rows (new records, and updates of records held already or made earlier in the run) as
 * importOne would one after another; call inside a transaction (a savepoint: a refusal leaves the
 * run half written).
 */
export async function importRun(db: Db, who: LinkActor, rows: readonly ImportRow[], model: MatchModel, weightsId: string | null): Promise<ImportOneResult[]> {
  const bySource = await heldRecords(db, who.partnershipId, rows)
  const updated = [...bySource.values()]
  // The run's records under each key as they stand (updated records are taken out of the
  // database's lists and held here instead).
  const runByKey = new Map<string, Set<string>>()
  const enter = (r: RunRecord) => {
    for (const key of r.keys) {
      const set = runByKey.get(key)
      if (set) set.add(r.record.id)
      else runByKey.set(key, new Set([r.record.id]))
    }
  }
  const leave = (r: RunRecord) => {
    for (const key of r.keys) runByKey.get(key)?.delete(r.record.id)
  }
  for (const r of updated) enter(r)
  // Each row's record: new ones made (and keyed) now, so their queries are known.
  const plan = rows.map((row) => {
    const key = sourceKey(row.source_system, row.source_id)
    const existing = bySource.get(key)
    if (existing) return { row, update: existing }
    const r = created(who, row)
    bySource.set(key, r)
    return { row, create: r, queries: queryKeys(r.data) }
  })
  // Updated records may leave a key's first KEY_CAP: one more each is fetched.
  const fetched = await keyedRecords(db, who.partnershipId, [...new Set(plan.flatMap((p) => p.queries ?? []))], KEY_CAP + updated.length)
  const taken = new Set(updated.map((r) => r.record.id))
  const inDatabase = new Map<string, string[]>()
  for (const [key, ids] of fetched) inDatabase.set(key, taken.size === 0 ? ids : ids.filter((id) => !taken.has(id)))
  const reached = await recordsOfPersonsOf(db, [...new Set([...[...fetched.values()].flat(), ...taken])])
  const recordsOf = new Map<string, HitRow[]>()
  for (const r of reached.rows) {
    const list = recordsOf.get(r.person_id)
    if (list) list.push(r)
    else recordsOf.set(r.person_id, [r])
  }
  const personOf = reached.personOf
  const newPersons: (typeof person.$inferInsert)[] = []
  const events: (typeof personLinkEvent.$inferInsert)[] = []
  const audits: AuditEntryInput[] = []
  const reviews: (typeof matchReview.$inferInsert)[] = []
  const results: ImportOneResult[] = []
  for (const p of plan) {
    if (p.update) {
      const r = p.update
      leave(r)
      update(who, r, p.row)
      enter(r)
      const personId = r.record.personId!
      const list = recordsOf.get(personId)
      const at = list?.findIndex((h) => h.id === r.record.id) ?? -1
      if (at >= 0) list![at] = { ...list![at]!, match_data: r.data }
      results.push({ outcome: 'updated', sourceRecordId: r.record.id, personId, reviews: 0 })
      continue
    }
    const r = p.create!
    const id = r.record.id
    // Indexed before it is searched for, as importOne does: it takes its place under the caps.
    enter(r)
    const counts = new Map<string, number>()
    for (const key of p.queries!) {
      const fromRun = runByKey.get(key)
      const fromDatabase = inDatabase.get(key) ?? []
      const capped = fromRun && fromRun.size > 0 ? [...fromDatabase, ...fromRun].sort(compareIds).slice(0, KEY_CAP) : fromDatabase.slice(0, KEY_CAP)
      for (const c of capped) counts.set(c, (counts.get(c) ?? 0) + 1)
    }
    const hits = [...counts].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0])).slice(0, HIT_CAP)
    const persons = new Set<string>()
    for (const [c] of hits) {
      const owner = personOf.get(c)
      if (owner) persons.add(owner)
    }
    const candidateRows = [...persons].flatMap((personId) => recordsOf.get(personId) ?? [])
    const candidates = rankCandidates(model, r.data, candidateRows).slice(0, 5)
    const decision = decideNew(model, r.data, candidates, weightsId)
    let personId: string
    let reviewCount = 0
    if ('link' in decision) {
      personId = decision.link.personId
      events.push(linkEventValues(id, personId, who, decision.why))
      audits.push(linkAuditEntry(id, personId, who, decision.why))
    } else {
      personId = randomUUID()
      newPersons.push({ id: personId, ...personValuesFor(r.record) })
      events.push(linkEventValues(id, personId, who, { method: 'new-person' }))
      audits.push(linkAuditEntry(id, personId, who, { method: 'new-person' }))
      for (const c of decision.review) reviews.push(reviewValues(who.partnershipId, id, c, who.now))
      reviewCount = decision.review.length
    }
    r.record.personId = personId
    personOf.set(id, personId)
    const restricted = recordsOf.get(personId)?.[0]?.restricted ?? false
    const own: HitRow = { id, person_id: personId, source_system: r.record.sourceSystem, source_id: r.record.sourceId, match_data: r.data, restricted }
    recordsOf.set(personId, [...(recordsOf.get(personId) ?? []), own])
    results.push({ outcome: 'link' in decision ? 'linked' : 'created', sourceRecordId: id, personId, reviews: reviewCount })
  }
  // Written set-wise: each record as it stands after the run.
  const records = [...new Set(plan.map((p) => p.create ?? p.update!))]
  const columns = ({ record: s, data }: RunRecord): typeof sourceRecord.$inferInsert => ({
    id: s.id,
    partnershipId: who.partnershipId,
    sourceSystem: s.sourceSystem,
    sourceId: s.sourceId,
    givenName: s.givenName,
    middleNames: s.middleNames,
    familyName: s.familyName,
    dateOfBirth: s.dateOfBirth,
    sex: s.sex,
    nhsNumber: s.nhsNumber,
    upn: s.upn,
    postcode: s.postcode,
    addressLine: s.addressLine,
    matchData: data,
    personId: s.personId,
    recordedAt: s.recordedAt,
    updatedAt: s.updatedAt,
    version: s.version,
  })
  if (newPersons.length > 0) {
    await markIndexWriting(db)
    await insertAll(db, person, newPersons)
  }
  await insertAll(db, sourceRecord, records.filter((r) => !r.held).map(columns))
  await updateAll(db, records.filter((r) => r.held).map(columns))
  await insertAll(db, sourceName, records.flatMap((r) => r.addedNames.map((n) => ({ partnershipId: who.partnershipId, sourceRecordId: r.record.id, ...n }))))
  await insertAll(db, sourceAddress, records.flatMap((r) => r.addedAddresses.map((a) => ({ partnershipId: who.partnershipId, sourceRecordId: r.record.id, ...a }))))
  if (updated.length > 0) await db.execute(sql`delete from match_key where source_record_id in (select value::uuid from json_array_elements_text(${json(updated.map((r) => r.record.id))}))`)
  await insertAll(db, matchKey, records.flatMap((r) => r.keys.map((key) => ({ partnershipId: who.partnershipId, key, sourceRecordId: r.record.id }))))
  await insertAll(db, personLinkEvent, events)
  await appendAuditBatch(db, audits)
  await insertAll(db, matchReview, reviews, sql`on conflict do nothing`)
  return results
}
