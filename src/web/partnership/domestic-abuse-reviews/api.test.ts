/**
 * Domestic abuse related death reviews in the JSON API: each operation their pages offer, through
 * the same services, with 201 + Location on creation, 403 where the policy refuses, 404 for another
 * partnership's review, 409 on a stale version and 422 on invalid input; and in the OpenAPI document.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../../db/schema/index.ts'
import { recordDarReview } from '../../../services/partnership/dar-reviews.ts'
import { recordIncident, recordNotification, recordRapidReviewDecision } from '../../../services/partnership/incidents.ts'
import { startReview } from '../../../services/partnership/practice-reviews.ts'
import { apiClient, openTestApp, problemOf, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
type User = Awaited<ReturnType<World['user']>>
let lead: User
let colleague: User
let police: User
let elsewhere: string

const death = {
  cspName: 'Demoshire Community Safety Partnership',
  deceased: 'Adult A',
  deceasedAge: 34,
  deathOn: '2026-05-04',
  notifiedOn: '2026-05-11',
  suicide: true,
  circumstances: 'Death by suicide after coercive control by a partner (fictional)',
}

const client = (user: { email: string }) => apiClient(app, user, PASSWORD)
const problem = problemOf

before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  lead = await world.user(['business-unit'], { team: null })
  colleague = await world.user(['business-unit'], { team: null })
  police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
  const other = await World.create(database.db)
  elsewhere = (await recordDarReview(other.ctx(await other.user(['business-unit'], { team: null })), death)).id
})
after(() => database.close())

describe('domestic abuse related death reviews in the API', () => {
  let id: string

  test('the business unit records a death notified to the community safety partnership: 422, 403, then 201 with its Location', async () => {
    const api = await client(lead)
    const invalid = problem(await api.post('/dar-reviews', { ...death, deceasedAge: 15, suicide: 'perhaps', notifiedOn: '2026-05-01' }), 422)
    assert.deepEqual(Object.keys(invalid.errors!).sort(), ['deceasedAge', 'suicide'])
    problem(await api.post('/dar-reviews', { ...death, notifiedOn: '2026-05-01' }), 422)
    problem(await (await client(police)).post('/dar-reviews', death), 403)
    const made = await api.post('/dar-reviews', death).expect(201)
    id = made.body.dar.id
    assert.equal(made.headers.location, `/api/v1/dar-reviews/${id}`)
    assert.match(made.body.dar.reference, /^DARDR-2026-\d{3}$/)
    assert.equal(made.body.dar.decisionDueOn, '2026-06-11')
    assert.deepEqual(made.body.members.map((m: { userId: string }) => m.userId), [lead.userId])
    const listed = (await api.get('/dar-reviews').expect(200)).body
    assert.deepEqual([listed.total, listed.items[0].id], [1, id])
    assert.equal((await (await client(colleague)).get('/dar-reviews').expect(200)).body.total, 0)
  })

  test('members only: a refusal is 403 and audited; another partnership’s review is a 404', async () => {
    const outsider = await client(colleague)
    problem(await outsider.get(`/dar-reviews/${id}`), 403)
    problem(await outsider.put(`/dar-reviews/${id}/chair`, { chair: 'x', chairAppointedOn: '2026-06-15', version: 1 }), 403)
    const refusals = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(and(eq(auditEvent.actorUserId, colleague.userId), eq(auditEvent.recordId, id)))
    assert.deepEqual(refusals.map((r) => r.action).sort(), ['dar-review.read.refused', 'dar-review.update.refused'])
    const api = await client(lead)
    problem(await api.get(`/dar-reviews/${elsewhere}`), 404)
    problem(await api.put(`/dar-reviews/${elsewhere}/decision`, { decision: 'review', decisionReasons: 'x', decidedOn: '2026-06-01', version: 1 }), 404)
  })

  test('decision, chair, timeline, report and publication, each naming the version read (409 when stale); members added', async () => {
    const api = await client(lead)
    problem(await api.put(`/dar-reviews/${id}/chair`, { chair: 'Too soon', chairAppointedOn: '2026-06-15', version: 1 }), 422)
    const decided = (await api.put(`/dar-reviews/${id}/decision`, { decision: 'review', decisionReasons: 'Criteria met', decidedOn: '2026-06-01', decisionNotifiedOn: '2026-06-02', version: 1 }).expect(200)).body
    assert.deepEqual([decided.dar.decision, decided.dar.completionDueOn, decided.dar.version], ['review', '2026-12-01', 2])
    const stale = problem(await api.put(`/dar-reviews/${id}/decision`, { decision: 'no-review', decisionReasons: 'x', decidedOn: '2026-06-01', version: 1 }), 409)
    assert.match(stale.detail!, /now version 2/)
    await api.put(`/dar-reviews/${id}/chair`, { chair: 'Independent Chair (fictional)', chairAppointedOn: '2026-06-15', scope: 'Five years', version: 2 }).expect(200)
    await api.post(`/dar-reviews/${id}/timeline`, { entryOn: '2026-07-20', entry: 'Second panel meeting', version: 3 }).expect(201)
    const timeline = (await api.post(`/dar-reviews/${id}/timeline`, { entryOn: '2026-07-01', entry: 'First panel meeting', version: 4 }).expect(201)).body.timeline
    assert.deepEqual(timeline.map((e: { on: string }) => e.on), ['2026-07-01', '2026-07-20'])
    problem(await api.put(`/dar-reviews/${id}/publication`, { publishedOn: '2026-11-01', version: 5 }), 422)
    problem(await api.put(`/dar-reviews/${id}/report`, { reportCompletedOn: '2026-10-01', reportSummary: 'Learning', homeOfficeSentOn: '2026-09-01', version: 5 }), 422)
    const reported = (await api.put(`/dar-reviews/${id}/report`, { reportCompletedOn: '2026-10-01', reportSummary: 'Learning on coercive control', homeOfficeSentOn: '2026-10-02', commissionerCopyOn: '2026-10-02', version: 5 }).expect(200)).body
    assert.deepEqual(reported.clocks.map((c: { state: string }) => c.state), ['completed-on-time', 'completed-on-time'])
    const published = (await api.put(`/dar-reviews/${id}/publication`, { publishedOn: '2026-11-02', version: 6 }).expect(200)).body
    assert.equal(published.dar.publishedOn, '2026-11-02')

    problem(await api.post(`/dar-reviews/${id}/members`, { userId: 'someone' }), 422)
    const joined = (await api.post(`/dar-reviews/${id}/members`, { userId: police.userId }).expect(201)).body
    assert.ok(joined.members.some((m: { userId: string }) => m.userId === police.userId))
    // A member outside the business unit reads it but does not change it.
    const partner = await client(police)
    assert.equal((await partner.get(`/dar-reviews/${id}`).expect(200)).body.mayUpdate, false)
    problem(await partner.post(`/dar-reviews/${id}/timeline`, { entryOn: '2026-11-03', entry: 'x', version: 7 }), 403)
  })

  test('linked to a practice review the user works on (422 for one they do not); the other member sees that there is one, not its title', async () => {
    const api = await client(lead)
    const c = await world.childCase()
    await database.db.update(person).set({ nhsNumber: '9990000541' }).where(eq(person.id, c.personId))
    // A local review after a rapid review, started by `by` (who works on it).
    const reviewBy = async (by: User, title: string) => {
      const ctx = world.ctx(by)
      const incident = await recordIncident(ctx, { child: '9990000541', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-05-04', awareOn: '2026-05-05', summary: 'Fictional' })
      await recordNotification(ctx, incident.id, { notifiedOn: '2026-05-06', lateReason: null, version: 1 })
      await recordRapidReviewDecision(ctx, incident.id, { decision: 'local-review', reasons: 'Learning', decidedOn: '2026-05-20', version: 2 })
      return startReview(ctx, { incidentId: incident.id, title, decidedOn: '2026-05-27', notifiedOn: null })
    }
    const review = await reviewBy(lead, 'Review: Family A')
    const theirs = await reviewBy(colleague, 'Review: not the lead’s')
    problem(await api.put(`/dar-reviews/${id}/link`, { reviewId: theirs.id, version: 7 }), 422)
    problem(await api.put(`/dar-reviews/${id}/link`, { reviewId: elsewhere, version: 7 }), 422)
    const linked = (await api.put(`/dar-reviews/${id}/link`, { reviewId: review.id, version: 7 }).expect(200)).body
    assert.deepEqual(linked.linkedReview, { id: review.id, title: 'Review: Family A' })
    assert.equal((await (await client(police)).get(`/dar-reviews/${id}`).expect(200)).body.linkedReview.title, null)
  })

  test('every operation is in the OpenAPI document, with its request body', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> }
    const expected: [string, string, boolean][] = [
      ['/dar-reviews', 'get', false],
      ['/dar-reviews', 'post', true],
      ['/dar-reviews/{id}', 'get', false],
      ...['decision', 'chair', 'report', 'publication', 'link'].map((p): [string, string, boolean] => [`/dar-reviews/{id}/${p}`, 'put', true]),
      ...['timeline', 'members'].map((p): [string, string, boolean] => [`/dar-reviews/{id}/${p}`, 'post', true]),
    ]
    for (const [path, method, body] of expected) {
      const op = doc.paths[path]?.[method]
      assert.ok(op, `${method.toUpperCase()} ${path} is not in the document`)
      assert.equal(Boolean(op.requestBody), body, `${method.toUpperCase()} ${path}: request body`)
    }
  })
})
