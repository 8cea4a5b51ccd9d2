/**
 * One way to append to the audit chain, safe under any concurrency on both engines (issue 15,
 * item 7): appends with the database handle and appends inside transactions, all at once.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { queryRows } from '../../db/connection.ts'
import { appendAudit, auditMany, verifyAuditLog, type AuditEntryInput } from './audit.ts'
import type { ServiceContext } from '../common/context.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

const entry = (i: number): AuditEntryInput => ({ partnershipId: null, actorUserId: null, action: 'test.parallel', detail: { i }, occurredAt: new Date() })
const lastSeq = async () => (await queryRows<{ n: number }>(database.db, sql`select last_seq as n from audit_chain_head`))[0]!.n

describe(`appending to the audit chain in parallel (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  test('300 appends outside a transaction, 50 inside transactions and 50 batches of two, all at once', async () => {
    const start = await lastSeq()
    const ctx = { actor: { partnershipId: null, userId: null }, requestId: null, now: () => new Date() } as unknown as ServiceContext
    const work: Promise<unknown>[] = []
    for (let i = 0; i < 300; i++) {
      work.push(appendAudit(database.db, entry(i)))
      if (i % 6 === 0) work.push(database.db.transaction((tx) => appendAudit(tx, entry(i))))
      if (i % 6 === 3) work.push(auditMany({ ...ctx, db: database.db }, database.db, [{ action: 'test.a' }, { action: 'test.b' }]))
    }
    const settled = await Promise.allSettled(work)
    const failed = settled.filter((s) => s.status === 'rejected')
    assert.equal(failed.length, 0, `${failed.length} appends failed: ${String((failed[0] as PromiseRejectedResult | undefined)?.reason)}`)
    const seqs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value].flat() : [])) as number[]
    assert.equal(seqs.length, 450, '300 + 50 + 50 × 2 entries')
    assert.equal(new Set(seqs).size, 450, 'every entry has its own sequence number')
    assert.equal((await lastSeq()) - start, 450)
    const verified = await verifyAuditLog(database.db)
    assert.equal(verified.ok, true, JSON.stringify(verified))
  })

  test('one entry the database refuses fails only its own caller, not the others appended with it', async () => {
    const start = await lastSeq()
    const results = await Promise.allSettled([
      appendAudit(database.db, entry(1)),
      appendAudit(database.db, { ...entry(2), action: 'test.bad', detail: { text: 'a\u0000b' } }),
      appendAudit(database.db, entry(3)),
    ])
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled'])
    assert.equal((await lastSeq()) - start, 2)
    assert.equal((await verifyAuditLog(database.db)).ok, true)
  })
})
