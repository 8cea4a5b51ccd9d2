/**
 * Health and education (issue 19 §4), pages and API: the section lists the latest of each kind and
 * the records; the form links its errors and keeps what was typed; the API records and reads.
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

describe('health and education (pages)', () => {
  test('recorded from the section; errors linked with what was typed kept; listed with the latest of each kind', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/health-education`
    const empty = $((await agent.get(section).expect(200)).text)
    assert.equal(empty('[data-qa=no-health-education]').length, 1)
    assert.match(empty('[data-qa=health-education-latest]').text(), /Last dental check\s*None recorded/)

    const bad = await submitForm(agent, `${section}/new`, `${section}/new`, { kind: 'sdq', ...dateFields('doneOn', '2026-11-10'), sdqScore: '55', doneBy: 'Kept words' })
    assert.equal(bad.status, 400)
    assert.deepEqual($(bad.text)('.govuk-error-summary a').map((_, a) => $(bad.text)(a).attr('href')).get(), ['#sdqScore'])
    assert.equal($(bad.text)('#doneBy').val(), 'Kept words')
    const saved = await submitForm(agent, `${section}/new`, `${section}/new`, { kind: 'dental-check', ...dateFields('doneOn', '2026-11-10'), doneBy: 'Fictional Dental Practice' })
    assert.equal(saved.status, 303)
    const list = $((await agent.get(saved.headers.location as string).expect(200)).text)
    assert.match(list('[data-qa=health-education-latest]').text(), /Last dental check\s*10 November 2026/)
    assert.match(list('[data-qa=health-education-records]').text(), /10 November 2026\s*Dental check\s*By Fictional Dental Practice/)
  })

  test('offending and substance misuse on their own small form, listed with the records; the main form does not offer them', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/health-education`
    const main = $((await agent.get(`${section}/new`).expect(200)).text)
    assert.equal(main('input[name=kind][value=conviction]').length, 0)
    const form = $((await agent.get(`${section}/offending`).expect(200)).text)
    assert.deepEqual(form('input[name=kind]').map((_, i) => form(i).val()).get(), ['conviction', 'substance-misuse', 'substance-misuse-intervention', 'substance-misuse-intervention-refused'])
    const bad = await submitForm(agent, `${section}/offending`, `${section}/offending`, { kind: 'sdq', ...dateFields('doneOn', '2026-11-10') })
    assert.equal(bad.status, 400)
    const saved = await submitForm(agent, `${section}/offending`, `${section}/offending`, { kind: 'substance-misuse', ...dateFields('doneOn', '2026-11-10') })
    assert.equal(saved.status, 303)
    const list = $((await agent.get(saved.headers.location as string).expect(200)).text)
    assert.match(list('[data-qa=health-education-records]').text(), /10 November 2026\s*Substance misuse problem identified/)
  })

  test('someone who may only read the case gets no form and is refused it', async () => {
    await world.team('he-other', 'council')
    const worker = await world.user(['social-worker'], { team: 'he-other' })
    const { caseId } = await world.childCase({ team: 'he-other', worker: worker.userId })
    const reader = await world.user(['social-worker'], { team: 'assessment' })
    const agent = await signedInAgent(app, reader, PASSWORD)
    const res = await agent.get(`/cases/${caseId}/health-education`)
    if (res.status === 200) assert.equal($(res.text)('[data-qa=record-health-education]').length, 0)
    await agent.get(`/cases/${caseId}/health-education/new`).expect(403)
    await agent.get(`/cases/${caseId}/health-education/offending`).expect(403)
  })
})

describe('health and education (API)', () => {
  test('POST records a questionnaire, GET lists it; 422 on a bad score', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/health-education`
    await agent.post(api).set('x-csrf-token', token).send({ kind: 'sdq', doneOn: '2026-11-02', sdqScore: 41 }).expect(422)
    const made = await agent.post(api).set('x-csrf-token', token).send({ kind: 'sdq', doneOn: '2026-11-02', sdqScore: 17 }).expect(201)
    assert.deepEqual([made.body.kind, made.body.sdqScore], ['sdq', 17])
    const read = await agent.get(api).expect(200)
    assert.deepEqual([read.body.records.length, read.body.latest.sdq], [1, '2026-11-02'])
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/cases/{caseId}/health-education'].get && doc.paths['/cases/{caseId}/health-education'].post)
  })
})
