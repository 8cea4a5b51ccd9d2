/**
 * `together import people` a batch at a time, with the decisions the row-at-a-time path
 * (importOne) makes on the same file. A run of new records is standardised and keyed in memory; the
 * records every one of its search keys reaches in the database are fetched in one query (each key's
 * records capped as blockedRecords caps them, lowest id first), and their persons' records in two
 * more. Each row is then matched in file order against those and the rows before it in the run, as
 * the row path sees them: its own record counted in the caps, earlier rows linked or made persons
 * of their own. Record ids are made here, so the caps' order is known before anything is written.
 * Then everything is written set-wise: persons, records, history, keys, link events, their audit
 * entries (in file order, one a record as before) and reviews.
 *
 * A row whose source_system and source_id are already held (an update, or a second row for one
 * record) goes through importOne, between runs. A run the database refuses is rolled back and
 * loaded again row at a time, so the refused row is named and the rest load.
 */
import { randomUUID } from 'node:crypto'
import { getTableColumns, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import { queryRows, type Db } from '../../db/connection.ts'
import { matchKey, matchReview, person, personLinkEvent, sourceAddress, sourceName, sourceRecord } from '../../db/schema/index.ts'
import { queryKeys, recordKeys } from '../../domain/person-index/blocking.ts'
import type { MatchModel } from '../../domain/person-index/model.ts'
import { standardise, type MatchRecord } from '../../domain/person-index/standardise.ts'
import { appendAuditBatch, type AuditEntryInput } from '../access/audit.ts'
import { decideNew, newHistory, recordValues, reviewValues, type ImportOneResult, type ImportRow } from './import.ts'
import { linkAuditEntry, linkEventValues, markIndexWriting, personValuesFor, type LinkActor } from './links.ts'
import { compareIds, HIT_CAP, KEY_CAP, keyedRecords, rankCandidates, rawOf, recordsOfPersonsOf, type HitRow } from './store.ts'

type SourceRow = typeof sourceRecord.$inferSelect

interface Prepared {
  row: ImportRow
  record: SourceRow
  names: ReturnType<typeof newHistory>['names']
  addresses: ReturnType<typeof newHistory>['addresses']
  data: MatchRecord
  keys: string[]
}

/** The record as importOne would store it, with its match data as read back from the database (JSON). */
function prepare(who: LinkActor, row: ImportRow): Prepared {
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
  const raw = rawOf(record, names.map((n) => ({ id, givenName: n.givenName, familyName: n.familyName })), addresses.map((a) => a.postcode))
  const data = JSON.parse(JSON.stringify(standardise(raw))) as MatchRecord
  return { row, record, names, addresses, data, keys: recordKeys(data) }
}

/** Source systems and ids of `rows` already held. */
export async function heldSources(db: Db, partnershipId: string, rows: readonly ImportRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set()
  const pairs = JSON.stringify(rows.map((r) => [r.source_system, r.source_id]))
  const held = await queryRows<{ source_system: string; source_id: string }>(
    db,
    sql`select s.source_system, s.source_id from source_record s
        join (select p->>0 as source_system, p->>1 as source_id from json_array_elements(${pairs}::json) p) q
          on q.source_system = s.source_system and q.source_id = s.source_id
        where s.partnership_id = ${partnershipId}`,
  )
  return new Set(held.map((h) => sourceKey(h.source_system, h.source_id)))
}

export const sourceKey = (system: string, id: string) => `${system}\u0000${id}`

/**
 * Inserts rows as one JSON parameter a statement (thousands of rows with few parameters, which the
 * embedded database parses far faster than thousands of bound values). Every row names the same
 * columns; a column left out takes its default.
 */
async function insertAll<T extends PgTable>(db: Db, table: T, rows: readonly T['$inferInsert'][], tail = sql``): Promise<void> {
  if (rows.length === 0) return
  const columns = getTableColumns(table) as Record<string, PgColumn>
  const fields = Object.keys(rows[0]!).filter((f) => columns[f])
  const names = sql.join(fields.map((f) => sql.identifier(columns[f]!.name)), sql`, `)
  for (const part of chunks(rows, 2000)) {
    const json = JSON.stringify(part.map((r) => Object.fromEntries(fields.map((f) => [columns[f]!.name, (r as Record<string, unknown>)[f] ?? null]))))
    await db.execute(sql`insert into ${table} (${names}) select ${names} from json_populate_recordset(null::${table}, ${json}::json) ${tail}`)
  }
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n))

/**
 * Imports new records (none of them held yet, no two for one source record) as importOne would one
 * after another; call inside a transaction (a savepoint: a refusal leaves the run half written).
 */
