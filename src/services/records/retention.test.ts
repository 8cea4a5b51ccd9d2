/**
 * Retention, legal holds and erasure (issue 18 §4): schedules with unconfirmed defaults, the
 * review list, the two-person rule, a hold placed between proposal and approval, what the erasure
 * removes and the tombstone it leaves, the chronology's honest gap, and the audit chain still
 * verifying afterwards.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, caseNote, childCase, cinEpisode, document, documentChunk, person, recordRevision } from '../../db/schema/index.ts'
import { verifyAuditLog } from '../access/audit.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { addNote } from '../journey/case-notes.ts'
import { noteInput } from '../journey/case-notes-input.ts'
import { chronology } from '../journey/chronology.ts'
import { documentDetails } from './documents-input.ts'
import { uploadDocuments } from './documents.ts'
import { erasureDecisionInput, legalHoldInput, retentionScheduleInput } from './retention-input.ts'
import {
  decideErasure,
  erasureOf,
  legalHolds,
  liftLegalHold,
  placeLegalHold,
  proposeErasure,
  retentionOfRecord,
  retentionReview,
  retentionSchedules,
  setRetentionOverride,
  setRetentionSchedule,
} from './retention.ts'

let database: TestDatabase
let world: World
let dir: string
before(async () => {
  ;({ database, world } = await openTestWorld())
  dir = await mkdtemp(join(tmpdir(), 'retention-test-'))
})
after(async () => {
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const PAGE = { offset: 0, limit: 100 }
const approve = (version = 1) => erasureDecisionInput.parse({ decision: 'approve', version })

/**
 * A child's case with a note and a document, then closed: a child in need case (an episode), born
 * in 2000, closed in 2019, so past its 25th birthday on the fixed day (20 November 2026).
 */
async function closedCase(options: { dateOfBirth?: string; episode?: boolean } = {}) {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId, familyName: 'Erasable' })
  const ctx = world.ctx(worker)
  await addNote(ctx, caseId, noteInput.parse({ kind: 'note', occurredOn: '2019-01-02', title: 'Home visit arranged', body: 'Mother said the family moved to 1 Fictional Road.' }))
  const path = join(dir, `doc-${caseId}`)
  await writeFile(path, Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'))
  await uploadDocuments(ctx, caseId, documentDetails.parse({ title: 'Report from school', kind: 'report-from-partner', datedOn: '2019-01-01', receivedFrom: 'Hill Primary' }), [{ name: 'report.pdf', path }])
  if (options.episode !== false) {
    await world.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2018-06-01', referralSource: '2A', closureDate: '2019-01-31', recordedBy: worker.userId })
  }
  await world.db.update(childCase).set({ status: 'closed', closedOn: '2019-01-31' }).where(eq(childCase.id, caseId))
  await world.db.update(person).set({ dateOfBirth: options.dateOfBirth ?? '2000-02-03' }).where(eq(person.id, personId))
  return { caseId, personId, worker }
}

describe('schedules', () => {
  test('every kind has a default, shown as to confirm, until the partnership sets it', async () => {
    const dpo = await world.user(['auditor'])
    const before = await retentionSchedules(world.ctx(dpo))
    const cin = before.find((s) => s.kind === 'child-case')!
    assert.equal(cin.confirmed, false)
    assert.equal(cin.rule, '25 years from the date of birth')
    assert.equal(before.find((s) => s.kind === 'looked-after-child')!.rule, '75 years from the date of birth')
    await setRetentionSchedule(world.ctx(dpo), 'notification', retentionScheduleInput.parse({ basis: 'created', years: '3', months: '0', source: 'Our records policy 2026' }))
    const after = (await retentionSchedules(world.ctx(dpo))).find((s) => s.kind === 'notification')!
    assert.deepEqual([after.confirmed, after.months, after.source, after.version], [true, 36, 'Our records policy 2026', 1])
    await assert.rejects(setRetentionSchedule(world.ctx(dpo), 'notification', retentionScheduleInput.parse({ basis: 'created', years: '4', source: 'x' })), EditConflict)
  })

  test('a social worker may not see or set them', async () => {
    const sw = await world.user(['social-worker'])
    await assert.rejects(retentionSchedules(world.ctx(sw)), AccessDenied)
  })
})

