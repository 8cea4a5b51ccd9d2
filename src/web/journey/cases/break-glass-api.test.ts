/**
 * Breaking the glass through the JSON API (POST /api/v1/cases/{caseId}/break-glass): the same
 * service as the page, so the same reason is demanded, the same grant and audit entry are written,
 * the auditor's break-glass list shows it, and the policy's refusals answer 403 or 404.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { csrfFrom, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { accessGrant, auditEvent } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'
import { BREAK_GLASS_HOURS } from '../../../services/journey/cases.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const REASON = 'Police call out of hours about this child'

async function tokenOf(user: { email: string }) {
  const { token } = await createApiToken(database.db, { email: user.email, name: 'break-glass', now: new Date() })
  return { authorization: `Bearer ${token}` }
}

const grantsOf = (caseId: string, userId: string) =>
  database.db.select().from(accessGrant).where(and(eq(accessGrant.caseId, caseId), eq(accessGrant.userId, userId), eq(accessGrant.kind, 'break-glass')))

const breakGlassEntries = (caseId: string, userId: string) =>
  database.db
    .select({ action: auditEvent.action, ground: auditEvent.ground, reason: auditEvent.reason, breakGlass: auditEvent.breakGlass, subject: auditEvent.subjectPersonId })
    .from(auditEvent)
    .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, userId), eq(auditEvent.action, 'case.break-glass')))

describe('breaking the glass in the API', () => {
  test('a worker with no relationship gives a reason: 201, the same grant and audit entry as the page, and the auditor sees it', async () => {
    const { caseId, personId } = await world.childCase({ team: 'front-door' })
    const worker = await world.user(['social-worker'])
    const auth = await tokenOf(worker)
    await app.agent().get(`/api/v1/cases/${caseId}`).set(auth).expect(403)

    // The same reason is demanded as on the page.
    const short = await app.agent().post(`/api/v1/cases/${caseId}/break-glass`).set(auth).send({ reason: '  urgent   ' }).expect(422)
    assert.equal(short.body.errors.reason, 'Explain why you need to see this record (at least 10 characters)')
    const none = await app.agent().post(`/api/v1/cases/${caseId}/break-glass`).set(auth).send({}).expect(422)
    assert.ok(none.body.errors.reason)
    assert.equal((await grantsOf(caseId, worker.userId)).length, 0)

    const res = await app.agent().post(`/api/v1/cases/${caseId}/break-glass`).set(auth).send({ reason: `  ${REASON} ` }).expect(201)
    assert.equal(res.headers.location, `/api/v1/cases/${caseId}`)
    assert.equal(res.body.granted, true)
    assert.equal(res.body.reason, REASON)
    assert.equal(res.body.endsAt, new Date(FIXED_NOW.getTime() + BREAK_GLASS_HOURS * 3600_000).toISOString())
    const [grant] = await grantsOf(caseId, worker.userId)
    assert.equal(grant?.reason, REASON)
    assert.deepEqual(await breakGlassEntries(caseId, worker.userId), [{ action: 'case.break-glass', ground: 'break-glass', reason: REASON, breakGlass: true, subject: personId }])

    // The case is now open to them, flagged.
    const read = await app.agent().get(`/api/v1/cases/${caseId}`).set(auth).expect(200)
    assert.equal(read.body.breakGlass, true)

    // The page writes the same entry: a second worker breaks the glass on the page.
    const other = await world.user(['social-worker'])
    const agent = await signedInAgent(app, other, PASSWORD)
    const csrf = csrfFrom((await agent.get('/').expect(200)).text)
    await agent.post(`/cases/${caseId}/break-glass`).type('form').send({ _csrf: csrf, reason: REASON }).expect(302)
    assert.deepEqual(await breakGlassEntries(caseId, other.userId), await breakGlassEntries(caseId, worker.userId))

    // The auditor's break-glass list (the API's and so the page's) shows the API's use.
    const auditor = await world.user(['auditor'], { team: null })
    const list = await app.agent().get('/api/v1/audit/break-glass').set(await tokenOf(auditor)).expect(200)
    const listed = (list.body.items as { action: string; recordId: string; reason: string; actorEmail: string }[]).filter((e) => e.recordId === caseId && e.action === 'case.break-glass')
    assert.deepEqual(listed.map((e) => [e.actorEmail, e.reason]).sort(), [[other.email, REASON], [worker.email, REASON]].sort())
  })

  test('someone who may already read the case: 200, granted false, no grant and no break-glass entry', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const res = await app.agent().post(`/api/v1/cases/${caseId}/break-glass`).set(await tokenOf(worker)).send({ reason: REASON }).expect(200)
    assert.deepEqual(res.body, { caseId, granted: false })
    assert.equal((await grantsOf(caseId, worker.userId)).length, 0)
    assert.deepEqual(await breakGlassEntries(caseId, worker.userId), [])
  })

  test('refusals: a role that may not break the glass 403; a restricted record, another partnership and a bad id 404; never naming the child', async () => {
    const { caseId } = await world.childCase({ familyName: 'Glassward' })
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const refused = await app.agent().post(`/api/v1/cases/${caseId}/break-glass`).set(await tokenOf(partner)).send({ reason: REASON }).expect(403)
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/)
    assert.doesNotMatch(refused.text, /Glassward/)
    assert.equal((await grantsOf(caseId, partner.userId)).length, 0)

    const worker = await world.user(['social-worker'], { team: 'front-door' })
    const auth = await tokenOf(worker)
    const restricted = await world.childCase({ restricted: true })
    const hidden = await app.agent().post(`/api/v1/cases/${restricted.caseId}/break-glass`).set(auth).send({ reason: REASON }).expect(404)
    assert.doesNotMatch(hidden.text, /restricted/i)
    assert.equal((await grantsOf(restricted.caseId, worker.userId)).length, 0)

    const elsewhere = await (await World.create(database.db)).childCase()
    await app.agent().post(`/api/v1/cases/${elsewhere.caseId}/break-glass`).set(auth).send({ reason: REASON }).expect(404)
    await app.agent().post('/api/v1/cases/not-a-case/break-glass').set(auth).send({ reason: REASON }).expect(404)
    assert.equal((await grantsOf(elsewhere.caseId, worker.userId)).length, 0)
  })

  test('is in the OpenAPI document with its request body', async () => {
    const doc = await app.agent().get('/api/v1/openapi.json').expect(200)
    const op = doc.body.paths['/cases/{caseId}/break-glass']?.post
    assert.ok(op?.requestBody, 'POST /cases/{caseId}/break-glass')
    assert.deepEqual(op.requestBody.content['application/json'].schema.required, ['reason'])
  })
})
