/**
 * The person index's storage: standardising source records and writing their blocking keys,
 * the current model (latest weights, else the defaults), and candidate search: blocking queries in
 * SQL, scoring in TypeScript. No access checks here: the services in this folder make them.
 */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { matchKey, matchWeights, sourceAddress, sourceName, sourceRecord } from '../../db/schema/index.ts'
import { queryKeys, recordKeys } from '../../domain/person-index/blocking.ts'
import { explain, type Reason } from '../../domain/person-index/explain.ts'
import { defaultModel, type MatchModel } from '../../domain/person-index/model.ts'
import { compare } from '../../domain/person-index/compare.ts'
import { bandRank, score, type Band, type Scored } from '../../domain/person-index/score.ts'
import { standardise, type MatchRecord, type RawRecord } from '../../domain/person-index/standardise.ts'

type SourceRow = typeof sourceRecord.$inferSelect

/** What the matcher reads from a source record row, its earlier names and addresses. */
export function rawOf(row: SourceRow, names: RawRecord['names'] = [], postcodes: RawRecord['postcodes'] = []): RawRecord {
  return {
    givenName: row.givenName,
    middleNames: row.middleNames,
    familyName: row.familyName,
    dateOfBirth: row.dateOfBirth,
    dobPrecision: row.dobPrecision,
    expectedDateOfBirth: row.expectedDateOfBirth,
    sex: row.sex,
    nhsNumber: row.nhsNumber,
    upn: row.upn,
    postcode: row.postcode,
    addressLine: row.addressLine,
    adoption: row.adoption,
    names,
    postcodes,
  }
}

/** Standardises source records (with their name and address history) and replaces their keys. */
export async function indexRecords(db: Db, rows: readonly SourceRow[]): Promise<void> {
  if (rows.length === 0) return
  const ids = rows.map((r) => r.id)
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `)
  const names = await db
    .select({ id: sourceName.sourceRecordId, givenName: sourceName.givenName, familyName: sourceName.familyName })
    .from(sourceName)
    .where(sql`${sourceName.sourceRecordId} in (${idList})`)
  const addresses = await db
    .select({ id: sourceAddress.sourceRecordId, postcode: sourceAddress.postcode })
    .from(sourceAddress)
    .where(sql`${sourceAddress.sourceRecordId} in (${idList})`)
  await db.delete(matchKey).where(sql`${matchKey.sourceRecordId} in (${idList})`)
  const keyRows: (typeof matchKey.$inferInsert)[] = []
  for (const row of rows) {
    const data = standardise(rawOf(row, names.filter((n) => n.id === row.id), addresses.filter((a) => a.id === row.id).map((a) => a.postcode)))
    await db.update(sourceRecord).set({ matchData: data }).where(eq(sourceRecord.id, row.id))
    for (const key of recordKeys(data)) keyRows.push({ partnershipId: row.partnershipId, key, sourceRecordId: row.id })
  }
  for (let i = 0; i < keyRows.length; i += 1000) await db.insert(matchKey).values(keyRows.slice(i, i + 1000))
}

/**
 * Indexes records not yet standardised (new or changed journey people, written by the trigger on
 * `person`), a batch at a time. Cheap when there are none: a partial index holds only those.
 */
export async function indexPending(db: Db, partnershipId: string, limit = 500): Promise<number> {
  const pending = await db
    .select()
    .from(sourceRecord)
    .where(and(eq(sourceRecord.partnershipId, partnershipId), isNull(sourceRecord.matchData)))
    .limit(limit)
  await indexRecords(db, pending)
  return pending.length
}

/**
 * Journey people with no source record of their own: those written while triggers were off (the
 * synthetic seeder copies with session_replication_role = replica). Adds them, unindexed.
 */
export async function addMissingJourneyRecords(db: Db, partnershipId: string): Promise<number> {
  const added = await queryRows<{ id: string }>(
    db,
    sql`insert into source_record (partnership_id, source_system, source_id, given_name, family_name, date_of_birth,
        expected_date_of_birth, sex, nhs_number, upn, postcode, address_line, person_id, match_data, recorded_at)
      select p.partnership_id, 'together', p.id::text, p.given_name, p.family_name, p.date_of_birth, p.expected_date_of_birth,
        p.sex, p.nhs_number, p.upn, p.postcode, p.address, p.id, null, p.updated_at
      from person p
      where p.partnership_id = ${partnershipId}
        and not exists (select 1 from source_record s where s.person_id = p.id)
      on conflict do nothing
      returning id`,
  )
  return added.length
}

/**
 * Standardises and re-keys every source record of the partnership, a batch at a time, so records
 * indexed before a change to standardising or to the blocking keys get the current ones.
 */
export async function reindexAll(db: Db, partnershipId: string, onProgress?: (done: number, total: number) => void, batch = 500): Promise<number> {
  const [{ n: total }] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sourceRecord} where partnership_id = ${partnershipId}`)) as [{ n: number }]
  let done = 0
  let after = ''
  for (;;) {
    const rows = await db
      .select()
      .from(sourceRecord)
      .where(and(eq(sourceRecord.partnershipId, partnershipId), after ? sql`${sourceRecord.id} > ${after}` : undefined))
      .orderBy(sourceRecord.id)
      .limit(batch)
    if (rows.length === 0) return done
    await db.transaction((tx) => indexRecords(tx as unknown as Db, rows))
    done += rows.length
    after = rows[rows.length - 1]!.id
    onProgress?.(done, total)
  }
}

