/** The authority's area page and API (administrators only): errors on their fields, then saved. */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const PATH = '/admin/authority-area'

test('the administrator sets the LA code and area on the page; errors on the fields; others refused; the API the same', async () => {
  const admin = await world.user(['administrator'])
  const agent = await signedInAgent(app, admin, PASSWORD)
  let res = await submitForm(agent, PATH, PATH, { laCode: '93', area: 'E06000123' })
  assert.equal(res.status, 400, res.text)
  let page = $(res.text)
  assert.deepEqual(page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get(), ['#laCode'])
  assert.equal(page('#laCode').val(), '93')
  res = await submitForm(agent, PATH, PATH, { laCode: '938', area: 'E06000123' })
  assert.equal(res.status, 400)
  assert.match($(res.text)('#area-error').text(), /not an area of the postcode lookup/)
  res = await submitForm(agent, PATH, PATH, { laCode: '938', area: 'E06000998' })
  assert.equal(res.status, 302, res.text)
  page = $((await agent.get(`${PATH}?saved=1`)).text)
  assert.deepEqual([page('#laCode').val(), page('#area option[selected]').val()], ['938', 'E06000998'])

  const manager = await world.user(['team-manager'])
  assert.equal((await (await signedInAgent(app, manager, PASSWORD)).get(PATH)).status, 403)

  const token = async (email: string) => `Bearer ${(await createApiToken(database.db, { email, name: 'area', now: new Date() })).token}`
  const bearer = await token(admin.email)
  const put = await app.agent().put('/api/v1/authority-area').set('authorization', bearer).send({ laCode: '939', area: 'E06000999' })
  assert.equal(put.status, 200, put.text)
  assert.deepEqual([put.body.laCode, put.body.area], ['939', 'E06000999'])
  assert.equal((await app.agent().get('/api/v1/authority-area').set('authorization', await token(manager.email))).status, 403)
})
