/**
 * Issue 15, item 18: a GET signs nobody out (GET /timed-out only leads to the explanation), and a
 * request's id in the audit log is always the server's own, never the client's X-Request-Id.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { desc, eq } from 'drizzle-orm'
import { auditEvent } from '../../../db/schema/index.ts'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('time-out and request ids', () => {
  let database: TestDatabase
  let world: World
  let app: TestApp
  before(async () => {
    ;({ database, world, app } = await openTestApp())
  })
  after(() => database.close())

  const signOuts = async (userId: string) =>
    (await database.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, userId))).filter((e) => e.action === 'auth.sign-out').length

  it('GET /timed-out does not sign a signed-in user out', async () => {
    const user = await world.user(['social-worker'])
    const agent = await signedInAgent(app, user, PASSWORD)
    const res = await agent.get('/timed-out')
    assert.equal(res.status, 302)
    assert.equal(res.headers.location, '/', 'a live session goes back home')
    assert.equal((await agent.get('/')).status, 200, 'still signed in')
    assert.equal(await signOuts(user.userId), 0, 'no sign-out was recorded')
  })

  it('GET /timed-out after the session ended explains why, on the sign-in page', async () => {
    const user = await world.user(['social-worker'])
    const agent = await signedInAgent(app, user, PASSWORD)
    const home = await agent.get('/')
    // The session ends on the server (as its idle expiry would), the browser keeps its cookies.
    await agent.post('/sign-out').type('form').send({ _csrf: csrfFrom(home.text) }).expect(302)
    await agent.get('/timed-out').expect(302).expect('location', '/sign-in')
    const other = await signedInAgent(app, user, PASSWORD)
    await database.exec(`delete from session`)
    await other.get('/timed-out').expect(302).expect('location', '/sign-in?timeout=1')
  })

  it('POST /timed-out ends the session only with the CSRF token', async () => {
    const user = await world.user(['social-worker'])
    const agent = await signedInAgent(app, user, PASSWORD)
    const home = await agent.get('/')
    await agent.post('/timed-out').expect(403)
    assert.equal((await agent.get('/')).status, 200, 'without the token nothing happened')
    await agent.post('/timed-out').set('x-csrf-token', csrfFrom(home.text)).expect(204)
    assert.equal(await signOuts(user.userId), 1)
    await agent.get('/timed-out').expect(302).expect('location', '/sign-in?timeout=1')
  })

  it('the warning dialog signs out with a POST that carries the CSRF token', async () => {
    const user = await world.user(['social-worker'])
    const agent = await signedInAgent(app, user, PASSWORD)
    const home = await agent.get('/')
    const form = $(home.text)('#timeout-dialog form')
    assert.equal(form.attr('method'), 'post')
    assert.equal(form.attr('action'), '/sign-out')
    assert.equal(form.find('input[name=_csrf]').val(), csrfFrom(home.text))
    assert.equal($(home.text)('#timeout-dialog a[href="/timed-out"]').length, 0)
  })

  it("a client's X-Request-Id is logged beside ours, never used as the audit entry's request id", async () => {
    const user = await world.user(['social-worker'])
    await world.childCase({ worker: user.userId })
    const agent = await signedInAgent(app, user, PASSWORD)
    const res = await agent.get('/').set('X-Request-Id', 'chosen-by-client')
    assert.equal(res.status, 200)
    const ours = String(res.headers['x-request-id'])
    assert.match(ours, UUID)
    const [entry] = await database.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, user.userId)).orderBy(desc(auditEvent.seq)).limit(1)
    assert.equal(entry!.action, 'case.list')
    assert.equal(entry!.requestId, ours)
    const all = await database.db.select({ id: auditEvent.requestId }).from(auditEvent).where(eq(auditEvent.requestId, 'chosen-by-client'))
    assert.equal(all.length, 0)
    const line = app.logs.text.split('\n').find((l) => l.includes(ours) && l.includes('"statusCode"'))
    assert.ok(line, 'the access log line carries our id')
    assert.equal(JSON.parse(line).req.clientRequestId, 'chosen-by-client')
    // Two requests naming the same id still get ids of their own.
    const again = await agent.get('/').set('X-Request-Id', 'chosen-by-client')
    assert.notEqual(again.headers['x-request-id'], ours)
  })

  it('a client request id that is not a plain token is not logged', async () => {
    const agent = app.agent()
    const res = await agent.get('/sign-in').set('X-Request-Id', 'x"}{"level":60')
    const line = app.logs.text.split('\n').find((l) => l.includes(String(res.headers['x-request-id'])) && l.includes('"statusCode"'))
    assert.ok(line)
    assert.equal(JSON.parse(line).req.clientRequestId, undefined)
  })
})
