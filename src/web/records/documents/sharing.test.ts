/**
 * Sharing a document with a partner agency (issue 18 §1): the social worker shares a version with
 * the lawful basis (on the information sharing ledger); a practitioner of that agency, with no
 * access to the case, sees it in their list, its page and its file, each read audited against the
 * child with the ground `document-share`; a practitioner of another agency gets 404s. Pages and API.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, openTestApp, problemOf, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent, informationShare } from '../../../db/schema/index.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const PDF = Buffer.from('%PDF-1.7\n% A fictional police report\n%%EOF\n')
const errorLinks = (html: string) => $(html)('.govuk-error-summary a').map((_, a) => $(html)(a).attr('href')).get()

describe('sharing a document with a partner agency', () => {
  test('on the pages: shared with the police, on the ledger; the police see it, the school does not', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId, personId } = await world.childCase({ worker: worker.userId, familyName: 'Sharedfile' })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/documents`
    const csrf = csrfFrom((await agent.get(`${section}/new`).expect(200)).text)
    await agent.post(`${section}/new`).field('_csrf', csrf).field('title', 'Health report').field('kind', 'report-from-partner').attach('files', PDF, 'health.pdf').expect(303)
    const list = $((await agent.get(section).expect(200)).text)
    const shareHref = list('a').filter((_, a) => /\/share$/.test(String(list(a).attr('href')))).attr('href')!
    assert.match(shareHref, /\/documents\/[0-9a-f-]+\/share$/)

    const form = $((await agent.get(shareHref).expect(200)).text)
    const versionId = form('input[name=versionId]').attr('value')!
    const token = form('input[name=_csrf]').attr('value')!
    const refused = await agent.post(shareHref).type('form').send({ _csrf: token, versionId, purpose: 'For the strategy discussion', consent: 'not-sought' }).expect(400)
    assert.deepEqual(errorLinks(refused.text), ['#agencyId', '#article6Basis'])
    assert.equal($(refused.text)('#purpose').text().trim(), 'For the strategy discussion', 'what was typed is kept')

    await agent
      .post(shareHref)
      .type('form')
      .send({ _csrf: token, versionId, agencyId: world.agencies.police!, purpose: 'For the strategy discussion', article6Basis: 'public-task', specialCategory: 'yes', article9Condition: 'safeguarding-children', consent: 'not-sought', consentReason: 'It would put the child at risk' })
      .expect(303)
      .expect('location', `${section}?saved=shared`)
    const [ledger] = await database.db.select().from(informationShare).where(eq(informationShare.caseId, caseId))
    assert.equal(ledger?.recipientAgencyId, world.agencies.police)
    assert.equal(ledger?.article6Basis, 'public-task')
    assert.equal(ledger?.article9Condition, 'safeguarding-children')
    assert.match(ledger!.information, /Health report.*version 1: health\.pdf/)
    assert.match($((await agent.get(section).expect(200)).text)('dd').text(), /police .*\(version 1, /)

    // The police officer has no access to the case, yet sees the document shared with their agency.
    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const police = await signedInAgent(app, officer, PASSWORD)
    await police.get(section).expect((r) => assert.ok([403, 404].includes(r.status), String(r.status)))
    const theirs = $((await police.get('/shared-documents').expect(200)).text)
    const link = theirs('[data-qa^=shared-]').filter((_, a) => /^\/shared-documents\//.test(String(theirs(a).attr('href')))).attr('href')!
    assert.match(theirs('[data-qa=shared-documents]').text(), /Sharedfile/)
    assert.equal(theirs('nav a[href="/shared-documents"]').length, 1, 'in the navigation')
    const page = $((await police.get(link).expect(200)).text)
    assert.match(page('[data-qa=shared-document]').text(), /For the strategy discussion/)
    const file = await police.get(`${link}/file`).buffer(true).expect(200)
    assert.equal(file.headers['content-type'], 'application/pdf')
    assert.match(String(file.headers['content-disposition']), /attachment/)
    const shareId = link.split('/').pop()!
    const reads = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, shareId), eq(auditEvent.actorUserId, officer.userId)))
    assert.deepEqual(reads.map((e) => e.action).sort(), ['document.download', 'document.shared.list', 'document.shared.view'])
    assert.ok(reads.every((e) => e.ground === 'document-share' && e.subjectPersonId === personId))

    // A school practitioner: nothing listed, and the share's page and file are not found.
    const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const school = await signedInAgent(app, teacher, PASSWORD)
    assert.equal($((await school.get('/shared-documents').expect(200)).text)('[data-qa=none-shared]').length, 1)
    await school.get(link).expect(404)
    await school.get(`${link}/file`).expect(404)
  })

  test('in the API: shared with a token, refused without a basis; the agency lists and downloads it', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const csrf = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/documents`
    const made = await agent.post(api).set('x-csrf-token', csrf).field('title', 'Court order').field('kind', 'court-paper').attach('files', PDF, 'order.pdf').expect(201)
    const doc = made.body.documents[0]
    const share = { versionId: doc.versions[0].id, agencyId: world.agencies.police!, purpose: 'Health needs assessment', article6Basis: 'public-task', specialCategory: 'no', consent: 'given' }
    const bad = problemOf(await agent.post(`${api}/${doc.id}/shares`).set('x-csrf-token', csrf).send({ ...share, article6Basis: undefined }), 422)
    assert.ok(bad.errors?.article6Basis)
    const made2 = await agent.post(`${api}/${doc.id}/shares`).set('x-csrf-token', csrf).send(share)
    assert.equal(made2.status, 201, made2.text)
    assert.equal(made2.body.agencyId, world.agencies.police)

    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const police = await signedInAgent(app, officer, PASSWORD)
    const listed = (await police.get('/api/v1/shared-documents').expect(200)).body.documents
    assert.ok(listed.some((d: { id: string }) => d.id === made2.body.id), 'listed for the police')
    assert.equal((await police.get(`/api/v1/shared-documents/${made2.body.id}`).expect(200)).body.title, 'Court order')
    await police.get(`/api/v1/shared-documents/${made2.body.id}/file`).buffer(true).expect(200)
    const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const school = await signedInAgent(app, teacher, PASSWORD)
    problemOf(await school.get(`/api/v1/shared-documents/${made2.body.id}`), 404)
    problemOf(await school.get(`/api/v1/shared-documents/${made2.body.id}/file`), 404)
  })
})
