/**
 * The batched import (import-batch.ts) makes the row-at-a-time path's decisions: the same generated
 * file (duplicates, typos, twins, earlier surnames, newborns known as "Baby", re-sent records, bad
 * rows) loaded both ways into two fresh databases gives the same persons, links, reviews, audit
 * entries and skipped rows, compared by what the records are (their sources' ids), not by ids.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, type World } from '../../../test/support/fixtures.ts'
import { importFile } from '../../../bench/matching-generator.ts'
import { forgetModel } from './store.ts'
import { importRows, type ImportLine, type ImportSummary } from './import-run.ts'

const opened: TestDatabase[] = []
after(() => Promise.all(opened.map((d) => d.close())))

/** Everything the import decided, by source record ("system/id") rather than by id. */
async function canonical(db: Db, partnershipId: string) {
  const records = await queryRows<{ key: string; person: string; data: unknown; version: number }>(
    db,
    sql`select source_system || '/' || source_id as key, person_id as person, match_data as data, version from source_record where partnership_id = ${partnershipId} order by 1`,
  )
  const members = new Map<string, string[]>()
  for (const r of records) members.set(r.person, [...(members.get(r.person) ?? []), r.key])
  const cluster = (personId: string) => (members.get(personId) ?? ['(no records)']).join(' + ')
  const persons = await queryRows<{ id: string; given_name: string; family_name: string; date_of_birth: string | null; sex: string; nhs_number: string | null; postcode: string | null }>(
    db,
    sql`select id, given_name, family_name, date_of_birth::text, sex, nhs_number, postcode from person where partnership_id = ${partnershipId}`,
  )
  const events = await queryRows<{ key: string; person_id: string; action: string; method: string; score: string | null; band: string | null; evidence: unknown }>(
    db,
    sql`select s.source_system || '/' || s.source_id as key, e.person_id, e.action, e.method, e.score, e.band, e.evidence
        from person_link_event e join source_record s on s.id = e.source_record_id where e.partnership_id = ${partnershipId}`,
  )
  const reviews = await queryRows<{ key: string; candidate: string; score: string; band: string; reasons: unknown; status: string }>(
    db,
    sql`select s.source_system || '/' || s.source_id as key, r.candidate_person_id as candidate, r.score, r.band, r.reasons, r.status
        from match_review r join source_record s on s.id = r.source_record_id where r.partnership_id = ${partnershipId}`,
  )
  const audit = await queryRows<{ action: string; key: string; person: string; detail: unknown }>(
    db,
    sql`select a.action, s.source_system || '/' || s.source_id as key, a.subject_person_id as person, a.detail
        from audit_event a join source_record s on s.id::text = a.record_id::text where a.partnership_id = ${partnershipId} order by a.seq`,
  )
  const history = await queryRows<{ key: string; n: number; a: number; k: number }>(
    db,
    sql`select s.source_system || '/' || s.source_id as key,
          (select count(*)::int from source_name n where n.source_record_id = s.id) as n,
          (select count(*)::int from source_address d where d.source_record_id = s.id) as a,
          (select count(*)::int from match_key m where m.source_record_id = s.id) as k
        from source_record s where s.partnership_id = ${partnershipId} order by 1`,
  )
  const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort()
  return {
    records: records.map((r) => ({ key: r.key, cluster: cluster(r.person), data: r.data, version: r.version })),
    persons: sorted(persons.map(({ id, ...p }) => ({ cluster: cluster(id), ...p }))),
    events: sorted(events.map(({ person_id, ...e }) => ({ ...e, cluster: cluster(person_id) }))),
    reviews: sorted(reviews.map(({ candidate, ...r }) => ({ ...r, candidate: cluster(candidate) }))),
    // In the order appended: the chain is in file order either way.
    audit: audit.map(({ person, ...a }) => ({ ...a, cluster: cluster(person) })),
    history: history,
  }
}

async function load(mode: 'batch' | 'row', lines: ImportLine[]): Promise<{ summary: ImportSummary; world: World; db: Db; seconds: number }> {
  const { database, world } = await openTestWorld()
  opened.push(database)
  forgetModel(world.partnershipId)
  const t0 = performance.now()
  // Small transactions, so runs meet records of earlier transactions as well as their own.
  const summary = await importRows(database.db, { partnershipId: world.partnershipId, userId: null, now: FIXED_NOW }, lines, { today: '2026-11-20', mode, batch: 250 })
  return { summary, world, db: database.db, seconds: (performance.now() - t0) / 1000 }
}

let lines: ImportLine[]
before(() => {
  lines = importFile(20, 300).map((record, i) => ({ line: i + 2, record }))
})

test('a generated file loads to the same persons, links, reviews and audit whether batched or row at a time', async () => {
  const batched = await load('batch', lines)
  const single = await load('row', lines)
  process.stderr.write(`${lines.length} rows: batched ${batched.seconds.toFixed(1)} s, row at a time ${single.seconds.toFixed(1)} s\n`)
  const { summary } = batched
  assert.deepEqual(summary, single.summary)
  // The file is worth comparing on: links, new persons with reviews, updates and skipped rows all happen.
  assert.ok(summary.linked > 100 && summary.created > 300 && summary.reviews > 20 && summary.updated > 10 && summary.skipped.length > 5, JSON.stringify({ ...summary, skipped: summary.skipped.length }))
  const [a, b] = [await canonical(batched.db, batched.world.partnershipId), await canonical(single.db, single.world.partnershipId)]
  for (const part of Object.keys(a) as (keyof typeof a)[]) assert.deepEqual(a[part], b[part], `${part} differ`)
})
