/**
 * Documents of a LADO case and a practice review (issue 18 §1), pages and API: an upload form's
 * body is refused before it is read to someone who may only read the record, what was typed is kept
 * on a refused file, the API uploads with a token and answers 415 for a body that is not multipart;
 * and what a case's document is about changes through the API at the version read.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent, document } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'
import { recordLadoReferral } from '../../../services/partnership/lado/cases.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  await world.team('lado', 'council')
})
after(() => database.close())

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')

async function ladoCase() {
  const officer = await world.user(['designated-officer'], { team: 'lado' })
  const contact = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  const lado = await recordLadoReferral(world.ctx(officer, FIXED_NOW), {
    knownOn: '2026-11-16', referredOn: '2026-11-17', referralLateReason: null, referrer: null, subjectName: 'Alex Example (fictional)', subjectRole: 'Teaching assistant',
    employerAgencyId: world.agencies.school!, employerName: null, employerContactUserId: contact.userId, employerContactName: null,
    categories: ['harm'], allegation: 'Fictional allegation', childNhsNumber: null, childDescription: 'A pupil',
  })
  return { officer, contact, lado }
}

describe('documents of a LADO case (pages)', () => {
  test('the officer uploads (a refused file keeps what was typed); the named contact is refused the form before its body is read', async () => {
    const { officer, contact, lado } = await ladoCase()
    const agent = await signedInAgent(app, officer, PASSWORD)
    const base = `/partnership/lado/${lado.id}/documents`
    const csrf = csrfFrom((await agent.get(`${base}/new`).expect(200)).text)
    const refused = await agent.post(`${base}/new`).field('_csrf', csrf).field('title', 'Kept title').field('kind', 'report-from-partner').attach('files', Buffer.from('<html></html>'), 'r.pdf')
    assert.equal(refused.status, 400)
    assert.equal($(refused.text)('#title').val(), 'Kept title')
    assert.deepEqual($(refused.text)('.govuk-error-summary a').map((_, a) => $(refused.text)(a).attr('href')).get(), ['#files'])
    const made = await agent.post(`${base}/new`).field('_csrf', csrf).field('title', 'Investigation').field('kind', 'report-from-partner').attach('files', PDF, 'i.pdf')
    assert.equal(made.status, 303)
    assert.equal(made.headers.location, `${base}?saved=uploaded`)
    const page = $((await agent.get(`/partnership/lado/${lado.id}`).expect(200)).text)
    assert.match(page('[data-qa=owner-documents]').text(), /Investigation/)

    const reader = await signedInAgent(app, contact, PASSWORD)
    assert.equal((await reader.get(base).expect(200)).text.includes('Investigation'), true)
    await reader.get(`${base}/new`).expect(403)
    const readerCsrf = csrfFrom((await reader.get(base).expect(200)).text)
    await reader.post(`${base}/new`).field('_csrf', readerCsrf).field('title', 'Not mine').field('kind', 'other').attach('files', PDF, 'x.pdf').expect(403)
    assert.equal((await database.db.select().from(document).where(eq(document.ownerId, lado.id))).length, 1)
    const refusals = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'lado-case.update.refused'))
    assert.ok(refusals.filter((r) => r.actorUserId === contact.userId && r.recordId === lado.id).length >= 2)
  })
})

describe('documents of a LADO case (API)', () => {
  test('upload with a token, list, download; not multipart is a 415; the named contact is refused the upload', async () => {
    const { officer, contact, lado } = await ladoCase()
    const token = (await createApiToken(database.db, { email: officer.email, name: 'client', now: new Date() })).token
    const api = `/api/v1/lado-cases/${lado.id}/documents`
    const made = await app.agent().post(api).set('authorization', `Bearer ${token}`).field('title', 'Via token').field('kind', 'letter').attach('files', PDF, 'l.pdf').expect(201)
    const doc = (made.body as { documents: { id: string; version: number; versions: { id: string }[] }[] }).documents[0]!
    const listed = await app.agent().get(api).set('authorization', `Bearer ${token}`).expect(200)
    assert.deepEqual((listed.body as { documents: { id: string }[] }).documents.map((d) => d.id), [doc.id])
    const file = await app.agent().get(`${api}/${doc.id}/versions/${doc.versions[0]!.id}`).set('authorization', `Bearer ${token}`).expect(200)
    assert.match(String(file.headers['content-disposition']), /^attachment/)
    await app.agent().post(api).set('authorization', `Bearer ${token}`).send({ title: 'JSON' }).expect(415)
    await app.agent().post(`${api}/${doc.id}/versions`).set('authorization', `Bearer ${token}`).field('version', String(doc.version)).attach('file', PDF, 'l2.pdf').expect(201)
    const contactToken = (await createApiToken(database.db, { email: contact.email, name: 'client', now: new Date() })).token
    await app.agent().post(api).set('authorization', `Bearer ${contactToken}`).field('title', 'No').field('kind', 'letter').attach('files', PDF, 'n.pdf').expect(403)
    await app.agent().get(api).set('authorization', `Bearer ${contactToken}`).expect(200)
  })
})

describe("what a case's document is about (API)", () => {
  test('PUT …/about changes it at the version read; stale is a 409; a record of another case a 422', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const token = (await createApiToken(database.db, { email: worker.email, name: 'client', now: new Date() })).token
    const made = await app.agent().post(`/api/v1/cases/${caseId}/documents`).set('authorization', `Bearer ${token}`).field('title', 'Report').field('kind', 'letter').attach('files', PDF, 'r.pdf').expect(201)
    const doc = (made.body as { documents: { id: string; version: number }[] }).documents[0]!
    const about = `/api/v1/cases/${caseId}/documents/${doc.id}/about`
    const other = await world.childCase()
    const refused = await app.agent().put(about).set('authorization', `Bearer ${token}`).send({ recordKind: 'referral', recordId: other.caseId, version: doc.version }).expect(422)
    assert.ok(JSON.stringify(refused.body).includes('recordId'))
    const ok = await app.agent().put(about).set('authorization', `Bearer ${token}`).send({ recordKind: null, recordId: null, version: doc.version }).expect(200)
    assert.equal((ok.body as { version: number }).version, doc.version + 1)
    await app.agent().put(about).set('authorization', `Bearer ${token}`).send({ recordKind: null, recordId: null, version: doc.version }).expect(409)
  })
})
