/**
 * One way to append to the audit chain, safe under any concurrency on both engines (issue 15,
 * item 7): appends with the database handle and appends inside transactions, all at once; and
 * what one append costs (one statement), whatever moved the chain's head meanwhile.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { countingStatements, createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { queryRows } from '../../db/connection.ts'
import { entryHash } from '../../domain/access/audit-chain.ts'
import { appendAudit, auditMany, verifyAuditLog, type AuditEntryInput } from './audit.ts'
import type { ServiceContext } from '../common/context.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(() => database.close())

const entry = (i: number): AuditEntryInput => ({ partnershipId: null, actorUserId: null, action: 'test.parallel', detail: { i }, occurredAt: new Date() })
const lastSeq = async () => Number((await queryRows<{ n: number }>(database.db, sql`select last_seq as n from audit_chain_head`))[0]!.n)

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

const countingDb = () => countingStatements(database)

describe(`what an append costs (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const written = (statements: string[]) => statements.filter((s) => !/^(begin|commit|rollback)\b/i.test(s.trim()))

  test('an entry appended outside a transaction is one statement, once this process knows where the chain ends', async () => {
    const { db, statements } = countingDb()
    await appendAudit(db, entry(1))
    statements.length = 0
    const start = await lastSeq()
    await appendAudit(db, entry(2))
    assert.equal(statements.length, 1, `one statement moves the head and inserts the entry, not: ${statements.join(' | ')}`)
    assert.equal((await lastSeq()) - start, 1)
    assert.equal((await verifyAuditLog(database.db)).ok, true)
  })

  test('an entry appended inside a transaction is one statement in it', async () => {
    const { db, statements } = countingDb()
    await appendAudit(db, entry(1))
    statements.length = 0
    await db.transaction((tx) => appendAudit(tx, entry(2)))
    assert.equal(written(statements).length, 1, `one statement in the transaction, not: ${written(statements).join(' | ')}`)
    assert.equal((await verifyAuditLog(database.db)).ok, true)
  })

  test('a head moved behind this process’s back (a rolled back transaction, another process) is read again, and the chain stays whole', async () => {
    const start = await lastSeq()
    // A transaction appends, so this process thinks the chain ends there, and then rolls back.
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, entry(1))
        throw new Error('roll back')
      }),
      /roll back/,
    )
    assert.equal(await lastSeq(), start, 'the rolled back entry is not there')
    assert.equal(await appendAudit(database.db, entry(2)), start + 1, 'the next entry takes its place')
    // Another process appends an entry (written here directly, as it would).
    const [head] = await queryRows<{ lastHash: string }>(database.db, sql`select last_hash as "lastHash" from audit_chain_head`)
    const fields = { ...entry(3), seq: start + 2, occurredAt: new Date().toISOString(), recordType: null, recordId: null, subjectPersonId: null, ground: null, reason: null, breakGlass: false, requestId: null, detail: {} }
    const hash = entryHash(head!.lastHash, fields)
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into audit_event (seq, occurred_at, action, detail, prev_hash, hash) values (${fields.seq}, ${fields.occurredAt}, ${fields.action}, '{}'::jsonb, ${head!.lastHash}, ${hash})`)
      await tx.execute(sql`update audit_chain_head set last_seq = ${fields.seq}, last_hash = ${hash}`)
    })
    const seqs = await Promise.all([appendAudit(database.db, entry(4)), database.db.transaction((tx) => appendAudit(tx, entry(5)))])
    assert.deepEqual(seqs.sort((a, b) => a - b), [start + 3, start + 4])
    const verified = await verifyAuditLog(database.db)
    assert.equal(verified.ok, true, JSON.stringify(verified))
  })
})
