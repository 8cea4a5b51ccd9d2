/**
 * Serious incidents, rapid reviews, practice reviews, agency contributions and review actions in the
 * JSON API: each operation the pages offer, through the same services, with 201 + Location on
 * creation, 403 where the policy refuses, 404 for another partnership's record, 409 on a stale
 * version and 422 on invalid input; and in the OpenAPI document.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../../db/schema/index.ts'
import { recordIncident } from '../../../services/partnership/incidents.ts'
import { apiClient, openTestApp, problemOf, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
type User = Awaited<ReturnType<World['user']>>
let lead: User
let colleague: User
let police: User
let worker: User
let child: { caseId: string; personId: string; familyName: string }
let elsewhere: string

const client = (user: { email: string }) => apiClient(app, user, PASSWORD)
const problem = problemOf

before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  lead = await world.user(['business-unit'], { team: null })
  colleague = await world.user(['business-unit'], { team: null })
  police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
  worker = await world.user(['social-worker'])
  const c = await world.childCase({ worker: worker.userId, familyName: 'Apitest' })
  await database.db.update(person).set({ nhsNumber: '9990000521' }).where(eq(person.id, c.personId))
  child = { ...c, familyName: 'Apitest' }
  // Another partnership's incident: its id is a 404 here, like one that does not exist.
  const other = await World.create(database.db)
  const otherLead = await other.user(['business-unit'], { team: null })
  await other.childCase()
  elsewhere = (await recordIncident(other.ctx(otherLead), { child: '9990000050', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-11-02', awareOn: '2026-11-02', summary: 'Fictional' })).id
})
after(() => database.close())

describe('serious incidents, rapid reviews and their contributions in the API', () => {
  let incidentId: string
  let contributionId: string

  test('the business unit records an incident: 422 with a message per field, 403 for a role that may not, 201 with its Location', async () => {
    const api = await client(lead)
    const invalid = problem(await api.post('/serious-incidents', { child: '', kind: 'nonsense' }), 422)
    assert.deepEqual(Object.keys(invalid.errors!).sort(), ['awareOn', 'child', 'incidentOn', 'kind', 'summary'])
    problem(await (await client(worker)).post('/serious-incidents', { child: '9990000521', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-11-16', awareOn: '2026-11-17', summary: 'Fictional' }), 403)
    const unknown = problem(await api.post('/serious-incidents', { child: '9990009999', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-11-16', awareOn: '2026-11-17', summary: 'Fictional' }), 422)
    assert.match(unknown.errors!.child!, /No child with that NHS number/)

    const made = await api.post('/serious-incidents', { child: '999 000 0521', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-11-16', awareOn: '2026-11-17', summary: 'Fictional incident' }).expect(201)
    incidentId = made.body.incident.id
    assert.equal(made.headers.location, `/api/v1/serious-incidents/${incidentId}`)
    assert.equal(made.body.incident.caseId, child.caseId)
    assert.equal(made.body.child.familyName, child.familyName)
    assert.equal(made.body.incident.notificationDueOn, '2026-11-24')
    assert.match(made.body.recipients.join(' '), /Child Safeguarding Practice Review Panel/)
    assert.deepEqual(made.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role]), [[lead.userId, 'lead']])

    const listed = (await api.get('/serious-incidents?limit=5').expect(200)).body
    assert.equal(listed.total, 1)
    assert.equal(listed.items[0].childName, `Testy ${child.familyName}`)
    problem(await api.get('/serious-incidents?limit=0'), 422)
  })

  test('reading an incident is members only (403, audited), another partnership’s is a 404, and a bad id is a 404', async () => {
    const outsider = await client(colleague)
    problem(await outsider.get(`/serious-incidents/${incidentId}`), 403)
    problem(await outsider.get(`/serious-incidents/${incidentId}/chronology`), 403)
    problem(await outsider.put(`/serious-incidents/${incidentId}/notification`, { notifiedOn: '2026-11-19', version: 1 }), 403)
    const refusals = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, colleague.userId), eq(auditEvent.recordId, incidentId)))
    assert.deepEqual(refusals.map((r) => r.action).sort(), ['serious-incident.read.refused', 'serious-incident.read.refused', 'serious-incident.update.refused'])
    const api = await client(lead)
    problem(await api.get(`/serious-incidents/${elsewhere}`), 404)
    problem(await api.put(`/serious-incidents/${elsewhere}/decision`, { decision: 'local-review', reasons: 'x', decidedOn: '2026-11-19', version: 1 }), 404)
    problem(await api.get('/serious-incidents/not-an-id'), 404)
  })

  test('notification, members, contributions asked and answered, decision, submission, chronology; 409 on a stale version', async () => {
    const api = await client(lead)
    problem(await api.put(`/serious-incidents/${incidentId}/decision`, { decision: 'local-review', reasons: 'Learning', decidedOn: '2026-11-19', version: 1 }), 422)
    const notified = (await api.put(`/serious-incidents/${incidentId}/notification`, { notifiedOn: '2026-11-19', version: 1 }).expect(200)).body
    assert.equal(notified.incident.notifiedOn, '2026-11-19')
    assert.equal(notified.incident.version, 2)
    assert.equal(notified.incident.rapidReviewDueOn, '2026-12-10')
    const stale = problem(await api.put(`/serious-incidents/${incidentId}/notification`, { notifiedOn: '2026-11-18', version: 1 }), 409)
    assert.match(stale.detail!, /now version 2/)

    problem(await api.post(`/serious-incidents/${incidentId}/members`, { userId: '00000000-0000-4000-8000-000000000000' }), 422)
    const joined = (await api.post(`/serious-incidents/${incidentId}/members`, { userId: colleague.userId }).expect(201)).body
    assert.ok(joined.members.some((m: { userId: string }) => m.userId === colleague.userId))
    // A member who is not in the business unit reads it but does not change it.
    await api.post(`/serious-incidents/${incidentId}/members`, { userId: police.userId }).expect(201)
    problem(await (await client(police)).put(`/serious-incidents/${incidentId}/decision`, { decision: 'local-review', reasons: 'x', decidedOn: '2026-11-19', version: 2 }), 403)

    problem(await api.post(`/serious-incidents/${incidentId}/contributions`, { contactUserId: police.userId, question: 'Your involvement', dueOn: '2026-11-01' }), 422)
    const asked = await api.post(`/serious-incidents/${incidentId}/contributions`, { contactUserId: police.userId, question: 'Your involvement', dueOn: '2026-11-27' }).expect(201)
    contributionId = asked.body.id
    assert.equal(asked.headers.location, `/api/v1/agency-contributions/${contributionId}`)
    assert.equal(asked.body.agencyId, world.agencies.police)
    assert.equal(asked.body.mayAnswer, false)

    // The agency's named user: their requests, and the answer (the key events as JSON, kept earliest first).
    const partner = await client(police)
    const mine = (await partner.get('/agency-contributions').expect(200)).body
    assert.deepEqual(mine.items.map((c: { id: string }) => c.id), [contributionId])
    assert.equal((await partner.get(`/agency-contributions/${contributionId}`).expect(200)).body.mayAnswer, true)
    const future = problem(await partner.put(`/agency-contributions/${contributionId}`, { involvement: 'Call-outs', entries: [{ on: '2026-12-01', text: 'Later' }], version: 1 }), 422)
    assert.deepEqual(Object.keys(future.errors!), ['entries-0-on'])
    problem(await api.put(`/agency-contributions/${contributionId}`, { involvement: 'Not mine to give', version: 1 }), 403)
    const answered = (await partner.put(`/agency-contributions/${contributionId}`, {
      involvement: 'Two call-outs',
      entries: [{ on: '2026-11-10', text: 'Second call-out' }, { on: '2026-10-01', text: 'First call-out' }],
      version: 1,
    }).expect(200)).body
    assert.deepEqual(answered.entries.map((e: { on: string }) => e.on), ['2026-10-01', '2026-11-10'])
    assert.equal(answered.submittedOn, '2026-11-20')
    problem(await partner.put(`/agency-contributions/${contributionId}`, { involvement: 'Again', version: 1 }), 409)

    // The merged chronology: the child's record as known at the incident date with the agency's entries up to it.
    const chronology = (await api.get(`/serious-incidents/${incidentId}/chronology`).expect(200)).body
    assert.equal(chronology.child.familyName, child.familyName)
    assert.deepEqual(chronology.entries.filter((e: { source: string }) => e.source !== 'record').map((e: { on: string }) => e.on), ['2026-10-01', '2026-11-10'])

    const decided = (await api.put(`/serious-incidents/${incidentId}/decision`, { decision: 'local-review', reasons: 'Learning about call-outs', decidedOn: '2026-11-19', version: 2 }).expect(200)).body
    assert.equal(decided.incident.rapidReviewDecision, 'local-review')
    problem(await api.put(`/serious-incidents/${incidentId}/submission`, { submittedOn: '2026-11-21', version: 3 }), 422)
    const submitted = (await api.put(`/serious-incidents/${incidentId}/submission`, { submittedOn: '2026-11-20', version: 3 }).expect(200)).body
    assert.equal(submitted.incident.submittedToPanelOn, '2026-11-20')
    assert.deepEqual(submitted.clocks.map((c: { state: string }) => c.state), ['completed-on-time', 'completed-on-time'])
  })

  test('a member the policy does not show the child to gets the incident without the child or its case id', async () => {
    const restricted = await world.childCase({ restricted: true, familyName: 'Hiddenapi' })
    await database.db.update(person).set({ nhsNumber: '9990000530' }).where(eq(person.id, restricted.personId))
    await world.grant(restricted.caseId, lead.userId, 'explicit-permission')
    const api = await client(lead)
    const made = (await api.post('/serious-incidents', { child: '9990000530', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-11-16', awareOn: '2026-11-17', summary: 'Fictional' }).expect(201)).body
    assert.equal(made.incident.caseId, restricted.caseId)
    await api.post(`/serious-incidents/${made.incident.id}/members`, { userId: colleague.userId }).expect(201)
    for (const path of [`/serious-incidents/${made.incident.id}`, `/serious-incidents/${made.incident.id}/chronology`]) {
      const res = await (await client(colleague)).get(path).expect(200)
      assert.equal(res.body.child, null)
      assert.equal(res.body.incident.caseId, null)
      assert.ok(!res.text.includes(restricted.caseId) && !res.text.includes('Hiddenapi'), path)
    }
  })

  describe('the practice review that follows, its recommendations and actions', () => {
    let reviewId: string
    let actionId: string

    test('started from the incident (201, Location; 403, 404, 422), changed with versions, drafts and publication', async () => {
      const api = await client(lead)
      problem(await api.post('/practice-reviews', { incidentId, title: '' }), 422)
      problem(await (await client(police)).post('/practice-reviews', { incidentId, title: 'Child A', decidedOn: '2026-11-20' }), 403)
      problem(await api.post('/practice-reviews', { incidentId: elsewhere, title: 'Child A', decidedOn: '2026-11-20' }), 404)
      const made = await api.post('/practice-reviews', { incidentId, title: 'Review: Child A', decidedOn: '2026-11-20' }).expect(201)
      reviewId = made.body.review.id
      assert.equal(made.headers.location, `/api/v1/practice-reviews/${reviewId}`)
      assert.deepEqual([made.body.review.kind, made.body.review.dueOn, made.body.child.familyName], ['lcspr', '2027-05-20', child.familyName])
      // The incident's members work on it too.
      assert.deepEqual(made.body.members.map((m: { userId: string }) => m.userId).sort(), [lead.userId, colleague.userId, police.userId].sort())

      const listed = (await api.get('/practice-reviews').expect(200)).body
      assert.deepEqual(listed.items.map((r: { id: string; caseId: string | null }) => [r.id, r.caseId]), [[reviewId, null]])

      const details = (await api.put(`/practice-reviews/${reviewId}/details`, { reviewer: 'Independent Reviewer (fictional)', termsOfReference: 'Twelve months', version: 1 }).expect(200)).body
      assert.equal(details.review.reviewer, 'Independent Reviewer (fictional)')
      problem(await api.put(`/practice-reviews/${reviewId}/details`, { reviewer: 'Stale', version: 1 }), 409)
      problem(await (await client(police)).put(`/practice-reviews/${reviewId}/details`, { reviewer: 'Police', version: 2 }), 403)
      const drafted = (await api.post(`/practice-reviews/${reviewId}/drafts`, { receivedOn: '2026-11-20', summary: 'First draft' }).expect(201)).body
      assert.deepEqual(drafted.drafts.map((d: { summary: string }) => d.summary), ['First draft'])
      const noticed = (await api.put(`/practice-reviews/${reviewId}/advance-notice`, { advanceNoticeOn: '2026-11-20', version: 2 }).expect(200)).body
      assert.equal(noticed.review.earliestPublicationOn, '2026-12-01')
      problem(await api.put(`/practice-reviews/${reviewId}/publication`, { publishedOn: '2026-11-19', version: 3 }), 422)
      const published = (await api.put(`/practice-reviews/${reviewId}/publication`, { publishedOn: '2026-11-20', publicationNote: 'Partnership website', version: 3 }).expect(200)).body
      assert.equal(published.publishedBeforeNoticeRan, true)
      problem(await api.get(`/practice-reviews/${reviewId}`.replace(reviewId, elsewhere)), 404)
    })

    test('a contribution asked for, a recommendation and its action: the owner gives evidence, a business-unit member closes it', async () => {
      const api = await client(lead)
      const asked = await api.post(`/practice-reviews/${reviewId}/contributions`, { contactUserId: police.userId, question: 'Your learning', dueOn: '2026-12-04' }).expect(201)
      assert.match(asked.headers.location!, /^\/api\/v1\/agency-contributions\//)
      assert.equal(asked.body.subjectType, 'practice-review')

      const recommended = (await api.post(`/practice-reviews/${reviewId}/recommendations`, { text: 'Share call-outs with the front door' }).expect(201)).body
      const recommendationId = recommended.recommendations[0].id as string
      problem(await api.post(`/practice-reviews/${reviewId}/actions`, { recommendationId: elsewhere, text: 'x', ownerUserId: police.userId, actionDueOn: '2027-01-29' }), 422)
      const made = await api.post(`/practice-reviews/${reviewId}/actions`, { recommendationId, text: 'Daily call-out summary to the front door', ownerUserId: police.userId, actionDueOn: '2027-01-29' }).expect(201)
      actionId = made.body.id
      assert.equal(made.headers.location, `/api/v1/review-actions/${actionId}`)
      assert.deepEqual([made.body.ownerAgencyName.startsWith('police'), made.body.status, made.body.mayClose], [true, 'open', true])

      const owner = await client(police)
      const mine = (await owner.get('/review-actions').expect(200)).body
      assert.deepEqual(mine.items.map((a: { id: string }) => a.id), [actionId])
      problem(await owner.put(`/review-actions/${actionId}/close`, { version: 1 }), 403)
      problem(await api.put(`/review-actions/${actionId}/evidence`, { evidence: 'Not the owner', completedOn: '2026-11-20', version: 1 }), 403)
      problem(await api.put(`/review-actions/${actionId}/close`, { version: 1 }), 422)
      problem(await owner.put(`/review-actions/${actionId}/evidence`, { evidence: '', version: 1 }), 422)
      const evidenced = (await owner.put(`/review-actions/${actionId}/evidence`, { evidence: 'Summaries sent daily since 1 November', completedOn: '2026-11-20', version: 1 }).expect(200)).body
      assert.equal(evidenced.status, 'evidence-submitted')
      problem(await api.put(`/review-actions/${actionId}/close`, { version: 1 }), 409)
      const closed = (await api.put(`/review-actions/${actionId}/close`, { version: 2 }).expect(200)).body
      assert.deepEqual([closed.status, closed.closedOn], ['closed', '2026-11-20'])
      problem(await (await client(worker)).get(`/review-actions/${actionId}`), 403)
    })
  })

  test('every operation is in the OpenAPI document, with its request body', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { tags: string[]; requestBody?: unknown }>> }
    const expected: [string, string, boolean][] = [
      ['/serious-incidents', 'get', false],
      ['/serious-incidents', 'post', true],
      ['/serious-incidents/{id}', 'get', false],
      ['/serious-incidents/{id}/chronology', 'get', false],
      ['/serious-incidents/{id}/notification', 'put', true],
      ['/serious-incidents/{id}/decision', 'put', true],
      ['/serious-incidents/{id}/submission', 'put', true],
      ['/serious-incidents/{id}/members', 'post', true],
      ['/serious-incidents/{id}/contributions', 'post', true],
      ['/practice-reviews', 'get', false],
      ['/practice-reviews', 'post', true],
      ['/practice-reviews/{id}', 'get', false],
      ['/practice-reviews/{id}/details', 'put', true],
      ['/practice-reviews/{id}/advance-notice', 'put', true],
      ['/practice-reviews/{id}/publication', 'put', true],
      ['/practice-reviews/{id}/drafts', 'post', true],
      ['/practice-reviews/{id}/recommendations', 'post', true],
      ['/practice-reviews/{id}/contributions', 'post', true],
      ['/practice-reviews/{id}/actions', 'post', true],
      ['/agency-contributions', 'get', false],
      ['/agency-contributions/{id}', 'get', false],
      ['/agency-contributions/{id}', 'put', true],
      ['/review-actions', 'get', false],
      ['/review-actions/{id}', 'get', false],
      ['/review-actions/{id}/evidence', 'put', true],
      ['/review-actions/{id}/close', 'put', true],
    ]
    for (const [path, method, body] of expected) {
      const op = doc.paths[path]?.[method]
      assert.ok(op, `${method.toUpperCase()} ${path} is not in the document`)
      assert.equal(Boolean(op.requestBody), body, `${method.toUpperCase()} ${path}: request body`)
    }
  })
})
