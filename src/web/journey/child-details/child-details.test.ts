/**
 * The child's details pages and API (issue 17, section 1): the details with every earlier value,
 * the change form (an error keeps what was typed, a conflict shows both versions), a new address
 * shown on the overview, and GET/PUT /api/v1/cases/{id}/child and POST .../child/addresses in the
 * OpenAPI document.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { person } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const text = (html: string, selector: string) => $(html)(selector).text().replace(/\s+/g, ' ').trim()

async function workerWithCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Sorrel', familyName: 'Fernleigh' })
  await database.db.update(person).set({ sex: 'F', address: '1 Old Lane, Demotown', postcode: 'ZZ99 1AA' }).where(eq(person.id, personId))
  return { worker, caseId, personId, agent: await signedInAgent(app, worker, PASSWORD) }
}

/** The change form's fields as the page fills them, with changes. */
async function detailsForm(agent: Awaited<ReturnType<typeof signedInAgent>>, caseId: string, changes: Record<string, string | string[]>) {
  const page = $((await agent.get(`/cases/${caseId}/details/change`).expect(200)).text)
  const fields: Record<string, string | string[]> = {}
  page('[data-qa=details-form] input[type=text], [data-qa=details-form] input:not([type]), [data-qa=details-form] input[type=hidden], [data-qa=details-form] textarea').each((_, el) => {
    const name = page(el).attr('name')
    if (name && name !== '_csrf') fields[name] = String(page(el).val() ?? '')
  })
  fields.sex = String(page('input[name=sex]:checked').val() ?? '')
  fields.ethnicity = String(page('select[name=ethnicity]').val() ?? '')
  return { ...fields, ...changes }
}

describe('the child’s details pages', () => {
  test('the overview links to the details; a change with a reason is saved and the earlier value shown with who changed it and why', async () => {
    const { worker, caseId, agent } = await workerWithCase()
    const overview = await agent.get(`/cases/${caseId}`).expect(200)
    assert.equal($(overview.text)('[data-qa=details-link]').attr('href'), `/cases/${caseId}/details`)

    const form = `/cases/${caseId}/details/change`
    const refused = await submitForm(agent, form, form, await detailsForm(agent, caseId, { familyName: 'Ashgrove', nhsNumber: '999 000 0051', upn: 'A938000000001', reason: '' }))
    assert.equal(refused.status, 400)
    const errors = $(refused.text)('.govuk-error-summary a').map((_, a) => $(refused.text)(a).attr('href')).get()
    assert.deepEqual(errors.sort(), ['#nhsNumber', '#reason', '#upn'])
    assert.equal($(refused.text)('#familyName').val(), 'Ashgrove', 'what was typed is kept')

    const saved = await submitForm(agent, form, form, await detailsForm(agent, caseId, { familyName: 'Ashgrove', gender: 'Girl', upnUnknown: 'UN1', reason: 'Name changed by deed poll (fictional)' }))
    assert.equal(saved.status, 302)
    assert.equal(saved.headers.location, `/cases/${caseId}/details?saved=details`)
    const page = await agent.get(saved.headers.location!).expect(200)
    assert.match(text(page.text, '[data-qa=saved]'), /details were saved/)
    assert.match(text(page.text, '[data-qa=detail-familyName]'), /Last name Ashgrove/)
    assert.match(text(page.text, '[data-qa=detail-gender]'), /Gender Girl/)
    assert.match(text(page.text, '[data-qa=detail-upnUnknown]'), /Why there is no UPN UN1: Child not of school age/)
    const history = text(page.text, '[data-qa=details-history]')
    assert.match(history, /Last name Fernleigh/)
    assert.match(history, new RegExp(`${worker.displayName}: Name changed by deed poll \\(fictional\\)`))
    assert.match(text(page.text, 'h1'), /Details and addresses/)
  })

  test('a change made from an old version shows both versions and saves nothing', async () => {
    const { caseId, agent } = await workerWithCase()
    const form = `/cases/${caseId}/details/change`
    const stale = await agent.get(form).expect(200)
    const fields = await detailsForm(agent, caseId, { givenName: 'Saffron', reason: 'Corrected spelling' })
    assert.equal((await submitForm(agent, form, form, fields)).status, 302)
    const conflict = await agent.post(form).type('form').send({ ...fields, givenName: 'Sorrell', sex: 'M', ethnicity: 'WIRI', _csrf: csrfFrom(stale.text) }).expect(409)
    const table = text(conflict.text, '[data-qa=conflict-table]')
    assert.match(table, /First name Sorrell Saffron/)
    // Codes read as the details page shows them, never raw.
    assert.match(table, /Sex Male Female/)
    assert.match(table, /Ethnicity White Irish Not recorded/)
    assert.match(table, /Date of birth 4 May 2016 4 May 2016/)
    assert.equal($(conflict.text)('input[name=version]').val(), '2')
  })

  test('a new address: the earlier one is kept with its dates, and the overview shows the new one', async () => {
    const { caseId, agent } = await workerWithCase()
    const form = `/cases/${caseId}/details/address`
    const page = $((await agent.get(form).expect(200)).text)
    const version = String(page('input[name=version]').val())
    const refused = await submitForm(agent, form, form, { address: '2 New Street', postcode: 'ZZ99', ...dateFields('fromDate', '2026-09-01'), reason: 'Moved', version })
    assert.equal(refused.status, 400)
    assert.match(text(refused.text, '.govuk-error-summary'), /real postcode/)
    const saved = await submitForm(agent, form, form, { address: '2 New Street\r\nDemotown', postcode: 'zz993cd', ...dateFields('fromDate', '2026-09-01'), reason: 'Moved with her mother', version })
    assert.equal(saved.status, 302)
    const details = await agent.get(saved.headers.location!).expect(200)
    const rows = $(details.text)('[data-qa=addresses] tbody tr').map((_, tr) => $(details.text)(tr).text().replace(/\s+/g, ' ').trim()).get()
    assert.equal(rows.length, 2)
    assert.match(rows[0]!, /Current\s*2 New Street\s*Demotown\s*ZZ99 3CD 1 September 2026 Now/)
    assert.match(rows[1]!, /1 Old Lane, Demotown\s*ZZ99 1AA Not known 1 September 2026/)
    const overview = await agent.get(`/cases/${caseId}`).expect(200)
    assert.match(text(overview.text, '[data-qa=summary-address]'), /2 New Street\s*Demotown\s*ZZ99 3CD/)
    assert.equal($(overview.text)('[data-qa=summary-address] br').length, 3, 'each line of the address on its own line')
  })

  test('a partner who may read the case sees the details but no way to change them, and is refused the form', async () => {
    const { caseId } = await workerWithCase()
    const reader = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await world.involve(caseId, 'school')
    const agent = await signedInAgent(app, reader, PASSWORD)
    const page = await agent.get(`/cases/${caseId}/details`).expect(200)
    assert.equal($(page.text)('[data-qa=change-details]').length, 0)
    assert.equal($(page.text)('[data-qa=new-address]').length, 0)
    await agent.get(`/cases/${caseId}/details/change`).expect(403)
    await agent.get(`/cases/${caseId}/details/address`).expect(403)
  })
})

