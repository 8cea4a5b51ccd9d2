/**
 * The administrators' page and API of e-mails that could not be sent: listed with why (the
 * recipient and kind, never the notification's title), sent again from the page or the API, and
 * refused to anyone else.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, apiClient, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { notification } from '../../../db/schema/index.ts'
import { notifyUsers } from '../../../services/multi-agency/notifications.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

describe('e-mails that could not be sent', () => {
  test('an administrator sees them with why, and sends one again from the page or the API; others are refused', async () => {
    const worker = await world.user(['social-worker'])
    const recipient = await world.user(['team-manager'])
    for (const kind of ['information-request-escalated', 'information-request-reminder'] as const) {
      await notifyUsers(world.ctx(worker), database.db, [recipient.userId], { kind, title: 'About Testy Childname', link: '/information-requests/x' })
    }
    const [first] = await database.db.select().from(notification).where(eq(notification.userId, recipient.userId))
    await database.db
      .update(notification)
      .set({ emailStatus: 'failed', emailAttempts: 5, emailError: '400: Can’t send to this recipient: [address]', emailedAt: FIXED_NOW })
      .where(eq(notification.userId, recipient.userId))

    const admin = await world.user(['administrator'])
    const agent = await signedInAgent(app, admin, PASSWORD)
    assert.match((await agent.get('/').expect(200)).text, /href="\/admin\/emails"/, 'the administrator’s home page links to it')
    const page = $((await agent.get('/admin/emails').expect(200)).text)
    const rows = page('[data-qa=undelivered-emails] tbody tr')
    assert.equal(rows.length, 2)
    assert.match(rows.first().text(), new RegExp(recipient.email.replace('.', '\\.')))
    assert.match(rows.first().text(), /Can’t send to this recipient: \[address\]/)
    assert.match(rows.first().text(), /5 attempts/)
    assert.doesNotMatch(page('main').text(), /Testy|Childname/, 'no child named')

    const sent = await submitForm(agent, '/admin/emails', `/admin/emails/${first!.id}/send-again`, {})
    assert.equal(sent.status, 302)
    assert.equal(sent.headers.location, '/admin/emails?queued=1')
    assert.match((await agent.get('/admin/emails?queued=1').expect(200)).text, /will be sent again/)
    const [queued] = await database.db.select().from(notification).where(eq(notification.id, first!.id))
    assert.deepEqual([queued!.emailStatus, queued!.emailAttempts], ['pending', 0])

    const api = await apiClient(app, admin, PASSWORD)
    const listed = (await api.get('/admin/undelivered-emails').expect(200)).body as { total: number; items: { id: string; error: string }[] }
    assert.equal(listed.total, 1)
    assert.deepEqual((await api.post(`/admin/undelivered-emails/${listed.items[0]!.id}/send-again`, {}).expect(200)).body, { queued: true })
    await api.post(`/admin/undelivered-emails/${listed.items[0]!.id}/send-again`, {}).expect(404)

    const other = await signedInAgent(app, worker, PASSWORD)
    await other.get('/admin/emails').expect(403)
    await (await apiClient(app, worker, PASSWORD)).get('/admin/undelivered-emails').expect(403)
  })
})
