/**
 * Virus scanning of documents against a real ClamAV daemon (issue 18 §1): the test starts
 * /usr/sbin/clamd (Debian's clamav-daemon) on a socket in a temporary directory with one local
 * signature, an MD5 of the EICAR test file (no download, no freshclam), and stops it afterwards
 * (test/support/clamd.ts, shared with the browser test test/browser/documents-scanned.test.ts).
 * An EICAR upload is quarantined (kept `infected` with the signature, the uploader told on the page
 * and in the API answer, never served: 410 with the reason, audited); a PDF is `clean` and served;
 * with clamd unreachable a file waits `pending` until the periodic job rescans it from its chunks.
 *
 * Always on an embedded database (the scanning does not depend on the engine), so it runs on the
 * pass without DATABASE_URL only (scripts/run-tests.js, ENGINE_INDEPENDENT_DIRS).
 */
delete process.env.DATABASE_URL

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { CLAMD_FOUND as FOUND, EICAR, startClamd, type TestClamd } from '../support/clamd.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../support/fixtures.ts'
import { $, createTestApp, csrfFrom, signedInAgent, type TestApp } from '../support/web.ts'
import { openTestWorld } from '../support/fixtures.ts'
import { auditEvent, documentVersion } from '../../src/db/schema/index.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import { runJobs } from '../../src/services/common/jobs.ts'
import { LogEmailProvider } from '../../src/services/multi-agency/email/provider.ts'
import { clamdScanner, parseScanReply, ScannerUnavailable } from '../../src/services/records/clamd.ts'
import { uploadDocuments } from '../../src/services/records/documents.ts'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')

let clamd: TestClamd
let dir: string
let socket: string
let database: TestDatabase
let world: World
let app: TestApp

before(async () => {
  clamd = await startClamd()
  ;({ dir, socket } = clamd)
  ;({ database, world } = await openTestWorld())
  app = await createTestApp(database, { TOGETHER_CLAMD_SOCKET: socket })
  app.setNow(FIXED_NOW)
})
after(async () => {
  await clamd?.stop()
  await database?.close()
})

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, personId }
}

const quarantineEntries = (versionId: string) =>
  database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, versionId), eq(auditEvent.action, 'document.quarantine')))

describe('clamd replies', () => {
  test('OK is clean, FOUND names the signature, anything else is a scan to try again', () => {
    assert.deepEqual(parseScanReply('stream: OK\0'), { infected: false })
    assert.deepEqual(parseScanReply('stream: Win.Test.EICAR_HDB-1 FOUND\0'), { infected: true, signature: 'Win.Test.EICAR_HDB-1' })
    assert.throws(() => parseScanReply('INSTREAM size limit exceeded. ERROR\0'), ScannerUnavailable)
    assert.throws(() => parseScanReply(''), ScannerUnavailable)
  })
})