describe('erasure', () => {
  test('two people erase a case past retention: its personal data goes, a tombstone stays, the chronology shows the gap, the chain verifies', async () => {
    const { caseId, personId, worker } = await closedCase()
    const dpo = await world.user(['auditor'])
    const admin = await world.user(['administrator'])
    const record = await retentionOfRecord(world.ctx(dpo), 'case', caseId)
    assert.deepEqual([record.kind, record.retainUntil], ['child-case', '2025-02-03'])

    const review = await retentionReview(world.ctx(dpo), PAGE)
    assert.ok(review.page.items.some((i) => i.recordId === caseId && i.recordType === 'case'))

    const erasureId = await proposeErasure(world.ctx(admin), { recordType: 'case', recordId: caseId })
    await assert.rejects(proposeErasure(world.ctx(dpo), { recordType: 'case', recordId: caseId }), (e: unknown) => e instanceof ValidationFailed && /already been proposed/.test(e.message))
    // The proposer cannot approve (an administrator cannot approve at all; an auditor who proposed cannot either).
    await assert.rejects(decideErasure(world.ctx(admin), erasureId, approve()), AccessDenied)
    await decideErasure(world.ctx(dpo), erasureId, approve())

    const tomb = await erasureOf(world.ctx(dpo), erasureId)
    assert.equal(tomb.status, 'erased')
    assert.equal(tomb.rule, '25 years from the date of birth')
    assert.equal(tomb.proposedBy, admin.displayName)
    assert.equal(tomb.decidedBy, dpo.displayName)
    assert.ok(tomb.erased.revisions! >= 2 && tomb.erased.case_note === 1 && tomb.erased.documentChunks! >= 1 && tomb.erased.person === 1, JSON.stringify(tomb.erased))

    const [p] = await world.db.select().from(person).where(eq(person.id, personId))
    assert.deepEqual([p!.givenName, p!.familyName, p!.dateOfBirth, p!.nhsNumber], ['Erased', 'Erased', null, null])
    const [note] = await world.db.select().from(caseNote).where(eq(caseNote.caseId, caseId))
    assert.deepEqual([note!.title, note!.body], ['Erased', 'Erased'])
    const [doc] = await world.db.select().from(document).where(eq(document.caseId, caseId))
    assert.equal(doc!.title, 'Erased')
    const chunks = await world.db.select().from(documentChunk).innerJoin(document, eq(document.caseId, caseId))
    assert.equal(chunks.length, 0)
    const revisions = await world.db.select({ entity: recordRevision.entity, data: recordRevision.data }).from(recordRevision).where(eq(recordRevision.caseId, caseId))
    assert.ok(revisions.every((r) => r.entity === 'erasure' || JSON.stringify(r.data) === '{"erased":true}'))
    assert.ok(!JSON.stringify(revisions).includes('Fictional Road'))

    // The chronology (read by the worker, still allowed on the case) shows only the gap.
    await world.db.update(childCase).set({ allocatedWorkerId: worker.userId }).where(eq(childCase.id, caseId))
    const view = await chronology(world.ctx(worker), caseId)
    assert.deepEqual(
      view.entries.map((e) => [e.kind, e.title]),
      [['erasure', 'Records erased on 20 November 2026: this case’s records']],
    )

    // Nothing personal went into the audit entries of the process, and the chain verifies.
    const entries = await world.db.select().from(auditEvent).where(and(eq(auditEvent.recordType, 'erasure'), eq(auditEvent.recordId, erasureId)))
    assert.deepEqual(entries.map((e) => e.action).sort(), ['erasure.approve', 'erasure.propose'])
    assert.ok(!JSON.stringify(entries).includes('Erasable'))
    const verified = await verifyAuditLog(world.db)
    assert.equal(verified.ok, true, JSON.stringify(verified))

    // Gone from the review list, and cannot be proposed again.
    assert.ok(!(await retentionReview(world.ctx(dpo), PAGE)).page.items.some((i) => i.caseId === caseId))
    await assert.rejects(proposeErasure(world.ctx(admin), { recordType: 'case', recordId: caseId }), /already been erased/)
  })

  test('a hold placed between proposal and approval blocks the approval; lifted, the approval goes through', async () => {
    const { caseId, personId } = await closedCase()
    const dpo = await world.user(['auditor'])
    const other = await world.user(['auditor'])
    const erasureId = await proposeErasure(world.ctx(dpo), { recordType: 'case', recordId: caseId })
    const holdId = await placeLegalHold(world.ctx(other), legalHoldInput.parse({ on: 'person', personId, reason: 'Civil claim notified by solicitors' }))
    await assert.rejects(decideErasure(world.ctx(other), erasureId, approve()), (e: unknown) => e instanceof ValidationFailed && /legal hold covers this record/.test(e.message))
    assert.equal((await erasureOf(world.ctx(other), erasureId)).holds.length, 1)
    // Held records are counted, not listed.
    const review = await retentionReview(world.ctx(dpo), PAGE)
    assert.ok(!review.page.items.some((i) => i.caseId === caseId))
    assert.ok(review.held >= 1)
    const [hold] = (await legalHolds(world.ctx(dpo), PAGE)).items.filter((h) => h.id === holdId)
    await liftLegalHold(world.ctx(dpo), holdId, { reason: 'Claim withdrawn', version: hold!.version })
    await decideErasure(world.ctx(other), erasureId, approve())
    assert.equal((await erasureOf(world.ctx(other), erasureId)).status, 'erased')
  })

  test('a hold on a kind of record stops proposals of every record of that kind', async () => {
    const { caseId } = await closedCase({ episode: false })
    const dpo = await world.user(['auditor'])
    assert.equal((await retentionOfRecord(world.ctx(dpo), 'case', caseId)).kind, 'contact-no-further-action')
    const holdId = await placeLegalHold(world.ctx(dpo), legalHoldInput.parse({ on: 'kind', kind: 'contact-no-further-action', reason: 'National inquiry: do not destroy records about child sexual abuse' }))
    await assert.rejects(proposeErasure(world.ctx(dpo), { recordType: 'case', recordId: caseId }), /legal hold covers this record/)
    await liftLegalHold(world.ctx(dpo), holdId, { reason: 'Inquiry closed', version: 1 })
  })

  test('a record not yet past its date, or given a later date by hand, cannot be proposed', async () => {
    const { caseId } = await closedCase({ dateOfBirth: '2010-01-01' })
    const dpo = await world.user(['auditor'])
    await assert.rejects(proposeErasure(world.ctx(dpo), { recordType: 'case', recordId: caseId }), /kept until 2035-01-01/)
    const old = await closedCase()
    await setRetentionOverride(world.ctx(dpo), 'case', old.caseId, { retainUntil: '2030-01-01', reason: 'Subject of a practice review' })
    const r = await retentionOfRecord(world.ctx(dpo), 'case', old.caseId)
    assert.deepEqual([r.retainUntil, r.overridden], ['2030-01-01', true])
    await assert.rejects(proposeErasure(world.ctx(dpo), { recordType: 'case', recordId: old.caseId }), /kept until 2030-01-01 \(Set for this record: Subject of a practice review\)/)
  })

  test('a refusal leaves the record, and it may be proposed again', async () => {
    const { caseId } = await closedCase()
    const a = await world.user(['auditor'])
    const b = await world.user(['auditor'])
    const id = await proposeErasure(world.ctx(a), { recordType: 'case', recordId: caseId })
    await decideErasure(world.ctx(b), id, erasureDecisionInput.parse({ decision: 'refuse', refusalReason: 'Sibling case still open', version: 1 }))
    assert.equal((await erasureOf(world.ctx(a), id)).status, 'refused')
    await assert.rejects(decideErasure(world.ctx(b), id, approve(2)), /already been refused/)
    await proposeErasure(world.ctx(b), { recordType: 'case', recordId: caseId })
  })

  test('a document with a period of its own is listed, held by a hold on its case’s kind, and erased alone', async () => {
    const fresh = await World.create(database.db)
    const worker = await fresh.user(['social-worker'])
    const { caseId } = await fresh.childCase({ worker: worker.userId })
    const path = join(dir, `own-${caseId}`)
    await writeFile(path, Buffer.from('%PDF-1.7\n%%EOF\n'))
    await uploadDocuments(fresh.ctx(worker), caseId, documentDetails.parse({ title: 'Photograph of a bruise', kind: 'photograph', datedOn: '2026-01-01', receivedFrom: null }), [{ name: 'photo.pdf', path }])
    await database.db.insert(cinEpisode).values({ partnershipId: fresh.partnershipId, caseId, referralDate: '2026-01-01', referralSource: '2A', recordedBy: worker.userId })
    const [doc] = await database.db.select({ id: document.id }).from(document).where(eq(document.caseId, caseId))
    const a = await fresh.user(['auditor'])
    const b = await fresh.user(['auditor'])
    // The documents' own period: 1 month from when each was made (the test's day is 20 November 2026; uploaded 'now').
    await setRetentionSchedule(fresh.ctx(a), 'document', retentionScheduleInput.parse({ basis: 'created', years: '0', months: '1', source: 'Test' }))
    const later = new Date('2027-02-01T10:00:00Z')
    const review = await retentionReview(fresh.ctx(a, later), PAGE)
    assert.deepEqual(review.page.items.map((i) => [i.recordType, i.recordId]), [['document', doc!.id]], 'the open case is not listed, its document is')

    const holdId = await placeLegalHold(fresh.ctx(a), legalHoldInput.parse({ on: 'kind', kind: 'child-case', reason: 'Inquiry' }))
    await assert.rejects(proposeErasure(fresh.ctx(a, later), { recordType: 'document', recordId: doc!.id }), /legal hold covers this record/)
    await liftLegalHold(fresh.ctx(a), holdId, { reason: 'Ended', version: 1 })

    const id = await proposeErasure(fresh.ctx(a, later), { recordType: 'document', recordId: doc!.id })
    await decideErasure(fresh.ctx(b, later), id, approve())
    const tomb = await erasureOf(fresh.ctx(a), id)
    assert.deepEqual([tomb.status, tomb.kind, tomb.erased.documents, tomb.erased.person], ['erased', 'document', 1, undefined])
    const [after] = await database.db.select({ title: document.title }).from(document).where(eq(document.id, doc!.id))
    assert.equal(after!.title, 'Erased')
    const view = await chronology(fresh.ctx(worker, later), caseId)
    assert.ok(view.entries.some((e) => e.kind === 'erasure' && e.title === 'Records erased on 1 February 2027: a document'))
  })
})
