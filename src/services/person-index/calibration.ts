/**
 * Re-estimating the match weights from the partnership's own records (`together match
 * calibrate`): u from random pairs of a sample, m by EM over the sample's blocking candidates
 * with reviewers' decisions as pairs of known status, term frequencies from every record. The
 * result is stored with its date; searches use the newest.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { matchReview, matchWeights, sourceRecord } from '../../db/schema/index.ts'
import { estimateMInSessions, estimateU, modelFrom, type LabelledPair } from '../../domain/person-index/calibrate.ts'
import { compare, type ComparisonVector } from '../../domain/person-index/compare.ts'
import type { TermFrequencies } from '../../domain/person-index/model.ts'
import { Prng } from '../../domain/demo/prng.ts'
import type { MatchRecord } from '../../domain/person-index/standardise.ts'
import { addMissingJourneyRecords, currentModel, findCandidates, forgetModel, indexPending, type Candidate } from './store.ts'

export interface CalibrationResult {
  weightsId: string
  estimatedAt: string
  records: number
  randomPairs: number
  candidatePairs: number
  decisionsUsed: number
  emIterations: number
  matchShare: number
  /** Bits for full agreement on each field, before and after. */
  agreementWeights: Record<string, { before: number; after: number }>
}

/** The share of records holding each common value (at least 3 records; the 5,000 commonest). */
async function frequencies(db: Db, partnershipId: string): Promise<{ tf: TermFrequencies; records: number }> {
  const [{ n }] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from source_record where partnership_id = ${partnershipId} and match_data is not null`)) as [{ n: number }]
  const table = async (expr: SQL) => {
    const rows = await queryRows<{ v: string; c: number }>(
      db,
      sql`select ${expr} as v, count(*)::int as c from source_record
          where partnership_id = ${partnershipId} and match_data is not null and ${expr} is not null and ${expr} <> ''
          group by 1 having count(*) >= 3 order by 2 desc limit 5000`,
    )
    return Object.fromEntries(rows.map((r) => [r.v, r.c / Math.max(n, 1)]))
  }
  return {
    records: n,
    tf: {
      given: await table(sql`match_data->'given'->>0`),
      family: await table(sql`match_data->>'familyJoined'`),
      dob: await table(sql`match_data->>'dob'`),
      postcode: await table(sql`match_data->'postcode'->>'unit'`),
    },
  }
}
type SQL = ReturnType<typeof sql>

function bestVector(q: MatchRecord, c: Candidate): ComparisonVector {
  return c.records.map((r) => compare(q, r.data)).sort((a, b) => agreeing(b.vector) - agreeing(a.vector))[0]!.vector
}
const agreeing = (v: ComparisonVector) => Object.values(v).filter((l) => l === 'exact' || l === 'unit' || l === 'same').length

export async function calibrateWeights(
  db: Db,
  partnershipId: string,
  options: { now: Date; sample?: number; seed?: number; onProgress?: (done: number, total: number) => void },
): Promise<CalibrationResult> {
  await addMissingJourneyRecords(db, partnershipId)
  while ((await indexPending(db, partnershipId, 2000)) > 0);
  forgetModel(partnershipId)
  const before = await currentModel(db, partnershipId, options.now.getTime())
  const sampleSize = options.sample ?? 2000
  const sample = await queryRows<{ id: string; person_id: string; match_data: MatchRecord }>(
    db,
    sql`select id, person_id, match_data from source_record
        where partnership_id = ${partnershipId} and match_data is not null and adoption is distinct from 'pre-adoption'
        order by md5(id::text || ${String(options.seed ?? 1)}) limit ${sampleSize}`,
  )
  const rng = new Prng(options.seed ?? 1)
  const randomPairs: ComparisonVector[] = []
  for (let i = 0; i < sample.length * 50 && sample.length > 1; i++) {
    const a = rng.pick(sample)
    const b = rng.pick(sample)
    if (a.person_id !== b.person_id) randomPairs.push(compare(a.match_data, b.match_data).vector)
  }
  const u = estimateU(randomPairs)
  const candidatePairs: ComparisonVector[] = []
  const emSample = sample.slice(0, Math.min(sample.length, 1000))
  for (let i = 0; i < emSample.length; i++) {
    const r = emSample[i]!
    const found = await findCandidates(db, partnershipId, {}, before.model, { limit: 10, excludeRecordId: r.id, query: r.match_data })
    for (const c of found) candidatePairs.push(bestVector(r.match_data, c))
    options.onProgress?.(i + 1, emSample.length)
  }
  const labelled = await reviewerLabels(db, partnershipId)
  const em = estimateMInSessions(candidatePairs, u, labelled)
  const { tf, records } = await frequencies(db, partnershipId)
  const model = modelFrom(em.m, u, tf, records)
  const [stored] = await db
    .insert(matchWeights)
    .values({ partnershipId, estimatedAt: options.now, model, pairsUsed: randomPairs.length + candidatePairs.length, decisionsUsed: labelled.length })
    .returning({ id: matchWeights.id })
  forgetModel(partnershipId)
  const full = (m: typeof model.m, uu: typeof model.u, f: keyof typeof model.m, level: string) =>
    Math.round(Math.log2(Math.max(m[f][level]!, 1e-7) / Math.max(uu[f][level]!, 1e-7)) * 10) / 10
  const top = { given: 'exact', family: 'exact', dob: 'exact', sex: 'same', postcode: 'unit', nhs: 'same' } as const
  return {
    weightsId: stored!.id,
    estimatedAt: options.now.toISOString(),
    records,
    randomPairs: randomPairs.length,
    candidatePairs: candidatePairs.length,
    decisionsUsed: labelled.length,
    emIterations: em.iterations,
    matchShare: Math.round(em.lambda * 1000) / 1000,
    agreementWeights: Object.fromEntries(
      Object.entries(top).map(([f, l]) => [f, { before: full(before.model.m, before.model.u, f as keyof typeof model.m, l), after: full(model.m, model.u, f as keyof typeof model.m, l) }]),
    ),
  }
}

/** Reviewers' decisions as labelled pairs: linked = the same person, not-same = different people. */
async function reviewerLabels(db: Db, partnershipId: string): Promise<LabelledPair[]> {
  const decided = await db
    .select({ recordId: matchReview.sourceRecordId, personId: matchReview.candidatePersonId, status: matchReview.status })
    .from(matchReview)
    .where(and(eq(matchReview.partnershipId, partnershipId), inArray(matchReview.status, ['linked', 'not-same'])))
    .limit(20_000)
  if (decided.length === 0) return []
  const ids = [...new Set(decided.map((d) => d.recordId))]
  const persons = [...new Set(decided.map((d) => d.personId))]
  const records = await db
    .select({ id: sourceRecord.id, personId: sourceRecord.personId, data: sourceRecord.matchData })
    .from(sourceRecord)
    .where(sql`${sourceRecord.id} in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) or ${sourceRecord.personId} in (${sql.join(persons.map((i) => sql`${i}`), sql`, `)})`)
  const byId = new Map(records.map((r) => [r.id, r]))
  const out: LabelledPair[] = []
  for (const d of decided) {
    const q = byId.get(d.recordId)?.data as MatchRecord | null | undefined
    if (!q) continue
    const theirs = records.filter((r) => r.personId === d.personId && r.id !== d.recordId && r.data)
    if (theirs.length === 0) continue
    const vector = theirs.map((r) => compare(q, r.data as MatchRecord)).sort((a, b) => agreeing(b.vector) - agreeing(a.vector))[0]!.vector
    out.push({ vector, match: d.status === 'linked' })
  }
  return out
}
