import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, openTestApp, signedInAgent, submitForm, dateFields, type TestApp } from '../../../../test/support/web.ts'
import { errorForLog } from '../../../logger.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
})
after(() => database.close())

/** Distinctive synthetic values that must never reach a log line. */
const SECRET = {
  givenName: 'Quillonmere',
  familyName: 'Vartexbury',
  dateOfBirth: '2017-03-19',
  nhsNumber: '9990000034',
  title: 'Brackenwhistle visit',
  body: 'Said her uncle Ozymandrel hurt her arm',
}

describe('the server log when a query fails', () => {
  test('holds the error class and database code, never the values of the request', async () => {
    // A database that refuses these rows the way PostgreSQL does, quoting the values it refused.
    await database.db.execute(sql.raw(`
      CREATE FUNCTION refuse_for_log_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused %', row_to_json(NEW) USING DETAIL = row_to_json(NEW)::text, ERRCODE = 'check_violation', CONSTRAINT = 'log_test_refusal'; END $$`))
    await database.db.execute(sql.raw(`CREATE TRIGGER refuse_person BEFORE INSERT ON person FOR EACH ROW WHEN (NEW.given_name = '${SECRET.givenName}') EXECUTE FUNCTION refuse_for_log_test()`))
    await database.db.execute(sql.raw(`CREATE TRIGGER refuse_note BEFORE INSERT ON case_note FOR EACH ROW EXECUTE FUNCTION refuse_for_log_test()`))

    const frontDoor = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const before = app.logs.text.length

    // The JSON API
    const api = await signedInAgent(app, frontDoor, PASSWORD)
    const token = (await api.get('/api/v1/me').expect(200)).body.csrfToken as string
    const created = await api.post('/api/v1/people').set('x-csrf-token', token)
      .send({ givenName: SECRET.givenName, familyName: SECRET.familyName, dateOfBirth: SECRET.dateOfBirth, sex: 'F', nhsNumber: SECRET.nhsNumber, disabilities: ['NONE'] })
    assert.equal(created.status, 500)

    // A page's form
    const pages = await signedInAgent(app, worker, PASSWORD)
    const form = `/cases/${caseId}/notes/new`
    const saved = await submitForm(pages, form, form, { kind: 'note', ...dateFields('occurredOn', '2026-11-19'), title: SECRET.title, body: SECRET.body })
    assert.equal(saved.status, 500)

    const log = app.logs.text.slice(before)
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; err?: { type: string; code?: string; constraint?: string; cause?: { code?: string } } })
    const failures = lines.filter((l) => l.msg === 'unhandled error')
    assert.equal(failures.length, 2, 'each failure is logged')
    for (const secret of [...Object.values(SECRET), 'Ozymandrel', 'Brackenwhistle', SECRET.familyName.toLowerCase()]) {
      assert.ok(!log.includes(secret), `the log holds ${secret}`)
    }
    for (const f of failures) {
      const code = f.err?.code ?? f.err?.cause?.code
      assert.equal(code, '23514', 'with the PostgreSQL error code')
      assert.match(JSON.stringify(f.err), /log_test_refusal/, 'and the constraint')
      assert.match(JSON.stringify(f.err), / {4}at /, 'and the stack frames')
    }
  })

  test('an error logged directly keeps no message, however it is passed', () => {
    const err = new Error('Failed query: insert into person\nparams: Quillonmere,Vartexbury')
    Object.assign(err, { code: '22P02', cause: Object.assign(new TypeError('invalid input "Quillonmere"'), { code: 'XX000' }) })
    const logged = JSON.stringify(errorForLog(err))
    assert.doesNotMatch(logged, /Quillonmere|Vartexbury|Failed query/)
    assert.match(logged, /22P02/)
    assert.match(logged, /TypeError/)
    assert.match(logged, /errors\.test\.ts/, 'the stack frames stay')
  })
})

describe('malformed requests are 400s, never 500s', () => {
  test('/admin/local-rules: a version that is not a number, a repeated field', async () => {
    const admin = await world.user(['administrator'], { team: null })
    const agent = await signedInAgent(app, admin, PASSWORD)
    const token = csrfFrom((await agent.get('/admin/local-rules').expect(200)).text)
    const notNumber = await agent.post('/admin/local-rules').type('form').send({ _csrf: token, version: 'abc', 'coreGroupCadence-limit': '10', 'coreGroupCadence-unit': 'working-days' })
    assert.equal(notNumber.status, 400)
    assert.match($(notNumber.text)('.govuk-error-summary').text(), /reload the page/)
    const repeated = await agent.post('/admin/local-rules').type('form')
      .send(`_csrf=${encodeURIComponent(token)}&version=1&coreGroupCadence-limit=1&coreGroupCadence-limit=2&coreGroupCadence-unit=weeks`)
    assert.equal(repeated.status, 400)
    assert.match($(repeated.text)('.govuk-error-summary').text(), /sent more than once/)
    const repeatedToken = await agent.post('/admin/local-rules').type('form').send(`_csrf=${encodeURIComponent(token)}&_csrf=x&version=1`)
    assert.equal(repeatedToken.status, 403)
  })

  test('bodies that cannot be read: a problem document on the API, an error page for pages', async () => {
    const frontDoor = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const agent = await signedInAgent(app, frontDoor, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const cases: [string, string, string, number][] = [
      ['application/json', '{"givenName": "Quill', 'a truncated JSON body', 400],
      ['application/json; charset=latin9', '{}', 'an unknown charset', 415],
      ['application/json', `{"a":"${'x'.repeat(1_100_000)}"}`, 'a body over the limit', 413],
    ]
    for (const [type, body, what, status] of cases) {
      const api = await agent.post('/api/v1/people').set('x-csrf-token', token).set('content-type', type).send(body)
      assert.equal(api.status, status, what)
      assert.match(api.headers['content-type']!, /application\/problem\+json/, what)
      const page = await agent.post('/contacts/new/children').set('x-csrf-token', token).set('content-type', type).send(body)
      assert.equal(page.status, status, what)
      assert.match($(page.text)('h1').text(), /could not be read/, what)
    }
  })
})
