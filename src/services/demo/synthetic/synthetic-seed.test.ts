/**
 * Seeding synthetic data into a real database (PGlite, or PostgreSQL when DATABASE_URL is set):
 * COPY writes what was generated, byte for byte; the services read the seeded cases as their own.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, sql } from 'drizzle-orm'
import pg from 'pg'
import type { PGlite } from '@electric-sql/pglite'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts'
import { agency, auditEvent, caseNote, childCase, clock, partnership, person, recordRevision, sourceRecord } from '../../../db/schema/index.ts'
import { loadActor } from '../../access/accounts.ts'
import { viewCase } from '../../journey/cases.ts'
import { clocksOfCase } from '../../journey/clocks.ts'
import { verifyAuditLog } from '../../access/audit.ts'
import { copyEscape, copyText, pgliteCopyTarget, postgresCopyTarget, SyntheticWriteError, writeBatch, type CopyTarget } from './copy-writer.ts'
import { danglingReferences } from './references.ts'
import { emptyBatch, newRow, TABLE_ORDER } from './rows.ts'
import { generateRange, seedSynthetic, syntheticGenerator, SyntheticSeedError, type SyntheticSeedResult } from './seed.ts'

let database: TestDatabase
let seeded: SyntheticSeedResult
before(async () => {
  database = await createTestDatabase()
  seeded = await seedSynthetic(database, { children: 40, seed: 11 })
})
after(() => database.close())

/** COPY into the test database, on a connection of its own for PostgreSQL. */
async function withCopyTarget(work: (target: CopyTarget) => Promise<void>): Promise<void> {
  if (database.target.kind === 'postgres') {
    const client = new pg.Client({ connectionString: database.target.url })
    await client.connect()
    try {
      await work(postgresCopyTarget(client))
    } finally {
      await client.end()
    }
    return
  }
  await work(pgliteCopyTarget((database.db as unknown as { $client: PGlite }).$client))
}

