/**
 * The child death notification (issue 17 §3), page and API: the clock started by the date of
 * death links from the case's clocks to its page; late, the page asks for the coded reason (what
 * was typed kept); the API reads and records it.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { changeChildDetails, childDetails } from '../../../services/journey/child-details.ts'
import { childDetailsInput } from '../../../services/journey/child-details-input.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

async function deadChild(dateOfDeath: string) {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const ctx = world.ctx(worker)
  const { details } = await childDetails(ctx, caseId)
  await changeChildDetails(ctx, caseId, childDetailsInput.parse({ ...details, sex: details.sex ?? 'F', dateOfDeath, reason: 'Told by the hospital (fictional).' }))
  return { worker, caseId }
}

const errorLinks = (html: string) => $(html)('.govuk-error-summary a').map((_, a) => $(html)(a).attr('href')).get()

describe('the child death notification', () => {
  test('(page) linked from the case’s clocks; late asks for the coded reason; recorded once', async () => {
    const { worker, caseId } = await deadChild('2026-11-10')
    const agent = await signedInAgent(app, worker, PASSWORD)
    const overview = $((await agent.get(`/cases/${caseId}`).expect(200)).text)
    const path = `/cases/${caseId}/child-death-notification`
    assert.equal(overview('[data-qa=death-notification-link]').attr('href'), path)
    const late = await submitForm(agent, path, path, { ...dateFields('notifiedOn', '2026-11-16'), lateReason: 'Kept' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.equal($(late.text)('#lateReason').val(), 'Kept')
    const saved = await submitForm(agent, path, path, { ...dateFields('notifiedOn', '2026-11-16'), lateReasonCode: 'capacity', lateReason: 'Two vacancies' })
    assert.equal(saved.status, 303)
    const after = $((await agent.get(saved.headers.location as string).expect(200)).text)
    assert.match(after('[data-qa=death-notification]').text(), /Completed late[\s\S]*16 November 2026/)
    assert.equal(after('[data-qa=death-notification-form]').length, 0)
  })

  test('(API) GET the clock, PUT the notification: 422 without a code when late, 200 with one', async () => {
    const { worker, caseId } = await deadChild('2026-11-10')
    const agent = await signedInAgent(app, worker, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/child-death-notification`
    const read = await agent.get(api).expect(200)
    assert.deepEqual([read.body.clock.rule, read.body.clock.dueOn, read.body.clock.state], ['cdop-notification', '2026-11-12', 'overdue'])
    const refused = await agent.put(api).set('x-csrf-token', token).send({ notifiedOn: '2026-11-13' }).expect(422)
    assert.match(JSON.stringify(refused.body), /lateReasonCode/)
    const done = await agent.put(api).set('x-csrf-token', token).send({ notifiedOn: '2026-11-13', lateReasonCode: 'new-information' }).expect(200)
    assert.equal(done.body.state, 'completed-late')
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/cases/{caseId}/child-death-notification'].put)
  })
})

describe('the pre-birth conference’s local rule', () => {
  test('is on the local timescales page and set through the local-rules API (default 28 weeks)', async () => {
    const admin = await world.user(['administrator'], { team: null })
    const agent = await signedInAgent(app, admin, PASSWORD)
    const page = $((await agent.get('/admin/local-rules').expect(200)).text)
    assert.match(page('label[for="prebirthConference-limit"]').text() + page('#form').text(), /Pre-birth child protection conference/)
    const csrf = (await agent.get('/api/v1/me')).body.csrfToken as string
    const read = await agent.get('/api/v1/local-rules').expect(200)
    assert.deepEqual(read.body.defaults.prebirthConference, { limit: 28, unit: 'weeks' })
    const changed = await agent.patch('/api/v1/local-rules').set('x-csrf-token', csrf).send({ version: read.body.version, changes: { prebirthConference: { limit: 30 } } }).expect(200)
    assert.deepEqual(changed.body.settings.prebirthConference, { limit: 30, unit: 'weeks' })
    await agent.patch('/api/v1/local-rules').set('x-csrf-token', csrf).send({ version: changed.body.version, changes: { prebirthConference: null } }).expect(200)
  })
})
