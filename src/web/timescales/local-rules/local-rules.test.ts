import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { partnership } from '../../../db/schema/index.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp()))
after(() => database.close())

const stored = async () => {
  const [row] = await database.db.select({ localRules: partnership.localRules }).from(partnership).where(eq(partnership.id, world.partnershipId))
  return row!.localRules as Record<string, unknown>
}

/** The fields a browser sends for the page's form as shown: inputs, selected options, checked radios. */
function shownFields(html: string): Record<string, string> {
  const page = $(html)
  const fields: Record<string, string> = {}
  page('#form input').each((_, el) => {
    const input = page(el)
    const type = input.attr('type') ?? 'text'
    if ((type === 'radio' || type === 'checkbox') && input.attr('checked') === undefined) return
    fields[input.attr('name')!] = String(input.val() ?? '')
  })
  page('#form select').each((_, el) => {
    fields[page(el).attr('name')!] = String(page(el).find('option[selected]').val() ?? page(el).find('option').first().val())
  })
  return fields
}

test('the local timescales page sets whether closing an episode needs a manager, and saving keeps every setting it does not change', async () => {
  const admin = await world.user(['administrator'], { team: null })
  await database.db
    .update(partnership)
    .set({ localRules: { episodeClosureAuthorisation: true, section11Cycle: { limit: 12 } } })
    .where(eq(partnership.id, world.partnershipId))
  const agent = await signedInAgent(app, admin, PASSWORD)

  const page = await agent.get('/admin/local-rules').expect(200)
  const legend = $(page.text)('legend').filter((_, el) => $(page.text)(el).text().includes('Closing an episode needs a manager’s authorisation'))
  assert.equal(legend.length, 1, 'the setting has a labelled control')
  const shown = shownFields(page.text)
  assert.equal(shown.episodeClosureAuthorisation, 'yes', 'the stored setting is shown')

  // Change one limit and save the form as shown: the episode setting is kept.
  const saved = await agent.post('/admin/local-rules').type('form').send({ ...shown, 'coreGroupCadence-limit': '6', 'coreGroupCadence-unit': 'weeks' })
  assert.equal(saved.status, 302)
  assert.deepEqual(await stored(), {
    episodeClosureAuthorisation: true,
    section11Cycle: { limit: 12, unit: 'months' },
    coreGroupCadence: { limit: 6, unit: 'weeks' },
  })

  // A form without the control (a page that does not show it) changes nothing it does not send.
  const again = shownFields((await agent.get('/admin/local-rules').expect(200)).text)
  const { episodeClosureAuthorisation: _left, ...withoutIt } = again
  await agent.post('/admin/local-rules').type('form').send({ ...withoutIt, 'coreGroupCadence-limit': '' }).expect(302)
  assert.deepEqual(await stored(), { episodeClosureAuthorisation: true, section11Cycle: { limit: 12, unit: 'months' } })

  // Turning it off through the page.
  const third = shownFields((await agent.get('/admin/local-rules').expect(200)).text)
  await agent.post('/admin/local-rules').type('form').send({ ...third, episodeClosureAuthorisation: 'no' }).expect(302)
  assert.equal((await stored()).episodeClosureAuthorisation, false)
  const refused = await agent.post('/admin/local-rules').type('form').send({ ...shownFields((await agent.get('/admin/local-rules')).text), episodeClosureAuthorisation: 'maybe' })
  assert.equal(refused.status, 400)
})

