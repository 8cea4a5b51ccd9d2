/**
 * Documents on a LADO case and on a practice review (issue 18 §1): the owner rules (exactly one
 * owner, by the database's CHECK too), access by the record's own policy with every read and
 * download audited as a read of that record, versions, and retention and erasure with the record.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { fileWriter, PDF } from '../../../test/support/documents.ts'
import { ladoReferral } from '../../../test/support/lado.ts'
import { auditEvent, document, documentChunk, documentVersion, ladoCase, person, reviewMember } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed } from '../common/context.ts'
import { documentDetails } from '../records/documents-input.ts'
import { DocumentUnavailable, documentsOfCase, uploadDocuments } from '../records/documents.ts'
import { decideErasure, proposeErasure, retentionReview } from '../records/retention.ts'
import { recordIncident, recordNotification, recordRapidReviewDecision } from './incidents.ts'
import { recordLadoReferral } from './lado/cases.ts'
import { startReview } from './practice-reviews.ts'
import {
  addOwnerDocumentVersion,
  documentsOfOwner,
  downloadOwnerDocumentVersion,
  requireOwnerUpdate,
  uploadOwnerDocuments,
  type DocumentOwner,
} from './documents.ts'
import type { ServiceContext } from '../common/context.ts'

let database: TestDatabase
let world: World
let dir: string
type User = Awaited<ReturnType<World['user']>>
let officer: User
let contact: User
let otherSchool: User
let lead: User
let reviewer: User
before(async () => {
  ;({ database, world } = await openTestWorld())
  dir = await mkdtemp(join(tmpdir(), 'partnership-documents-test-'))
  await world.team('lado', 'council')
  officer = await world.user(['designated-officer'], { team: 'lado' })
  contact = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  otherSchool = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  lead = await world.user(['business-unit'], { team: null })
  reviewer = await world.user(['partner-practitioner'], { agency: 'school', team: null })
})
after(async () => {
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const file = fileWriter(() => dir)
const details = () => documentDetails.parse({ title: 'Employer’s investigation report', kind: 'report-from-partner', datedOn: '2026-11-10', receivedFrom: 'Hill Primary' })

const referral = () => ladoReferral({ employerAgencyId: world.agencies.school!, employerName: null, employerContactUserId: contact.userId, childDescription: 'A Year 4 pupil' })

let nhs = 9990007100
async function newReview(): Promise<string> {
  const c = await world.childCase()
  const number = String(nhs++)
  await database.db.update(person).set({ nhsNumber: number }).where(eq(person.id, c.personId))
  const ctx = world.ctx(lead)
  const i = await recordIncident(ctx, { child: number, kind: 'death-abuse-neglect', incidentOn: '2026-06-01', awareOn: '2026-06-01', summary: 'Fictional' })
  await recordNotification(ctx, i.id, { notifiedOn: '2026-06-03', lateReason: null, version: 1 })
  await recordRapidReviewDecision(ctx, i.id, { decision: 'local-review', reasons: 'Learning', decidedOn: '2026-06-20', version: 2 })
  const review = await startReview(ctx, { incidentId: i.id, title: 'Child A (fictional)', decidedOn: '2026-06-24', notifiedOn: null })
  return review.id
}

async function bytesOf(ctx: ServiceContext, owner: DocumentOwner, documentId: string, versionId: string): Promise<Buffer> {
  const d = await downloadOwnerDocumentVersion(ctx, owner, documentId, versionId)
  const parts: Buffer[] = []
  for await (const c of d.chunks()) parts.push(c)
  return Buffer.concat(parts)
}

const entries = (recordId: string, actorUserId: string) =>
  database.db
    .select({ action: auditEvent.action, detail: auditEvent.detail })
    .from(auditEvent)
    .where(and(eq(auditEvent.recordId, recordId), eq(auditEvent.actorUserId, actorUserId)))

describe('documents on a LADO case', () => {
  test('the designated officer uploads, lists and downloads; a new version keeps the old; each read audited as a read of the case', async () => {
    const lado = await recordLadoReferral(world.ctx(officer), referral())
    const owner: DocumentOwner = { kind: 'lado-case', id: lado.id }
    const ctx = world.ctx(officer)
    const [doc] = await uploadOwnerDocuments(ctx, owner, details(), [await file('report.pdf', PDF('one'))])
    assert.deepEqual([doc!.caseId, doc!.ownerKind, doc!.ownerId, doc!.versions.length], [null, 'lado-case', lado.id, 1])
    const page = await documentsOfOwner(ctx, owner)
    assert.deepEqual([page.documents.map((d) => d.id), page.owner.mayUpdate, page.owner.link], [[doc!.id], true, `/partnership/lado/${lado.id}`])
    assert.ok((await bytesOf(ctx, owner, doc!.id, doc!.versions[0]!.id)).equals(PDF('one')))
    const newer = await addOwnerDocumentVersion(ctx, owner, doc!.id, { version: doc!.version }, await file('report-2.pdf', PDF('two')))
    assert.deepEqual(newer.versions.map((v) => v.number), [2, 1])
    await assert.rejects(addOwnerDocumentVersion(ctx, owner, doc!.id, { version: doc!.version }, await file('stale.pdf', PDF('x'))), EditConflict)
    const audited = (await entries(lado.id, officer.userId)).map((e) => `${e.action} ${(e.detail as { section?: string }).section ?? ''}`)
    assert.ok(audited.filter((a) => a === 'lado-case.view documents').length >= 2, JSON.stringify(audited))
    const downloads = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'document.download'), eq(auditEvent.recordId, doc!.versions[0]!.id)))
    assert.equal(downloads.length, 1)
  })

  test("the employer's named contact reads and downloads but cannot upload; another school's partner is refused, audited", async () => {
    const lado = await recordLadoReferral(world.ctx(officer), referral())
    const owner: DocumentOwner = { kind: 'lado-case', id: lado.id }
    const [doc] = await uploadOwnerDocuments(world.ctx(officer), owner, details(), [await file('r.pdf', PDF())])
    const reader = world.ctx(contact)
    const page = await documentsOfOwner(reader, owner)
    assert.equal(page.owner.mayUpdate, false)
    assert.ok((await bytesOf(reader, owner, doc!.id, doc!.versions[0]!.id)).length > 0)
    await assert.rejects(uploadOwnerDocuments(reader, owner, details(), [await file('r.pdf', PDF())]), AccessDenied)
    await assert.rejects(requireOwnerUpdate(reader, owner), AccessDenied)
    const stranger = world.ctx(otherSchool)
    await assert.rejects(documentsOfOwner(stranger, owner), AccessDenied)
    await assert.rejects(downloadOwnerDocumentVersion(stranger, owner, doc!.id, doc!.versions[0]!.id), AccessDenied)
    const refused = (await entries(lado.id, otherSchool.userId)).map((e) => e.action)
    assert.deepEqual(refused, ['lado-case.read.refused', 'lado-case.read.refused'])
    assert.equal((await database.db.select().from(document).where(eq(document.ownerId, lado.id))).length, 1, "the refused upload stored nothing")
  })

  test('a document is reached only through its own record: another LADO case, or the case gateway, does not find it', async () => {
    const a = await recordLadoReferral(world.ctx(officer), referral())
    const b = await recordLadoReferral(world.ctx(officer), referral())
    const [doc] = await uploadOwnerDocuments(world.ctx(officer), { kind: 'lado-case', id: a.id }, details(), [await file('r.pdf', PDF())])
    await assert.rejects(downloadOwnerDocumentVersion(world.ctx(officer), { kind: 'lado-case', id: b.id }, doc!.id, doc!.versions[0]!.id), NotFound)
    await assert.rejects(downloadOwnerDocumentVersion(world.ctx(lead), { kind: 'practice-review', id: a.id }, doc!.id, doc!.versions[0]!.id), NotFound)
    // A LADO case's document is about the whole of it.
    await assert.rejects(uploadOwnerDocuments(world.ctx(officer), { kind: 'lado-case', id: a.id }, { ...details(), recordKind: 'assessment', recordId: a.id }, [await file('r.pdf', PDF())]), ValidationFailed)
  })

  test('the database allows exactly one owner', async () => {
    const lado = await recordLadoReferral(world.ctx(officer), referral())
    const { caseId } = await world.childCase()
    const base = { partnershipId: world.partnershipId, title: 'x', kind: 'other', createdBy: officer.userId }
    const refused = async (values: Record<string, unknown>) => {
      await assert.rejects(
        database.db.transaction(async (tx) => {
          await tx.insert(document).values({ ...base, ...values } as typeof document.$inferInsert)
        }),
        (err: Error & { cause?: Error }) => /document_one_owner|document_record_on_case/.test(`${err.message} ${err.cause?.message ?? ''}`),
      )
    }
    await refused({ caseId, ownerKind: 'lado-case', ownerId: lado.id })
    await refused({ caseId: null, ownerKind: 'case', ownerId: null })
    await refused({ caseId: null, ownerKind: 'lado-case', ownerId: null })
    await refused({ caseId: null, ownerKind: 'elsewhere', ownerId: lado.id })
    await refused({ caseId: null, ownerKind: 'lado-case', ownerId: lado.id, recordKind: 'assessment', recordId: lado.id })
    // An existing case's document (owner_kind defaults to 'case') stays valid.
    const [row] = await database.db.insert(document).values({ ...base, caseId }).returning()
    assert.deepEqual([row!.ownerKind, row!.ownerId], ['case', null])
  })
})

describe('the virus scan, as for a case', () => {
  test("an infected file uploaded to a LADO case is quarantined, audited, and never served", async () => {
    const lado = await recordLadoReferral(world.ctx(officer), referral())
    const owner: DocumentOwner = { kind: 'lado-case', id: lado.id }
    const scanner = {
      description: 'a test scanner',
      async scan(bytes: AsyncIterable<Uint8Array>) {
        for await (const _ of bytes) void _
        return { infected: true as const, signature: 'Eicar-Signature' }
      },
      async ping() {},
    }
    const ctx = { ...world.ctx(officer), scanner }
    const [doc] = await uploadOwnerDocuments(ctx, owner, details(), [await file('eicar.txt', 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n')])
    const v = doc!.versions[0]!
    assert.deepEqual([v.scanStatus, v.scanSignature, v.quarantined, v.available], ['infected', 'Eicar-Signature', true, false])
    await assert.rejects(downloadOwnerDocumentVersion(world.ctx(officer), owner, doc!.id, v.id), DocumentUnavailable)
    const quarantined = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'document.quarantine'), eq(auditEvent.recordId, v.id)))
    assert.equal(quarantined.length, 1)
  })
})

describe('documents on a practice review', () => {
  test("the review's business unit members upload; a member outside the business unit reads; a member of a different review is refused", async () => {
    const reviewId = await newReview()
    const otherReviewId = await newReview()
    const owner: DocumentOwner = { kind: 'practice-review', id: reviewId }
    await database.db.insert(reviewMember).values([
      { partnershipId: world.partnershipId, subjectType: 'practice-review', subjectId: reviewId, userId: reviewer.userId, role: 'member', addedBy: lead.userId },
      { partnershipId: world.partnershipId, subjectType: 'practice-review', subjectId: otherReviewId, userId: otherSchool.userId, role: 'member', addedBy: lead.userId },
    ])
    const [doc] = await uploadOwnerDocuments(world.ctx(lead), owner, details(), [await file('draft.pdf', PDF('draft'))])
    const member = world.ctx(reviewer)
    const page = await documentsOfOwner(member, owner)
    assert.deepEqual([page.documents.length, page.owner.mayUpdate], [1, false])
    assert.ok((await bytesOf(member, owner, doc!.id, doc!.versions[0]!.id)).equals(PDF('draft')))
    await assert.rejects(uploadOwnerDocuments(member, owner, details(), [await file('x.pdf', PDF())]), AccessDenied)
    await assert.rejects(documentsOfOwner(world.ctx(otherSchool), owner), AccessDenied)
    await assert.rejects(downloadOwnerDocumentVersion(world.ctx(otherSchool), owner, doc!.id, doc!.versions[0]!.id), AccessDenied)
    assert.deepEqual((await entries(reviewId, otherSchool.userId)).map((e) => e.action), ['practice-review.read.refused', 'practice-review.read.refused'])
    // Not on the child's case: the case's documents do not list it.
    const caseDocs = await database.db.select().from(document).where(eq(document.ownerId, reviewId))
    assert.equal(caseDocs[0]!.caseId, null)
  })
})

describe('retention and erasure with the record', () => {
  test("a LADO case's documents fall due with the case (10 years from its outcome) and their erasure removes the bytes", async () => {
    const dpo = await world.user(['auditor'])
    const admin = await world.user(['administrator'])
    const lado = await recordLadoReferral(world.ctx(officer), referral())
    const owner: DocumentOwner = { kind: 'lado-case', id: lado.id }
    const [doc] = await uploadOwnerDocuments(world.ctx(officer), owner, details(), [await file('r.pdf', PDF('erase me'))])
    const due = async () => (await retentionReview(world.ctx(dpo), { offset: 0, limit: 1000 })).page.items.filter((r) => r.recordId === doc!.id)
    assert.deepEqual(await due(), [], 'an open case: kept')
    // Concluded more than 10 years ago: its documents are past retention.
    await database.db.update(ladoCase).set({ outcome: 'unfounded', outcomeOn: '2015-01-05' }).where(eq(ladoCase.id, lado.id))
    const [item] = await due()
    assert.deepEqual([item?.recordType, item?.caseId, item?.owner, item?.retainUntil], ['document', null, { kind: 'lado-case', id: lado.id }, '2025-01-05'])
    const erasureId = await proposeErasure(world.ctx(admin), { recordType: 'document', recordId: doc!.id })
    await decideErasure(world.ctx(dpo), erasureId, { decision: 'approve', version: 1 })
    const chunks = await database.db.select().from(documentChunk).where(eq(documentChunk.versionId, doc!.versions[0]!.id))
    assert.equal(chunks.length, 0)
    const [row] = await database.db.select().from(document).where(eq(document.id, doc!.id))
    const [v] = await database.db.select().from(documentVersion).where(eq(documentVersion.documentId, doc!.id))
    assert.deepEqual([row!.title, v!.fileName], ['Erased', 'erased'])
    assert.deepEqual(await due(), [], 'erased: no longer listed')
  })
})

describe('a case document is unchanged', () => {
  test("the case's documents list only the case's own", async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    await uploadDocuments(world.ctx(worker), caseId, details(), [await file('c.pdf', PDF())])
    const page = await documentsOfCase(world.ctx(worker), caseId)
    assert.deepEqual(page.documents.map((d) => [d.ownerKind, d.caseId]), [['case', caseId]])
    const [n] = await database.db.select({ n: sql<number>`count(*)::int` }).from(document).where(eq(document.caseId, caseId))
    assert.equal(Number(n!.n), 1)
  })
})
