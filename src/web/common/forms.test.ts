/**
 * Text the database cannot store (a NUL character, an unpaired surrogate) is refused with a field
 * message by the shared form parsing and the API builder, and a value that slips past them to the
 * database is a 400, never a 500.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { z } from 'zod'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../../../test/support/fixtures.ts'
import { $, csrfFrom, dateFields, openTestApp, signedInAgent, type TestApp } from '../../../test/support/web.ts'
import { parseForm } from './forms.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
})
after(() => database.close())

const NUL = 'Quill\u0000onmere'
const LONE_SURROGATE = 'Quill\uD800onmere'

describe('text that cannot be stored', () => {
  test('the shared form parsing refuses it on its field, alongside the schema’s own messages', () => {
    const schema = z.object({ title: z.string(), note: z.string().min(1, 'Enter the note'), tags: z.array(z.string()) })
    for (const bad of [NUL, LONE_SURROGATE, '\uDC00']) {
      const parsed = parseForm(schema, { title: bad, note: '', tags: ['ok', bad] })
      assert.equal(parsed.ok, false)
      if (parsed.ok) continue
      assert.match(parsed.errors.fields.title!, /cannot be saved/)
      assert.match(parsed.errors.fields.tags!, /cannot be saved/)
      assert.equal(parsed.errors.fields.note, 'Enter the note')
    }
    assert.equal(parseForm(schema, { title: 'A 👍 surrogate pair is fine', note: 'x', tags: [] }).ok, true)
  })

  test('a page form answers 400 with the field message', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const form = `/cases/${caseId}/notes/new`
    const page = await agent.get(form).expect(200)
    const res = await agent.post(form).type('form')
      .send({ _csrf: csrfFrom(page.text), kind: 'note', ...dateFields('occurredOn', '2026-11-19'), title: NUL, body: 'Text' })
    assert.equal(res.status, 400)
    assert.match($(res.text)('#title-error').text(), /cannot be saved/)
    // A form body cannot carry a lone surrogate: its bytes (ED A0 80) are not UTF-8 and are read as U+FFFD.
    const encoded = await agent.post(form).type('form')
      .send(`_csrf=${encodeURIComponent(csrfFrom(page.text))}&kind=note&occurredOn-day=19&occurredOn-month=11&occurredOn-year=2026&title=%ED%A0%80&body=%00`)
    assert.equal(encoded.status, 400)
    assert.match($(encoded.text)('#body-error').text(), /cannot be saved/)
  })

  test('a page that reads its form by hand, and so lets a NUL reach the database, answers 400', async () => {
    const outsider = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const { caseId } = await world.childCase()
    const agent = await signedInAgent(app, outsider, PASSWORD)
    const refused = await agent.get(`/cases/${caseId}`).expect(403)
    const res = await agent.post(`/cases/${caseId}/break-glass`).type('form').send({ _csrf: csrfFrom(refused.text), reason: `Police called at 2am ${NUL}` })
    assert.equal(res.status, 400)
    assert.match($(res.text)('h1').text(), /could not be read/)
  })

  test('the JSON API answers 422 with the field, in a body and in a query', async () => {
    const frontDoor = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const agent = await signedInAgent(app, frontDoor, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    for (const bad of [NUL, LONE_SURROGATE]) {
      const res = await agent.post('/api/v1/people').set('x-csrf-token', token).set('content-type', 'application/json')
        .send(JSON.stringify({ givenName: bad, familyName: 'Vartexbury', dateOfBirth: '2017-03-19', sex: 'F', disabilities: ['NONE'] }))
      assert.equal(res.status, 422, JSON.stringify(res.body))
      assert.match(res.headers['content-type']!, /application\/problem\+json/)
      assert.match(res.body.errors.givenName, /cannot be saved/)
    }
    const query = await agent.get('/api/v1/people?familyName=Vart%00exbury')
    assert.equal(query.status, 422)
    assert.match(query.body.errors.familyName, /cannot be saved/)
  })
})