describe('COPY text', () => {
  test('escapes what COPY’s text format needs escaped, and writes null as \\N', () => {
    assert.equal(copyEscape('plain'), 'plain')
    assert.equal(copyEscape('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e')
    const row = newRow('agency', { id: '00000000-0000-4000-8000-000000000001', partnershipId: '00000000-0000-4000-8000-000000000002', name: 'x\ty', type: 'police', active: true, createdAt: '2026-01-01T09:00:00.000Z', updatedAt: '2026-01-01T09:00:00.000Z', version: 1 })
    assert.equal(
      copyText('agency', [row]),
      '00000000-0000-4000-8000-000000000001\t00000000-0000-4000-8000-000000000002\tx\\ty\tpolice\tt\t2026-01-01T09:00:00.000Z\t2026-01-01T09:00:00.000Z\t1\n',
    )
  })

  test('awkward text, arrays and JSON arrive exactly as generated', async () => {
    const batch = emptyBatch()
    const at = '2026-01-01T09:00:00.000Z'
    const partnershipId = '7f1e0d4c-0000-4000-8000-00000000c0de'
    const awkward = 'Tab\there, back\\slash, "quotes", new\nline, {braces}, $dollars$'
    batch.partnership.push(newRow('partnership', { id: partnershipId, name: awkward, isDemo: false, localRules: { note: awkward }, createdAt: at, updatedAt: at, version: 1 }))
    batch.agency.push(newRow('agency', { id: '7f1e0d4c-0000-4000-8000-00000000a9e1', partnershipId, name: awkward, type: 'police', active: false, createdAt: at, updatedAt: at, version: 3 }))
    await withCopyTarget((target) => writeBatch(target, batch))
    const [p] = await database.db.select().from(partnership).where(eq(partnership.id, partnershipId))
    assert.equal(p!.name, awkward)
    assert.deepEqual(p!.localRules, { note: awkward })
    const [a] = await database.db.select().from(agency).where(eq(agency.partnershipId, partnershipId))
    assert.deepEqual([a!.name, a!.active, a!.version, a!.createdAt.toISOString()], [awkward, false, 3, at])
  })

  test('a refused COPY fails with the database’s reason, and the connection carries on', async () => {
    const batch = emptyBatch()
    const at = '2026-01-01T09:00:00.000Z'
    const nowhere = '7f1e0d4c-0000-4000-8000-0000000000ff'
    batch.agency.push(newRow('agency', { id: '7f1e0d4c-0000-4000-8000-0000000000fe', partnershipId: nowhere, name: 'Orphan', type: 'police', active: true, createdAt: at, updatedAt: at, version: 1 }))
    await withCopyTarget(async (target) => {
      await assert.rejects(writeBatch(target, batch), (err: Error) => {
        assert.ok(err instanceof SyntheticWriteError)
        assert.match(err.message, /^writing synthetic agency rows failed: .*foreign key/)
        return true
      })
      const ok = emptyBatch()
      ok.partnership.push(newRow('partnership', { id: nowhere, name: 'After a failure', isDemo: false, localRules: {}, createdAt: at, updatedAt: at, version: 1 }))
      await writeBatch(target, ok)
    })
    const [p] = await database.db.select().from(partnership).where(eq(partnership.id, nowhere))
    assert.equal(p!.name, 'After a failure')
  })
})

describe('seeding synthetic children', () => {
  test('writes every row it counts, and one audit entry for the whole load', async () => {
    assert.equal(seeded.children, 40)
    assert.equal(seeded.rowsByTable.person, 40)
    const [cases] = await database.db.select({ n: sql<number>`count(*)::int` }).from(childCase).where(eq(childCase.partnershipId, seeded.partnershipId))
    assert.equal(cases!.n, 40)
    const [revisions] = await database.db.select({ n: sql<number>`count(*)::int` }).from(recordRevision).where(eq(recordRevision.partnershipId, seeded.partnershipId))
    assert.equal(revisions!.n, seeded.rowsByTable.recordRevision)
    const entries = await database.db.select().from(auditEvent).where(eq(auditEvent.partnershipId, seeded.partnershipId))
    assert.deepEqual(entries.map((e) => e.action), ['seed.synthetic'])
    assert.equal((entries[0]!.detail as { rows: number }).rows, seeded.rows)
    const verified = await verifyAuditLog(database.db)
    assert.equal(verified.ok, true)
    assert.equal(verified.ok && verified.entries, (await database.db.select().from(auditEvent)).length)
  })

  test('the worker writes exactly what the generator gives for the same settings', () => {
    const { org, generator } = syntheticGenerator({ children: 40, seed: 11 })
    const batch = generateRange(generator, 0, 40)
    for (const key of TABLE_ORDER) assert.equal(seeded.rowsByTable[key], org.batch[key].length + batch[key].length, key)
  })

  test('every reference the load wrote points at a row, and a broken one is found', async () => {
    assert.deepEqual(await danglingReferences(database.db, seeded.partnershipId), [])
    const [note] = await database.db.select().from(caseNote).where(eq(caseNote.partnershipId, seeded.partnershipId)).limit(1)
    assert.ok(note, 'a seeded case note')
    const rolledBack = new Error('roll back')
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`)
        await tx.insert(caseNote).values({ ...note, id: '7f1e0d4c-0000-4000-8000-00000000dead', caseId: '7f1e0d4c-0000-4000-8000-00000000beef' })
        assert.deepEqual(await danglingReferences(tx, seeded.partnershipId), [
          { table: 'case_note', constraint: 'case_note_case_id_child_case_id_fk', rows: 1 },
        ])
        throw rolledBack
      }),
      rolledBack,
    )
  })

  test('every seeded person reaches the person index, though the load runs with triggers off', async () => {
    const [people] = await database.db.select({ n: sql<number>`count(*)::int` }).from(person).where(eq(person.partnershipId, seeded.partnershipId))
    const [indexed] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(sourceRecord)
      .where(and(eq(sourceRecord.partnershipId, seeded.partnershipId), eq(sourceRecord.sourceSystem, 'together')))
    assert.ok(people!.n >= 40)
    assert.equal(indexed!.n, people!.n)
  })

  test('refuses to load the same seed twice', async () => {
    await assert.rejects(seedSynthetic(database, { children: 5, seed: 11 }), SyntheticSeedError)
  })

  test('the services read a seeded case: its allocated worker opens it, its clocks are due when stored', async () => {
    const [open] = await database.db
      .select({ id: childCase.id, worker: childCase.allocatedWorkerId })
      .from(childCase)
      .where(and(eq(childCase.partnershipId, seeded.partnershipId), sql`${childCase.allocatedWorkerId} is not null`, sql`exists (select 1 from clock k where k.case_id = ${childCase.id})`))
      .limit(1)
    assert.ok(open, 'a seeded case with a worker and clocks')
    const actor = await loadActor(database.db, open.worker!)
    const view = await viewCase({ db: database.db, actor: actor!, now: () => new Date('2026-11-02T10:00:00Z') }, open.id)
    assert.equal(view.ground, 'allocated-worker')
    const stored = await database.db.select().from(clock).where(eq(clock.caseId, open.id))
    const views = await clocksOfCase(database.db, open.id, '2026-11-02')
    assert.equal(views.length, stored.length)
    for (const v of views) assert.equal(v.dueOn, stored.find((k) => k.id === v.id)!.dueOn)
  })
})
