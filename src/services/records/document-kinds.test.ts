/**
 * A partnership's kinds of document (issue 18 §1): the built-in list until it changes it; an
 * administrator adds, renames, changes the limit of, retires and reinstates kinds, each audited;
 * letter and photograph are never retired; an upload takes only kinds in use and is held to its
 * kind's own limit; other partnerships keep their own lists.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, document } from '../../db/schema/index.ts'
import { DEFAULT_DOCUMENT_KINDS } from '../../domain/records/documents.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { chronology } from '../journey/chronology.ts'
import { addDocumentKind, changeDocumentKind, documentKinds } from './document-kinds.ts'
import { documentDetails } from './documents-input.ts'
import { addDocumentVersion, documentsOfCase, uploadDocuments, type UploadedFile } from './documents.ts'

let database: TestDatabase
let world: World
let dir: string
before(async () => {
  ;({ database, world } = await openTestWorld())
  dir = await mkdtemp(join(tmpdir(), 'document-kinds-test-'))
})
after(async () => {
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const MB = 1024 * 1024
let n = 0
async function file(name: string, bytes: Buffer | string): Promise<UploadedFile> {
  const path = join(dir, `f${n++}`)
  await writeFile(path, bytes)
  return { name, path }
}
const PDF = (size = 0) => Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), Buffer.alloc(size, 0x20), Buffer.from('\n%%EOF\n')])
const details = (kind: string) => documentDetails.parse({ title: 'A paper', kind })

/** A partnership of its own, so each test starts from the built-in list. */
async function partnership() {
  const w = await World.create(database.db)
  const admin = await w.user(['administrator'])
  const worker = await w.user(['social-worker'])
  const { caseId } = await w.childCase({ worker: worker.userId })
  return { w, admin: w.ctx(admin), worker: w.ctx(worker), caseId }
}

describe('the list', () => {
  test('a partnership starts with the built-in list, every kind in use', async () => {
    const { worker } = await partnership()
    const kinds = await documentKinds(worker)
    assert.deepEqual(
      kinds.map((k) => [k.code, k.label, k.maxBytes, k.active]),
      DEFAULT_DOCUMENT_KINDS.map((k) => [k.code, k.label, k.maxBytes, true]),
    )
    assert.deepEqual(kinds.filter((k) => k.fixed).map((k) => k.code).sort(), ['letter', 'photograph'])
  })

  test('an administrator adds, renames, changes the limit of, retires and reinstates a kind, each audited', async () => {
    const { admin, worker } = await partnership()
    const added = await addDocumentKind(admin, { label: 'School report', maxMegabytes: 5 })
    assert.deepEqual([added.code, added.label, added.maxBytes, added.active, added.version], ['school-report', 'School report', 5 * MB, true, 1])
    const kinds = await documentKinds(worker)
    assert.equal(kinds.length, DEFAULT_DOCUMENT_KINDS.length + 1, 'the built-in list was put in, then the new kind after it')
    assert.equal(kinds.at(-1)!.code, 'school-report')

    const renamed = await changeDocumentKind(admin, 'school-report', { label: 'Report from a school', maxMegabytes: 8, active: true, version: 1 })
    assert.deepEqual([renamed.label, renamed.maxBytes, renamed.version], ['Report from a school', 8 * MB, 2])
    const retired = await changeDocumentKind(admin, 'school-report', { label: 'Report from a school', maxMegabytes: 8, active: false, version: 2 })
    assert.equal(retired.active, false)
    await assert.rejects(changeDocumentKind(admin, 'school-report', { label: 'Again', maxMegabytes: 8, active: true, version: 2 }), EditConflict)
    const back = await changeDocumentKind(admin, 'school-report', { label: 'Report from a school', maxMegabytes: 8, active: true, version: 3 })
    assert.equal(back.active, true)

    const entries = await database.db
      .select({ action: auditEvent.action, detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.partnershipId, admin.actor.partnershipId), eq(auditEvent.recordType, 'document-kind')))
      .orderBy(auditEvent.seq)
    assert.deepEqual(entries.map((e) => e.action), ['document-kind.create', 'document-kind.update', 'document-kind.update', 'document-kind.update'])
  })

  test('letter and photograph cannot be retired, though their names and limits change; a name taken twice is refused', async () => {
    const { admin, worker } = await partnership()
    await assert.rejects(changeDocumentKind(admin, 'letter', { label: 'Letter', maxMegabytes: 50, active: false, version: 1 }), (e: ValidationFailed) => /always in use/.test(e.fieldErrors.active!))
    const photo = await changeDocumentKind(admin, 'photograph', { label: 'Photograph or scan', maxMegabytes: 10, active: true, version: 1 })
    assert.deepEqual([photo.label, photo.maxBytes], ['Photograph or scan', 10 * MB])
    await assert.rejects(addDocumentKind(admin, { label: 'court paper', maxMegabytes: 5 }), (e: ValidationFailed) => /already a kind called Court paper/.test(e.fieldErrors.label!))
    await assert.rejects(changeDocumentKind(admin, 'other', { label: 'Letter', maxMegabytes: 5, active: true, version: 1 }), (e: ValidationFailed) => /already a kind called Letter/.test(e.fieldErrors.label!))
    assert.equal((await documentKinds(worker)).find((k) => k.code === 'letter')!.active, true)
  })

  test('only an administrator changes the list; other partnerships keep theirs', async () => {
    const { admin, worker } = await partnership()
    await assert.rejects(addDocumentKind(worker, { label: 'Minutes', maxMegabytes: 5 }), AccessDenied)
    await assert.rejects(changeDocumentKind(worker, 'other', { label: 'Anything else', maxMegabytes: 5, active: true, version: 1 }), AccessDenied)
    await addDocumentKind(admin, { label: 'Minutes', maxMegabytes: 5 })
    const other = await partnership()
    assert.equal((await documentKinds(other.worker)).some((k) => k.code === 'minutes'), false)
  })
})

