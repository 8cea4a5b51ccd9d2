import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, caseNote, childCase, clock, recordRevision, task } from '../../db/schema/index.ts'
import { createRecord, setCaseStage, updateRecord, withCase } from './case-records.ts'
import { clocksOfCase, completeClocks, startClock } from './clocks.ts'
import { AccessDenied, EditConflict } from '../common/context.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const note = (title: string) => ({ kind: 'note', occurredOn: '2026-11-19', title, body: 'Fictional note.' })

describe('writing journey records', () => {
  test('a create and an update each append a revision and an audit entry with the ground', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId, personId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const created = await withCase(ctx, caseId, 'case:update', (tx, open) =>
      createRecord<typeof caseNote.$inferSelect>(ctx, tx, open, 'case-note', caseNote, note('First')),
    )
    assert.equal(created.recordedBy, worker.userId)
    assert.equal(created.version, 1)
    const updated = await withCase(ctx, caseId, 'case:update', (tx, open) =>
      updateRecord<typeof caseNote.$inferSelect>(ctx, tx, open, 'case-note', caseNote, created.id, 1, { title: 'Second' }),
    )
    assert.equal(updated.version, 2)
    const revisions = await database.db.select().from(recordRevision).where(eq(recordRevision.entityId, created.id))
    assert.deepEqual(
      revisions.map((r) => [r.version, (r.data as { title: string }).title]),
      [
        [1, 'First'],
        [2, 'Second'],
      ],
    )
    const audits = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, created.id))
    assert.deepEqual(
      audits.map((a) => [a.action, a.ground, a.subjectPersonId]),
      [
        ['case-note.create', 'allocated-worker', personId],
        ['case-note.update', 'allocated-worker', personId],
      ],
    )
  })

  test('a save from an old version is refused with the current record, and nothing changes', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const created = await withCase(ctx, caseId, 'case:update', (tx, open) =>
      createRecord<typeof caseNote.$inferSelect>(ctx, tx, open, 'case-note', caseNote, note('Original')),
    )
    await withCase(ctx, caseId, 'case:update', (tx, open) =>
      updateRecord(ctx, tx, open, 'case-note', caseNote, created.id, 1, { title: 'Theirs' }),
    )
    const err = await withCase(ctx, caseId, 'case:update', (tx, open) =>
      updateRecord(ctx, tx, open, 'case-note', caseNote, created.id, 1, { title: 'Mine' }),
    ).catch((e: unknown) => e)
    assert.ok(err instanceof EditConflict)
    assert.equal(err.current?.title, 'Theirs')
    assert.equal(err.current?.version, 2)
    const [row] = await database.db.select().from(caseNote).where(eq(caseNote.id, created.id))
    assert.equal(row!.title, 'Theirs')
  })

  test('a refused write is audited and writes nothing', async () => {
    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    const { caseId } = await world.childCase()
    await assert.rejects(
      withCase(world.ctx(stranger), caseId, 'case:update', (tx, open) =>
        createRecord(world.ctx(stranger), tx, open, 'case-note', caseNote, note('Nope')),
      ),
      AccessDenied,
    )
    assert.equal((await database.db.select().from(caseNote).where(eq(caseNote.caseId, caseId))).length, 0)
    const [refusal] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, stranger.userId)))
    assert.equal(refusal!.action, 'case.update.refused')
  })

  test('closing and reopening a case by stage sets and clears the closure date', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    await withCase(ctx, caseId, 'case:update', (tx, open) => setCaseStage(ctx, tx, open, 'closed', '2026-11-19'))
    let [c] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.deepEqual([c!.status, c!.closedOn], ['closed', '2026-11-19'])
    await withCase(ctx, caseId, 'case:update', (tx, open) => setCaseStage(ctx, tx, open, 'front-door', '2026-11-20'))
    ;[c] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.deepEqual([c!.status, c!.closedOn, c!.openedOn], ['front-door', null, '2026-11-20'])
  })
})

describe('statutory clocks', () => {
  test('a clock stores rule, edition and due date, makes a task for the worker, and completes with it', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const subjectId = '00000000-0000-4000-8000-000000000001'
    const started = await withCase(ctx, caseId, 'case:update', (tx, open) =>
      startClock(ctx, tx, open, { rule: 'icpc', start: '2026-12-18', subjectType: 'section47', subjectId, task: 'Hold the ICPC' }),
    )
    // 15 working days from Friday 18 December 2026, skipping Christmas, Boxing Day (28th) and New Year's Day.
    assert.deepEqual([started.rule, started.edition, started.dueOn], ['icpc', 2026, '2027-01-13'])
    const [t] = await database.db.select().from(task).where(eq(task.clockId, started.id))
    assert.deepEqual([t!.assigneeUserId, t!.status, t!.dueOn], [worker.userId, 'open', '2027-01-13'])

    const [view] = await clocksOfCase(database.db, caseId, '2027-01-14')
    assert.deepEqual([view!.state, view!.daysLate, view!.needsReason, view!.title], ['overdue', 1, true, 'Initial child protection conference'])

    await withCase(ctx, caseId, 'case:update', (tx) =>
      completeClocks(ctx, tx, { subjectId, completedOn: '2027-01-15', delayReason: 'Chair unavailable' }),
    )
    const [done] = await clocksOfCase(database.db, caseId, '2027-02-01')
    assert.deepEqual([done!.state, done!.daysLate, done!.delayReason, done!.needsReason], ['completed-late', 2, 'Chair unavailable', false])
    const [t2] = await database.db.select().from(task).where(eq(task.clockId, started.id))
    assert.deepEqual([t2!.status, t2!.doneOn], ['done', '2027-01-15'])
    const stored = await database.db.select().from(clock).where(eq(clock.caseId, caseId))
    assert.equal(stored.length, 1)
  })

  test('an unallocated case gives the clock task to its team; the edition is the one in force at the start', async () => {
    const manager = await world.user(['team-manager'])
    const { caseId } = await world.childCase()
    const ctx = world.ctx(manager)
    const started = await withCase(ctx, caseId, 'case:update', (tx, open) =>
      startClock(ctx, tx, open, {
        rule: 'initial-assessment',
        start: '2012-06-01',
        subjectType: 'cin-episode',
        subjectId: '00000000-0000-4000-8000-000000000002',
        task: 'Complete the initial assessment',
      }),
    )
    // 4 and 5 June 2012 were bank holidays (the spring bank holiday moved, and the Diamond Jubilee).
    assert.deepEqual([started.edition, started.dueOn], [2010, '2012-06-19'])
    const [t] = await database.db.select().from(task).where(eq(task.clockId, started.id))
    assert.deepEqual([t!.assigneeUserId, t!.assigneeTeamId], [null, world.teams.assessment])
  })
})
