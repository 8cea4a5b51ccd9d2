/**
 * Allegations (LADO) in the JSON API: the designated officer records a referral, a child, a
 * meeting and the outcome; the employer's named contact reads; everyone else is refused (403), another
 * partnership's case is 404, a stale version 409, invalid input 422; the report; the OpenAPI document.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, World } from '../../../../test/support/fixtures.ts'
import { openTestApp, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent, person } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'

let database: TestDatabase
let world: World
let app: TestApp
let officer: { email: string; userId: string }
let contact: { email: string; userId: string }

before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  await world.team('lado', 'council')
  officer = await world.user(['designated-officer'], { team: 'lado' })
  contact = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  const c = await world.childCase({ givenName: 'Linnet', familyName: 'Ladoson' })
  await database.db.update(person).set({ nhsNumber: '9990000521' }).where(eq(person.id, c.personId))
})
after(() => database.close())

async function auth(user: { email: string }) {
  const { token } = await createApiToken(database.db, { email: user.email, name: 'lado', now: new Date() })
  return { authorization: `Bearer ${token}` }
}

const referral = () => ({
  knownOn: '2026-11-13',
  referredOn: '2026-11-17',
  referralLateReasonCode: 'awaiting-agency',
  referrer: 'Head teacher',
  subjectName: 'Robin Example (fictional)',
  subjectRole: 'Sports coach',
  employerAgencyId: world.agencies.school,
  employerContactUserId: contact.userId,
  categories: ['harm', 'suitability'],
  allegation: 'Fictional allegation',
  childNhsNumber: '999 000 0521',
})

async function recorded(): Promise<string> {
  const res = await app.agent().post('/api/v1/lado-cases').set(await auth(officer)).send(referral())
  assert.equal(res.status, 201, JSON.stringify(res.body))
  return res.body.lado.id as string
}

describe('LADO in the API', () => {
  test('a case concluded after 12 months: the outcome needs exceptionalReasonCode (422 naming the due date), changed through PUT …/late-reason (timescale resolution)', async () => {
    const as = await auth(officer)
    const created = await app.agent().post('/api/v1/lado-cases').set(as).send({ ...referral(), knownOn: '2025-03-03', referredOn: '2025-03-04', referralLateReasonCode: undefined }).expect(201)
    const id = created.body.lado.id as string
    const outcome = { outcome: 'unfounded', outcomeOn: '2026-04-01', exceptionalReason: 'The criminal trial was awaited (fictional)', version: 1 }
    const refused = await app.agent().put(`/api/v1/lado-cases/${id}/outcome`).set(as).send(outcome).expect(422)
    assert.match(refused.body.errors.exceptionalReasonCode, /due by 4 March 2026/)
    const concluded = await app.agent().put(`/api/v1/lado-cases/${id}/outcome`).set(as).send({ ...outcome, exceptionalReasonCode: 'awaiting-agency' }).expect(200)
    assert.equal(concluded.body.exceptionalReasonCode, 'awaiting-agency')
    const changed = await app.agent().put(`/api/v1/lado-cases/${id}/late-reason`).set(as).send({ timescale: 'resolution', reasonCode: 'capacity', version: 2 }).expect(200)
    assert.deepEqual([changed.body.exceptionalReasonCode, changed.body.version], ['capacity', 3])
    await app.agent().put(`/api/v1/lado-cases/${id}/late-reason`).set(as).send({ timescale: 'resolution', reasonCode: 'capacity', version: 2 }).expect(409)
  })

  test('the designated officer records a referral, a child, a meeting and the outcome; lists and reads them', async () => {
    const as = await auth(officer)
    const bad = await app.agent().post('/api/v1/lado-cases').set(as).send({ subjectName: 'Only a name', categories: [] }).expect(422)
    for (const field of ['knownOn', 'subjectRole', 'categories', 'allegation']) assert.ok(bad.body.errors[field], field)
    // A late referral without its reason, as on the page.
    const noReason = await app.agent().post('/api/v1/lado-cases').set(as).send({ ...referral(), referralLateReasonCode: undefined }).expect(422)
    assert.ok(noReason.body.errors.referralLateReasonCode, JSON.stringify(noReason.body))

    const created = await app.agent().post('/api/v1/lado-cases').set(as).send(referral()).expect(201)
    const id = created.body.lado.id as string
    assert.equal(created.headers.location, `/api/v1/lado-cases/${id}`)
    assert.match(created.body.lado.reference, /^LADO-2026-\d{3}$/)
    assert.equal(created.body.referralOnTime, false)
    assert.equal(created.body.mayUpdate, true)
    assert.deepEqual(created.body.children.map((c: { name: string }) => c.name), ['Linnet Ladoson'])
    assert.ok(created.body.clocks.some((k: { id?: string; rule?: string }) => JSON.stringify(k).includes('lado-referral')))

    const child = await app.agent().post(`/api/v1/lado-cases/${id}/children`).set(as).send({ childDescription: 'A sibling, not known to Together' }).expect(201)
    assert.equal(child.headers.location, `/api/v1/lado-cases/${id}`)
    assert.deepEqual(child.body.children.map((c: { description: string | null }) => c.description), [null, 'A sibling, not known to Together'])
    await app.agent().post(`/api/v1/lado-cases/${id}/children`).set(as).send({}).expect(422)

    const meeting = await app.agent().post(`/api/v1/lado-cases/${id}/meetings`).set(as).send({ kind: 'strategy', heldOn: '2026-11-18', attendees: 'LADO, police', decisions: 'Police to lead' }).expect(201)
    assert.equal(meeting.body.decisions, 'Police to lead')
    const future = await app.agent().post(`/api/v1/lado-cases/${id}/meetings`).set(as).send({ kind: 'strategy', heldOn: '2026-12-18', attendees: 'x', decisions: 'y' }).expect(422)
    assert.ok(future.body.errors.heldOn)

    const outcome = { outcome: 'substantiated', outcomeOn: '2026-11-20', outcomeNotes: 'Referred to the DBS', version: 1 }
    await app.agent().put(`/api/v1/lado-cases/${id}/outcome`).set(as).send({ ...outcome, outcome: 'maybe' }).expect(422)
    const concluded = await app.agent().put(`/api/v1/lado-cases/${id}/outcome`).set(as).send(outcome).expect(200)
    assert.equal(concluded.body.outcome, 'substantiated')
    assert.equal(concluded.body.version, 2)
    const stale = await app.agent().put(`/api/v1/lado-cases/${id}/outcome`).set(as).send({ ...outcome, outcome: 'unfounded' }).expect(409)
    assert.match(String(stale.headers['content-type']), /^application\/problem\+json/)

    const read = await app.agent().get(`/api/v1/lado-cases/${id}`).set(as).expect(200)
    assert.equal(read.body.lado.outcome, 'substantiated')
    assert.equal(read.body.meetings.length, 1)
    const lists = await app.agent().get('/api/v1/lado-cases?list=concluded&limit=5').set(as).expect(200)
    assert.ok(lists.body.concluded.items.some((c: { id: string }) => c.id === id))
    assert.equal(lists.body.open.items.some((c: { id: string }) => c.id === id), false)
    await app.agent().get('/api/v1/lado-cases?list=nonsense').set(as).expect(422)
    const changes = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(and(eq(auditEvent.recordType, 'lado-case'), eq(auditEvent.recordId, id)))
    for (const action of ['lado-case.create', 'lado-case.child-added', 'lado-meeting.create', 'lado-case.outcome']) assert.ok(changes.some((c) => c.action === action), action)
  })

  test("the employer's named contact reads but may not change; other roles 403, another partnership 404", async () => {
    const id = await recorded()
    const asContact = await auth(contact)
    const read = await app.agent().get(`/api/v1/lado-cases/${id}`).set(asContact).expect(200)
    assert.equal(read.body.mayUpdate, false)
    assert.equal(read.body.ground, 'employer-contact')
    const listed = await app.agent().get('/api/v1/lado-cases').set(asContact).expect(200)
    assert.ok(listed.body.asContact.items.some((c: { id: string }) => c.id === id))
    await app.agent().post(`/api/v1/lado-cases/${id}/meetings`).set(asContact).send({ kind: 'strategy', heldOn: '2026-11-18', attendees: 'x', decisions: 'y' }).expect(403)
    await app.agent().put(`/api/v1/lado-cases/${id}/outcome`).set(asContact).send({ outcome: 'unfounded', outcomeOn: '2026-11-20', version: 1 }).expect(403)

    const worker = await auth(await world.user(['social-worker']))
    const refused = await app.agent().get(`/api/v1/lado-cases/${id}`).set(worker).expect(403)
    assert.doesNotMatch(refused.text, /Ladoson|Robin Example/)
    await app.agent().post('/api/v1/lado-cases').set(worker).send(referral()).expect(403)
    await app.agent().post(`/api/v1/lado-cases/${id}/children`).set(worker).send({ childDescription: 'x' }).expect(403)
    const refusals = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(and(eq(auditEvent.recordId, id), eq(auditEvent.action, 'lado-case.read.refused')))
    assert.ok(refusals.length >= 1)

    const other = await World.create(database.db)
    await other.team('lado', 'council')
    const elsewhere = await auth(await other.user(['designated-officer'], { team: 'lado' }))
    await app.agent().get(`/api/v1/lado-cases/${id}`).set(elsewhere).expect(404)
    await app.agent().put(`/api/v1/lado-cases/${id}/outcome`).set(elsewhere).send({ outcome: 'unfounded', outcomeOn: '2026-11-20', version: 1 }).expect(404)
    await app.agent().post(`/api/v1/lado-cases/${id}/meetings`).set(elsewhere).send({ kind: 'strategy', heldOn: '2026-11-18', attendees: 'x', decisions: 'y' }).expect(404)
    await app.agent().get('/api/v1/lado-cases/not-an-id').set(elsewhere).expect(404)
  })

  test('resolution against targets for a period; 422 without one; 403 without lado:report', async () => {
    await recorded()
    const report = await app.agent().get('/api/v1/lado-cases/report?from=2026-01-01&to=2026-11-20').set(await auth(officer)).expect(200)
    assert.equal(report.body.targets.length, 3)
    assert.ok(report.body.referred >= 1)
    assert.doesNotMatch(report.text, /Robin Example/)
    const bad = await app.agent().get('/api/v1/lado-cases/report?from=2026-11-20&to=2026-01-01').set(await auth(officer)).expect(422)
    assert.ok(bad.body.errors.to)
    await app.agent().get('/api/v1/lado-cases/report').set(await auth(officer)).expect(422)
    await app.agent().get('/api/v1/lado-cases/report?from=2026-01-01&to=2026-11-20').set(await auth(await world.user(['business-unit'], { team: null }))).expect(200)
    await app.agent().get('/api/v1/lado-cases/report?from=2026-01-01&to=2026-11-20').set(await auth(contact)).expect(403)
  })

  test('every operation is in the OpenAPI document', async () => {
    const { paths } = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(paths['/lado-cases'].get && paths['/lado-cases'].post?.requestBody)
    assert.ok(paths['/lado-cases/report'].get)
    assert.ok(paths['/lado-cases/{id}'].get)
    assert.ok(paths['/lado-cases/{id}/children'].post?.requestBody)
    assert.ok(paths['/lado-cases/{id}/meetings'].post?.requestBody)
    assert.ok(paths['/lado-cases/{id}/outcome'].put?.requestBody)
    assert.ok(paths['/lado-cases/{id}/late-reason'].put?.requestBody)
  })
})
