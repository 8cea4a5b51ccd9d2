import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import express from 'express'
import supertest from 'supertest'
import type { TestDatabase } from '../../test/support/database.ts'
import { PASSWORD, World } from '../../test/support/fixtures.ts'
import { setUpNunjucks } from './common/nunjucks.ts'
import { errorHandler } from './common/middleware/errors.ts'
import { routeTable } from './common/route-table.ts'
import { isIdParam } from './common/router.ts'
import { $, createTestApp, openTestApp, csrfFrom, signIn, submitForm, type TestApp } from '../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp()))
after(() => database.close())

describe('pages, sign-in and protections', () => {
  test('/health answers JSON with the database status', async () => {
    const res = await app.agent().get('/health').expect(200)
    assert.equal(res.body.status, 'ok')
    assert.equal(res.body.database.status, 'ok')
    const ready = await app.agent().get('/health/ready').expect(200)
    assert.equal(ready.body.status, 'ok')
  })

  test('signed-out visitors are sent to sign in', async () => {
    const res = await app.agent().get('/').expect(302)
    assert.equal(res.headers.location, '/sign-in')
  })

  test('every page has a strict CSP whose nonce is the one on the inline script', async () => {
    const res = await app.agent().get('/sign-in').expect(200)
    const csp = String(res.headers['content-security-policy'])
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    assert.ok(nonce)
    assert.match(csp, /default-src 'self'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.equal($(res.text)('script').first().attr('nonce'), nonce)
    assert.equal(res.headers['cache-control'], 'no-store')
  })

  test('an empty sign-in shows the error summary linked to each field', async () => {
    const agent = app.agent()
    const res = await submitForm(agent, '/sign-in', '/sign-in', { email: '', password: '' })
    assert.equal(res.status, 400)
    const page = $(res.text)
    assert.equal(page('title').text().trim(), 'Error: Sign in – Together')
    const links = page('.govuk-error-summary a').map((_, a) => [[page(a).attr('href'), page(a).text().trim()]]).get()
    assert.deepEqual(links, [
      ['#email', 'Enter your email address'],
      ['#password', 'Enter your password'],
    ])
  })

  test('signing in opens the home page for the role; signing out ends the session', async () => {
    const worker = await world.user(['social-worker'])
    const agent = app.agent()
    const res = await signIn(agent, worker.email, PASSWORD)
    assert.equal(res.headers.location, '/')
    const home = await agent.get('/').expect(200)
    assert.match($(home.text)('h1').text(), new RegExp(`Hello, ${worker.displayName}`))
    assert.match(home.text, /Your allocated cases/)
    const out = await agent.post('/sign-out').type('form').send({ _csrf: csrfFrom(home.text) }).expect(302)
    assert.equal(out.headers.location, '/sign-in?signedOut=1')
    await agent.get('/').expect(302)
  })

  test('a form posted without its CSRF token, or with a wrong one, is refused and changes nothing', async () => {
    const worker = await world.user(['social-worker'])
    const agent = app.agent()
    await agent.get('/sign-in')
    const noToken = await agent.post('/sign-in').type('form').send({ email: worker.email, password: PASSWORD })
    assert.equal(noToken.status, 403)
    assert.match(noToken.text, /Your form could not be sent/)
    const wrong = await agent.post('/sign-in').type('form').send({ email: worker.email, password: PASSWORD, _csrf: 'forged' })
    assert.equal(wrong.status, 403)
    await agent.get('/').expect(302)
  })

  test('after the idle time the session has gone and the user is told why', async () => {
    const worker = await world.user(['social-worker'])
    const agent = app.agent()
    app.setNow(new Date())
    await signIn(agent, worker.email, PASSWORD)
    await agent.get('/').expect(200)
    app.setNow(new Date(Date.now() + (app.deps.config.sessionIdleMinutes + 1) * 60_000))
    const res = await agent.get('/').expect(302)
    assert.equal(res.headers.location, '/sign-in?timeout=1')
    const page = await agent.get(res.headers.location).expect(200)
    assert.match(page.text, /You were signed out because you had not done anything for 30 minutes/)
    app.setNow(new Date())
  })

  test('sessions are stored in the database and survive a restart of the application', async () => {
    const worker = await world.user(['social-worker'])
    const agent = app.agent()
    const res = await signIn(agent, worker.email, PASSWORD)
    const cookie = res.headers['set-cookie'] as unknown as string[]
    const restarted = await createTestApp(database)
    const home = await restarted.agent().get('/').set('Cookie', cookie.map((c) => c.split(';')[0]).join('; '))
    assert.equal(home.status, 200)
    assert.match(home.text, new RegExp(worker.displayName))
  })

  test('unknown pages are a 404 page that leaks nothing', async () => {
    const res = await app.agent().get('/no/such/page?x=<script>').expect(404)
    assert.match(res.text, /Page not found/)
    assert.doesNotMatch(res.text, /<script>|Error:|at /)
  })

  test('an unexpected error is a 500 page with a reference, and no detail', async () => {
    const mini = express()
    setUpNunjucks(mini, { noCache: false })
    mini.use((req, _res, next) => {
      ;(req as { id?: string }).id = 'req-123'
      next()
    })
    mini.get('/boom', () => {
      throw new Error('secret table person_private exploded at line 42')
    })
    mini.use(errorHandler(app.deps))
    const res = await supertest(mini).get('/boom').expect(500)
    assert.match(res.text, /Sorry, there is a problem with the service/)
    assert.match(res.text, /req-123/)
    assert.doesNotMatch(res.text, /secret|person_private|line 42/)
  })

  test('logs never contain names, emails, dates of birth or NHS numbers', async () => {
    const worker = await world.user(['social-worker'])
    const auditor = await world.user(['auditor'], { team: null })
    const { caseId } = await world.childCase({ worker: worker.userId, givenName: 'Lognamegiven', familyName: 'Lognamefamily' })
    const a = app.agent()
    await signIn(a, worker.email, PASSWORD)
    await a.get(`/cases/${caseId}`).expect(200)
    const b = app.agent()
    await signIn(b, auditor.email, PASSWORD)
    await b.get('/audit?q=Lognamefamily').expect(200)
    await submitForm(app.agent(), '/sign-in', '/sign-in', { email: worker.email, password: 'wrong password' })
    assert.ok(app.logs.text.includes(caseId), 'requests are logged')
    for (const secret of ['Lognamegiven', 'Lognamefamily', worker.email, auditor.email, '2016-05-04', '9990000050']) {
      assert.ok(!app.logs.text.includes(secret), `log contains ${secret}`)
    }
  })
})

describe('the auditor and the case pages', () => {
  test('a case page shows the child; a stranger is offered break-glass, which is flagged to the auditor', async () => {
    const worker = await world.user(['social-worker'])
    const outsider = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const auditor = await world.user(['auditor'], { team: null })
    const { caseId, personId } = await world.childCase({ worker: worker.userId, familyName: 'Glassbreak' })

    const w = app.agent()
    await signIn(w, worker.email, PASSWORD)
    const page = await w.get(`/cases/${caseId}`).expect(200)
    assert.equal($(page.text)('h1').text().trim(), 'Testy Glassbreak')

    const o = app.agent()
    await signIn(o, outsider.email, PASSWORD)
    const refused = await o.get(`/cases/${caseId}`).expect(403)
    assert.match(refused.text, /break-glass access/)
    assert.doesNotMatch(refused.text, /Glassbreak/)
    const empty = await o.post(`/cases/${caseId}/break-glass`).type('form').send({ _csrf: csrfFrom(refused.text), reason: '' })
    assert.equal(empty.status, 400)
    assert.match($(empty.text)('.govuk-error-summary').text(), /Explain why you need to see this record/)
    await o.post(`/cases/${caseId}/break-glass`).type('form').send({ _csrf: csrfFrom(empty.text), reason: 'Police called at 2am' }).expect(302)
    const opened = await o.get(`/cases/${caseId}`).expect(200)
    assert.match(opened.text, /break-glass access/)

    const au = app.agent()
    await signIn(au, auditor.email, PASSWORD)
    const search = await au.get('/audit?q=glassbreak').expect(200)
    assert.equal($(search.text)(`a[href="/audit/people/${personId}"]`).length, 1)
    const history = await au.get(`/audit/people/${personId}`).expect(200)
    const rows = $(history.text)('tbody tr').map((_, tr) => $(history.text)(tr).text().replace(/\s+/g, ' ').trim()).get()
    assert.ok(rows.some((r) => r.includes(outsider.displayName) && r.includes('Break-glass') && r.includes('Police called at 2am')))
    assert.ok(rows.some((r) => r.includes(worker.displayName) && r.includes('Viewed the case') && r.includes('as the child’s allocated worker')))
  })

  test('the access log is for auditors only', async () => {
    const worker = await world.user(['social-worker'])
    const agent = app.agent()
    await signIn(agent, worker.email, PASSWORD)
    const res = await agent.get('/audit?q=anyone').expect(403)
    assert.match(res.text, /You cannot see this page/)
  })
})

describe('the timescales page', () => {
  test('lists every rule with its limit, editions and source, and the editions with their dates', async () => {
    const worker = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const agent = app.agent()
    await signIn(agent, worker.email, PASSWORD)
    const res = await agent.get('/timescales').expect(200)
    const page = $(res.text)
    const icpc = page('#rule-icpc').text().replace(/\s+/g, ' ')
    assert.match(icpc, /15 working days/)
    assert.match(icpc, /2006, 2010, 2013, 2015, 2018, 2023, 2026/)
    const assessment = page('[id="rule-assessment"]').text().replace(/\s+/g, ' ')
    assert.match(assessment, /45 working days/)
    assert.doesNotMatch(assessment, /2006|2010/)
    assert.match(page('table').last().text(), /15 April 2013/)
  })
})

describe('local timescales', () => {
  test('an administrator sets one; bad input is explained and nothing is saved; the timescales page shows it', async () => {
    const other = await World.create(database.db)
    const admin = await other.user(['administrator'], { team: null })
    const agent = app.agent()
    await signIn(agent, admin.email, PASSWORD)
    const bad = await submitForm(agent, '/admin/local-rules', '/admin/local-rules', {
      version: '1',
      'coreGroupCadence-limit': 'six',
      'coreGroupCadence-unit': 'weeks',
    })
    assert.equal(bad.status, 400)
    assert.match($(bad.text)('.govuk-error-summary a[href="#coreGroupCadence-limit"]').text(), /enter a whole number from 1 to 999/)
    assert.equal($(bad.text)('#coreGroupCadence-limit').val(), 'six', 'what was typed is kept')
    const ok = await submitForm(agent, '/admin/local-rules', '/admin/local-rules', {
      version: '1',
      'coreGroupCadence-limit': '6',
      'coreGroupCadence-unit': 'weeks',
      'firstCoreGroup-limit': '',
      'firstCoreGroup-unit': 'working-days',
    })
    assert.equal(ok.status, 302)
    const rules = await agent.get('/timescales').expect(200)
    assert.match($(rules.text)('#rule-core-group').text().replace(/\s+/g, ' '), /6 weeks ?set by the partnership \(default 4 weeks\)/)
    const worker = await world.user(['social-worker'])
    const w = app.agent()
    await signIn(w, worker.email, PASSWORD)
    await w.get('/admin/local-rules').expect(403)
  })
})

describe('the JSON API', () => {
  test('needs a session, answers problem documents, checks CSRF and validates bodies', async () => {
    const anon = await app.agent().get('/api/v1/agencies').expect(401)
    assert.equal(anon.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal(anon.body.status, 401)

    const admin = await world.user(['administrator'], { team: null })
    const agent = app.agent()
    await signIn(agent, admin.email, PASSWORD)
    const me = await agent.get('/api/v1/me').expect(200)
    const token = me.body.csrfToken as string

    await agent.post('/api/v1/agencies').send({ name: 'API Police', type: 'police' }).expect(403)
    const invalid = await agent.post('/api/v1/agencies').set('x-csrf-token', token).send({ name: '', type: 'martians' }).expect(422)
    assert.deepEqual(Object.keys(invalid.body.errors).sort(), ['name', 'type'])
    const created = await agent.post('/api/v1/agencies').set('x-csrf-token', token).send({ name: 'API Police', type: 'police' }).expect(201)
    assert.equal(created.body.name, 'API Police')
    assert.equal(created.headers.location, `/api/v1/agencies/${created.body.id}`)
    const conflict = await agent
      .put(`/api/v1/agencies/${created.body.id}`)
      .set('x-csrf-token', token)
      .send({ name: 'API Police 2', type: 'police', version: 7 })
      .expect(409)
    assert.equal(conflict.body.title, 'Conflict')
    const dup = await agent.post('/api/v1/agencies').set('x-csrf-token', token).send({ name: 'api police', type: 'police' }).expect(422)
    assert.equal(dup.body.errors.name, 'An agency with this name already exists')
    await agent.get('/api/v1/nothing-here').expect(404)
  })

  test('a case read through the API goes through the same policy', async () => {
    const worker = await world.user(['social-worker'])
    const stranger = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const { caseId } = await world.childCase({ worker: worker.userId })
    const a = app.agent()
    await signIn(a, worker.email, PASSWORD)
    assert.equal((await a.get(`/api/v1/cases/${caseId}`).expect(200)).body.ground, 'allocated-worker')
    const b = app.agent()
    await signIn(b, stranger.email, PASSWORD)
    const refused = await b.get(`/api/v1/cases/${caseId}`).expect(403)
    assert.equal(refused.body.title, 'Forbidden')
  })
})

describe('route parameters', () => {
  test('every page route that names a record by id answers 404 to an id that is not a UUID', async () => {
    const admin = await world.user(['administrator', 'social-worker', 'team-manager', 'business-unit'])
    const agent = app.agent()
    await signIn(agent, admin.email, PASSWORD)
    const csrf = csrfFrom((await agent.get('/').expect(200)).text)
    const routes = routeTable(app.app).filter((r) => !r.path.startsWith('/api/') && [...r.path.matchAll(/:(\w+)/g)].some((m) => isIdParam(m[1]!)))
    assert.ok(routes.length > 100, `only ${routes.length} routes with ids`)
    const wrong: string[] = []
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => (isIdParam(name) ? 'not-a-uuid' : 'x'))
      const res = route.method === 'GET' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: csrf })
      if (res.status !== 404) wrong.push(`${route.method} ${route.path}: ${res.status}`)
    }
    assert.deepEqual(wrong, [])
  })
})
