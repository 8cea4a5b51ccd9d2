import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { desc, eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, World } from '../../../test/support/fixtures.ts'
import { auditEvent } from '../../db/schema/index.ts'
import { accessHistoryForPerson, appendAudit, verifyAuditLog } from './audit.ts'
import { viewCase } from '../journey/cases.ts'
import { AccessDenied } from '../common/context.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(async () => {
  await database.close()
})

async function appendSome(n: number): Promise<number[]> {
  const seqs = []
  for (let i = 0; i < n; i++) {
    seqs.push(
      await appendAudit(database.db, {
        partnershipId: null,
        actorUserId: null,
        action: 'test.event',
        detail: { i, nested: { b: 2, a: 1 } },
        occurredAt: new Date(FIXED_NOW.getTime() + i),
      }),
    )
  }
  return seqs
}

/** Runs SQL against the log with its append-only triggers disabled, as a rogue owner could. */
async function tamper(sql: string): Promise<void> {
  await database.exec('alter table audit_event disable trigger user')
  try {
    for (const statement of sql.split(';')) await database.exec(statement)
  } finally {
    await database.exec('alter table audit_event enable trigger user')
  }
}

describe(`audit log (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  test('an untouched log verifies, with contiguous sequence numbers', async () => {
    const seqs = await appendSome(5)
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1]! + 1)
    const result = await verifyAuditLog(database.db, 2)
    assert.equal(result.ok, true)
    assert.ok(result.entries >= 5)
  })

  test('the application cannot update, delete or truncate entries', async () => {
    await appendSome(1)
    const appendOnly = (err: Error & { cause?: Error }) => /append-only/.test(`${err.message} ${err.cause?.message}`)
    await assert.rejects(database.exec(`update audit_event set action = 'x'`), appendOnly)
    await assert.rejects(database.exec(`delete from audit_event`), appendOnly)
    await assert.rejects(database.exec(`truncate audit_event`), appendOnly)
  })

  test('a modified entry is named', async () => {
    const [, target] = await appendSome(3)
    await tamper(`update audit_event set reason = 'edited' where seq = ${target}`)
    const result = await verifyAuditLog(database.db, 4)
    assert.equal(result.ok, false)
    assert.equal(!result.ok && result.seq, target)
    assert.match(!result.ok ? result.problem : '', /modified/)
    await tamper(`update audit_event set reason = null where seq = ${target}`)
    assert.equal((await verifyAuditLog(database.db)).ok, true, 'restoring the content restores the chain')
  })

  test('a change to the jsonb detail is detected even though jsonb reorders keys', async () => {
    const [target] = await appendSome(1)
    assert.equal((await verifyAuditLog(database.db)).ok, true)
    await tamper(`update audit_event set detail = jsonb_set(detail, '{i}', '99') where seq = ${target}`)
    const result = await verifyAuditLog(database.db)
    assert.equal(!result.ok && result.seq, target)
    await tamper(`update audit_event set detail = jsonb_set(detail, '{i}', '0') where seq = ${target}`)
  })

  test('a deleted entry is detected at the entry after it', async () => {
    const [first, second, third] = await appendSome(3)
    assert.equal((await verifyAuditLog(database.db)).ok, true)
    const saved = await database.db.select().from(auditEvent).where(eq(auditEvent.seq, second!))
    await tamper(`delete from audit_event where seq = ${second}`)
    const result = await verifyAuditLog(database.db, 3)
    assert.equal(result.ok, false)
    assert.equal(!result.ok && result.seq, third)
    assert.match(!result.ok ? result.problem : '', new RegExp(`does not follow entry ${first}`))
    await database.exec('alter table audit_event disable trigger user')
    await database.db.insert(auditEvent).values(saved[0]!)
    await database.exec('alter table audit_event enable trigger user')
    assert.equal((await verifyAuditLog(database.db)).ok, true)
  })

  test('reordered entries are detected', async () => {
    const [a, b] = await appendSome(2)
    await tamper(`update audit_event set seq = -1 where seq = ${a};
      update audit_event set seq = ${a} where seq = ${b};
      update audit_event set seq = ${b} where seq = -1`)
    const result = await verifyAuditLog(database.db)
    assert.equal(result.ok, false)
    assert.equal(!result.ok && result.seq, a)
    await tamper(`update audit_event set seq = -1 where seq = ${a};
      update audit_event set seq = ${a} where seq = ${b};
      update audit_event set seq = ${b} where seq = -1`)
    assert.equal((await verifyAuditLog(database.db)).ok, true)
  })

  test('removing the newest entries is detected through the chain head', async () => {
    await appendSome(2)
    const [last] = await database.db.select().from(auditEvent).orderBy(desc(auditEvent.seq)).limit(1)
    await tamper(`delete from audit_event where seq = ${last!.seq}`)
    const result = await verifyAuditLog(database.db)
    assert.equal(result.ok, false)
    assert.equal(!result.ok && result.seq, last!.seq)
    assert.match(!result.ok ? result.problem : '', /newest entries were deleted/)
    await database.exec('alter table audit_event disable trigger user')
    await database.db.insert(auditEvent).values(last!)
    await database.exec('alter table audit_event enable trigger user')
    assert.equal((await verifyAuditLog(database.db)).ok, true)
  })

  test('an auditor sees who looked at a child’s record, when and why; others may not ask', async () => {
    const world = await World.create(database.db)
    const worker = await world.user(['social-worker'])
    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    const auditor = await world.user(['auditor'], { team: null })
    const { caseId, personId } = await world.childCase({ worker: worker.userId })

    await viewCase(world.ctx(worker), caseId)
    await assert.rejects(viewCase(world.ctx(stranger), caseId), AccessDenied)

    const { subject, entries } = await accessHistoryForPerson(world.ctx(auditor), personId)
    assert.equal(subject.givenName, 'Testy')
    const actions = entries.map((e) => [e.actorEmail, e.action, e.ground])
    assert.deepEqual(actions.slice(0, 3), [
      [auditor.email, 'audit.person-history.view', 'role:auditor'],
      [stranger.email, 'case.read.refused', null],
      [worker.email, 'case.view', 'allocated-worker'],
    ])
    await assert.rejects(accessHistoryForPerson(world.ctx(worker), personId), AccessDenied)
    assert.equal((await verifyAuditLog(database.db)).ok, true)
  })
})
