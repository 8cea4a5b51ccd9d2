/**
 * Missing episodes (issue 19 §5), pages and API: recorded from the case's section (errors linked,
 * what was typed kept), the return starts the interview clock shown on the card, the interview form
 * opens with what is saved and a late offer asks for the coded reason; the API does the same.
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

describe('missing episodes (pages)', () => {
  test('recorded, the return recorded, the interview offered late asks for the reason; the summary counts it', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/missing`
    const empty = $((await agent.get(section).expect(200)).text)
    assert.equal(empty('[data-qa=no-missing]').length, 1)
    assert.equal(empty('[data-qa=record-missing]').attr('href'), `${section}/new`)

    const bad = await submitForm(agent, `${section}/new`, `${section}/new`, { ...dateFields('startedOn', '2026-11-10'), startedTime: '9pm', notes: 'Kept words' })
    assert.equal(bad.status, 400)
    assert.deepEqual(errorLinks(bad.text), ['#kind', '#startedTime'])
    assert.equal($(bad.text)('#notes').val(), 'Kept words')
    const saved = await submitForm(agent, `${section}/new`, `${section}/new`, { kind: 'missing', ...dateFields('startedOn', '2026-11-10'), startedTime: '21:00', notes: 'Did not come home from school' })
    assert.equal(saved.status, 303)
    const list = $((await agent.get(saved.headers.location as string).expect(200)).text)
    const card = list('[data-qa^=missing-]').filter((_, el) => $(list.html())(el).attr('data-qa') !== 'missing-summary')
    assert.match(card.text(), /Missing[\s\S]*10 Nov 2026, 21:00[\s\S]*Not yet back/)
    const returnPath = card.find('a').filter((_, a) => /Record the return/.test($(list.html())(a).text())).attr('href') as string
    const back = await submitForm(agent, returnPath, returnPath, { ...dateFields('returnedOn', '2026-11-11'), returnedTime: '08:30', version: '1' })
    assert.equal(back.status, 303)
    const afterReturn = $((await agent.get(section).expect(200)).text)
    assert.match(afterReturn('[data-qa^=missing-]').text(), /Return interview due by[\s\S]*14 Nov 2026, 08:30/)
    assert.match(afterReturn('[data-qa=clock-return-home-interview]').text(), /Offer a return home interview after a child was missing/)

    const interviewPath = returnPath.replace(/return$/, 'interview')
    const late = await submitForm(agent, interviewPath, interviewPath, { ...dateFields('interviewOfferedOn', '2026-11-16'), interviewAccepted: 'yes', version: '2' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.equal($(late.text)('input[name=interviewAccepted][value=yes]').attr('checked'), 'checked')
    const done = await submitForm(agent, interviewPath, interviewPath, {
      ...dateFields('interviewOfferedOn', '2026-11-16'), interviewAccepted: 'yes', lateReasonCode: 'family-unavailable', version: '2',
      ...dateFields('screenedOn', '2026-11-16'), screeningOutcome: 'no-concerns',
    })
    assert.equal(done.status, 303)
    const reopened = $((await agent.get(interviewPath).expect(200)).text)
    assert.equal(reopened('#interviewOfferedOn-day').val(), '16', 'the form opens with what is saved')
    assert.equal(reopened('input[name=screeningOutcome][value=no-concerns]').attr('checked'), 'checked')
    const summary = $((await agent.get(section).expect(200)).text)('[data-qa=missing-summary]').text()
    assert.match(summary, /Missing in the last 12 months\s*1[\s\S]*offered after the last time missing\s*Yes[\s\S]*accepted after the last time missing\s*Yes/)
  })

  test('someone who may only read the case gets no forms and is refused them', async () => {
    await world.team('missing-other', 'council')
    const worker = await world.user(['social-worker'], { team: 'missing-other' })
    const { caseId } = await world.childCase({ team: 'missing-other', worker: worker.userId })
    const reader = await world.user(['social-worker'], { team: 'assessment' })
    const agent = await signedInAgent(app, reader, PASSWORD)
    const res = await agent.get(`/cases/${caseId}/missing`)
    if (res.status === 200) assert.equal($(res.text)('[data-qa=record-missing]').length, 0)
    await agent.get(`/cases/${caseId}/missing/new`).expect(403)
  })
})

describe('missing episodes (API)', () => {
  test('POST records one already back, PUT …/interview records the offer; 422 and 409 as everywhere', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/missing-episodes`
    await agent.post(api).set('x-csrf-token', token).send({ kind: 'M', startedOn: '2026-11-02', startedTime: '10:00' }).expect(422)
    const made = await agent.post(api).set('x-csrf-token', token).send({ kind: 'away', startedOn: '2026-11-02', startedTime: '10:00', returnedOn: '2026-11-02', returnedTime: '18:00' }).expect(201)
    const id = made.body.id as string
    const read = await agent.get(api).expect(200)
    assert.deepEqual([read.body.records[0].interviewDueAt, read.body.records[0].clocks[0].dueOn, read.body.summary.awayInYear], ['2026-11-05T18:00:00.000Z', '2026-11-05', 1])
    await agent.put(`${api}/${id}/interview`).set('x-csrf-token', token).send({ version: 9, interviewOfferedOn: '2026-11-03' }).expect(409)
    const offered = await agent.put(`${api}/${id}/interview`).set('x-csrf-token', token).send({ version: 1, interviewOfferedOn: '2026-11-03', interviewAccepted: false }).expect(200)
    assert.deepEqual([offered.body.interviewOfferedOn, offered.body.interviewAccepted, offered.body.version], ['2026-11-03', false, 2])
    await agent.post(`${api}/${id}/return`).set('x-csrf-token', token).send({ version: 2, returnedOn: '2026-11-03', returnedTime: '10:00' }).expect(422)
  })

  test('the operations are in the OpenAPI document', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/cases/{caseId}/missing-episodes'].get && doc.paths['/cases/{caseId}/missing-episodes'].post)
    assert.ok(doc.paths['/cases/{caseId}/missing-episodes/{recordId}/return'].post)
    assert.ok(doc.paths['/cases/{caseId}/missing-episodes/{recordId}/interview'].put)
  })
})