describe('uploads against the list', () => {
  test("a file over its kind's own limit is refused with a clear message, and nothing is stored", async () => {
    const { admin, worker, caseId } = await partnership()
    await addDocumentKind(admin, { label: 'Minutes', maxMegabytes: 1 })
    const err = await uploadDocuments(worker, caseId, details('minutes'), [await file('minutes.pdf', PDF(MB + 10))]).catch((e) => e)
    assert.ok(err instanceof ValidationFailed)
    assert.match(err.fieldErrors.files!, /^minutes\.pdf is 1 MB: a minutes can be at most 1 MB\./)
    assert.equal((await database.db.select().from(document).where(eq(document.caseId, caseId))).length, 0, 'nothing stored')
    const [doc] = await uploadDocuments(worker, caseId, details('minutes'), [await file('small.pdf', PDF(1000))])
    assert.deepEqual([doc!.kind, doc!.kindLabel], ['minutes', 'Minutes'])
  })

  test('a retired kind is refused for new uploads but stays, with its name, on documents filed under it, which take new versions', async () => {
    const { admin, worker, caseId } = await partnership()
    await addDocumentKind(admin, { label: 'Fax', maxMegabytes: 2 })
    const [doc] = await uploadDocuments(worker, caseId, details('fax'), [await file('fax.pdf', PDF())])
    await changeDocumentKind(admin, 'fax', { label: 'Fax (old)', maxMegabytes: 2, active: false, version: 1 })
    await assert.rejects(uploadDocuments(worker, caseId, details('fax'), [await file('fax2.pdf', PDF())]), (e: ValidationFailed) => e.fieldErrors.kind === 'Select what kind of document it is')
    await assert.rejects(uploadDocuments(worker, caseId, details('no-such-kind'), [await file('x.pdf', PDF())]), (e: ValidationFailed) => e.fieldErrors.kind !== undefined)
    const [listed] = (await documentsOfCase(worker, caseId)).documents
    assert.equal(listed!.kindLabel, 'Fax (old)')
    const v2 = await addDocumentVersion(worker, caseId, doc!.id, { version: 1 }, await file('fax-v2.pdf', PDF()))
    assert.equal(v2.versions.length, 2)
    const entry = (await chronology(worker, caseId)).entries.find((e) => e.entity === 'document')!
    assert.match(entry.detail, /^Fax \(old\)\./, 'the chronology names the kind as the partnership now calls it')
  })
})
