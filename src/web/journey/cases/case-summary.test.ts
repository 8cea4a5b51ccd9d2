/**
 * The case overview's summary at a glance and the alerts form (issue 16, item 13): the page shows
 * the summary with the alerts as a banner; the alerts form keeps what was typed on an error and
 * shows both versions on a conflict; GET /api/v1/cases/{id} answers the same summary and
 * PUT /api/v1/cases/{id}/alerts is the form's operation.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { person } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

async function workerWithCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Summer' })
  await database.db.update(person).set({ address: '2 Fictional Lane, Demotown', postcode: 'ZZ99 2BB' }).where(eq(person.id, personId))
  return { worker, caseId, agent: await signedInAgent(app, worker, PASSWORD) }
}

const text = (html: string, selector: string) => $(html)(selector).text().replace(/\s+/g, ' ').trim()

describe('the case overview summary', () => {
  test('shows the address and allocated worker, and offers to record alerts to those who may change the case', async () => {
    const { worker, caseId, agent } = await workerWithCase()
    const page = await agent.get(`/cases/${caseId}`).expect(200)
    assert.match(text(page.text, '[data-qa=summary-address]'), /2 Fictional Lane, Demotown\s*ZZ99 2BB/)
    assert.match(text(page.text, '[data-qa=summary-worker]'), new RegExp(worker.displayName))
    assert.equal($(page.text)('[data-qa=alerts]').length, 0)
    assert.equal($(page.text)('[data-qa=no-alerts] a').attr('href'), `/cases/${caseId}/alerts`)

    const reader = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await world.involve(caseId, 'school')
    const read = await (await signedInAgent(app, reader, PASSWORD)).get(`/cases/${caseId}`).expect(200)
    assert.equal($(read.text)('[data-qa=change-alerts]').length, 0, 'no link to a form the reader would be refused')
  })

  test('a restricted record says so once, in the alerts banner', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId, restricted: true })
    await world.grant(caseId, worker.userId, 'explicit-permission')
    const page = $((await (await signedInAgent(app, worker, PASSWORD)).get(`/cases/${caseId}`).expect(200)).text)
    assert.equal(page('[data-qa=alerts] [data-qa=alert-restricted] .govuk-warning-text').length, 1)
    assert.equal(page('main .govuk-warning-text').length, 1)
    assert.match(page('[data-qa=alerts]').text(), /This is a restricted record/)
  })

  test('the alerts form: an error keeps what was typed; saved, the banner shows the alerts and says they were saved', async () => {
    const { caseId, agent } = await workerWithCase()
    const form = `/cases/${caseId}/alerts`
    const tooLong = 'x'.repeat(1001)
    const refused = await submitForm(agent, form, form, { workerSafety: tooLong, communicationNeeds: 'Speaks Welsh at home.', version: '1' })
    assert.equal(refused.status, 400)
    assert.equal($(refused.text)('.govuk-error-summary a').attr('href'), '#workerSafety')
    assert.match(text(refused.text, '.govuk-error-summary'), /Risks to workers must be 1000 characters or fewer/)
    assert.equal($(refused.text)('#workerSafety').val(), tooLong)
    assert.equal($(refused.text)('#communicationNeeds').val(), 'Speaks Welsh at home.')

    const saved = await submitForm(agent, form, form, { workerSafety: 'Dog at the address: visit in pairs.', communicationNeeds: 'Speaks Welsh at home.', version: '1' })
    assert.equal(saved.status, 302)
    assert.equal(saved.headers.location, `/cases/${caseId}?saved=alerts`)
    const page = await agent.get(saved.headers.location!).expect(200)
    assert.match(text(page.text, '[data-qa=saved]'), /The alerts were saved/)
    assert.match(text(page.text, '[data-qa=alert-worker-safety]'), /Risks to workers Dog at the address: visit in pairs\./)
    assert.match(text(page.text, '[data-qa=alert-communication]'), /Language or communication needs Speaks Welsh at home\./)

    // A second save from the page read before the first: both versions shown, nothing lost.
    const stale = await agent.get(form).expect(200)
    assert.equal($(stale.text)('#workerSafety').val(), 'Dog at the address: visit in pairs.')
    assert.equal((await submitForm(agent, form, form, { workerSafety: 'Dog rehomed.', communicationNeeds: '', version: '2' })).status, 302)
    const conflict = await agent.post(form).type('form').send({ _csrf: csrfFrom(stale.text), workerSafety: 'Two dogs now.', communicationNeeds: 'Speaks Welsh at home.', version: '2' }).expect(409)
    assert.match(text(conflict.text, '[data-qa=conflict-table]'), /Risks to workers Two dogs now\. Dog rehomed\./)
    assert.equal($(conflict.text)('#workerSafety').val(), 'Two dogs now.')
    assert.equal($(conflict.text)('input[name=version]').val(), '3')
  })

  test('the API: the case read answers the summary; PUT .../alerts sets them, naming the version', async () => {
    const { worker, caseId } = await workerWithCase()
    const { token } = await createApiToken(database.db, { email: worker.email, name: 'summary', now: new Date() })
    const auth = { authorization: `Bearer ${token}` }
    const read = await app.agent().get(`/api/v1/cases/${caseId}`).set(auth).expect(200)
    assert.equal(read.body.summary.address, '2 Fictional Lane, Demotown')
    assert.deepEqual(read.body.summary.alerts, { restricted: false, workerSafety: null, communicationNeeds: null, version: 1 })
    assert.deepEqual(read.body.summary.latestNotes, { items: [], total: 0 })
    const put = await app.agent().put(`/api/v1/cases/${caseId}/alerts`).set(auth).send({ workerSafety: 'Visit in pairs.', communicationNeeds: null, version: 1 }).expect(200)
    assert.deepEqual(put.body, { workerSafety: 'Visit in pairs.', communicationNeeds: null, version: 2 })
    const stale = await app.agent().put(`/api/v1/cases/${caseId}/alerts`).set(auth).send({ workerSafety: 'Again', version: 1 }).expect(409)
    assert.match(String(stale.headers['content-type']), /application\/problem\+json/)
    const again = await app.agent().get(`/api/v1/cases/${caseId}`).set(auth).expect(200)
    assert.equal(again.body.summary.alerts.workerSafety, 'Visit in pairs.')
  })
})

describe('the case read names the version an allocation needs (issue 17)', () => {
  test('GET /api/v1/cases/{id} answers version; a team manager allocates with it', async () => {
    const manager = await world.user(['team-manager'], { team: 'assessment' })
    const worker = await world.user(['social-worker'], { team: 'assessment' })
    const { caseId } = await world.childCase({ worker: null })
    const { token } = await createApiToken(database.db, { email: manager.email, name: 'allocate', now: new Date() })
    const auth = { authorization: `Bearer ${token}` }
    const read = await app.agent().get(`/api/v1/cases/${caseId}`).set(auth).expect(200)
    assert.equal(read.body.version, 1)
    const allocated = await app.agent().post(`/api/v1/cases/${caseId}/allocation`).set(auth).send({ workerId: worker.userId, version: read.body.version })
    assert.equal(allocated.status, 200, JSON.stringify(allocated.body))
    assert.equal((await app.agent().get(`/api/v1/cases/${caseId}`).set(auth).expect(200)).body.version, allocated.body.version)
  })
})
