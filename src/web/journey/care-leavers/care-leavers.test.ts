/**
 * Care leavers (issue 19 §7), pages and API: details recorded then changed from a form opened with
 * what is saved; a contact's errors linked with what was typed kept; the API saves and records.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const errorLinks = (html: string) => $(html)('.govuk-error-summary a').map((_, a) => $(html)(a).attr('href')).get()

describe('care leavers (pages)', () => {
  test('details recorded and changed; a contact with errors, then saved and shown as the latest', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const page = `/cases/${caseId}/care-leaver`
    assert.equal($((await agent.get(page).expect(200)).text)('[data-qa=no-care-leaver]').length, 1)
    const first = await submitForm(agent, `${page}/details`, `${page}/details`, { category: 'relevant', personalAdviser: 'Pat Fictional', stayingPut: 'no', supportTo25: 'no' })
    assert.equal(first.status, 303)
    const form = $((await agent.get(`${page}/details`).expect(200)).text)
    assert.equal(form('#personalAdviser').val(), 'Pat Fictional', 'the form opens with what is saved')
    const changed = await submitForm(agent, `${page}/details`, `${page}/details`, { category: 'former-relevant', personalAdviser: 'Pat Fictional', stayingPut: 'no', supportTo25: 'yes', version: '1' })
    assert.equal(changed.status, 303)
    assert.match($((await agent.get(page).expect(200)).text)('[data-qa=care-leaver-details]').text(), /Former relevant[\s\S]*Pat Fictional[\s\S]*Asked for support to 25\s*Yes/)

    const bad = await submitForm(agent, `${page}/new`, `${page}/new`, { kind: 'contact', ...dateFields('on', '2026-11-02'), inTouch: 'YES', notes: 'Kept words' })
    assert.equal(bad.status, 400)
    assert.deepEqual(errorLinks(bad.text), ['#activity', '#accommodation'])
    assert.equal($(bad.text)('#notes').val(), 'Kept words')
    const saved = await submitForm(agent, `${page}/new`, `${page}/new`, { kind: 'contact', ...dateFields('on', '2026-11-02'), inTouch: 'YES', activity: 'F5', accommodation: 'U1' })
    assert.equal(saved.status, 303)
    assert.match($((await agent.get(page).expect(200)).text)('[data-qa=care-leaver-contact]').text(), /2 November 2026: In touch; Full-time training or employment[\s\S]*Independent living/)
  })

  test('someone who may only read the case gets no forms and is refused them', async () => {
    await world.team('cl-other', 'council')
    const worker = await world.user(['social-worker'], { team: 'cl-other' })
    const { caseId } = await world.childCase({ team: 'cl-other', worker: worker.userId })
    const reader = await world.user(['social-worker'], { team: 'assessment' })
    const agent = await signedInAgent(app, reader, PASSWORD)
    const res = await agent.get(`/cases/${caseId}/care-leaver`)
    if (res.status === 200) assert.equal($(res.text)('[data-qa=record-care-leaver]').length, 0)
    await agent.get(`/cases/${caseId}/care-leaver/new`).expect(403)
    await agent.get(`/cases/${caseId}/care-leaver/details`).expect(403)
  })
})

describe('care leavers (API)', () => {
  test('PUT saves the details (409 when stale), POST …/records records a plan, GET reads them', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/care-leaver`
    await agent.put(api).set('x-csrf-token', token).send({ category: 'nope', stayingPut: false, supportTo25: false }).expect(422)
    await agent.put(api).set('x-csrf-token', token).send({ category: 'eligible', stayingPut: false, supportTo25: false }).expect(200)
    await agent.put(api).set('x-csrf-token', token).send({ version: 5, category: 'relevant', stayingPut: false, supportTo25: false }).expect(409)
    await agent.post(`${api}/records`).set('x-csrf-token', token).send({ kind: 'pathway-plan', on: '2026-11-01' }).expect(201)
    const read = (await agent.get(api).expect(200)).body
    assert.deepEqual([read.details.category, read.records[0].kind, read.clocks[0].dueOn], ['eligible', 'pathway-plan', '2027-05-01'])
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/cases/{caseId}/care-leaver'].put && doc.paths['/cases/{caseId}/care-leaver/records'].post)
  })
})
