/**
 * The carers pages and API (issue 19): a social worker lists and adds carers (errors in the summary,
 * what was typed kept); only a manager sees and uses the edit form, a stale version is shown as a
 * conflict; another partnership's carer is a 404; the API does the same.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'
import { createCarer } from '../../../services/care/carers.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

test('a social worker adds a carer: errors in the summary, nothing typed lost; listed by name with counts; no edit form', async () => {
  const worker = await world.user(['social-worker'])
  const agent = await signedInAgent(app, worker, PASSWORD)
  let res = await submitForm(agent, '/care/carers/new', '/care/carers/new', { name: 'Sycamore household (test)', kind: '', urn: 'SC-1' })
  assert.equal(res.status, 400, res.text)
  let page = $(res.text)
  assert.deepEqual(page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get(), ['#kind', '#urn'])
  assert.deepEqual([page('#name').val(), page('#urn').val()], ['Sycamore household (test)', 'SC-1'])
  res = await submitForm(agent, '/care/carers/new', '/care/carers/new', { name: 'Sycamore household (test)', kind: 'foster', urn: 'sc800001' })
  assert.equal(res.status, 302, res.text)
  const location = res.headers.location as string
  assert.match(location, /^\/care\/carers\/[0-9a-f-]{36}\?added=1$/)
  page = $((await agent.get(location).expect(200)).text)
  assert.match(page('[data-qa=carer-details]').text(), /SC800001/)
  assert.equal(page('[data-qa=carer-form]').length, 0, 'no edit form for a social worker')
  assert.equal((await submitForm(agent, location, location.replace(/\?.*/, ''), { name: 'X', kind: 'foster', urn: '', version: '1' })).status, 403)

  page = $((await agent.get('/care/carers').expect(200)).text)
  const row = page('[data-qa=carers] tbody tr').filter((_, tr) => page(tr).text().includes('Sycamore household (test)'))
  assert.deepEqual(row.find('td').map((_, td) => page(td).text().trim()).get(), ['Sycamore household (test)', 'Foster carer (in-house or agency)', 'SC800001', '0', '0'])
  assert.equal(row.find('a').attr('href'), location.replace(/\?.*/, ''))
})

test('a manager corrects a carer; a stale version is a conflict with what was typed kept; another partnership’s carer is a 404', async () => {
  const manager = await world.user(['team-manager'])
  const carer = await createCarer(world.ctx(manager), { name: 'Poplar household (test)', kind: 'foster', urn: null })
  const path = `/care/carers/${carer.id}`
  const agent = await signedInAgent(app, manager, PASSWORD)
  let res = await submitForm(agent, path, path, { name: '', kind: 'foster', urn: '', version: '1' })
  assert.equal(res.status, 400)
  assert.deepEqual($(res.text)('.govuk-error-summary a').map((_, a) => $(res.text)(a).attr('href')).get(), ['#name'])
  res = await submitForm(agent, path, path, { name: 'Poplar Lane household (test)', kind: 'foster-connected', urn: 'XXXXXXX', version: '1' })
  assert.equal(res.status, 302, res.text)
  let page = $((await agent.get(`${path}?saved=1`).expect(200)).text)
  assert.deepEqual([page('h1').text(), page('#kind option[selected]').val(), page('#urn').val(), page('input[name=version]').val()], ['Poplar Lane household (test)', 'foster-connected', 'XXXXXXX', '2'])

  res = await submitForm(agent, path, path, { name: 'Stale name (test)', kind: 'foster', urn: '', version: '1' })
  assert.equal(res.status, 409, res.text)
  page = $(res.text)
  assert.equal(page('[data-qa=edit-conflict]').length, 1)
  assert.deepEqual([page('#name').val(), page('input[name=version]').val()], ['Stale name (test)', '2'], 'what was typed kept, to save over version 2')

  const other = await World.create(database.db)
  const stranger = await other.user(['team-manager'])
  const theirs = await signedInAgent(app, stranger, PASSWORD)
  assert.equal((await theirs.get(path)).status, 404)
  assert.equal((await submitForm(theirs, '/care/carers', path, { name: 'Taken (test)', kind: 'foster', urn: '', version: '2' })).status, 404)
  assert.equal((await theirs.get('/care/carers/not-a-uuid')).status, 404)
  assert.equal((await (await signedInAgent(app, await world.user(['performance-analyst']), PASSWORD)).get('/care/carers')).status, 403)
})

test('the API lists, adds, reads and corrects carers; a stale version is 409; another partnership’s a 404', async () => {
  const token = async (email: string) => `Bearer ${(await createApiToken(database.db, { email, name: 'carers', now: new Date() })).token}`
  const worker = await token((await world.user(['social-worker'])).email)
  const manager = await token((await world.user(['team-manager'])).email)
  const api = () => app.agent()
  let res = await api().post('/api/v1/carers').set('authorization', worker).send({ name: 'Alder house (test)', kind: 'childrens-home', urn: 'SC12' })
  assert.equal(res.status, 422, res.text)
  assert.match(res.body.errors.urn, /6 to 8 letters and digits/)
  res = await api().post('/api/v1/carers').set('authorization', worker).send({ name: 'Alder house (test)', kind: 'childrens-home', urn: 'SC800002' })
  assert.equal(res.status, 201, res.text)
  const id = res.body.id as string
  assert.deepEqual([res.body.placedNow, res.body.placedEver, res.body.version], [0, 0, 1])
  assert.ok(((await api().get('/api/v1/carers').set('authorization', worker).expect(200)).body as { id: string }[]).some((c) => c.id === id))
  assert.equal((await api().get(`/api/v1/carers/${id}`).set('authorization', worker).expect(200)).body.name, 'Alder house (test)')
  assert.equal((await api().put(`/api/v1/carers/${id}`).set('authorization', worker).send({ name: 'Alder', kind: 'childrens-home', urn: null, version: 1 })).status, 403)
  res = await api().put(`/api/v1/carers/${id}`).set('authorization', manager).send({ name: 'Alder House (test)', kind: 'childrens-home', urn: 'SC800003', version: 1 })
  assert.equal(res.status, 200, res.text)
  assert.deepEqual([res.body.name, res.body.urn, res.body.version], ['Alder House (test)', 'SC800003', 2])
  assert.equal((await api().put(`/api/v1/carers/${id}`).set('authorization', manager).send({ name: 'Stale', kind: 'childrens-home', urn: null, version: 1 })).status, 409)

  const other = await World.create(database.db)
  const stranger = await token((await other.user(['team-manager'])).email)
  assert.equal((await api().get(`/api/v1/carers/${id}`).set('authorization', stranger)).status, 404)
  assert.equal((await api().put(`/api/v1/carers/${id}`).set('authorization', stranger).send({ name: 'Taken', kind: 'foster', urn: null, version: 2 })).status, 404)
  const doc = (await api().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> }
  assert.deepEqual(Object.keys(doc.paths['/carers'] ?? {}).sort(), ['get', 'post'])
  assert.deepEqual(Object.keys(doc.paths['/carers/{carerId}'] ?? {}).sort(), ['get', 'put'])
})