test('the API reads the local rules and changes only the settings it is sent', async () => {
  const admin = await world.user(['administrator'], { team: null })
  await database.db.update(partnership).set({ localRules: { episodeClosureAuthorisation: true, firstCoreGroup: { limit: 5 } } }).where(eq(partnership.id, world.partnershipId))
  const agent = await signedInAgent(app, admin, PASSWORD)
  const csrf = (await agent.get('/api/v1/me')).body.csrfToken as string

  const read = await agent.get('/api/v1/local-rules').expect(200)
  assert.equal(read.body.settings.episodeClosureAuthorisation, true)
  const changed = await agent
    .patch('/api/v1/local-rules')
    .set('x-csrf-token', csrf)
    .send({ version: read.body.version, changes: { coreGroupCadence: { limit: 6, unit: 'weeks' }, firstCoreGroup: null } })
  assert.equal(changed.status, 200)
  assert.deepEqual(changed.body.overrides, { episodeClosureAuthorisation: true, coreGroupCadence: { limit: 6, unit: 'weeks' } })

  const stale = await agent.patch('/api/v1/local-rules').set('x-csrf-token', csrf).send({ version: read.body.version, changes: { episodeClosureAuthorisation: false } })
  assert.equal(stale.status, 409)
  const unknown = await agent.patch('/api/v1/local-rules').set('x-csrf-token', csrf).send({ version: changed.body.version, changes: { bedtime: { limit: 1 } } })
  assert.equal(unknown.status, 422)

  const worker = await world.user(['social-worker'])
  const workerAgent = await signedInAgent(app, worker, PASSWORD)
  assert.equal((await workerAgent.get('/api/v1/local-rules').expect(200)).body.settings.episodeClosureAuthorisation, true, 'everyone reads them')
  const refused = await workerAgent
    .patch('/api/v1/local-rules')
    .set('x-csrf-token', (await workerAgent.get('/api/v1/me')).body.csrfToken)
    .send({ version: changed.body.version, changes: { episodeClosureAuthorisation: false } })
  assert.equal(refused.status, 403)
})

test('the format of the LA child IDs is a local rule: shown and changed on the page and through the API, checked, and used for the next child', async () => {
  const admin = await world.user(['administrator'], { team: null })
  await database.db.update(partnership).set({ localRules: { section11Cycle: { limit: 12 } } }).where(eq(partnership.id, world.partnershipId))
  const agent = await signedInAgent(app, admin, PASSWORD)

  const page = await agent.get('/admin/local-rules').expect(200)
  assert.equal($(page.text)('label[for=laChildIdFormat]').text().trim(), 'Format of the LA child IDs Together gives')
  assert.match($(page.text)('#laChildIdFormat-hint').text(), /C#######/, 'the default is named')
  const shown = shownFields(page.text)
  assert.equal(shown.laChildIdFormat, '', 'no format of its own yet')

  const refused = await agent.post('/admin/local-rules').type('form').send({ ...shown, laChildIdFormat: 'C-##' })
  assert.equal(refused.status, 400)
  assert.match($(refused.text)('#laChildIdFormat-error').text(), /one run of at least four #/)
  assert.equal($(refused.text)('#laChildIdFormat').val(), 'C-##', 'what was typed is kept')
  assert.deepEqual(await stored(), { section11Cycle: { limit: 12 } }, 'nothing saved')

  await agent.post('/admin/local-rules').type('form').send({ ...shown, laChildIdFormat: ' NS###### ' }).expect(302)
  assert.equal((await stored()).laChildIdFormat, 'NS######')
  assert.equal(shownFields((await agent.get('/admin/local-rules').expect(200)).text).laChildIdFormat, 'NS######')

  const csrf = (await agent.get('/api/v1/me').expect(200)).body.csrfToken
  const read = await agent.get('/api/v1/local-rules').expect(200)
  assert.equal(read.body.settings.laChildIdFormat, 'NS######')
  assert.equal(read.body.defaults.laChildIdFormat, 'C#######')
  const bad = await agent.patch('/api/v1/local-rules').set('x-csrf-token', csrf).send({ version: read.body.version, changes: { laChildIdFormat: '##' } })
  assert.equal(bad.status, 422)
  const reset = await agent.patch('/api/v1/local-rules').set('x-csrf-token', csrf).send({ version: read.body.version, changes: { laChildIdFormat: null } }).expect(200)
  assert.equal(reset.body.settings.laChildIdFormat, 'C#######')
  assert.equal('laChildIdFormat' in reset.body.overrides, false)
})
