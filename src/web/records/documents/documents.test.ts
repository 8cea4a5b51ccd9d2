/**
 * Documents on a case (issue 18 §1), pages and API: several files uploaded at once, what was typed
 * kept on a refusal, a new version keeping the old, downloads as attachments that are never
 * rendered (nosniff, HTML as octet-stream) and audited, and the case's policy on every one.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type supertest from 'supertest'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, dateFields, openTestApp, problemOf, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent, documentVersion } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const HTML = '<!doctype html><html><body><script>alert(1)</script></body></html>'
/** Reads an answer's body as bytes, whatever its Content-Type. */
const binary = (res: supertest.Response, cb: (err: Error | null, body: Buffer) => void) => {
  // superagent's parser gets the node response, a readable stream, typed as its own Response.
  const stream = res as unknown as NodeJS.ReadableStream
  const parts: Buffer[] = []
  stream.on('data', (c: Buffer) => parts.push(c))
  stream.on('end', () => cb(null, Buffer.concat(parts)))
}
const errorLinks = (html: string) => $(html)('.govuk-error-summary a').map((_, a) => $(html)(a).attr('href')).get()

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, personId, agent: await signedInAgent(app, worker, PASSWORD) }
}

/** Fields of a multipart form, the CSRF token first as a browser sends it. */
function multipart(agent: ReturnType<TestApp['agent']>, path: string, csrf: string, fields: Record<string, string>) {
  let req = agent.post(path).field('_csrf', csrf)
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v)
  return req
}