describe('documents scanned by clamd', () => {
  test('on the page: EICAR is quarantined and named, never served; a PDF is clean and served', async () => {
    const { worker, caseId, personId } = await allocatedCase()
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/documents`
    const csrf = csrfFrom((await agent.get(`${section}/new`).expect(200)).text)
    const posted = await agent
      .post(`${section}/new`)
      .field('_csrf', csrf)
      .field('title', 'School report')
      .field('kind', 'report-from-partner')
      .attach('files', EICAR, 'report.txt')
      .attach('files', PDF, 'report.pdf')
    assert.equal(posted.status, 303, posted.text)
    assert.equal(posted.headers.location, `${section}?saved=quarantined`)

    const page = $((await agent.get(`${section}?saved=quarantined`).expect(200)).text)
    assert.match(page('[data-qa=quarantine-banner]').text(), /found a virus/)
    const versions = await database.db.select().from(documentVersion)
    const infected = versions.find((v) => v.fileName === 'report.txt')!
    const clean = versions.find((v) => v.fileName === 'report.pdf')!
    assert.equal(infected.scanStatus, 'infected')
    assert.equal(infected.scanSignature, FOUND)
    assert.ok(infected.scannedAt)
    assert.equal(clean.scanStatus, 'clean')
    assert.match(page(`[data-qa=quarantined-${infected.id}]`).text(), new RegExp(FOUND))
    assert.equal(page(`[data-qa=download-${infected.id}]`).length, 0, 'never offered for download')
    assert.equal(page(`[data-qa=download-${clean.id}]`).length, 1)

    const refused = await agent.get(`${section}/${infected.documentId}/versions/${infected.id}`).expect(410)
    assert.match($(refused.text)('[data-qa=unavailable-reason]').text(), /found Together-Test-EICAR.UNOFFICIAL in it, so it is quarantined/)
    const served = await agent.get(`${section}/${clean.documentId}/versions/${clean.id}`).expect(200)
    assert.equal(served.headers['content-type'], 'application/pdf')

    const [entry] = await quarantineEntries(infected.id)
    assert.equal(entry?.actorUserId, worker.userId)
    assert.equal(entry?.subjectPersonId, personId)
    assert.deepEqual((entry?.detail as { signature: string }).signature, FOUND)
    assert.equal((await quarantineEntries(clean.id)).length, 0)
  })

  test('in the API: the answer names the signature; the download is 410 with the reason', async () => {
    const { worker, caseId } = await allocatedCase()
    const { token } = await createApiToken(database.db, { email: worker.email, name: 'case system', now: FIXED_NOW })
    const res = await app
      .agent()
      .post(`/api/v1/cases/${caseId}/documents`)
      .set('authorization', `Bearer ${token}`)
      .field('title', 'E-mail from the family')
      .field('kind', 'other')
      .attach('files', EICAR, 'mail.txt')
      .expect(201)
    const [v] = res.body.documents[0].versions
    assert.equal(v.scanStatus, 'infected')
    assert.equal(v.scanSignature, FOUND)
    assert.equal(v.quarantined, true)
    assert.equal(v.available, false)
    const gone = await app.agent().get(`/api/v1/cases/${caseId}/documents/${res.body.documents[0].id}/versions/${v.id}`).set('authorization', `Bearer ${token}`).expect(410)
    assert.match(String(gone.headers['content-type']), /problem\+json/)
    assert.match(gone.body.detail, /quarantined/)
  })

  test('clamd unreachable: pending and unavailable, then the periodic job rescans from the chunks', async () => {
    const { worker, caseId } = await allocatedCase()
    const down = { ...world.ctx(worker), scanner: clamdScanner({ socket: join(dir, 'no-such.sock'), timeoutMs: 2_000 }) }
    const eicarPath = join(dir, 'eicar.txt')
    const pdfPath = join(dir, 'letter.pdf')
    writeFileSync(eicarPath, EICAR)
    writeFileSync(pdfPath, PDF)
    const made = await uploadDocuments(down, caseId, { title: 'Waiting', kind: 'other', datedOn: null, receivedFrom: null }, [
      { name: 'eicar.txt', path: eicarPath },
      { name: 'letter.pdf', path: pdfPath },
    ])
    const [eicarV, pdfV] = made.map((d) => d.versions[0]!)
    assert.deepEqual([eicarV!.scanStatus, pdfV!.scanStatus], ['pending', 'pending'])
    assert.deepEqual([eicarV!.available, pdfV!.available], [false, false])

    const jobs = (scanner: ReturnType<typeof clamdScanner>) =>
      runJobs(database.db, { now: new Date('2026-11-21T10:00:00Z'), emailProvider: new LogEmailProvider({ info: () => {} }), baseUrl: 'http://x', scanner })
    const stillDown = await jobs(down.scanner)
    assert.equal(stillDown.scans.clean + stillDown.scans.infected, 0, 'nothing changes while clamd is down')
    const up = await jobs(clamdScanner({ socket, timeoutMs: 10_000 }))
    assert.equal(up.scans.infected, 1)
    assert.ok(up.scans.clean >= 1)
    const [e] = await database.db.select().from(documentVersion).where(eq(documentVersion.id, eicarV!.id))
    const [p] = await database.db.select().from(documentVersion).where(eq(documentVersion.id, pdfV!.id))
    assert.deepEqual([e!.scanStatus, e!.scanSignature, p!.scanStatus], ['infected', FOUND, 'clean'])
    const [entry] = await quarantineEntries(eicarV!.id)
    assert.equal(entry?.actorUserId, null, 'quarantined by the job')
    assert.equal((await jobs(clamdScanner({ socket, timeoutMs: 10_000 }))).scans.infected, 0, 'rescanned once')
  })
})
