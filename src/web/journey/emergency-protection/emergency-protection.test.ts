/**
 * Police protection and emergency protection orders (issue 17), pages and API: recorded from the
 * case's section, the end after 72 hours asks for the coded reason (one error, what was typed
 * kept), the late clock links to its reason page; the API records, extends and ends an order.
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

describe('police protection (pages)', () => {
  test('recorded with its time; ended late asks for the coded reason; the late clock links to its reason', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/emergency-protection`
    const empty = $((await agent.get(section).expect(200)).text)
    assert.equal(empty('[data-qa=no-emergency-protection]').length, 1)
    assert.equal(empty('[data-qa=record-emergency-protection]').attr('href'), `${section}/new`)

    const missing = await submitForm(agent, `${section}/new`, `${section}/new`, { ...dateFields('startedOn', '2026-11-10'), startedTime: '25:00' })
    assert.equal(missing.status, 400)
    assert.deepEqual(errorLinks(missing.text), ['#kind', '#startedTime'])
    const saved = await submitForm(agent, `${section}/new`, `${section}/new`, { kind: 'police-protection', ...dateFields('startedOn', '2026-11-10'), startedTime: '14:30', notes: 'Taken from home' })
    assert.equal(saved.status, 303)
    const list = $((await agent.get(saved.headers.location as string).expect(200)).text)
    const card = list('[data-qa^=emergency-protection-]')
    assert.match(card.text(), /Police protection[\s\S]*10 Nov 2026, 14:30[\s\S]*Must end by[\s\S]*13 Nov 2026, 14:30/)
    assert.match(list('[data-qa=clock-police-protection]').text(), /Police protection/)
    const endPath = card.find('a').filter((_, a) => /Record the end/.test($(list.html())(a).text())).attr('href') as string
    assert.match(endPath, /\/end$/)

    const late = await submitForm(agent, endPath, endPath, { ...dateFields('endedOn', '2026-11-14'), lateReason: 'Words kept', version: '1' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.match($(late.text)('.govuk-error-summary').text(), /due by 13 November 2026 and done on 14 November 2026/)
    assert.equal($(late.text)('#lateReason').val(), 'Words kept')
    const ended = await submitForm(agent, endPath, endPath, { ...dateFields('endedOn', '2026-11-14'), lateReasonCode: 'awaiting-agency', lateReason: 'Waiting for the court', version: '1' })
    assert.equal(ended.status, 303)
    const after = $((await agent.get(section).expect(200)).text)
    assert.match(after('[data-qa=clock-police-protection]').text(), /Completed late[\s\S]*Reason: Waiting for information or attendance from another agency: Waiting for the court/)
    assert.match(after('[data-qa=delay-reason-link]').attr('href') as string, /\/clocks\/[0-9a-f-]+\/delay-reason$/)
  })

  test('someone who may only read the case gets no forms and is refused them', async () => {
    await world.team('ep-other', 'council')
    const worker = await world.user(['social-worker'], { team: 'ep-other' })
    const { caseId } = await world.childCase({ team: 'ep-other', worker: worker.userId })
    const reader = await world.user(['social-worker'], { team: 'assessment' })
    const agent = await signedInAgent(app, reader, PASSWORD)
    const res = await agent.get(`/cases/${caseId}/emergency-protection`)
    if (res.status === 200) assert.equal($(res.text)('[data-qa=record-emergency-protection]').length, 0)
    await agent.get(`/cases/${caseId}/emergency-protection/new`).expect(403)
  })
})

describe('emergency protection orders (API)', () => {
  test('POST records an order, /extension extends it once, /end ends it; 422 and 409 as everywhere', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/emergency-protection`
    await agent.post(api).set('x-csrf-token', token).send({ kind: 'epo', startedOn: '2026-11-02', startedTime: '10:00' }).expect(422)
    const made = await agent.post(api).set('x-csrf-token', token).send({ kind: 'emergency-protection-order', startedOn: '2026-11-02', startedTime: '10:00' }).expect(201)
    const id = made.body.id as string
    const read = await agent.get(api).expect(200)
    assert.deepEqual([read.body.records[0].endsBy, read.body.records[0].extensionLimit, read.body.records[0].clocks[0].rule], ['2026-11-10', '2026-11-17', 'emergency-protection-order'])
    await agent.post(`${api}/${id}/extension`).set('x-csrf-token', token).send({ version: 1, extendedOn: '2026-11-09', extendedTo: '2026-11-18' }).expect(422)
    await agent.post(`${api}/${id}/extension`).set('x-csrf-token', token).send({ version: 1, extendedOn: '2026-11-09', extendedTo: '2026-11-17' }).expect(200)
    await agent.post(`${api}/${id}/end`).set('x-csrf-token', token).send({ version: 1, endedOn: '2026-11-16' }).expect(409)
    const ended = await agent.post(`${api}/${id}/end`).set('x-csrf-token', token).send({ version: 2, endedOn: '2026-11-16' }).expect(200)
    assert.deepEqual([ended.body.endedOn, ended.body.version], ['2026-11-16', 3])
  })

  test('the operations are in the OpenAPI document', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/cases/{caseId}/emergency-protection'].get && doc.paths['/cases/{caseId}/emergency-protection'].post)
    assert.ok(doc.paths['/cases/{caseId}/emergency-protection/{recordId}/extension'].post)
    assert.ok(doc.paths['/cases/{caseId}/emergency-protection/{recordId}/end'].post)
  })
})
