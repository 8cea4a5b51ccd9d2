/**
 * Letters (issue 18 §2), pages and API: an administrator's templates (an unknown placeholder
 * refused with what was typed kept); a worker writes a conference invitation from the record,
 * edits and previews it, makes the PDF, and sends it by post through the local Notify double once
 * however often the form is posted; a failure shown and retried; the same through the JSON API.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, apiClient, csrfFrom, openTestApp, problemOf, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { cinEpisode, conference, person, personRelationship } from '../../../db/schema/index.ts'
import type { LocalLetterPost } from '../../../services/records/letter-post.ts'
import { letterPostOf } from './routes.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const errorLinks = (html: string) => $(html)('.govuk-error-summary a').map((_, a) => $(html)(a).attr('href')).get()

async function caseWithConference() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Sam', familyName: 'Pagewell' })
  const db = database.db
  const [parent] = await db.insert(person).values({ partnershipId: world.partnershipId, givenName: 'Ann', familyName: 'Pagewell', address: '1 High Street, Testtown', postcode: 'ZZ1 1ZZ' }).returning()
  await db.insert(personRelationship).values({ partnershipId: world.partnershipId, personId, relatedPersonId: parent!.id, kind: 'mother', parentalResponsibility: true, recordedBy: worker.userId })
  const [e] = await db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-10-01', referralSource: '2A', recordedBy: worker.userId }).returning()
  const [k] = await db.insert(conference).values({ partnershipId: world.partnershipId, caseId, episodeId: e!.id, kind: 'initial', scheduledFor: '2026-12-15', scheduledTime: '14:00', recordedBy: worker.userId }).returning()
  return { worker, caseId, parentId: parent!.id, conferenceId: k!.id }
}

describe('letter templates (pages)', () => {
  test('an administrator sees the defaults, is refused an unknown placeholder with what was typed kept, and adds a Welsh version', async () => {
    const admin = await world.user(['administrator'])
    const agent = await signedInAgent(app, admin, PASSWORD)
    const list = $((await agent.get('/admin/letter-templates').expect(200)).text)
    assert.equal(list('[data-qa=letter-templates] tbody tr').length, 4)
    const csrf = csrfFrom((await agent.get('/admin/letter-templates/new?kind=conference-invitation&language=cy').expect(200)).text)
    const body = 'Annwyl ((recipient name)), ((enw plentyn))'
    const refused = await agent.post('/admin/letter-templates/new').type('form').send({ _csrf: csrf, kind: 'conference-invitation', language: 'cy', title: 'Gwahoddiad', body })
    assert.equal(refused.status, 400)
    assert.deepEqual(errorLinks(refused.text), ['#body'])
    assert.match($(refused.text)('#body-error').text(), /\(\(enw plentyn\)\)/)
    assert.equal($(refused.text)('#body').val(), body)
    const saved = await agent.post('/admin/letter-templates/new').type('form').send({ _csrf: csrf, kind: 'conference-invitation', language: 'cy', title: 'Gwahoddiad', body: 'Annwyl ((recipient name))' })
    assert.equal(saved.status, 303)
    assert.match($((await agent.get('/admin/letter-templates').expect(200)).text)('[data-qa=letter-templates]').text(), /Gwahoddiad[\s\S]*Welsh/)
  })
  test('a social worker may not change templates', async () => {
    const worker = await world.user(['social-worker'])
    const agent = await signedInAgent(app, worker, PASSWORD)
    await agent.get('/admin/letter-templates/new').expect(403)
  })
})

describe('a letter on a case (pages)', () => {
  test('merged from the conference, a venue written in, previewed, made, sent once however often the form is posted; a failure shown and retried', async () => {
    const { worker, caseId, parentId, conferenceId } = await caseWithConference()
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/letters`
    const empty = $((await agent.get(section).expect(200)).text)
    assert.equal(empty('[data-qa=no-letters]').length, 1)
    assert.equal(empty('nav[aria-label="Sections of this case"] a[aria-current=page]').text(), 'Letters')

    const choose = $((await agent.get(`${section}/new`).expect(200)).text)
    const templateId = choose('#templateId option').filter((_, o) => /Invitation to a child protection conference/.test(choose(o).text())).attr('value')!
    const csrf = csrfFrom(choose.html()!)
    const missing = await agent.post(`${section}/new`).type('form').send({ _csrf: csrf, step: 'merge', templateId, aboutId: '' })
    assert.equal(missing.status, 400)
    assert.deepEqual(errorLinks(missing.text), ['#recipient'])

    const write = await agent.post(`${section}/new`).type('form').send({ _csrf: csrf, step: 'merge', templateId, aboutId: conferenceId, recipient: `person:${parentId}` })
    assert.equal(write.status, 200)
    const w = $(write.text)
    assert.match(String(w('#body').val()), /When: Tuesday 15 December 2026 at 2pm\nWhere: \(\(meeting venue\)\)/)
    assert.match(w('[data-qa=unfilled]').text(), /\(\(meeting venue\)\)/)
    assert.equal(w('#address').val(), 'Ann Pagewell\n1 High Street\nTesttown\nZZ1 1ZZ')

    const fields = { _csrf: csrf, templateId, aboutId: conferenceId, recipient: `person:${parentId}`, title: String(w('#title').val()), address: String(w('#address').val()) }
    const notFilled = await agent.post(`${section}/new`).type('form').send({ ...fields, body: String(w('#body').val()), step: 'produce' })
    assert.equal(notFilled.status, 400)
    assert.deepEqual(errorLinks(notFilled.text), ['#body'])
    const edited = String(w('#body').val()).replace('((meeting venue))', 'Room 4, Civic Centre')
    const preview = $((await agent.post(`${section}/new`).type('form').send({ ...fields, body: edited, step: 'preview' }).expect(200)).text)
    assert.match(preview('[data-qa=letter-preview]').text(), /Room 4, Civic Centre/)
    const made = await agent.post(`${section}/new`).type('form').send({ ...fields, body: edited, step: 'produce' })
    assert.equal(made.status, 303)
    const letterPath = made.headers.location!.replace(/\?.*/, '')

    const page = $((await agent.get(letterPath).expect(200)).text)
    assert.match(page('[data-qa=letter-words]').text(), /Room 4, Civic Centre/)
    const pdf = await agent.get(page('[data-qa=download-letter]').attr('href')!).buffer(true).expect(200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')

    const post = letterPostOf(app.deps) as LocalLetterPost
    const before = post.posted.length
    post.failNext = 1
    const sendForm = { _csrf: csrfFrom(page.html()!), postage: 'second', idempotencyKey: String(page('[data-qa=send-form] input[name=idempotencyKey]').val()) }
    const failed = await agent.post(`${letterPath}/send`).type('form').send(sendForm)
    assert.equal(failed.status, 303)
    const failedPage = $((await agent.get(letterPath).expect(200)).text)
    assert.match(failedPage('[data-qa=send-failed]').text(), /could not be reached/)
    // The same form posted again (the same key) does not try again; a fresh form does, once.
    await agent.post(`${letterPath}/send`).type('form').send(sendForm).expect(303)
    assert.equal(post.posted.length, before)
    const retry = { ...sendForm, idempotencyKey: String(failedPage('[data-qa=send-form] input[name=idempotencyKey]').val()) }
    await Promise.all([agent.post(`${letterPath}/send`).type('form').send(retry).expect(303), agent.post(`${letterPath}/send`).type('form').send(retry).expect(303)])
    assert.equal(post.posted.length, before + 1)
    const sent = $((await agent.get(`${letterPath}?saved=sent`).expect(200)).text)
    assert.match(sent('[data-qa=letter-summary]').text(), /Sent by post through GOV.UK Notify/)
    assert.equal(sent('[data-qa=send-form]').length, 0)
  })
})