describe('documents (pages)', () => {
  test('two files uploaded at once, a new version keeps the old, downloads are attachments and audited', async () => {
    const { caseId, personId, agent } = await allocatedCase()
    const section = `/cases/${caseId}/documents`
    const empty = $((await agent.get(section).expect(200)).text)
    assert.equal(empty('[data-qa=no-documents]').length, 1)
    assert.equal(empty('[data-qa=upload-documents]').attr('href'), `${section}/new`)
    assert.equal(empty('nav[aria-label="Sections of this case"] a[aria-current=page]').text(), 'Documents')

    const csrf = csrfFrom((await agent.get(`${section}/new`).expect(200)).text)
    const refused = await multipart(agent, `${section}/new`, csrf, { title: 'Kept title', kind: 'court-paper', receivedFrom: 'Family court', ...dateFields('datedOn', '2026-11-02') })
      .attach('files', Buffer.from(HTML), 'order.pdf')
    assert.equal(refused.status, 400)
    assert.deepEqual(errorLinks(refused.text), ['#files'])
    assert.match($(refused.text)('#files-error').text(), /order\.pdf is a web page or markup[\s\S]*Choose the files again/)
    assert.deepEqual([$(refused.text)('#title').val(), $(refused.text)('#kind').val(), $(refused.text)('#receivedFrom').val(), $(refused.text)('#datedOn-day').val()], ['Kept title', 'court-paper', 'Family court', '02'])
    const noTitle = await multipart(agent, `${section}/new`, csrf, { title: '', kind: '' }).attach('files', PDF, 'a.pdf')
    assert.deepEqual(errorLinks(noTitle.text), ['#title', '#kind'])

    const saved = await multipart(agent, `${section}/new`, csrf, { title: 'Court order', kind: 'court-paper', receivedFrom: 'Family court', ...dateFields('datedOn', '2026-11-02') })
      .attach('files', PDF, 'order.pdf')
      .attach('files', Buffer.from('Notes of the hearing.\n'), 'hearing.txt')
    assert.equal(saved.status, 303)
    assert.equal(saved.headers.location, `${section}?saved=uploaded`)
    const list = $((await agent.get(saved.headers.location as string).expect(200)).text)
    assert.equal(list('[data-qa^=document-]').length, 2)
    assert.match(list('[data-qa^=document-]').first().text(), /Court order[\s\S]*Court paper[\s\S]*2 November 2026[\s\S]*Family court/)
    const pdfLink = list('a[data-qa^=download-]').filter((_, a) => /order\.pdf/.test(list(a).text())).attr('href') as string
    const versionPath = list('a').filter((_, a) => /Upload a new version/.test(list(a).text())).first().attr('href') as string

    const file = await agent.get(pdfLink).buffer(true).parse(binary).expect(200)
    assert.ok((file.body as Buffer).equals(PDF))
    assert.equal(file.headers['content-type'], 'application/pdf')
    assert.equal(file.headers['content-disposition'], 'attachment; filename=order.pdf')
    assert.equal(file.headers['x-content-type-options'], 'nosniff')
    const versionId = pdfLink.split('/').pop()!
    const audited = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, versionId), eq(auditEvent.action, 'document.download')))
    assert.equal(audited.length, 1)
    assert.equal(audited[0]!.subjectPersonId, personId)

    const vcsrf = csrfFrom((await agent.get(versionPath).expect(200)).text)
    const none = await multipart(agent, versionPath, vcsrf, { version: '1' })
    assert.equal(none.status, 400)
    assert.deepEqual(errorLinks(none.text), ['#file'])
    const v2 = await multipart(agent, versionPath, vcsrf, { version: '1' }).attach('file', Buffer.from('Corrected notes.\n'), 'hearing-v2.txt')
    assert.equal(v2.status, 303)
    const stale = await multipart(agent, versionPath, vcsrf, { version: '1' }).attach('file', Buffer.from('Again.\n'), 'hearing-v3.txt')
    assert.equal(stale.status, 409)
    assert.equal($(stale.text)('[data-qa=conflict]').length, 1)
    const after = $((await agent.get(section).expect(200)).text)
    assert.match(after('table[data-qa^=versions-]').text(), /hearing-v2\.txt[\s\S]*hearing\.txt/)
  })

  test('HTML stored before the type checks is served as application/octet-stream, never as a page', async () => {
    const { caseId, agent } = await allocatedCase()
    const csrf = csrfFrom((await agent.get(`/cases/${caseId}/documents/new`).expect(200)).text)
    await multipart(agent, `/cases/${caseId}/documents/new`, csrf, { title: 'Note', kind: 'other' }).attach('files', Buffer.from('plain words'), 'note.html').expect(303)
    const [row] = await database.db.select().from(documentVersion).where(eq(documentVersion.fileName, 'note.html'))
    await database.db.update(documentVersion).set({ mediaType: 'text/html' }).where(eq(documentVersion.id, row!.id))
    const res = await agent.get(`/cases/${caseId}/documents/${row!.documentId}/versions/${row!.id}`).expect(200)
    assert.equal(res.headers['content-type'], 'application/octet-stream')
    assert.match(res.headers['content-disposition'] as string, /^attachment;/)
  })

  test('someone who may not read the case is refused the list, the form and the download; another partnership finds nothing', async () => {
    const { caseId, agent } = await allocatedCase()
    const csrf = csrfFrom((await agent.get(`/cases/${caseId}/documents/new`).expect(200)).text)
    await multipart(agent, `/cases/${caseId}/documents/new`, csrf, { title: 'Report', kind: 'report-from-partner' }).attach('files', PDF, 'r.pdf').expect(303)
    const [row] = await database.db.select().from(documentVersion).where(eq(documentVersion.fileName, 'r.pdf'))
    const download = `/cases/${caseId}/documents/${row!.documentId}/versions/${row!.id}`

    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const outsider = await signedInAgent(app, partner, PASSWORD)
    await outsider.get(`/cases/${caseId}/documents`).expect(403)
    await outsider.get(`/cases/${caseId}/documents/new`).expect(403)
    await outsider.get(download).expect(403)

    const elsewhere = await World.create(database.db)
    const stranger = await signedInAgent(app, await elsewhere.user(['social-worker']), PASSWORD)
    await stranger.get(`/cases/${caseId}/documents`).expect(404)
    await stranger.get(download).expect(404)
    await stranger.get(`/api/v1${download}`).expect(404)
  })
})

