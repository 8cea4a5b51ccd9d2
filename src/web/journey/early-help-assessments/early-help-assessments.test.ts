/**
 * Early help assessments (issue 17 §7), pages and API: recorded from the case's plans section (the
 * organisation an agency or one outside the partnership), a refusal keeps what was typed, the
 * completion recorded later; the API lists, records and completes one (422, 409 as everywhere).
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

describe('early help assessments (pages)', () => {
  test('linked from the plans page; recorded, refused with what was typed kept, completed later', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const section = `/cases/${caseId}/early-help-assessments`
    const plans = $((await agent.get(`/cases/${caseId}/plans`).expect(200)).text)
    assert.equal(plans('[data-qa=early-help-assessments-link]').attr('href'), section)
    const empty = $((await agent.get(section).expect(200)).text)
    assert.equal(empty('[data-qa=no-early-help-assessments]').length, 1)
    assert.equal(empty('[data-qa=record-early-help-assessment]').attr('href'), `${section}/new`)

    const typed = { ...dateFields('startedOn', '2026-11-02'), ...dateFields('completedOn', '2026-11-01'), agencyId: '', otherOrganisation: '', summary: 'Words kept' }
    const refused = await submitForm(agent, `${section}/new`, `${section}/new`, typed)
    assert.equal(refused.status, 400)
    assert.deepEqual(errorLinks(refused.text).sort(), ['#agencyId', '#completedOn-day'])
    assert.equal($(refused.text)('#summary').val(), 'Words kept')
    assert.equal($(refused.text)('#completedOn-day').val(), '01')

    const saved = await submitForm(agent, `${section}/new`, `${section}/new`, { ...typed, 'completedOn-day': '', 'completedOn-month': '', 'completedOn-year': '', otherOrganisation: 'Riverside Family Hub' })
    assert.equal(saved.status, 303)
    const list = $((await agent.get(saved.headers.location as string).expect(200)).text)
    const card = list('[data-qa^=early-help-assessment-]')
    assert.match(card.text(), /2 November 2026[\s\S]*Not yet completed[\s\S]*Riverside Family Hub \(outside the partnership\)[\s\S]*Words kept/)
    const completion = card.find('a').filter((_, a) => /Record the completion/.test($(list.html())(a).text())).attr('href') as string
    assert.match(completion, /\/completion$/)

    const future = await submitForm(agent, completion, completion, { ...dateFields('completedOn', '2026-12-01'), version: '1' })
    assert.equal(future.status, 400)
    assert.deepEqual(errorLinks(future.text), ['#completedOn-day'])
    const done = await submitForm(agent, completion, completion, { ...dateFields('completedOn', '2026-11-19'), version: '1' })
    assert.equal(done.status, 303)
    const after = $((await agent.get(section).expect(200)).text)
    assert.match(after('[data-qa^=early-help-assessment-]').text(), /Completed[\s\S]*19 November 2026/)
    assert.match($((await agent.get(`/cases/${caseId}/plans`).expect(200)).text)('[data-qa=plans-early-help-assessments]').text(), /Riverside Family Hub: completed 19 November 2026/)
    const chronology = $((await agent.get(`/cases/${caseId}/chronology`).expect(200)).text)
    assert.match(chronology('main').text(), /Early help assessment started[\s\S]*Early help assessment completed/)
  })

  test('someone who may only read the case gets no forms and is refused them', async () => {
    await world.team('eh-other', 'council')
    const worker = await world.user(['social-worker'], { team: 'eh-other' })
    const { caseId } = await world.childCase({ team: 'eh-other', worker: worker.userId })
    const reader = await world.user(['social-worker'], { team: 'assessment' })
    const agent = await signedInAgent(app, reader, PASSWORD)
    const res = await agent.get(`/cases/${caseId}/early-help-assessments`)
    if (res.status === 200) assert.equal($(res.text)('[data-qa=record-early-help-assessment]').length, 0)
    await agent.get(`/cases/${caseId}/early-help-assessments/new`).expect(403)
  })
})

describe('early help assessments (API)', () => {
  test('POST records one, PUT …/completion completes it at the version read; GET lists them', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/early-help-assessments`
    const bad = await agent.post(api).set('x-csrf-token', token).send({ startedOn: '2026-11-02', summary: 'Needs' }).expect(422)
    assert.ok(bad.body.errors.agencyId)
    const made = await agent.post(api).set('x-csrf-token', token).send({ startedOn: '2026-11-02', agencyId: world.agencies.school, summary: 'Needs' }).expect(201)
    const id = made.body.id as string
    assert.match(made.body.organisation, /^school /)
    await agent.put(`${api}/${id}/completion`).set('x-csrf-token', token).send({ version: 1, completedOn: '2026-11-01' }).expect(422)
    await agent.put(`${api}/${id}/completion`).set('x-csrf-token', token).send({ version: 4, completedOn: '2026-11-10' }).expect(409)
    const done = await agent.put(`${api}/${id}/completion`).set('x-csrf-token', token).send({ version: 1, completedOn: '2026-11-10' }).expect(200)
    assert.deepEqual([done.body.completedOn, done.body.version], ['2026-11-10', 2])
    const read = await agent.get(api).expect(200)
    assert.deepEqual(read.body.assessments.map((a: { id: string; completedOn: string }) => [a.id, a.completedOn]), [[id, '2026-11-10']])

    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    const path = doc.paths['/cases/{caseId}/early-help-assessments']
    assert.ok(path.get && path.post['x-case-action'] === 'case:update')
    assert.equal(doc.paths['/cases/{caseId}/early-help-assessments/{assessmentId}/completion'].put['x-case-action'], 'case:update')
  })
})