describe('letters (JSON API)', () => {
  test('options, a draft, the letter made and sent; an unknown placeholder in a template is a 422 naming it', async () => {
    const { worker, caseId, parentId, conferenceId } = await caseWithConference()
    const api = await apiClient(app, worker, PASSWORD)
    const options = (await api.get(`/cases/${caseId}/letters/options`).expect(200)).body
    const template = options.templates.find((t: { kind: string; language: string }) => t.kind === 'conference-invitation' && t.language === 'en')
    const choice = { templateId: template.id, aboutId: conferenceId, recipient: `person:${parentId}` }
    const draft = (await api.post(`/cases/${caseId}/letters/drafts`, choice).expect(200)).body
    assert.deepEqual(draft.unfilled, ['meeting venue'])
    const made = (await api.post(`/cases/${caseId}/letters`, { ...choice, title: draft.title, address: draft.address, body: draft.body.replace('((meeting venue))', 'Online') }).expect(201)).body
    assert.equal(made.status, 'produced')
    const sent = (await api.post(`/cases/${caseId}/letters/${made.id}/send`, { postage: 'first', idempotencyKey: randomUUID() }).expect(200)).body
    assert.equal(sent.status, 'sent')
    assert.equal((await api.get(`/cases/${caseId}/letters/${made.id}`).expect(200)).body.status, 'sent')

    const admin = await apiClient(app, await world.user(['administrator']), PASSWORD)
    const refused = problemOf(await admin.post('/letter-templates', { kind: 'other', language: 'en', title: 'T', body: '((nope))' }), 422)
    assert.match(refused.errors!.body!, /\(\(nope\)\)/)
  })
})
