/**
 * The A&E status check (issue 16, item 15): the answer repeats who was found so the clinician can
 * confirm the match, and gives the authority's day-time and out-of-hours contacts, which the
 * partnership's administrator sets on a page and through the API. The check is audited once.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent, lookedAfterPeriod, person, plan } from '../../../db/schema/index.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ({ database, world, app } = await openTestApp())
  await world.agency('trust', 'health-trust')
})
after(() => database.close())

const textOf = (html: string, qa: string) => $(html)(`[data-qa=${qa}]`).text().replace(/\s+/g, ' ')

test('the administrator sets the day-time and out-of-hours contacts; the check shows them and the child found', async () => {
  const admin = await world.user(['administrator'], { team: null })
  const worker = await world.user(['social-worker'])
  const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
  const child = await world.childCase({ worker: worker.userId, givenName: 'Confirmy', familyName: 'Matchwell' })
  await database.db.update(person).set({ nhsNumber: '9990000093' }).where(eq(person.id, child.personId))
  await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId: child.caseId, kind: 'child-protection', startedOn: '2026-09-01', recordedBy: worker.userId })

  const adminAgent = await signedInAgent(app, admin, PASSWORD)
  const council = world.agencies.council!
  const page = await adminAgent.get('/admin/authority-contacts').expect(200)
  const version = $(page.text)(`[data-qa=authority-${council}] input[name=version]`).val()
  const bad = await submitForm(adminAgent, '/admin/authority-contacts', `/admin/authority-contacts/${council}`, { version: String(version), phone: '01632 960100', email: 'not an address' })
  assert.equal(bad.status, 400)
  assert.match(bad.text, /Enter the day-time email address like/)
  const saved = await submitForm(adminAgent, '/admin/authority-contacts', `/admin/authority-contacts/${council}`, {
    version: String(version),
    phone: '01632 960100',
    email: 'duty@council.invalid',
    hours: 'Monday to Friday, 9am to 5pm',
    outOfHoursPhone: '01632 960999',
    outOfHoursEmail: 'edt@council.invalid',
  })
  assert.equal(saved.status, 302)
  const stale = await submitForm(adminAgent, '/admin/authority-contacts', `/admin/authority-contacts/${council}`, { version: String(version), phone: '01632 960555' })
  assert.equal(stale.status, 409, 'a change made from the version read before the save is refused')
  const read = await adminAgent.get(`/api/v1/authority-contacts/${council}`).expect(200)
  assert.equal(read.body.phone, '01632 960100')
  const put = await adminAgent
    .put(`/api/v1/authority-contacts/${council}`)
    .set('x-csrf-token', (await adminAgent.get('/api/v1/me')).body.csrfToken)
    .send({ ...read.body, phone: '01632 960555' })
  assert.equal(put.status, 200)
  assert.equal(put.body.phone, '01632 960555')
  assert.equal(put.body.outOfHoursPhone, '01632 960999')
  await (await signedInAgent(app, worker, PASSWORD)).get('/admin/authority-contacts').expect(403)

  const clinicianAgent = await signedInAgent(app, clinician, PASSWORD)
  const answer = await submitForm(clinicianAgent, '/cp-status', '/cp-status', { nhsNumber: '999 000 0093', setting: 'Test ED' })
  assert.equal(answer.status, 200)
  const found = textOf(answer.text, 'cp-status-child')
  assert.match(found, /999 000 0093/)
  assert.match(found, /Confirmy Matchwell/)
  assert.match(found, /4 May 2016/)
  const authority = textOf(answer.text, 'cp-status-authority')
  assert.match(authority, /Day-time telephone 01632 960555/)
  assert.match(authority, /Day-time hours Monday to Friday, 9am to 5pm/)
  assert.match(authority, /Out of hours telephone 01632 960999/)
  assert.match(authority, /Out of hours email edt@council.invalid/)
  const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'cp-status.check'), eq(auditEvent.actorUserId, clinician.userId)))
  assert.equal(entries.length, 1)

  const none = await submitForm(clinicianAgent, '/cp-status', '/cp-status', { nhsNumber: '999 000 0085' })
  assert.equal($(none.text)('[data-qa=cp-status-child]').length, 0, 'no child is named when there is no status')
})

test('a child on a plan and looked after: the page and the API report both (issue 17)', async () => {
  const worker = await world.user(['social-worker'])
  const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
  const child = await world.childCase({ worker: worker.userId, givenName: 'Twofold' })
  await database.db.update(person).set({ nhsNumber: '9990000166' }).where(eq(person.id, child.personId))
  await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId: child.caseId, kind: 'child-protection', startedOn: '2026-08-01', recordedBy: worker.userId })
  await database.db.insert(lookedAfterPeriod).values({ partnershipId: world.partnershipId, caseId: child.caseId, startedOn: '2026-10-01', legalStatus: 'V2', recordedBy: worker.userId })
  const agent = await signedInAgent(app, clinician, PASSWORD)
  const page = await submitForm(agent, '/cp-status', '/cp-status', { nhsNumber: '999 000 0166' })
  assert.deepEqual($(page.text)('[data-qa=cp-status-flag]').map((_, e) => $(page.text)(e).text()).get(), [
    'This child has a child protection plan (since 1 August 2026)',
    'This child is looked after (since 1 October 2026)',
  ])
  const api = await agent.post('/api/v1/cp-status-checks').set('x-csrf-token', (await agent.get('/api/v1/me')).body.csrfToken).send({ nhsNumber: '9990000166' })
  assert.equal(api.status, 200, JSON.stringify(api.body))
  assert.deepEqual(api.body.statuses.map((s: { status: string }) => s.status), ['child-protection-plan', 'looked-after'])
})
