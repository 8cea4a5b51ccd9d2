/**
 * Sessions end at their absolute lifetime however active they are (issue 15, item 11), and sign-in
 * failures are limited in the database with the same words for addresses with and without accounts
 * (items 9, 10). A request reads its session and its user in one query, and keeps neither (item 28).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import { countingStatements, type TestDatabase } from '../../../../test/support/database.ts'
import { appUser, auditEvent } from '../../../db/schema/index.ts'
import { FIXED_NOW, openTestWorld, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, createTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ({ database, world } = await openTestWorld())
  app = await createTestApp(database, { TOGETHER_SESSION_MAX_HOURS: '1', TOGETHER_SIGN_IN_ADDRESS_MAX_FAILURES: '10' })
  app.setNow(FIXED_NOW)
})
after(() => database.close())

const minutes = (n: number) => new Date(FIXED_NOW.getTime() + n * 60_000)

describe('session lifetime', () => {
  test('an active session ends at its absolute lifetime, and the sign-in page says it timed out', async () => {
    const user = await world.user(['social-worker'])
    app.setNow(FIXED_NOW)
    const agent = app.agent()
    await signIn(agent, user.email, PASSWORD)
    // A request every 20 minutes keeps the 30-minute idle time-out away.
    for (const m of [20, 40, 59]) {
      app.setNow(minutes(m))
      await agent.get('/').expect(200)
    }
    app.setNow(minutes(61))
    const res = await agent.get('/')
    assert.equal(res.status, 302)
    assert.equal(res.headers.location, '/sign-in?timeout=1')
    app.setNow(minutes(62))
    await agent.get('/').expect(302)
  })
})

describe('sign-in failures', () => {
  test('the lock-out message is the same for an address with an account and one without; the network limit is a 429 with the time to wait', async () => {
    const user = await world.user(['social-worker'])
    app.setNow(minutes(200))
    const messages = async (email: string) => {
      const out: string[] = []
      for (let i = 0; i < 5; i++) {
        const res = await submitForm(app.agent(), '/sign-in', '/sign-in', { email, password: `wrong ${i}` })
        out.push(`${res.status} ${$(res.text)('.govuk-error-summary').text().replace(/\s+/g, ' ').trim()}`)
      }
      return out
    }
    const known = await messages(user.email)
    assert.match(known[4]!, /^401 .*too many failed attempts to sign in with this email address/)
    assert.deepEqual(await messages('no-such-person@test.together.invalid'), known)
    // 10 failures from this address so far, the limit: the next attempt is refused, even with the right password.
    const limited = await submitForm(app.agent(), '/sign-in', '/sign-in', { email: user.email, password: PASSWORD })
    assert.equal(limited.status, 429)
    assert.match(limited.text, /too many failed sign-in attempts from your network/)
    assert.equal(limited.headers['retry-after'], String(15 * 60))
  })
})

describe('changing your own password', () => {
  test('needs the current password and a strong new one; ends the user’s other sessions, not this one', async () => {
    const user = await world.user(['social-worker'])
    app.setNow(minutes(400))
    const here = app.agent()
    const elsewhere = app.agent()
    await signIn(here, user.email, PASSWORD)
    await signIn(elsewhere, user.email, PASSWORD)
    const home = await here.get('/').expect(200)
    assert.equal($(home.text)('[data-qa=change-password-link]').attr('href'), '/account/password')

    const change = (fields: Record<string, string>) => submitForm(here, '/account/password', '/account/password', fields)
    const wrong = await change({ currentPassword: 'not my password', newPassword: 'tide lantern orbit 57', confirmPassword: 'tide lantern orbit 57' })
    assert.equal(wrong.status, 400)
    assert.match(wrong.text, /Your current password is not right/)
    const weak = await change({ currentPassword: PASSWORD, newPassword: 'aaaaaaaaaaaaaaaa', confirmPassword: 'aaaaaaaaaaaaaaaa' })
    assert.equal(weak.status, 400)
    assert.match(weak.text, /too easy to guess/)
    const done = await change({ currentPassword: PASSWORD, newPassword: 'tide lantern orbit 57', confirmPassword: 'tide lantern orbit 57' })
    assert.equal(done.status, 302)
    await here.get('/').expect(200)
    assert.equal((await elsewhere.get('/')).status, 302, 'the other session has ended')
    await signIn(app.agent(), user.email, 'tide lantern orbit 57')
  })

  test('wrong current passwords count towards the lock-out as at sign-in, and lock the account at the limit', async () => {
    const user = await world.user(['social-worker'])
    app.setNow(minutes(500))
    const here = app.agent()
    await signIn(here, user.email, PASSWORD)
    const change = (currentPassword: string) =>
      submitForm(here, '/account/password', '/account/password', { currentPassword, newPassword: 'tide lantern orbit 58', confirmPassword: 'tide lantern orbit 58' })
    for (let i = 1; i < 5; i++) {
      const wrong = await change(`not my password ${i}`)
      assert.equal(wrong.status, 400)
      assert.match(wrong.text, /Your current password is not right/)
    }
    const fifth = await change('not my password 5')
    assert.equal(fifth.status, 400)
    assert.match(fifth.text, /too many wrong passwords for your account, so it is locked/)
    // Locked exactly as at sign-in: the right password changes nothing and does not sign in.
    const right = await change(PASSWORD)
    assert.match(right.text, /it is locked/)
    const signInLocked = await submitForm(app.agent(), '/sign-in', '/sign-in', { email: user.email, password: PASSWORD })
    assert.equal(signInLocked.status, 401)
    assert.match(signInLocked.text, /too many failed attempts to sign in with this email address/)
    const [row] = await database.db.select().from(appUser).where(eq(appUser.id, user.userId))
    assert.ok(row!.lockedUntil && row!.lockedUntil > minutes(500))
    const locks = await database.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, user.userId), eq(auditEvent.action, 'auth.account-locked')))
    assert.equal(locks.length, 1)
    // After the lock-out time the right password works again, and the count starts afresh.
    app.setNow(minutes(516))
    await signIn(app.agent(), user.email, PASSWORD)
  })
})

describe('the session and its user, read together', () => {
  test('a signed-in request reads its session and its user in one query', async () => {
    const counting = countingStatements(database)
    const counted = await createTestApp({ ...database, db: counting.db }, { TOGETHER_SESSION_MAX_HOURS: '1' })
    counted.setNow(minutes(300))
    const user = await world.user(['social-worker'])
    const agent = counted.agent()
    await signIn(agent, user.email, PASSWORD)
    counting.statements.length = 0
    await agent.get('/api/v1/me').expect(200)
    const reads = counting.statements.filter((s) => /from "(session|app_user)"/.test(s))
    assert.equal(reads.length, 1, `one query reads the session and its user, not:\n${reads.join('\n')}`)
  })

  test('nothing is kept between requests: a deactivation or a change of roles counts from the next request', async () => {
    const user = await world.user(['social-worker', 'team-manager'])
    app.setNow(minutes(400))
    const agent = app.agent()
    await signIn(agent, user.email, PASSWORD)
    assert.deepEqual((await agent.get('/api/v1/me').expect(200)).body.roles.sort(), ['social-worker', 'team-manager'])
    await database.db.update(appUser).set({ roles: ['social-worker'] }).where(eq(appUser.id, user.userId))
    assert.deepEqual((await agent.get('/api/v1/me').expect(200)).body.roles, ['social-worker'])
    await database.db.update(appUser).set({ active: false }).where(eq(appUser.id, user.userId))
    await agent.get('/api/v1/me').expect(401)
    await agent.get('/').expect(302)
  })
})
