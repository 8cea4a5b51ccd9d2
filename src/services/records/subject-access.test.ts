/**
 * Subject access requests and rectification (issue 18 §3): the request and its clock, the bundle
 * compiled through the policy (each case read audited under the subject-access ground), review
 * with exemptions, a second person's approval enforced, the PDF kept; a request to correct a
 * record decided by a manager, its statement of disagreement shown in the chronology.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, subjectAccessBundle } from '../../db/schema/index.ts'
import { AccessDenied, ValidationFailed } from '../common/context.ts'
import { noteInput } from '../journey/case-notes-input.ts'
import { addNote } from '../journey/case-notes.ts'
import { chronology } from '../journey/chronology.ts'
import { rectificationDecision, rectificationNew, subjectAccessItemDecision, subjectAccessNew } from './subject-access-input.ts'
import {
  approveSubjectAccessRelease,
  compileSubjectAccessBundle,
  decideSubjectAccessItem,
  downloadSubjectAccessBundle,
  extendSubjectAccessClock,
  getSubjectAccessRequest,
  listSubjectAccessRequests,
  recordSubjectAccessRequest,
  submitSubjectAccessReview,
} from './subject-access.ts'
import { decideRectification, rectificationsOfCase, recordRectification } from './rectification.ts'

let database: TestDatabase
let world: World
before(async () => {
  ;({ database, world } = await openTestWorld())
})
after(() => database.close())

/** A child with a case holding a note that names a neighbour. */
async function childWithNote() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  await addNote(
    world.ctx(worker),
    caseId,
    noteInput.parse({ kind: 'note', occurredOn: '2026-11-02', title: 'Call from school', body: 'Mum said her neighbour Jo Smith called the police.' }),
  )
  return { worker, caseId, personId }
}

const newRequest = (personIds: string[], over: Record<string, unknown> = {}) =>
  subjectAccessNew.parse({ requesterName: 'Ash Parent', requesterKind: 'parent', requesterRelationship: 'Mother', receivedOn: '2026-10-31', personIds, ...over })