export async function importNewRecords(db: Db, who: LinkActor, rows: readonly ImportRow[], model: MatchModel, weightsId: string | null): Promise<ImportOneResult[]> {
  const run = rows.map((row) => prepare(who, row))
  const queries = run.map((p) => queryKeys(p.data))
  const inDatabase = await keyedRecords(db, who.partnershipId, [...new Set(queries.flat())], KEY_CAP)
  const reached = await recordsOfPersonsOf(db, [...new Set([...inDatabase.values()].flat())])
  const recordsOf = new Map<string, HitRow[]>()
  for (const r of reached.rows) {
    const list = recordsOf.get(r.person_id)
    if (list) list.push(r)
    else recordsOf.set(r.person_id, [r])
  }
  const personOf = reached.personOf
  // The run's records under each key, in file order so far.
  const runByKey = new Map<string, string[]>()
  const newPersons: (typeof person.$inferInsert)[] = []
  const events: (typeof personLinkEvent.$inferInsert)[] = []
  const audits: AuditEntryInput[] = []
  const reviews: (typeof matchReview.$inferInsert)[] = []
  const results: ImportOneResult[] = []
  for (const [i, p] of run.entries()) {
    const id = p.record.id
    // Indexed before it is searched for, as importOne does: it takes its place under the caps.
    for (const key of p.keys) {
      const list = runByKey.get(key)
      if (list) list.push(id)
      else runByKey.set(key, [id])
    }
    const counts = new Map<string, number>()
    for (const key of queries[i]!) {
      const fromRun = runByKey.get(key)
      const fromDatabase = inDatabase.get(key) ?? []
      const capped = fromRun ? [...fromDatabase, ...fromRun].sort(compareIds).slice(0, KEY_CAP) : fromDatabase
      for (const r of capped) counts.set(r, (counts.get(r) ?? 0) + 1)
    }
    const hits = [...counts].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0])).slice(0, HIT_CAP)
    const persons = new Set<string>()
    for (const [r] of hits) {
      const owner = personOf.get(r)
      if (owner) persons.add(owner)
    }
    const candidateRows = [...persons].flatMap((personId) => recordsOf.get(personId) ?? [])
    const candidates = rankCandidates(model, p.data, candidateRows).slice(0, 5)
    const decision = decideNew(model, p.data, candidates, weightsId)
    let personId: string
    let reviewCount = 0
    if ('link' in decision) {
      personId = decision.link.personId
      events.push(linkEventValues(id, personId, who, decision.why))
      audits.push(linkAuditEntry(id, personId, who, decision.why))
    } else {
      personId = randomUUID()
      newPersons.push({ id: personId, ...personValuesFor(p.record) })
      events.push(linkEventValues(id, personId, who, { method: 'new-person' }))
      audits.push(linkAuditEntry(id, personId, who, { method: 'new-person' }))
      for (const c of decision.review) reviews.push(reviewValues(who.partnershipId, id, c, who.now))
      reviewCount = decision.review.length
    }
    p.record.personId = personId
    personOf.set(id, personId)
    const restricted = recordsOf.get(personId)?.[0]?.restricted ?? false
    const own: HitRow = { id, person_id: personId, source_system: p.record.sourceSystem, source_id: p.record.sourceId, match_data: p.data, restricted }
    recordsOf.set(personId, [...(recordsOf.get(personId) ?? []), own])
    results.push({ outcome: 'link' in decision ? 'linked' : 'created', sourceRecordId: id, personId, reviews: reviewCount })
  }
  // Written set-wise, in the order importOne writes them.
  if (newPersons.length > 0) {
    await markIndexWriting(db)
    await insertAll(db, person, newPersons)
  }
  await insertAll(
    db,
    sourceRecord,
    run.map(({ row, record, data }) => ({ id: record.id, partnershipId: who.partnershipId, sourceSystem: row.source_system, sourceId: row.source_id, ...recordValues(row, who.now), matchData: data, personId: record.personId })),
  )
  await insertAll(db, sourceName, run.flatMap((p) => p.names.map((n) => ({ partnershipId: who.partnershipId, sourceRecordId: p.record.id, ...n }))))
  await insertAll(db, sourceAddress, run.flatMap((p) => p.addresses.map((a) => ({ partnershipId: who.partnershipId, sourceRecordId: p.record.id, ...a }))))
  await insertAll(db, matchKey, run.flatMap((p) => p.keys.map((key) => ({ partnershipId: who.partnershipId, key, sourceRecordId: p.record.id }))))
  await insertAll(db, personLinkEvent, events)
  await appendAuditBatch(db, audits)
  await insertAll(db, matchReview, reviews, sql`on conflict do nothing`)
  return results
}
