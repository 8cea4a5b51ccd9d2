/**
 * Kinds of document and documents about a record (issue 18 §1), pages and API: an administrator
 * adds, changes and retires kinds on /admin/document-kinds (others read the list, and are refused
 * the forms); the upload form offers the kinds in use and the case's records, preselected from a
 * record's page, and the list says what a document is about; the API does the same.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, apiClient, csrfFrom, openTestApp, problemOf, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { cinEpisode } from '../../../db/schema/index.ts'
import { startAssessment } from '../../../services/journey/assessments.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const rows = (html: string) => $(html)('[data-qa=document-kinds] tbody tr').map((_, tr) => $(html)(tr).text().replace(/\s+/g, ' ').trim()).get()

describe('kinds of document (pages)', () => {
  test('an administrator adds a kind, changes its limit and retires it; the upload form offers only kinds in use; others only read', async () => {
    const admin = await signedInAgent(app, await world.user(['administrator']), PASSWORD)
    const list = (await admin.get('/admin/document-kinds').expect(200)).text
    assert.equal(rows(list).length, 6)
    assert.match(rows(list).join(' | '), /Photograph \(change\) 25 MB Yes/)

    const csrf = csrfFrom((await admin.get('/admin/document-kinds/new').expect(200)).text)
    const refused = await admin.post('/admin/document-kinds/new').type('form').send({ _csrf: csrf, label: 'School report', maxMegabytes: '80' }).expect(400)
    assert.match($(refused.text)('#maxMegabytes-error').text(), /at most 50 MB/)
    assert.equal($(refused.text)('#label').val(), 'School report', 'what was typed is kept')
    const added = await admin.post('/admin/document-kinds/new').type('form').send({ _csrf: csrf, label: 'School report', maxMegabytes: '5' }).expect(303)
    assert.equal(added.headers.location, '/admin/document-kinds?saved=added')
    assert.match(rows((await admin.get('/admin/document-kinds').expect(200)).text).at(-1)!, /School report \(change\) 5 MB Yes/)

    const form = $((await admin.get('/admin/document-kinds/school-report').expect(200)).text)
    assert.equal(form('#maxMegabytes').val(), '5')
    await admin
      .post('/admin/document-kinds/school-report')
      .type('form')
      .send({ _csrf: csrf, label: 'School report', maxMegabytes: '5', active: 'false', version: String(form('input[name=version]').val()) })
      .expect(303)
    assert.match(rows((await admin.get('/admin/document-kinds').expect(200)).text).at(-1)!, /School report \(change\) 5 MB No longer in use/)
    const letter = $((await admin.get('/admin/document-kinds/letter').expect(200)).text)
    assert.equal(letter('[data-qa=fixed]').length, 1, 'letter cannot be retired: no choice offered')
    assert.equal(letter('input[name=active][type=radio]').length, 0)

    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const kinds = $((await agent.get(`/cases/${caseId}/documents/new`).expect(200)).text)('#kind option').map((_, o) => $(o as never).toString()).get()
    assert.equal(kinds.some((o) => /school-report/.test(o)), false, 'a retired kind is not offered')
    assert.equal(rows((await agent.get('/admin/document-kinds').expect(200)).text).length, 7, 'every user reads the list')
    await agent.get('/admin/document-kinds/new').expect(403)
    await agent.get('/admin/document-kinds/letter').expect(403)
  })
})

describe('a document about a record (pages and API)', () => {
  test("a record's page links to the upload form with the record chosen; the list says what the document is about", async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const [episode] = await database.db
      .insert(cinEpisode)
      .values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-10-01', referralSource: '2A', recordedBy: worker.userId })
      .returning()
    const a = await startAssessment(world.ctx(worker), caseId, { episodeId: episode!.id, kind: 'single', startedOn: '2026-10-05' })
    const agent = await signedInAgent(app, worker, PASSWORD)

    const link = $((await agent.get(`/cases/${caseId}/assessments/${a.id}`).expect(200)).text)('a[data-qa=upload-about]')
    assert.equal(link.text(), 'Upload a document about this assessment')
    const formPage = $((await agent.get(link.attr('href')!).expect(200)).text)
    assert.deepEqual(formPage('#about option').map((_, o) => formPage(o).text()).get(), ['The case as a whole', 'Referral received 1 October 2026', 'Child and family (single) assessment started 5 October 2026'])
    assert.equal(formPage('#about').val(), `assessment:${a.id}`, 'preselected from the link')

    const csrf = csrfFrom(formPage.html())
    const other = await world.childCase({ worker: worker.userId })
    const wrong = await agent.post(`/cases/${caseId}/documents/new`).field('_csrf', csrf).field('title', 'Report').field('kind', 'report-from-partner').field('about', `assessment:${other.caseId}`).attach('files', PDF, 'r.pdf')
    assert.equal(wrong.status, 400)
    assert.match($(wrong.text)('#about-error').text(), /Select a record of this child’s case/)
    assert.equal($(wrong.text)('.govuk-error-summary a').attr('href'), '#about')

    await agent.post(`/cases/${caseId}/documents/new`).field('_csrf', csrf).field('title', 'Report').field('kind', 'report-from-partner').field('about', `assessment:${a.id}`).attach('files', PDF, 'r.pdf').expect(303)
    const list = $((await agent.get(`/cases/${caseId}/documents`).expect(200)).text)
    const about = list('a[data-qa^=about-]')
    assert.deepEqual([about.text(), about.attr('href')], ['Child and family (single) assessment started 5 October 2026', `/cases/${caseId}/assessments/${a.id}`])

    // The API: the kinds, and an upload about a record, whose JSON carries recordKind and recordId.
    const api = await apiClient(app, worker, PASSWORD)
    const kinds = (await api.get('/document-kinds').expect(200)).body.kinds as { code: string; maxBytes: number; fixed: boolean }[]
    assert.deepEqual(kinds.find((k) => k.code === 'photograph'), { ...kinds.find((k) => k.code === 'photograph'), maxBytes: 25 * 1024 * 1024, fixed: true })
    problemOf(await api.post('/document-kinds', { label: 'Minutes', maxMegabytes: 5 }), 403)
    const apiAdmin = await apiClient(app, await world.user(['administrator']), PASSWORD)
    assert.equal((await apiAdmin.post('/document-kinds', { label: 'Minutes', maxMegabytes: 5 }).expect(201)).body.code, 'minutes')
    problemOf(await apiAdmin.put('/document-kinds/letter', { label: 'Letter', maxMegabytes: 50, active: false, version: 1 }), 422)

    const session = await signedInAgent(app, worker, PASSWORD)
    const token = (await session.get('/api/v1/me').expect(200)).body.csrfToken as string
    const upload = (fields: Record<string, string>) => {
      let req = session.post(`/api/v1/cases/${caseId}/documents`).set('x-csrf-token', token)
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v)
      return req.attach('files', PDF, 'm.pdf')
    }
    const made = (await upload({ title: 'Minutes', kind: 'minutes', recordKind: 'referral', recordId: episode!.id }).expect(201)).body.documents[0]
    assert.deepEqual([made.kind, made.kindLabel, made.recordKind, made.recordId, made.about.text], ['minutes', 'Minutes', 'referral', episode!.id, 'Referral received 1 October 2026'])
    assert.match(problemOf(await upload({ title: 'Minutes', kind: 'minutes', recordKind: 'assessment', recordId: other.caseId }), 422).errors!.recordId!, /Select a record of this child’s case/)
  })
})
