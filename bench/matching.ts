/**
 * The person-matching benchmark (docs/person-matching.md §3): a seeded synthetic population loaded
 * into PostgreSQL with COPY, clustered by the auto-link rule as `together import people` would,
 * weights re-estimated by EM, then referral-style queries through the same search the CLI and the
 * contact screen use, measured for quality and latency against three baselines (exact name + date of
 * birth, exact surname + date of birth, a pg_trgm search). Prints JSON; progress on stderr.
 *
 *   node --import tsx bench/matching.ts --people 100000 [--queries 10000] [--seed 1]
 *     [--database postgres://postgres@127.0.0.1:5432/together_bench_matching] [--trigram-queries 1000] [--reuse]
 *     [--hit-cap 400]
 *
 * --reuse measures the queries again on the database an earlier run with the same --people and
 * --seed left behind (the population is regenerated in memory for the ground truth, nothing is
 * loaded and the stored weights are used), e.g. to re-take the latencies on a quiet machine.
 */
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows } from '../src/db/connection.ts'
import { runMigrations } from '../src/db/migrate.ts'
import { isIsoDate } from '../src/domain/timescales/calendar/iso-date.ts'
import { recordKeys } from '../src/domain/person-index/blocking.ts'
import { defaultModel, type MatchModel } from '../src/domain/person-index/model.ts'
import { score, type Band } from '../src/domain/person-index/score.ts'
import { standardise, type MatchRecord } from '../src/domain/person-index/standardise.ts'
import { calibrateWeights } from '../src/services/person-index/calibration.ts'
import { blockedRecords, currentModel, HIT_CAP, KEY_CAP, rankCandidates, type Candidate } from '../src/services/person-index/store.ts'
import { queryKeys } from '../src/domain/person-index/blocking.ts'
import { copyEscape, postgresCopyTarget } from '../src/services/demo/synthetic/copy-writer.ts'
import { generatePopulation, generateQueries, generateRecords, type SynthQuery, type SynthRecord, type TruePerson } from './matching-generator.ts'

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/together_bench_matching' },
    'trigram-queries': { type: 'string', default: '1000' },
    reuse: { type: 'boolean', default: false },
    'hit-cap': { type: 'string', default: String(HIT_CAP) },
  },
})
const PEOPLE = Number(args.people)
const QUERIES = Number(args.queries)
const SEED = Number(args.seed)
const CAPS = { key: KEY_CAP, hits: Number(args['hit-cap']) }
const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`)
const seconds = (t0: number) => Math.round((performance.now() - t0) / 100) / 10
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100 : null
}
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 100000) / 100000)

// ---- database

const target = new URL(args.database!)
const dbName = target.pathname.slice(1)
const admin = new URL(target.href)
admin.pathname = '/postgres'
const REUSE = args.reuse!
if (!REUSE) {
  const c = new pg.Client({ connectionString: admin.href })
  await c.connect()
  await c.query(`drop database if exists ${dbName} with (force)`)
  await c.query(`create database ${dbName}`)
  await c.end()
}
const database = await openDatabase({ kind: 'postgres', url: target.href })
if (!REUSE) await runMigrations(database)
const db = database.db
const BENCH_PARTNERSHIP = 'Matching benchmark (synthetic)'
const [{ id: partnershipId }] = REUSE
  ? await queryRows<{ id: string }>(db, sql`select id from partnership where name = ${BENCH_PARTNERSHIP}`).then((rows) => {
      if (rows.length !== 1) throw new Error(`--reuse: ${dbName} holds no benchmark partnership; run once without --reuse`)
      return rows as [{ id: string }]
    })
  : ((await db.execute(sql`insert into partnership (name) values (${BENCH_PARTNERSHIP}) returning id`)) as unknown as { rows: [{ id: string }] }).rows

// ---- generate, cluster and load

let t0 = performance.now()
const population = generatePopulation(SEED, PEOPLE)
const people = population.people
const byId = new Map<number, TruePerson>(people.map((p) => [p.id, p]))
log(`generated ${people.length} people (${people.filter((p) => !p.adult).length} children, ${population.unknown.length} held back) in ${seconds(t0)}s`)

const loader = new pg.Client({ connectionString: target.href })
await loader.connect()
let indexDefs: { indexname: string; indexdef: string }[] = []
if (!REUSE) {
  await loader.query('set session_replication_role = replica')
  // The bench's persons are clusters the index made: the person trigger must not add a journey record for each.
  await loader.query(`select set_config('together.person_index', 'writing', false)`)
  indexDefs = (await loader.query(`select indexname, indexdef from pg_indexes where tablename in ('match_key', 'source_record', 'person') and indexdef not like '%UNIQUE%'`)).rows as typeof indexDefs
  for (const i of indexDefs) await loader.query(`drop index ${i.indexname}`)
}
const copy = postgresCopyTarget(loader)

const model0 = defaultModel(people.length * 1.8)
const truthOfRecord: number[] = []
const nhsClusters = new Map<string, { personId: string; records: MatchRecord[]; truths: number[] }>()
/** With BENCH_SHOW_MISSES: each person's records as standardised, to explain the queries that missed. */
const diagnose = !!process.env.BENCH_SHOW_MISSES
const recordsOfTruth = new Map<number, MatchRecord[]>()
const load = { records: 0, keys: 0, persons: 0, autoLinked: 0, wrongLinks: 0, twinLinks: 0 }
const cell = (v: string | null | undefined) => (v === null || v === undefined ? '\\N' : copyEscape(v))
let recLines: string[] = []
let personLines: string[] = []
let keyLines: string[] = []
const flush = async () => {
  if (personLines.length) await copy.copy('person', ['id', 'partnership_id', 'given_name', 'family_name', 'date_of_birth', 'sex', 'nhs_number', 'postcode'], Buffer.from(personLines.join('\n') + '\n'))
  if (recLines.length) await copy.copy('source_record', ['id', 'partnership_id', 'source_system', 'source_id', 'given_name', 'middle_names', 'family_name', 'date_of_birth', 'dob_precision', 'sex', 'nhs_number', 'postcode', 'person_id', 'match_data'], Buffer.from(recLines.join('\n') + '\n'))
  if (keyLines.length) await copy.copy('match_key', ['partnership_id', 'key', 'source_record_id'], Buffer.from(keyLines.join('\n') + '\n'))
  recLines = []
  personLines = []
  keyLines = []
}
const newPerson = (r: SynthRecord, data: MatchRecord) => {
  const id = randomUUID()
  personLines.push([id, partnershipId, cell(r.given ?? ''), cell(r.family ?? ''), data.dobPrecision === 'day' ? cell(data.dob) : '\\N', cell(data.sex ?? 'U'), cell(r.nhs), cell(r.postcode)].join('\t'))
  load.persons++
  return id
}
for (const r of generateRecords(SEED, people)) {
  const serial = parseInt(r.sourceId.split('-').pop()!, 36)
  truthOfRecord[serial] = r.truth
  if (REUSE && !diagnose) continue
  const data = standardise({
    givenName: r.given, middleNames: r.middle, familyName: r.family, dateOfBirth: r.dob, dobPrecision: r.dobPrecision, sex: r.sex, nhsNumber: r.nhs, postcode: r.postcode,
    names: r.oldFamily ? [{ familyName: r.oldFamily }] : [],
  })
  if (REUSE) {
    recordsOfTruth.set(r.truth, [...(recordsOfTruth.get(r.truth) ?? []), data])
    continue
  }
  // The import's auto-link rule: a valid NHS number already held, certain against every record of that person.
  let personId: string | null = null
  const cluster = data.nhs ? nhsClusters.get(data.nhs) : undefined
  if (cluster && cluster.records.every((c) => { const s = score(model0, data, c); return s.band === 'certain' && s.hazards.length === 0 })) {
    personId = cluster.personId
    load.autoLinked++
    if (!cluster.truths.includes(r.truth)) {
      load.wrongLinks++
      if (cluster.truths.some((t) => byId.get(t)?.multiples.includes(r.truth))) load.twinLinks++
    }
    cluster.records.push(data)
    cluster.truths.push(r.truth)
  } else {
    personId = newPerson(r, data)
    if (data.nhs && !cluster) nhsClusters.set(data.nhs, { personId, records: [data], truths: [r.truth] })
  }
  if (diagnose) recordsOfTruth.set(r.truth, [...(recordsOfTruth.get(r.truth) ?? []), data])
  const id = randomUUID()
  recLines.push([id, partnershipId, r.source, r.sourceId, cell(r.given), cell(r.middle), cell(r.family), data.dob && data.dobPrecision !== 'expected' ? data.dob : '\\N', r.dobPrecision, cell(r.sex), cell(r.nhs), cell(r.postcode), personId, copyEscape(JSON.stringify(data))].join('\t'))
  for (const k of recordKeys(data)) keyLines.push(`${partnershipId}\t${copyEscape(k)}\t${id}`)
  load.records++
  if (recLines.length >= 20_000) {
    await flush()
    if (load.records % 200_000 < 20_000) log(`loaded ${load.records} records`)
  }
}
await flush()
nhsClusters.clear()
const loadSeconds = seconds(t0)
t0 = performance.now()
if (!REUSE) {
  for (const i of indexDefs) await loader.query(i.indexdef)
  await loader.query(`create index bench_source_family_dob on source_record (partnership_id, lower(family_name), date_of_birth)`)
  await loader.query(`create index bench_source_given_trgm on source_record using gin (lower(given_name) gin_trgm_ops)`)
  await loader.query('analyze')
}
const indexSeconds = seconds(t0)
const keyCount = Number((await loader.query('select count(*) from match_key')).rows[0].count)
const sizes = (await loader.query(`select pg_size_pretty(pg_total_relation_size('match_key')) as keys, pg_size_pretty(pg_total_relation_size('source_record')) as records, pg_size_pretty(pg_database_size(current_database())) as db`)).rows[0]
await loader.end()
log(`loaded ${load.records} records, ${load.persons} persons, ${keyCount} keys in ${loadSeconds}s; indexes ${indexSeconds}s`)

// ---- calibration

t0 = performance.now()
const calibration = REUSE ? { reused: 'the weights stored by the run that loaded the database' } : await calibrateWeights(db, partnershipId, { now: new Date(), sample: 2000, seed: SEED })
const calibrationSeconds = seconds(t0)
const calibrated = (await currentModel(db, partnershipId)).model
if (REUSE) load.records = Number((await queryRows<{ n: string }>(db, sql`select count(*) as n from source_record`))[0]!.n)
const defaults: MatchModel = { ...defaultModel(load.records), tf: calibrated.tf }
log(`calibrated in ${calibrationSeconds}s`)

// ---- queries

const queries = generateQueries(SEED, population, QUERIES)
const truthOf = (sourceId: string) => truthOfRecord[parseInt(sourceId.split('-').pop()!, 36)]
const truthsOf = (c: Candidate) => new Set(c.records.map((r) => truthOf(r.sourceId)))
const strong = (b: Band) => b === 'certain' || b === 'probable'

interface Tally {
  known: number; unknown: number; at1: number; at10: number; rr: number; unknownClean: number; falseLink: number; twinLink: number; reviewLoad: number
  band: Record<Band, { returned: number; correct: number; truthAtOrAbove: number }>
}
const tally = (): Tally => ({
  known: 0, unknown: 0, at1: 0, at10: 0, rr: 0, unknownClean: 0, falseLink: 0, twinLink: 0, reviewLoad: 0,
  band: { certain: { returned: 0, correct: 0, truthAtOrAbove: 0 }, probable: { returned: 0, correct: 0, truthAtOrAbove: 0 }, possible: { returned: 0, correct: 0, truthAtOrAbove: 0 }, unlikely: { returned: 0, correct: 0, truthAtOrAbove: 0 } },
})
let shown = 0
const BAND_ORDER: Band[] = ['certain', 'probable', 'possible', 'unlikely']
function count(t: Tally, q: SynthQuery, ranked: Candidate[]) {
  const top = ranked.slice(0, 10)
  const hit = q.truth === null ? -1 : top.findIndex((c) => truthsOf(c).has(q.truth!))
  if (q.truth === null) {
    t.unknown++
    if (!top.some((c) => strong(c.best.band))) t.unknownClean++
  } else {
    t.known++
    if (hit === 0) t.at1++
    if (hit >= 0) { t.at10++; t.rr += 1 / (hit + 1) }
    if (hit >= 0) {
      const b = top[hit]!.best.band
      for (const band of BAND_ORDER.slice(BAND_ORDER.indexOf(b))) t.band[band].truthAtOrAbove++
    }
  }
  const truth = q.truth === null ? null : byId.get(q.truth)
  for (const c of top) {
    const correct = q.truth !== null && truthsOf(c).has(q.truth)
    t.band[c.best.band].returned++
    if (correct) t.band[c.best.band].correct++
    if (!correct && strong(c.best.band)) {
      t.falseLink++
      if (process.env.BENCH_SHOW_FALSE && shown++ < 12) {
        const rel = truth ? ([...truthsOf(c)].map((x) => (byId.get(x!)?.household === truth.household ? 'same household' : 'other household')).join(',')) : 'unknown child'
        log(`false ${c.best.band} (${rel}): query ${JSON.stringify(toRaw(q))} vs ${JSON.stringify({ g: c.bestRecord.data.given, f: c.bestRecord.data.familyJoined, d: c.bestRecord.data.dob, p: c.bestRecord.data.postcode?.unit })} ${JSON.stringify(c.best.comparison.vector)} ${c.best.weight.toFixed(1)}`)
      }
      if (truth && [...truthsOf(c)].some((x) => truth.multiples.includes(x!))) t.twinLink++
    }
    if (c.best.band === 'probable' || c.best.band === 'possible') t.reviewLoad++
  }
}
const missCauses = new Map<string, number>()
const twinCauses = new Map<string, number>()
let missesShown = 0
const fieldsOf = (q: SynthQuery) => [q.givenName && 'g', q.familyName && 'f', q.dateOfBirth && (q.dobPrecision === 'day' ? 'd' : 'e'), q.postcode && (q.postcode.includes(' ') ? 'p' : 'o'), q.nhsNumber && 'n'].filter(Boolean).join('')
const brief = (r: MatchRecord) => JSON.stringify({ g: r.given, f: r.familyJoined, h: r.familyHistory, d: r.dob, dp: r.dobPrecision, p: r.postcode?.unit || r.postcode?.district, ph: r.postcodeHistory, n: r.nhs })
/** Why a known child's query missed the top 10 (blocking or scoring), or which twin was offered: tallied, and the first few shown. */
function explainMiss(q: SynthQuery, standardised: MatchRecord, rows: Awaited<ReturnType<typeof blockedRecords>>, ranked: Candidate[]) {
  if (q.truth === null) return
  const top = ranked.slice(0, 10)
  const truth = byId.get(q.truth)!
  for (const c of top) {
    if (!strong(c.best.band) || truthsOf(c).has(q.truth)) continue
    if ([...truthsOf(c)].some((x) => truth.multiples.includes(x!))) {
      const v = c.best.comparison.vector
      const cause = `${q.profile} ${fieldsOf(q)} given=${v.given} family=${v.family} dob=${v.dob} [${q.errors.join(',')}]`
      twinCauses.set(cause, (twinCauses.get(cause) ?? 0) + 1)
      log(`twin ${c.best.band}: query ${brief(standardised)} vs ${brief(c.bestRecord.data)} ${JSON.stringify(v)} ${c.best.weight.toFixed(1)}`)
    }
  }
  if (top.some((c) => truthsOf(c).has(q.truth!))) return
  const mine = recordsOfTruth.get(q.truth) ?? []
  const blocked = rows.some((r) => truthOf(r.source_id) === q.truth)
  let cause: string
  if (!blocked) {
    const qk = new Set(queryKeys(standardised))
    const shared = [...new Set(mine.flatMap((r) => recordKeys(r).filter((k) => qk.has(k)).map((k) => k.split(':')[0])))]
    cause = `not blocked (${shared.length ? `capped: ${shared.join('+')}` : 'no shared key'})`
  } else {
    const at = ranked.findIndex((c) => truthsOf(c).has(q.truth!))
    const v = ranked[at]?.best.comparison.vector
    // Candidates scoring the same as the true person or better: more than 10 means the query cannot tell them apart.
    const asGood = at < 0 ? 0 : ranked.filter((c) => c.best.weight >= ranked[at]!.best.weight - 1e-9).length
    cause = `ranked ${at + 1 > 50 ? '>50' : at + 1} given=${v?.given} family=${v?.family} dob=${v?.dob}${asGood > 10 ? ` (${asGood} score as well)` : ''}`
  }
  const key = `${q.profile} ${fieldsOf(q)} ${cause}`
  missCauses.set(key, (missCauses.get(key) ?? 0) + 1)
  if (missesShown++ < 120) log(`miss ${key} [${q.errors.join(',')}]: query ${brief(standardised)}; truth ${mine.map(brief).join(' | ')}; top ${top[0] ? brief(top[0].bestRecord.data) + ' ' + top[0].best.weight.toFixed(1) : '-'}`)
}

function report(t: Tally) {
  const cum = (b: Band) => BAND_ORDER.slice(0, BAND_ORDER.indexOf(b) + 1).reduce((s, x) => ({ returned: s.returned + t.band[x].returned, correct: s.correct + t.band[x].correct }), { returned: 0, correct: 0 })
  return {
    knownQueries: t.known,
    unknownQueries: t.unknown,
    recallAt1: ratio(t.at1, t.known),
    recallAt10: ratio(t.at10, t.known),
    meanReciprocalRank: ratio(t.rr, t.known),
    unknownWithNothingAbovePossible: ratio(t.unknownClean, t.unknown),
    wrongPersonAtProbableOrAboveShareOfQueries: ratio(t.falseLink, t.known + t.unknown),
    twinLinks: t.twinLink,
    reviewLoadPerQuery: ratio(t.reviewLoad, t.known + t.unknown),
    pairwiseByBand: Object.fromEntries(BAND_ORDER.map((b) => [b, { precisionAtOrAbove: ratio(cum(b).correct, cum(b).returned), recallAtOrAbove: ratio(t.band[b].truthAtOrAbove, t.known), returned: t.band[b].returned }])),
  }
}

const results = { calibrated: { all: tally(), gfd: tally(), police: tally(), public: tally() }, defaults: { all: tally(), gfd: tally() } }
const latency: number[] = []
/** The part of each search spent in the database (blocking and fetching records) and in ranking. */
const fetchMs: number[] = []
const rankMs: number[] = []
const candidatesScored: number[] = []
// Warm up on the last 200 queries (not counted), then the rest in order.
for (const q of queries.slice(-200)) await blockedRecords(db, partnershipId, queryKeys(standardise(toRaw(q))), CAPS)
function toRaw(q: SynthQuery) {
  return { givenName: q.givenName, familyName: q.familyName, dateOfBirth: q.dateOfBirth, dobPrecision: q.dobPrecision, sex: q.sex, nhsNumber: q.nhsNumber, postcode: q.postcode }
}
t0 = performance.now()
for (const [i, q] of queries.entries()) {
  const start = performance.now()
  const standardised = standardise(toRaw(q))
  const rows = await blockedRecords(db, partnershipId, queryKeys(standardised), CAPS)
  const fetched = performance.now()
  const ranked = rankCandidates(calibrated, standardised, rows)
  latency.push(performance.now() - start)
  fetchMs.push(fetched - start)
  rankMs.push(performance.now() - fetched)
  candidatesScored.push(rows.length)
  count(results.calibrated.all, q, ranked)
  if (diagnose) explainMiss(q, standardised, rows, ranked)
  count(results.calibrated[q.profile], q, ranked)
  if (q.hasGivenFamilyDob) count(results.calibrated.gfd, q, ranked)
  const rankedDefault = rankCandidates(defaults, standardised, rows)
  count(results.defaults.all, q, rankedDefault)
  if (q.hasGivenFamilyDob) count(results.defaults.gfd, q, rankedDefault)
  if ((i + 1) % 2000 === 0) log(`queries ${i + 1}/${queries.length}`)
}
const querySeconds = seconds(t0)
if (diagnose) {
  log(`misses by cause: ${JSON.stringify(Object.fromEntries([...missCauses].sort((a, b) => b[1] - a[1])), null, 1)}`)
  log(`twin links by cause: ${JSON.stringify(Object.fromEntries([...twinCauses].sort((a, b) => b[1] - a[1])), null, 1)}`)
}

// ---- baselines

async function baseline(name: string, n: number, run: (q: SynthQuery) => Promise<{ source_id: string }[]> | null) {
  const times: number[] = []
  let known = 0
  let at10 = 0
  let at1 = 0
  let ran = 0
  for (const q of queries.slice(0, n)) {
    const start = performance.now()
    const pending = run(q)
    const rows = pending ? await pending : []
    if (pending) { times.push(performance.now() - start); ran++ }
    if (q.truth === null) continue
    known++
    const found = rows.slice(0, 10).map((r) => truthOf(r.source_id))
    if (found.includes(q.truth)) at10++
    if (found[0] === q.truth) at1++
  }
  return { name, queries: n, queriesRun: ran, recallAt1: ratio(at1, known), recallAt10: ratio(at10, known), p50ms: pct(times, 50), p95ms: pct(times, 95) }
}
const rowsOf = (query: ReturnType<typeof sql>) => queryRows<{ source_id: string }>(db, query)
const lower = (s: string | null) => (s ? s.trim().toLowerCase() : null)
/** A query's date of birth as the exact baselines can ask for it: a typo such as 29 February in a common year cannot match anything. */
const realDate = (d: string | null | undefined) => (d && isIsoDate(d) ? d : null)
const baselines = [
  await baseline('B0 exact given + family + date of birth', QUERIES, (q) => {
    const dob = realDate(q.dateOfBirth)
    if (!q.givenName || !q.familyName || !dob) return null
    return rowsOf(sql`select source_id from source_record where partnership_id = ${partnershipId} and lower(family_name) = ${lower(q.familyName)} and date_of_birth = ${dob} and lower(given_name) = ${lower(q.givenName)} limit 10`)
  }),
  await baseline('B1 exact family + date of birth', QUERIES, (q) => {
    const dob = realDate(q.dateOfBirth)
    if (!q.familyName || !dob) return null
    return rowsOf(sql`select source_id from source_record where partnership_id = ${partnershipId} and lower(family_name) = ${lower(q.familyName)} and date_of_birth = ${dob} limit 10`)
  }),
  await baseline('pg_trgm similarity on given and family names (threshold 0.3), best 10', Number(args['trigram-queries']), (q) => {
    const g = lower(q.givenName)
    const f = lower(q.familyName)
    if (!g && !f) return null
    const where = [f ? sql`lower(family_name) % ${f}` : null, g ? sql`lower(given_name) % ${g}` : null].filter((x) => x !== null)
    const rank = [f ? sql`similarity(lower(family_name), ${f})` : null, g ? sql`similarity(lower(given_name), ${g})` : null].filter((x) => x !== null)
    return rowsOf(sql`select source_id from source_record where partnership_id = ${partnershipId} and ${sql.join(where, sql` and `)} order by ${sql.join(rank, sql` + `)} desc limit 10`)
  }),
]

await database.close()
const all = report(results.calibrated.all)
const trigram = baselines[2]!
const p95 = pct(latency, 95)!
const targets = {
  recallAt10KnownAtLeast995: (all.recallAt10 ?? 0) >= 0.995,
  certainPrecisionAtLeast999: (all.pairwiseByBand.certain!.precisionAtOrAbove ?? 1) >= 0.999,
  zeroTwinLinks: all.twinLinks === 0 && load.twinLinks === 0,
  unknownNothingAbovePossibleAtLeast98: (all.unknownWithNothingAbovePossible ?? 0) >= 0.98,
  p95Under50ms: p95 < 50,
  threeTimesFasterThanTrigramAtEqualOrBetterRecall: trigram.p95ms !== null && p95 * 3 <= trigram.p95ms && (all.recallAt10 ?? 0) >= (trigram.recallAt10 ?? 0),
}
if (Object.values(targets).includes(false)) process.exitCode = 1
const cpus = os.cpus()
process.stdout.write(`${JSON.stringify({
  targets,
  machine: { cpus: cpus.length, cpu: cpus[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: 'PostgreSQL server at ' + target.host },
  seed: SEED,
  caps: CAPS,
  people: people.length,
  load: { ...load, keys: keyCount, loadSeconds, indexSeconds, sizes },
  calibration: { seconds: calibrationSeconds, ...calibration },
  search: {
    queries: queries.length, seconds: querySeconds, p50ms: pct(latency, 50), p95ms: pct(latency, 95), p99ms: pct(latency, 99),
    fetch: { p50ms: pct(fetchMs, 50), p95ms: pct(fetchMs, 95) }, rank: { p50ms: pct(rankMs, 50), p95ms: pct(rankMs, 95) },
    recordsScoredMean: Math.round(candidatesScored.reduce((a, b) => a + b, 0) / candidatesScored.length), recordsScoredP95: pct(candidatesScored, 95),
  },
  quality: {
    calibrated: { all: report(results.calibrated.all), givenFamilyDob: report(results.calibrated.gfd), police: report(results.calibrated.police), public: report(results.calibrated.public) },
    defaultWeights: { all: report(results.defaults.all), givenFamilyDob: report(results.defaults.gfd) },
  },
  baselines,
}, null, 1)}\n`)
