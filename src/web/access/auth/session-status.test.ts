import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { session } from '../../../db/schema/index.ts'
import { openTestApp, signIn, type TestApp } from '../../../../test/support/web.ts'
import { SESSION_COOKIE } from '../../app.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp()))
after(() => database.close())

const sessionCookieOf = (setCookie: string[] | string | undefined) =>
  [setCookie ?? []].flat().find((c) => c.startsWith(`${SESSION_COOKIE}=`))

test('GET /session/status says how long the session has left, without extending it', async () => {
  const start = new Date()
  app.setNow(start)
  const user = await world.user(['social-worker'])
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  const idle = app.deps.config.sessionIdleMinutes * 60

  const first = await agent.get('/session/status').expect(200)
  assert.equal(first.body.signedIn, true)
  assert.ok(Math.abs(first.body.secondsLeft - idle) <= 5, `secondsLeft ${first.body.secondsLeft}`)
  assert.equal(first.headers['cache-control'], 'no-store')
  // Any other request rolls the session (a new cookie expiry); the status does not.
  assert.ok(sessionCookieOf((await agent.get('/').expect(200)).headers['set-cookie']), 'a page renews the session cookie')
  assert.equal(sessionCookieOf(first.headers['set-cookie']), undefined, 'the status renewed the session cookie')

  const [row] = await database.db.select().from(session).where(eq(session.userId, user.userId))
  app.setNow(new Date(start.getTime() + 10 * 60_000))
  const later = await agent.get('/session/status').expect(200)
  assert.ok(Math.abs(later.body.secondsLeft - (idle - 600)) <= 5, `10 minutes on: ${later.body.secondsLeft}`)
  const [unchanged] = await database.db.select().from(session).where(eq(session.userId, user.userId))
  assert.equal(unchanged!.expiresAt.getTime(), row!.expiresAt.getTime(), 'the stored expiry moved')

  // Once the idle time has passed, the session has ended.
  app.setNow(new Date(start.getTime() + (idle + 60) * 1000))
  assert.deepEqual((await agent.get('/session/status').expect(200)).body, { signedIn: false, secondsLeft: 0 })
  app.setNow(start)
})

test('no session, a session without a user, a forged cookie, or a signed-out session: not signed in', async () => {
  app.setNow(new Date())
  assert.deepEqual((await app.agent().get('/session/status').expect(200)).body, { signedIn: false, secondsLeft: 0 })

  // Visiting a page that needs sign-in makes a session (to remember the page) but signs nobody in.
  const anonymous = app.agent()
  await anonymous.get('/audit').expect(302)
  assert.deepEqual((await anonymous.get('/session/status').expect(200)).body, { signedIn: false, secondsLeft: 0 })

  const user = await world.user(['social-worker'])
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  const [row] = await database.db.select().from(session).where(eq(session.userId, user.userId))
  const forged = await app
    .agent()
    .get('/session/status')
    .set('cookie', `${SESSION_COOKIE}=${encodeURIComponent(`s:${row!.sid}.not-the-signature`)}`)
    .expect(200)
  assert.equal(forged.body.signedIn, false)
  const unsigned = await app.agent().get('/session/status').set('cookie', `${SESSION_COOKIE}=${row!.sid}`).expect(200)
  assert.equal(unsigned.body.signedIn, false)

  assert.equal((await agent.get('/session/status').expect(200)).body.signedIn, true)
  const page = await agent.get('/').expect(200)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!
  await agent.post('/sign-out').type('form').send({ _csrf: csrf }).expect(302)
  assert.equal((await agent.get('/session/status').expect(200)).body.signedIn, false)
})