describe('documents (API)', () => {
  test('list, upload (multipart), a new version and a download; 422 on a refused type, 409 when stale, 415 for JSON', async () => {
    const { caseId, agent } = await allocatedCase()
    const csrf = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/documents`
    const post = (path: string) => agent.post(path).set('x-csrf-token', csrf)
    assert.deepEqual((await agent.get(api).expect(200)).body, { documents: [] })
    problemOf(await post(api).send({ title: 'x', kind: 'other' }), 415)
    const bad = problemOf(await post(api).field('title', 'Page').field('kind', 'other').attach('files', Buffer.from(HTML), 'page.pdf'), 422)
    assert.match(bad.errors!.files!, /page\.pdf is a web page or markup/)
    const noKind = problemOf(await post(api).field('title', 'Report').attach('files', PDF, 'r.pdf'), 422)
    assert.deepEqual(Object.keys(noKind.errors!), ['kind'])
    const made = await post(api).field('title', 'Report').field('kind', 'report-from-partner').field('datedOn', '2026-11-03').attach('files', PDF, 'r.txt').expect(201)
    const doc = made.body.documents[0]
    assert.deepEqual([doc.title, doc.datedOn, doc.versions[0].mediaType, doc.versions[0].fileName], ['Report', '2026-11-03', 'application/pdf', 'r.txt'])
    const v2 = await post(`${api}/${doc.id}/versions`).field('version', '1').attach('file', PDF, 'r2.pdf').expect(201)
    assert.deepEqual(v2.body.versions.map((v: { number: number }) => v.number), [2, 1])
    problemOf(await post(`${api}/${doc.id}/versions`).field('version', '1').attach('file', PDF, 'r3.pdf'), 409)
    const file = await agent.get(`${api}/${doc.id}/versions/${doc.versions[0].id}`).buffer(true).parse(binary).expect(200)
    assert.ok((file.body as Buffer).equals(PDF))
    assert.equal(file.headers['content-disposition'], 'attachment; filename=r.txt')
    assert.equal(file.headers['x-content-type-options'], 'nosniff')
    assert.equal(file.headers['content-type'], 'application/pdf')
  })

  test('an API token uploads without a CSRF token; a user who may not change the case is refused before the body is read', async () => {
    const { caseId, worker } = await allocatedCase()
    const made = await createApiToken(database.db, { email: worker.email, name: 'documents client', now: new Date() })
    const api = `/api/v1/cases/${caseId}/documents`
    await app.agent().post(api).set('authorization', `Bearer ${made.token}`).field('title', 'Via token').field('kind', 'letter').attach('files', PDF, 'l.pdf').expect(201)
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const outsider = await signedInAgent(app, partner, PASSWORD)
    const csrf = (await outsider.get('/api/v1/me').expect(200)).body.csrfToken as string
    problemOf(await outsider.post(api).set('x-csrf-token', csrf).field('title', 'x').field('kind', 'other').attach('files', PDF, 'x.pdf'), 403)
    problemOf(await outsider.get(api), 403)
  })

  test('the operations are in the OpenAPI document, the changes with x-case-action', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/cases/{caseId}/documents'].get)
    assert.equal(doc.paths['/cases/{caseId}/documents'].post['x-case-action'], 'case:update')
    assert.ok(doc.paths['/cases/{caseId}/documents'].post.requestBody.content['multipart/form-data'])
    assert.equal(doc.paths['/cases/{caseId}/documents/{documentId}/versions'].post['x-case-action'], 'case:update')
    assert.ok(doc.paths['/cases/{caseId}/documents/{documentId}/versions/{versionId}'].get.responses['200'].content['application/octet-stream'])
  })
})
