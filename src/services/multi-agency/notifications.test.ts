import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { notification } from '../../db/schema/index.ts'
import { deliverPendingEmails, deliveryError, EMAIL_MAX_ATTEMPTS, EMAIL_RETRY_MINUTES } from './email/delivery.ts'
import { sendEmailAgain, undeliveredEmails } from './email/undelivered.ts'
import { AccessDenied, NotFound } from '../common/context.ts'
import { LogEmailProvider, NotifyEmailProvider, emailProviderFor, type EmailMessage, type EmailProvider } from './email/provider.ts'
import { loadSignedInActor } from '../access/accounts.ts'
import { activeUsers, markRead, myNotifications, notifyUsers } from './notifications.ts'

/** The count the header shows, as the page's signed-in user is loaded. */
const unreadCount = async (db: TestDatabase['db'], userId: string) => (await loadSignedInActor(db, userId))!.unreadNotifications

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

class FakeProvider implements EmailProvider {
  readonly name = 'fake'
  sent: EmailMessage[] = []
  failFor = new Set<string>()
  async send(message: EmailMessage) {
    if (this.failFor.has(message.to)) throw new Error(`provider down, could not send to ${message.to}`)
    this.sent.push(message)
  }
}

describe('notifications', () => {
  test('each recipient gets one, sees their count, and marks only their own read', async () => {
    const sender = await world.user(['social-worker'])
    const a = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const b = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const ctx = world.ctx(sender)
    assert.equal(await notifyUsers(ctx, database.db, [a.userId, a.userId, b.userId], { kind: 'information-request', title: 'Asked', link: '/information-requests' }), 2)
    assert.equal(await unreadCount(database.db, a.userId), 1)
    const mine = await myNotifications(world.ctx(a))
    assert.equal(mine.length, 1)
    assert.equal(mine[0]!.title, 'Asked')
    // Naming someone else's notification marks nothing.
    const [theirs] = await myNotifications(world.ctx(b))
    assert.equal(await markRead(world.ctx(a), [theirs!.id]), 0)
    assert.equal(await unreadCount(database.db, b.userId), 1)
    assert.equal(await markRead(world.ctx(a)), 1)
    assert.equal(await unreadCount(database.db, a.userId), 0)
    assert.equal(await unreadCount(database.db, b.userId), 1)
  })

  test('a notification about a child’s case names the child to its recipients, once (issue 16, item 14d)', async () => {
    const sender = await world.user(['social-worker'])
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const { caseId } = await world.childCase({ givenName: 'Namely', familyName: 'Notified' })
    const ctx = world.ctx(sender)
    await notifyUsers(ctx, database.db, [partner.userId], { kind: 'conference-invitation', title: 'You have been invited to a conference', link: `/cases/${caseId}/participation`, caseId })
    await notifyUsers(ctx, database.db, [partner.userId], { kind: 'contact-added-to-case', title: 'A contact about Namely Notified was added', link: null, caseId })
    await notifyUsers(ctx, database.db, [partner.userId], { kind: 'information-request-reminder', title: 'Reminder without a case', link: null })
    const titles = (await myNotifications(world.ctx(partner))).map((n) => n.title).sort()
    assert.deepEqual(titles, ['A contact about Namely Notified was added', 'Namely Notified: You have been invited to a conference', 'Reminder without a case'])
  })

  test('active users of an agency or team, optionally by role', async () => {
    const dsl = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await world.user(['partner-practitioner'], { agency: 'police', team: null, active: false })
    const ids = await activeUsers(database.db, { agencyId: world.agencies.police! }, ['partner-practitioner'])
    assert.deepEqual(ids, [dsl.userId])
    assert.deepEqual(await activeUsers(database.db, { agencyId: world.agencies.police! }, ['social-worker']), [])
  })

  test('pending e-mails are sent once, with no personal details; a failure is tried again later, then listed for administrators', async () => {
    const sender = await world.user(['social-worker'])
    const ok = await world.user(['team-manager'])
    const broken = await world.user(['team-manager'])
    await notifyUsers(world.ctx(sender), database.db, [ok.userId, broken.userId], {
      kind: 'information-request-escalated',
      title: 'Request about Testy Childname is overdue',
      link: '/information-requests/abc',
    })
    const provider = new FakeProvider()
    provider.failFor.add(broken.email)
    const now = new Date('2026-11-20T12:00:00Z')
    const first = await deliverPendingEmails(database.db, provider, { now, baseUrl: 'https://together.example' })
    assert.ok(first.sent >= 1)
    assert.ok(first.failed >= 1)
    const toOk = provider.sent.find((m) => m.to === ok.email)!
    assert.equal(toOk.link, 'https://together.example/information-requests/abc')
    assert.doesNotMatch(`${toOk.subject} ${toOk.body}`, /Testy|Childname/, 'the e-mail does not name the child')
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000)
    const sweep = (minutes: number) => deliverPendingEmails(database.db, provider, { now: at(minutes), baseUrl: 'https://together.example' })
    assert.deepEqual(await sweep(0), { sent: 0, failed: 0 }, 'not tried again at once')
    const row = async () => (await database.db.select().from(notification).where(eq(notification.userId, broken.userId)))[0]!
    assert.equal((await row()).emailStatus, 'pending')
    assert.equal((await row()).emailAttempts, 1)
    assert.equal((await row()).emailError, 'provider down, could not send to [address]', 'the address is not kept')
    // Each wait is longer; a sweep before the wait is over leaves it alone.
    let elapsed = 0
    for (const wait of EMAIL_RETRY_MINUTES) {
      assert.deepEqual(await sweep(elapsed + wait - 0.5), { sent: 0, failed: 0 })
      elapsed += wait
      assert.deepEqual(await sweep(elapsed), { sent: 0, failed: 1 })
    }
    assert.equal((await row()).emailStatus, 'failed')
    assert.equal((await row()).emailAttempts, EMAIL_MAX_ATTEMPTS)
    assert.deepEqual(await sweep(elapsed + 24 * 60), { sent: 0, failed: 0 }, 'after the last attempt it waits for an administrator')

    const admin = await world.user(['administrator'])
    const list = await undeliveredEmails(world.ctx(admin))
    const listed = list.items.find((e) => e.recipientEmail === broken.email)!
    assert.equal(listed.attempts, EMAIL_MAX_ATTEMPTS)
    assert.match(listed.about, /overdue/i)
    assert.doesNotMatch(JSON.stringify(list), /Testy|Childname|information-requests\/abc/, 'the list names no child and links nowhere')
    await assert.rejects(undeliveredEmails(world.ctx(sender)), AccessDenied)
    await assert.rejects(sendEmailAgain(world.ctx(sender), listed.id), AccessDenied)
    await assert.rejects(sendEmailAgain(world.ctx(admin), (await database.db.select().from(notification).where(eq(notification.userId, ok.userId)))[0]!.id), NotFound, 'only an undelivered one')

    provider.failFor.clear()
    await sendEmailAgain(world.ctx(admin), listed.id)
    assert.equal((await row()).emailAttempts, 0)
    assert.deepEqual(await sweep(elapsed + 24 * 60), { sent: 1, failed: 0 })
    assert.equal((await row()).emailStatus, 'sent')
    assert.equal((await undeliveredEmails(world.ctx(admin))).items.some((e) => e.id === listed.id), false)
  })

  test('what a provider said is kept short and without the address', () => {
    const notify = { message: 'Request failed', response: { status: 400, data: { errors: [{ message: 'Can’t send to this recipient: jo@example.invalid' }] } } }
    assert.equal(deliveryError(notify, 'jo@example.invalid'), '400: Can’t send to this recipient: [address]')
    assert.equal(deliveryError(new Error('x'.repeat(400)), 'a@b').length, 300)
    assert.equal(deliveryError('plain', 'a@b'), 'plain')
  })

  test('GOV.UK Notify is used when configured, with the template and personalisation; otherwise the log', async () => {
    const calls: unknown[][] = []
    const notify = new NotifyEmailProvider(
      { apiKey: 'test-key', templateId: '7c6c7a3e-1111-4222-8333-944444444444' },
      { sendEmail: async (...args: unknown[]) => void calls.push(args) },
    )
    await notify.send({ to: 'a@example.invalid', subject: 'S', body: 'B', link: 'https://x/y', reference: 'n1' })
    assert.deepEqual(calls, [['7c6c7a3e-1111-4222-8333-944444444444', 'a@example.invalid', { personalisation: { subject: 'S', body: 'B', link: 'https://x/y' }, reference: 'n1' }]])
    const lines: unknown[] = []
    const logger = { info: (obj: unknown) => void lines.push(obj) }
    assert.equal(emailProviderFor({ notifyApiKey: undefined, notifyTemplateId: undefined }, logger).name, 'log')
    assert.equal(emailProviderFor({ notifyApiKey: 'k', notifyTemplateId: 't' }, logger).name, 'notify')
    await new LogEmailProvider(logger).send({ to: 'secret@example.invalid', subject: 'S', body: 'B', link: 'L', reference: 'n2' })
    assert.doesNotMatch(JSON.stringify(lines), /secret@example/)
  })
})