describe('the child’s details in the API', () => {
  test('GET answers details, history and addresses; PUT changes them naming the version; POST .../addresses records a move', async () => {
    const { worker, caseId } = await workerWithCase()
    const { token } = await createApiToken(database.db, { email: worker.email, name: 'details', now: new Date() })
    const auth = { authorization: `Bearer ${token}` }
    const read = await app.agent().get(`/api/v1/cases/${caseId}/child`).set(auth).expect(200)
    assert.equal(read.body.details.givenName, 'Sorrel')
    assert.equal(read.body.details.version, 1)
    assert.deepEqual(read.body.history, [])

    const put = await app
      .agent()
      .put(`/api/v1/cases/${caseId}/child`)
      .set(auth)
      .send({ ...read.body.details, ethnicity: 'WBRI', disabilities: ['NONE'], upn: 'D938000000001', reason: 'From the school census (fictional)', version: 1 })
    assert.equal(put.status, 200, JSON.stringify(put.body))
    assert.deepEqual(put.body.changed.sort(), ['disabilities', 'ethnicity', 'upn'])
    assert.equal(put.body.details.version, 2)

    const bad = await app.agent().put(`/api/v1/cases/${caseId}/child`).set(auth).send({ ...put.body.details, upn: 'A938000000001', reason: 'x', version: 2 }).expect(422)
    assert.ok(bad.body.errors?.upn ?? JSON.stringify(bad.body).includes('upn'), JSON.stringify(bad.body))
    await app.agent().put(`/api/v1/cases/${caseId}/child`).set(auth).send({ ...put.body.details, givenName: 'Late', reason: 'x', version: 1 }).expect(409)

    const moved = await app
      .agent()
      .post(`/api/v1/cases/${caseId}/child/addresses`)
      .set(auth)
      .send({ address: '9 Api Road', postcode: 'zz99 9zz', fromDate: '2026-10-01', reason: 'Moved', version: 2 })
    assert.equal(moved.status, 201, JSON.stringify(moved.body))
    assert.equal(moved.body.address.postcode, 'ZZ99 9ZZ')
    const after = await app.agent().get(`/api/v1/cases/${caseId}/child`).set(auth).expect(200)
    assert.deepEqual(after.body.addresses.map((a: { postcode: string; toDate: string | null }) => [a.postcode, a.toDate]), [
      ['ZZ99 9ZZ', null],
      ['ZZ99 1AA', '2026-10-01'],
    ])
    assert.deepEqual(after.body.history.map((h: { field: string }) => h.field).sort(), ['disabilities', 'ethnicity', 'upn'])

    const doc = await app.agent().get('/api/v1/openapi.json').set(auth).expect(200)
    assert.ok(doc.body.paths['/cases/{caseId}/child'].get && doc.body.paths['/cases/{caseId}/child'].put)
    assert.ok(doc.body.paths['/cases/{caseId}/child/addresses'].post)
  })
})