describe('a subject access request', () => {
  test('is recorded by the data protection officer with its clock; a social worker is refused', async () => {
    const { personId, worker } = await childWithNote()
    const dpo = await world.user(['auditor'], { team: null })
    await assert.rejects(recordSubjectAccessRequest(world.ctx(worker), newRequest([personId])), AccessDenied)
    assert.throws(() => newRequest([personId], { requesterRelationship: '' }), /relationship/)
    const { id } = await recordSubjectAccessRequest(world.ctx(dpo), newRequest([personId]))
    const view = await getSubjectAccessRequest(world.ctx(dpo), id)
    assert.equal(view.clock.dueOn, '2026-11-30', '31 October + 1 month = 30 November')
    assert.equal(view.clock.status, 'due')
    assert.deepEqual(view.people.map((p) => p.id), [personId])
    const late = world.ctx(dpo, new Date('2026-12-01T12:00:00Z'))
    assert.equal((await getSubjectAccessRequest(late, id)).clock.status, 'overdue')
    await extendSubjectAccessClock(world.ctx(dpo), id, { months: 2, reason: 'Five years of records across two cases', version: view.request.version })
    const extended = await getSubjectAccessRequest(late, id)
    assert.equal(extended.clock.dueOn, '2027-01-31')
    assert.equal(extended.clock.status, 'due')
    await assert.rejects(extendSubjectAccessClock(world.ctx(dpo), id, { months: 1, reason: 'again', version: extended.request.version }), /only once/)
    const listed = await listSubjectAccessRequests(world.ctx(dpo), { offset: 0, limit: 100 })
    assert.ok(listed.items.some((i) => i.id === id && i.clock.dueOn === '2027-01-31'))
  })

  test('compiles every case read under the subject-access ground, audited against the child', async () => {
    const { personId, caseId } = await childWithNote()
    const dpo = await world.user(['auditor'], { team: null })
    const ctx = world.ctx(dpo)
    const { id } = await recordSubjectAccessRequest(ctx, newRequest([personId]))
    const { items } = await compileSubjectAccessBundle(ctx, id, 1)
    assert.ok(items >= 3, 'person index, case, note')
    const view = await getSubjectAccessRequest(ctx, id)
    for (const source of ['Person index', 'Case', 'Case note']) assert.ok(view.items.some((i) => i.source === source), source)
    assert.ok(view.items.some((i) => i.source === 'Case note' && i.text.includes('Jo Smith')))
    const reads = await world.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.view'), eq(auditEvent.actorUserId, dpo.userId)))
    assert.equal(reads.length, 1)
    assert.equal(reads[0]!.ground, 'subject-access')
    assert.equal(reads[0]!.subjectPersonId, personId)
    assert.deepEqual(reads[0]!.detail, { section: 'subject-access', request: id })
  })

  test('a restricted case is not compiled without explicit permission, and the refusal is audited', async () => {
    const worker = await world.user(['social-worker'])
    const { personId, caseId } = await world.childCase({ worker: worker.userId, restricted: true })
    const dpo = await world.user(['auditor'], { team: null })
    const ctx = world.ctx(dpo)
    const { id } = await recordSubjectAccessRequest(ctx, newRequest([personId]))
    await assert.rejects(compileSubjectAccessBundle(ctx, id, 1), (e: unknown) => e instanceof ValidationFailed && /restricted/.test(e.message))
    const refused = await world.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.read.refused')))
    assert.equal(refused.length, 1)
    await world.grant(caseId, dpo.userId, 'explicit-permission')
    assert.ok((await compileSubjectAccessBundle(ctx, id, 1)).items > 0)
  })

  test('is reviewed with exemptions, approved only by a second person, and released as a kept PDF', async () => {
    const { personId } = await childWithNote()
    const dpo = await world.user(['auditor'], { team: null })
    const manager = await world.user(['team-manager'])
    const ctx = world.ctx(dpo)
    const { id } = await recordSubjectAccessRequest(ctx, newRequest([personId]))
    await compileSubjectAccessBundle(ctx, id, 1)
    let view = await getSubjectAccessRequest(ctx, id)
    const note = view.items.find((i) => i.source === 'Case note')!
    await assert.rejects(
      decideSubjectAccessItem(ctx, id, note.id, subjectAccessItemDecision.parse({ decision: 'redacted', redactedText: note.text, version: note.version })),
      (e: unknown) => e instanceof ValidationFailed && 'exemption' in e.fieldErrors && 'redactedText' in e.fieldErrors,
    )
    await assert.rejects(submitSubjectAccessReview(ctx, id, view.request.version), /no decision yet/)
    for (const item of view.items) {
      const input =
        item.id === note.id
          ? { decision: 'redacted', exemption: 'third-party', redactedText: item.text.replace('Jo Smith', '[Redacted]'), version: item.version }
          : { decision: 'released', version: item.version }
      await decideSubjectAccessItem(ctx, id, item.id, subjectAccessItemDecision.parse(input))
    }
    view = await getSubjectAccessRequest(ctx, id)
    await submitSubjectAccessReview(ctx, id, view.request.version)
    view = await getSubjectAccessRequest(ctx, id)
    assert.equal(view.status, 'awaiting-approval')
    // The reviewer cannot approve their own review.
    await assert.rejects(approveSubjectAccessRelease(ctx, id, view.request.version), (e: unknown) => e instanceof ValidationFailed && /second person/.test(e.message))
    const refusedApproval = await world.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, id), eq(auditEvent.action, 'subject-access.approve.refused')))
    assert.equal(refusedApproval.length, 1)
    assert.equal((await getSubjectAccessRequest(ctx, id)).request.completedOn, null)
    // A second person (a team manager) approves.
    await approveSubjectAccessRelease(world.ctx(manager), id, view.request.version)
    view = await getSubjectAccessRequest(ctx, id)
    assert.equal(view.status, 'completed')
    assert.equal(view.request.completedOn, '2026-11-20')
    assert.equal(view.clock.status, 'completed')
    const { pdf } = await downloadSubjectAccessBundle(ctx, id)
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    const [kept] = await world.db.select().from(subjectAccessBundle).where(eq(subjectAccessBundle.requestId, id))
    assert.equal(kept!.sizeBytes, pdf.length)
    const released = await world.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, id), eq(auditEvent.action, 'subject-access.release')))
    assert.equal(released.length, 1)
    assert.equal(released[0]!.subjectPersonId, personId)
    assert.deepEqual(released[0]!.detail, { items: view.items.length, withheld: 0, redacted: 1 })
  })
})

describe('a request to correct a record', () => {
  test('is recorded by the worker, decided by the team manager, and a statement of disagreement shows in the chronology', async () => {
    const { worker, caseId } = await childWithNote()
    const manager = await world.user(['team-manager'])
    const listed = await rectificationsOfCase(world.ctx(worker), caseId)
    const record = listed.records.find((r) => r.text.includes('Call from school'))!
    const { id } = await recordRectification(
      world.ctx(worker),
      caseId,
      rectificationNew.parse({ record: record.value, requesterName: 'Ash Parent', receivedOn: '2026-11-10', whatIsWrong: 'I never said that', whatTheyWant: 'Remove the sentence' }),
    )
    await assert.rejects(
      decideRectification(world.ctx(worker), caseId, id, rectificationDecision.parse({ decision: 'kept', reason: 'x', statement: 'y', version: 1 })),
      AccessDenied,
    )
    await assert.rejects(
      decideRectification(world.ctx(manager), caseId, id, rectificationDecision.parse({ decision: 'kept', reason: 'The school reported it', version: 1 })),
      (e: unknown) => e instanceof ValidationFailed && 'statement' in e.fieldErrors,
    )
    await decideRectification(
      world.ctx(manager),
      caseId,
      id,
      rectificationDecision.parse({ decision: 'kept', reason: 'The note records what the school reported', statement: 'I never said this to the school.', version: 1 }),
    )
    const view = await chronology(world.ctx(worker), caseId)
    const entry = view.entries.find((e) => `${e.entity}:${e.entityId}` === record.value)!
    assert.deepEqual(entry.disagreements, ['I never said this to the school.'])
    const decided = await rectificationsOfCase(world.ctx(worker), caseId)
    assert.equal(decided.requests[0]!.decision, 'kept')
    assert.equal(decided.requests[0]!.decidedByName, manager.displayName)
  })
})
