/**
 * Documents on a case (issue 18 §1): files stored in 256 KiB chunks and read back byte for byte,
 * the type from the content not the name, the kind's size limit, versions kept, and reads and
 * downloads through the case's policy, audited against the child.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { downloadBytes, fileWriter, PDF, sha256 } from '../../../test/support/documents.ts'
import { auditEvent, cinEpisode, document, documentChunk } from '../../db/schema/index.ts'
import { startAssessment } from '../journey/assessments.ts'
import { chronology } from '../journey/chronology.ts'
import { AccessDenied, EditConflict, NotFound, ValidationFailed } from '../common/context.ts'
import { documentDetails } from './documents-input.ts'
import { addDocumentVersion, changeDocumentAbout, documentsAboutRecord, documentsOfCase, downloadDocumentVersion, recordsForCaseDocuments, uploadDocuments } from './documents.ts'

let database: TestDatabase
let world: World
let dir: string
before(async () => {
  ;({ database, world } = await openTestWorld())
  dir = await mkdtemp(join(tmpdir(), 'documents-test-'))
})
after(async () => {
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const file = fileWriter(() => dir)
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
const details = (kind = 'report-from-partner') => documentDetails.parse({ title: 'School report', kind, datedOn: '2026-11-01', receivedFrom: 'Hill Primary' })

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, ctx: world.ctx(worker) }
}

const download = downloadBytes

describe('storing and reading back', () => {
  test('a file over 1 MiB goes into 256 KiB chunks and comes back byte for byte, its SHA-256 kept', async () => {
    const { caseId, ctx } = await allocatedCase()
    const bytes = Buffer.concat([PDF(), randomBytes(1024 * 1024 + 300_001)])
    const [doc] = await uploadDocuments(ctx, caseId, details(), [await file('big.pdf', bytes)])
    const v = doc!.versions[0]!
    assert.deepEqual([v.number, v.mediaType, v.sizeBytes, v.sha256, v.scanStatus], [1, 'application/pdf', bytes.length, sha256(bytes), 'not-scanned'])
    const chunks = await database.db.select({ seq: documentChunk.seq, data: documentChunk.data }).from(documentChunk).where(eq(documentChunk.versionId, v.id)).orderBy(documentChunk.seq)
    assert.deepEqual(chunks.map((c) => c.seq), [0, 1, 2, 3, 4, 5], "1 MiB + 300 KB + the header: five full chunks and the rest")
    assert.ok(chunks.slice(0, 5).every((c) => c.data.length === 256 * 1024))
    const got = await download(ctx, caseId, doc!.id, v.id)
    assert.equal(got.bytes.length, bytes.length)
    assert.ok(got.bytes.equals(bytes), 'the same bytes')
    assert.equal(sha256(got.bytes), got.sha256)
    assert.deepEqual([got.fileName, got.contentType], ['big.pdf', 'application/pdf'])
  })

  test('several files at once are a document each, with the details given', async () => {
    const { caseId, ctx } = await allocatedCase()
    const made = await uploadDocuments(ctx, caseId, details('photograph'), [await file('a.png', PNG), await file('notes.txt', 'Seen at school on Monday.\n')])
    assert.deepEqual(made.map((d) => [d.title, d.kind, d.datedOn, d.receivedFrom, d.versions[0]!.mediaType]).sort(), [
      ['School report', 'photograph', '2026-11-01', 'Hill Primary', 'image/png'],
      ['School report', 'photograph', '2026-11-01', 'Hill Primary', 'text/plain'],
    ])
    const page = await documentsOfCase(ctx, caseId)
    assert.equal(page.documents.length, 2)
  })
})

describe('the type from the content, not the name', () => {
  test('a PDF named .txt is a PDF', async () => {
    const { caseId, ctx } = await allocatedCase()
    const [doc] = await uploadDocuments(ctx, caseId, details(), [await file('report.txt', PDF())])
    assert.equal(doc!.versions[0]!.mediaType, 'application/pdf')
  })

  test('an HTML or SVG file named .pdf is refused on the field, and nothing is stored', async () => {
    const { caseId, ctx } = await allocatedCase()
    for (const [name, text] of [['page.pdf', '<!doctype html><html><script>alert(1)</script></html>'], ['pic.pdf', '<svg xmlns="http://www.w3.org/2000/svg"></svg>']]) {
      const err = await uploadDocuments(ctx, caseId, details(), [await file(name!, text!)]).catch((e) => e)
      assert.ok(err instanceof ValidationFailed, name)
      assert.match(err.fieldErrors.files!, /web page or markup|application\/xml/)
    }
    const err = await uploadDocuments(ctx, caseId, details(), [await file('ok.pdf', PDF()), await file('x.bin', randomBytes(2000))]).catch((e) => e)
    assert.ok(err instanceof ValidationFailed)
    assert.match(err.fieldErrors.files!, /^x\.bin is not a type Together recognises/)
    assert.equal((await documentsOfCase(ctx, caseId)).documents.length, 0, 'one bad file refuses the upload')
  })

  test('an e-mail saved as .eml is message/rfc822; an empty file is refused', async () => {
    const { caseId, ctx } = await allocatedCase()
    const [doc] = await uploadDocuments(ctx, caseId, details(), [await file('mail.eml', 'From: a@example.invalid\r\nSubject: Referral\r\n\r\nHello\r\n')])
    assert.equal(doc!.versions[0]!.mediaType, 'message/rfc822')
    await assert.rejects(uploadDocuments(ctx, caseId, details(), [await file('empty.pdf', '')]), (e: ValidationFailed) => /empty\.pdf is empty/.test(e.fieldErrors.files!))
  })

  test("a kind's size limit is a clear error on the field", async () => {
    const { caseId, ctx } = await allocatedCase()
    const big = await file('big.png', Buffer.concat([PNG, Buffer.alloc(25 * 1024 * 1024)]))
    const err = await uploadDocuments(ctx, caseId, details('photograph'), [big]).catch((e) => e)
    assert.ok(err instanceof ValidationFailed)
    assert.match(err.fieldErrors.files!, /^big\.png is 25 MB: a photograph can be at most 25 MB/)
  })
})

describe('versions', () => {
  test('a new version keeps the old ones; a stale version of the document is a conflict', async () => {
    const { caseId, ctx } = await allocatedCase()
    const [doc] = await uploadDocuments(ctx, caseId, details(), [await file('v1.pdf', PDF('one'))])
    const v2 = await addDocumentVersion(ctx, caseId, doc!.id, { version: 1 }, await file('v2.pdf', PDF('two')))
    assert.deepEqual(v2.versions.map((v) => [v.number, v.fileName]), [[2, 'v2.pdf'], [1, 'v1.pdf']])
    assert.equal(v2.version, 2)
    await assert.rejects(addDocumentVersion(ctx, caseId, doc!.id, { version: 1 }, await file('v3.pdf', PDF('three'))), EditConflict)
    await assert.rejects(addDocumentVersion(ctx, caseId, doc!.id, { version: 2 }, null), (e: ValidationFailed) => e.fieldErrors.file === 'Choose a file to upload')
    assert.equal((await download(ctx, caseId, doc!.id, v2.versions[1]!.id)).bytes.toString().includes('one'), true)
  })
})

describe('access and audit', () => {
  test('a download is audited against the child; a user who may not read the case is refused, another partnership finds nothing', async () => {
    const { caseId, ctx } = await allocatedCase()
    const [doc] = await uploadDocuments(ctx, caseId, details(), [await file('r.pdf', PDF())])
    const versionId = doc!.versions[0]!.id
    await download(ctx, caseId, doc!.id, versionId)
    const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, versionId), eq(auditEvent.action, 'document.download')))
    assert.equal(entries.length, 1)
    assert.equal(entries[0]!.actorUserId, ctx.actor.userId)
    const { personId } = (await documentsOfCase(ctx, caseId)).c as unknown as { personId: string }
    assert.equal(entries[0]!.subjectPersonId, personId)

    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await assert.rejects(downloadDocumentVersion(world.ctx(partner), caseId, doc!.id, versionId), AccessDenied)
    await assert.rejects(documentsOfCase(world.ctx(partner), caseId), AccessDenied)
    await assert.rejects(uploadDocuments(world.ctx(partner), caseId, details(), [await file('p.pdf', PDF())]), AccessDenied)

    const elsewhere = await World.create(database.db)
    const stranger = await elsewhere.user(['social-worker'])
    await assert.rejects(downloadDocumentVersion(elsewhere.ctx(stranger), caseId, doc!.id, versionId), NotFound)
    const { caseId: otherCase, ctx: otherCtx } = await allocatedCase()
    await assert.rejects(downloadDocumentVersion(otherCtx, otherCase, doc!.id, versionId), NotFound, 'a version of another case')
  })
})

describe('a document about a record of the case', () => {
  /** A case with a referral and an assessment started on it. */
  async function assessedCase() {
    const { worker, caseId, ctx } = await allocatedCase()
    const [episode] = await database.db
      .insert(cinEpisode)
      .values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-10-01', referralSource: '2A', recordedBy: worker.userId })
      .returning()
    const a = await startAssessment(ctx, caseId, { episodeId: episode!.id, kind: 'single', startedOn: '2026-10-05' })
    return { caseId, ctx, episodeId: episode!.id, assessmentId: a.id }
  }
  const about = (recordKind: string | null, recordId: string | null) =>
    documentDetails.parse({ title: 'School report', kind: 'report-from-partner', datedOn: '2026-11-01', recordKind, recordId })

  test("the case's records are offered in words; a document about one says so in the list and the chronology", async () => {
    const { caseId, ctx, episodeId, assessmentId } = await assessedCase()
    const { records } = await recordsForCaseDocuments(ctx, caseId)
    assert.deepEqual(records.map((r) => [r.kind, r.id, r.text]), [
      ['referral', episodeId, 'Referral received 1 October 2026'],
      ['assessment', assessmentId, 'Child and family (single) assessment started 5 October 2026'],
    ])
    const [doc] = await uploadDocuments(ctx, caseId, about('assessment', assessmentId), [await file('r.pdf', PDF())])
    assert.deepEqual([doc!.recordKind, doc!.recordId], ['assessment', assessmentId])
    const [listed] = (await documentsOfCase(ctx, caseId)).documents
    assert.deepEqual(listed!.about, { kind: 'assessment', id: assessmentId, text: 'Child and family (single) assessment started 5 October 2026', link: `/cases/${caseId}/assessments/${assessmentId}` })
    const entry = (await chronology(ctx, caseId)).entries.find((e) => e.entity === 'document')!
    assert.equal(entry.detail, 'Report from a partner agency. About: Child and family (single) assessment started 5 October 2026.')
    const [whole] = await uploadDocuments(ctx, caseId, about(null, null), [await file('w.pdf', PDF())])
    assert.equal(whole!.about, null, 'the case as a whole')
  })

  test("a record of another case, or a kind that is not the record's, is refused with a clear message and nothing stored", async () => {
    const mine = await assessedCase()
    const theirs = await assessedCase()
    for (const [kind, id] of [['assessment', theirs.assessmentId], ['section-47', mine.assessmentId], ['referral', theirs.episodeId]] as const) {
      const err = await uploadDocuments(mine.ctx, mine.caseId, about(kind, id), [await file('r.pdf', PDF())]).catch((e) => e)
      assert.ok(err instanceof ValidationFailed, `${kind} ${id}`)
      assert.equal(err.fieldErrors.recordId, 'Select a record of this child’s case, or the case as a whole')
    }
    assert.equal((await database.db.select().from(document).where(eq(document.caseId, mine.caseId))).length, 0, 'nothing stored')
    assert.equal(documentDetails.safeParse({ title: 'T', kind: 'other', recordKind: 'assessment' }).success, false, 'a kind without an id')
    assert.equal(documentDetails.safeParse({ title: 'T', kind: 'other', recordKind: 'lado-case', recordId: mine.assessmentId }).success, false, 'not a record of a case')
  })

  test("the record's page lists the documents about it, for those who may read the case only, and adds no audit entry", async () => {
    const { caseId, ctx, episodeId, assessmentId } = await assessedCase()
    const [doc] = await uploadDocuments(ctx, caseId, about('assessment', assessmentId), [await file('r.pdf', PDF())])
    await uploadDocuments(ctx, caseId, about('referral', episodeId), [await file('q.pdf', PDF())])
    const before = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, caseId))
    const listed = await documentsAboutRecord(ctx, caseId, 'assessment', assessmentId)
    assert.deepEqual(listed.map((d) => [d.id, d.title, d.kindLabel, d.datedOn, d.link]), [[doc!.id, 'School report', 'Report from a partner agency', '2026-11-01', `/cases/${caseId}/documents#document-${doc!.id}`]])
    assert.deepEqual((await documentsAboutRecord(ctx, caseId, 'referral')).map((d) => d.recordId), [episodeId], 'every referral of the case')
    assert.equal((await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, caseId))).length, before.length)
    const stranger = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    assert.deepEqual(await documentsAboutRecord(world.ctx(stranger), caseId, 'assessment', assessmentId), [], 'nothing for someone who may not read the case')
  })

  test('what a document is about changes at the version read, audited, to a record of the case or the case as a whole', async () => {
    const mine = await assessedCase()
    const theirs = await assessedCase()
    const [doc] = await uploadDocuments(mine.ctx, mine.caseId, about(null, null), [await file('r.pdf', PDF())])
    const changed = await changeDocumentAbout(mine.ctx, mine.caseId, doc!.id, { recordKind: 'assessment', recordId: mine.assessmentId, version: doc!.version })
    assert.deepEqual([changed.about?.kind, changed.about?.id, changed.version], ['assessment', mine.assessmentId, doc!.version + 1])
    await assert.rejects(changeDocumentAbout(mine.ctx, mine.caseId, doc!.id, { recordKind: null, recordId: null, version: doc!.version }), EditConflict)
    const refused = await changeDocumentAbout(mine.ctx, mine.caseId, doc!.id, { recordKind: 'assessment', recordId: theirs.assessmentId, version: changed.version }).catch((e) => e)
    assert.ok(refused instanceof ValidationFailed && refused.fieldErrors.recordId)
    const whole = await changeDocumentAbout(mine.ctx, mine.caseId, doc!.id, { recordKind: null, recordId: null, version: changed.version })
    assert.equal(whole.about, null)
    const audited = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(and(eq(auditEvent.recordId, doc!.id), eq(auditEvent.action, 'document.about')))
    assert.equal(audited.length, 2)
    await assert.rejects(changeDocumentAbout(theirs.ctx, mine.caseId, doc!.id, { recordKind: null, recordId: null, version: whole.version }), AccessDenied)
  })
})
