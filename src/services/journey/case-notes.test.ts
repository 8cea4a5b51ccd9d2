import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, caseNote, recordRevision } from '../../db/schema/index.ts'
import { noteInput, noteUpdate } from './case-notes-input.ts'
import { addNote, changeNote, getNote, notesOfCase } from './case-notes.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, personId, ctx: world.ctx(worker) }
}

const note = (fields: Record<string, unknown>) => noteInput.parse({ kind: 'note', occurredOn: '2026-11-18', title: 'Phone call', body: 'Spoke to school.', ...fields })

describe('case notes and visits', () => {
  test('notes are listed newest first and can be filtered by kind', async () => {
    const { caseId, ctx } = await allocatedCase()
    await addNote(ctx, caseId, note({ occurredOn: '2026-11-01', title: 'Older' }))
    await addNote(ctx, caseId, note({ kind: 'visit', occurredOn: '2026-11-10', title: 'Home visit', childSeen: 'yes', childSeenAlone: 'no' }))
    await addNote(ctx, caseId, note({ kind: 'supervision', occurredOn: '2026-11-15', title: 'Supervision' }))
    const all = await notesOfCase(ctx, caseId)
    assert.deepEqual(all.notes.map((n) => n.title), ['Supervision', 'Home visit', 'Older'])
    assert.equal(all.notes[0]!.recordedByName, ctx.actor.displayName)
    const visits = await notesOfCase(ctx, caseId, 'visit')
    assert.deepEqual(visits.notes.map((n) => [n.title, n.childSeen, n.childSeenAlone]), [['Home visit', true, false]])
  })

  test('a visit must say whether the child was seen, and if so whether alone; other notes say neither', () => {
    const missing = noteInput.safeParse({ kind: 'visit', occurredOn: '2026-11-18', title: 'Visit', body: 'x' })
    assert.equal(missing.success, false)
    assert.equal(missing.error!.issues[0]!.path[0], 'childSeen')
    const seenNotAlone = noteInput.safeParse({ kind: 'visit', occurredOn: '2026-11-18', title: 'Visit', body: 'x', childSeen: 'yes' })
    assert.equal(seenNotAlone.error!.issues[0]!.path[0], 'childSeenAlone')
    const notSeen = noteInput.parse({ kind: 'visit', occurredOn: '2026-11-18', title: 'Visit', body: 'x', childSeen: false })
    assert.equal(notSeen.childSeenAlone, false)
    const plain = noteInput.parse({ kind: 'note', occurredOn: '2026-11-18', title: 'Note', body: 'x', childSeen: 'yes' })
    assert.equal(plain.childSeen, null)
    assert.equal(noteInput.safeParse({ kind: 'statutory-visit', occurredOn: '2026-11-18', title: 'x', body: 'x' }).success, false)
  })

  test('a note dated in the future is refused', async () => {
    const { caseId, ctx } = await allocatedCase()
    await assert.rejects(addNote(ctx, caseId, note({ occurredOn: '2026-11-21' })), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.match(err.fieldErrors.occurredOn!, /today or in the past/)
      return true
    })
  })

  test('adding writes a revision and an audit entry; reading the notes is audited with its section', async () => {
    const { caseId, ctx, personId } = await allocatedCase()
    const created = await addNote(ctx, caseId, note({}))
    const revisions = await database.db.select().from(recordRevision).where(eq(recordRevision.entityId, created.id))
    assert.equal(revisions.length, 1)
    assert.equal(revisions[0]!.entity, 'case-note')
    await notesOfCase(ctx, caseId)
    const views = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.view')))
    assert.ok(views.some((v) => (v.detail as { section?: string }).section === 'notes'))
    const [createdEntry] = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, created.id))
    assert.equal(createdEntry!.action, 'case-note.create')
    assert.equal(createdEntry!.subjectPersonId, personId)
  })

  test('an edit names the version it was made from; a stale edit is refused with the current note', async () => {
    const { caseId, ctx } = await allocatedCase()
    const created = await addNote(ctx, caseId, note({ title: 'First' }))
    const changed = await changeNote(ctx, caseId, created.id, noteUpdate.parse({ kind: 'note', occurredOn: '2026-11-18', title: 'Second', body: 'b', version: 1 }))
    assert.equal(changed.version, 2)
    await assert.rejects(
      changeNote(ctx, caseId, created.id, noteUpdate.parse({ kind: 'note', occurredOn: '2026-11-18', title: 'Stale', body: 'c', version: 1 })),
      (err) => {
        assert.ok(err instanceof EditConflict)
        assert.equal(err.current?.title, 'Second')
        assert.equal(err.current?.version, 2)
        return true
      },
    )
    assert.equal((await getNote(ctx, caseId, created.id)).note.title, 'Second')
  })

  test('statutory visits are listed but changed only in child protection', async () => {
    const { caseId, ctx, worker } = await allocatedCase()
    const [statutory] = await database.db
      .insert(caseNote)
      .values({
        partnershipId: world.partnershipId,
        caseId,
        kind: 'statutory-visit',
        occurredOn: '2026-11-12',
        title: 'Statutory visit',
        body: 'Seen at home.',
        childSeen: true,
        childSeenAlone: true,
        recordedBy: worker.userId,
      })
      .returning()
    const listed = await notesOfCase(ctx, caseId, 'statutory-visit')
    assert.deepEqual(listed.notes.map((n) => n.id), [statutory!.id])
    await assert.rejects(
      changeNote(ctx, caseId, statutory!.id, noteUpdate.parse({ kind: 'note', occurredOn: '2026-11-12', title: 'x', body: 'x', version: 1 })),
      ValidationFailed,
    )
  })

  test('only people who may change the case add notes; others in the team may read them', async () => {
    const { caseId, ctx } = await allocatedCase()
    const colleague = await world.user(['social-worker'])
    await addNote(ctx, caseId, note({}))
    assert.equal((await notesOfCase(world.ctx(colleague), caseId)).notes.length, 1)
    await assert.rejects(addNote(world.ctx(colleague), caseId, note({})), AccessDenied)
    const outsider = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(notesOfCase(world.ctx(outsider), caseId), AccessDenied)
  })
})