// ---- the model

const modelCache = new Map<string, { weightsId: string | null; model: MatchModel; checkedAt: number }>()

export interface CurrentModel {
  weightsId: string | null
  estimatedAt: string | null
  model: MatchModel
}

/** The partnership's latest estimated weights (cached a minute), or the defaults sized to its records. */
export async function currentModel(db: Db, partnershipId: string, nowMs = Date.now()): Promise<CurrentModel> {
  const cached = modelCache.get(partnershipId)
  if (cached && nowMs - cached.checkedAt < 60_000) return { weightsId: cached.weightsId, estimatedAt: null, model: cached.model }
  const [latest] = await db
    .select({ id: matchWeights.id, estimatedAt: matchWeights.estimatedAt, model: matchWeights.model })
    .from(matchWeights)
    .where(eq(matchWeights.partnershipId, partnershipId))
    .orderBy(desc(matchWeights.estimatedAt))
    .limit(1)
  let model: MatchModel
  if (latest) model = latest.model as MatchModel
  else {
    const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sourceRecord} where partnership_id = ${partnershipId}`) as [{ n: number }]
    model = defaultModel(Math.max(n, 1000))
  }
  modelCache.set(partnershipId, { weightsId: latest?.id ?? null, model, checkedAt: nowMs })
  return { weightsId: latest?.id ?? null, estimatedAt: latest?.estimatedAt.toISOString() ?? null, model }
}

export function forgetModel(partnershipId: string): void {
  modelCache.delete(partnershipId)
}

// ---- search

/** Most records one key may bring back: a very common key (Muhammad + 1 January) must not flood the search. */
export const KEY_CAP = 300

/**
 * Most records a search scores: when its keys bring back more, those that met the most keys are kept
 * (a child found by name and district and year comes before everyone that age in the district).
 */
export const HIT_CAP = 400

export interface CandidateRecord {
  id: string
  personId: string
  sourceSystem: string
  sourceId: string
  data: MatchRecord
}

export interface Candidate {
  personId: string
  restricted: boolean
  /** The person's source records, best-scoring first. */
  records: CandidateRecord[]
  /** The best-scoring record's score. */
  best: Scored
  bestRecord: CandidateRecord
}

export interface HitRow {
  id: string
  person_id: string
  source_system: string
  source_id: string
  match_data: MatchRecord
  restricted: boolean
}

export interface BlockingCaps {
  /** Records per key. */
  key: number
  /** Records in all, those meeting the most keys first. */
  hits: number
}

/** The indexed records of the persons `persons` (a relation with a person_id column) holds, sealed records never. */
const recordsOfPersons = (persons: SQL, excludeId?: string) => sql`select s.id, s.person_id, s.source_system, s.source_id, s.match_data,
          (p.restricted or exists (select 1 from child_case c where c.person_id = p.id and c.restricted)) as restricted
        from ${persons}
        join source_record s on s.person_id = persons.person_id
        join person p on p.id = persons.person_id
        where s.match_data is not null and s.adoption is distinct from 'pre-adoption'
          ${excludeId ? sql`and s.id <> ${excludeId}` : sql``}`

/**
 * The records of every person the query's keys reach (sealed records never), within the caps: per
 * key the records of lowest id (the lookup index's order, so the same every time).
 */
export async function blockedRecords(db: Db, partnershipId: string, keys: readonly string[], caps: BlockingCaps, excludeId?: string): Promise<HitRow[]> {
  if (keys.length === 0) return []
  const keyArray = sql`array[${sql.join(keys.map((k) => sql`${k}`), sql`, `)}]::text[]`
  return queryRows<HitRow>(
    db,
    sql`with hits as (
          select k.source_record_id as id
          from unnest(${keyArray}) as q(key)
          cross join lateral (select m.source_record_id from match_key m where m.partnership_id = ${partnershipId} and m.key = q.key order by m.source_record_id limit ${caps.key}) k
          group by k.source_record_id
          order by count(*) desc, k.source_record_id
          limit ${caps.hits}
        ),
        persons as (
          select distinct s.person_id from source_record s join hits on s.id = hits.id where s.person_id is not null
        )
        ${recordsOfPersons(sql`persons`, excludeId)}`,
  )
}

/** For many queries at once (an import's batch): each key's records as blockedRecords caps them, lowest id first. */
export async function keyedRecords(db: Db, partnershipId: string, keys: readonly string[], perKey: number): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>()
  if (keys.length === 0) return byKey
  const rows = await queryRows<{ key: string; id: string }>(
    db,
    sql`select q.key, k.source_record_id as id
        from json_array_elements_text(${JSON.stringify(keys)}::json) as q(key)
        cross join lateral (select m.source_record_id from match_key m where m.partnership_id = ${partnershipId} and m.key = q.key order by m.source_record_id limit ${perKey}) k`,
  )
  for (const { key, id } of rows) {
    const list = byKey.get(key)
    if (list) list.push(id)
    else byKey.set(key, [id])
  }
  // The driver's order is not promised: the caps rely on it.
  for (const list of byKey.values()) list.sort(compareIds)
  return byKey
}

/** PostgreSQL's order of uuids (by bytes), for their text in lower case. */
export const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The person of each record, and the indexed records of every one of those persons (as blockedRecords returns them). */
export async function recordsOfPersonsOf(db: Db, recordIds: readonly string[]): Promise<{ personOf: Map<string, string | null>; rows: HitRow[] }> {
  if (recordIds.length === 0) return { personOf: new Map(), rows: [] }
  const ids = JSON.stringify(recordIds)
  const owners = await queryRows<{ id: string; person_id: string | null }>(
    db,
    sql`select s.id, s.person_id from source_record s where s.id in (select value::uuid from json_array_elements_text(${ids}::json))`,
  )
  const personOf = new Map(owners.map((o) => [o.id, o.person_id]))
  const persons = [...new Set(owners.map((o) => o.person_id).filter((p): p is string => p !== null))]
  const rows = persons.length === 0 ? [] : await queryRows<HitRow>(db, recordsOfPersons(sql`(select distinct value::uuid as person_id from json_array_elements_text(${JSON.stringify(persons)}::json)) persons`))
  return { personOf, rows }
}

/** Records as their sources name them: ties broken by what the record is, not by the order the database returned it or by its random id. */
const bySource = (a: CandidateRecord, b: CandidateRecord) => compareIds(a.sourceSystem, b.sourceSystem) || compareIds(a.sourceId, b.sourceId)

/** Scores every record reached and groups them by person, best person first (ties: by source system and id). */
export function rankCandidates(model: MatchModel, q: MatchRecord, rows: readonly HitRow[]): Candidate[] {
  const byPerson = new Map<string, { restricted: boolean; scored: { rec: CandidateRecord; s: Scored }[] }>()
  for (const row of rows) {
    const rec: CandidateRecord = { id: row.id, personId: row.person_id, sourceSystem: row.source_system, sourceId: row.source_id, data: row.match_data }
    const entry = byPerson.get(row.person_id) ?? { restricted: row.restricted, scored: [] }
    entry.scored.push({ rec, s: score(model, q, row.match_data) })
    byPerson.set(row.person_id, entry)
  }
  const out: Candidate[] = []
  for (const [personId, { restricted, scored }] of byPerson) {
    scored.sort((a, b) => bandRank(a.s.band) - bandRank(b.s.band) || b.s.weight - a.s.weight || bySource(a.rec, b.rec))
    out.push({ personId, restricted, records: scored.map((x) => x.rec), best: scored[0]!.s, bestRecord: scored[0]!.rec })
  }
  out.sort((a, b) => bandRank(a.best.band) - bandRank(b.best.band) || b.best.weight - a.best.weight || bySource(a.bestRecord, b.bestRecord) || compareIds(a.personId, b.personId))
  return holdBackLookalikes(model, holdBackMultiples(out))
}

/**
 * Twins are told apart by their first names alone. A candidate above possible is held at possible
 * when another candidate may be its twin or triplet — a record with the same date of birth (or a
 * near one, when either date is only estimated) and the same family name or address, and a different (or no) first name — and the query's first name
 * does not pick the candidate out from that twin: the candidate's name does not fit the query, or
 * the twin's fits it too (a shared short form, a middle name, a loose likeness).
 */
const NAME_PICKS = new Set(['exact', 'variant', 'nickname', 'close'])
const NAME_FITS = new Set([...NAME_PICKS, 'sounds', 'middle', 'similar'])
const TWIN_DOB = new Set(['exact', 'swapped', 'typo'])
const TWIN_FAMILY = new Set(['exact', 'token', 'stem', 'close', 'sounds', 'history', 'similar'])

const roughDob = (r: MatchRecord) => r.dobPrecision === 'estimated' || r.dobPrecision === 'year'

function mayBeTwins(a: MatchRecord, b: MatchRecord): boolean {
  if (!a.dob || !b.dob) return false
  // A record whose date of birth is only estimated cannot rule a twin out: its date is near, not same.
  const rough = roughDob(a) || roughDob(b)
  if (!rough && a.dob.slice(0, 4) !== b.dob.slice(0, 4)) return false
  const v = compare(a, b).vector
  if (!TWIN_DOB.has(v.dob ?? '') && !(rough && v.dob === 'approx')) return false
  const together = TWIN_FAMILY.has(v.family ?? '') || v.postcode === 'unit' || v.postcode === 'history'
  // Two forms of one name (George and Georgia) are twins' names unless both sexes are known and the same.
  const otherName = v.given === null || !NAME_PICKS.has(v.given) || (v.given !== 'exact' && v.sex !== 'same')
  return together && otherName
}

function holdBackMultiples(ranked: Candidate[]): Candidate[] {
  for (const c of ranked) {
    if (bandRank(c.best.band) > bandRank('probable')) continue
    const picked = NAME_PICKS.has(c.best.comparison.vector.given ?? '')
    const twin = ranked.find((o) => {
      if (o === c) return false
      const fit = o.best.comparison.vector.given
      if (picked ? !NAME_FITS.has(fit ?? '') : fit === 'else') return false
      return c.records.some((x) => o.records.some((y) => mayBeTwins(x.data, y.data)))
    })
    if (twin) c.best = { ...c.best, band: 'possible', hazards: [...c.best.hazards, 'twin-not-ruled-out'] }
  }
  return ranked
}

/**
 * "Cannot tell apart" (ManyMatch): when the best candidates are probable and within 2 bits of each
 * other, and are not themselves probably one child held twice (twins when no first name was given,
 * say), none is offered as probable: each is possible, with the reason, so a person compares them.
 */
function holdBackLookalikes(model: MatchModel, ranked: Candidate[]): Candidate[] {
  const [first, second] = ranked
  if (!first || !second || first.best.band !== 'probable' || second.best.band !== 'probable') return ranked
  const lookalikes = ranked.filter(
    (c) => c !== first && c.best.band === 'probable' && first.best.weight - c.best.weight < 2 && bandRank(score(model, first.bestRecord.data, c.bestRecord.data).band) > bandRank('probable'),
  )
  if (lookalikes.length === 0) return ranked
  for (const c of [first, ...lookalikes]) c.best = { ...c.best, band: 'possible', hazards: [...c.best.hazards, 'cannot-distinguish'] }
  return ranked
}

export interface FindOptions {
  limit?: number
  caps?: BlockingCaps
  /** Leave this source record out (it is the one being matched). */
  excludeRecordId?: string
  /** The query already standardised (a stored record's match data); `raw` is then ignored. */
  query?: MatchRecord
}

/** Candidates for a query, best first: the blocking keys' records, scored and grouped by person. */
export async function findCandidates(db: Db, partnershipId: string, raw: RawRecord, model: MatchModel, options: FindOptions = {}): Promise<Candidate[]> {
  const q = options.query ?? standardise(raw)
  const rows = await blockedRecords(db, partnershipId, queryKeys(q), options.caps ?? { key: KEY_CAP, hits: HIT_CAP }, options.excludeRecordId)
  return rankCandidates(model, q, rows).slice(0, options.limit ?? 10)
}

export interface CandidateView {
  personId: string
  sourceIds: string[]
  score: number
  probability: number
  band: Band
  reasons: Reason[]
}

/** A candidate as the CLI and API show it: its source records' ids as recorded, score in bits (two decimals), band and reasons. */
export function candidateView(c: Candidate): CandidateView {
  return {
    personId: c.personId,
    sourceIds: c.records.map((r) => r.sourceId),
    score: Math.round(c.best.weight * 100) / 100,
    probability: Math.round(c.best.probability * 10000) / 10000,
    band: c.best.band,
    reasons: explain(c.best),
  }
}
