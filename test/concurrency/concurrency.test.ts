/**
 * Concurrency (issue 15, "Tests that stay"): parallel reads and writes by one user and by many
 * answer without a 5xx, nothing written in parallel is lost, and races on one record's version have
 * exactly one winner — the others get 409 (API) or the conflict page, never a silent overwrite.
 * Runs on both engines: on PostgreSQL requests truly overlap (a pool of connections); on the
 * embedded database they interleave at every await.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, sql } from 'drizzle-orm'
import type supertest from 'supertest'
import { auditEvent, caseNote } from '../../src/db/schema/index.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import { addNote } from '../../src/services/journey/case-notes.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../support/fixtures.ts'
import { $, csrfFrom, openTestApp, signedInAgent, type TestApp } from '../support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database?.close())

const statusesOf = (responses: supertest.Response[]) => {
  const counts = new Map<number, number>()
  for (const r of responses) counts.set(r.status, (counts.get(r.status) ?? 0) + 1)
  return Object.fromEntries([...counts].sort(([a], [b]) => a - b))
}

const serverErrors = (responses: supertest.Response[], what: string) =>
  responses.filter((r) => r.status >= 500).map((r) => `${what}: ${r.status} (request ${r.headers['x-request-id']})`)

async function note(user: Parameters<World['ctx']>[0], caseId: string, title: string) {
  return addNote(world.ctx(user), caseId, { kind: 'note', occurredOn: '2026-11-10', title, body: 'Text', childSeen: null, childSeenAlone: null } as never)
}

describe('parallel reads and writes', () => {
  test('50 parallel GETs of each busy page by one user: no 5xx, and every read of the case audited', async () => {
    const manager = await world.user(['team-manager', 'front-door-practitioner'], { team: 'assessment' })
    const { caseId, personId } = await world.childCase({ worker: null, familyName: 'Parallelread' })
    const agent = await signedInAgent(app, manager, PASSWORD)
    const pages = ['/', '/tasks', '/front-door', '/contacts/new?search=1&familyName=Parallelread', `/cases/${caseId}`]
    const failures: string[] = []
    for (const page of pages) {
      const responses = await Promise.all(Array.from({ length: 50 }, () => agent.get(page)))
      failures.push(...serverErrors(responses, page))
      const other = responses.filter((r) => r.status !== 200)
      if (other.length) failures.push(`${page}: ${JSON.stringify(statusesOf(responses))}`)
    }
    assert.deepEqual(failures, [])
    const [views] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvent)
      .where(and(eq(auditEvent.actorUserId, manager.userId), eq(auditEvent.subjectPersonId, personId)))
    assert.ok(Number(views!.n) >= 50, `${views!.n} audit entries for 50 reads of the case`)
  })

  test('many users reading at once, through pages and API tokens: no 5xx', async () => {
    const { caseId } = await world.childCase({ worker: null })
    const users = await Promise.all(Array.from({ length: 10 }, () => world.user(['team-manager'], { team: 'assessment' })))
    const agents = await Promise.all(users.slice(0, 5).map((u) => signedInAgent(app, u, PASSWORD)))
    const tokens = await Promise.all(users.slice(5).map((u) => createApiToken(database.db, { email: u.email, name: 'parallel', now: new Date() })))
    const requests: Promise<supertest.Response>[] = []
    for (let round = 0; round < 6; round++) {
      for (const agent of agents) for (const page of ['/', '/tasks', `/cases/${caseId}`]) requests.push(agent.get(page).then((r) => r))
      for (const { token } of tokens) {
        for (const path of ['/api/v1/me', `/api/v1/cases/${caseId}`, '/api/v1/tasks']) {
          requests.push(app.agent().get(path).set('authorization', `Bearer ${token}`).then((r) => r))
        }
      }
    }
    const responses = await Promise.all(requests)
    assert.equal(responses.length, 180)
    assert.deepEqual(serverErrors(responses, 'mixed reads'), [])
    assert.deepEqual(statusesOf(responses), { 200: 180 })
  })

  test('50 parallel new case notes by one user and 5 by each of 10 users: every one saved, no 5xx', async () => {
    const worker = await world.user(['social-worker'], { team: 'assessment' })
    const { caseId } = await world.childCase({ worker: worker.userId })
    const { token } = await createApiToken(database.db, { email: worker.email, name: 'notes', now: new Date() })
    const post = (t: string, title: string) =>
      app
        .agent()
        .post(`/api/v1/cases/${caseId}/notes`)
        .set('authorization', `Bearer ${t}`)
        .send({ kind: 'note', occurredOn: '2026-11-10', title, body: `Body of ${title}` })
        .then((r) => r)
    const one = await Promise.all(Array.from({ length: 50 }, (_, i) => post(token, `One user ${i}`)))
    assert.deepEqual(serverErrors(one, 'one user'), [])
    assert.deepEqual(statusesOf(one), { 201: 50 })

    const managers = await Promise.all(Array.from({ length: 10 }, () => world.user(['team-manager'], { team: 'assessment' })))
    const managerTokens = await Promise.all(managers.map((u) => createApiToken(database.db, { email: u.email, name: 'notes', now: new Date() })))
    const many = await Promise.all(managerTokens.flatMap(({ token: t }, u) => Array.from({ length: 5 }, (_, i) => post(t, `User ${u} note ${i}`))))
    assert.deepEqual(serverErrors(many, 'many users'), [])
    assert.deepEqual(statusesOf(many), { 201: 50 })

    const [saved] = await database.db.select({ n: sql<number>`count(*)::int` }).from(caseNote).where(eq(caseNote.caseId, caseId))
    assert.equal(Number(saved!.n), 100)
  })
})

describe('races on one record', () => {
  test('100 parallel API updates of one case note at the same version: exactly one winner, 99 conflicts', async () => {
    const worker = await world.user(['social-worker'], { team: 'assessment' })
    const { caseId } = await world.childCase({ worker: worker.userId })
    const n = await note(worker, caseId, 'Raced')
    const { token } = await createApiToken(database.db, { email: worker.email, name: 'race', now: new Date() })
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        app
          .agent()
          .put(`/api/v1/cases/${caseId}/notes/${n.id}`)
          .set('authorization', `Bearer ${token}`)
          .send({ version: n.version, kind: 'note', occurredOn: '2026-11-10', title: `Writer ${i}`, body: `Written by ${i}` })
          .then((r) => r),
      ),
    )
    assert.deepEqual(serverErrors(responses, 'race'), [])
    assert.deepEqual(statusesOf(responses), { 200: 1, 409: 99 })
    for (const r of responses.filter((x) => x.status === 409)) assert.match(String(r.headers['content-type']), /^application\/problem\+json/)
    const winner = responses.findIndex((r) => r.status === 200)
    const [stored] = await database.db.select().from(caseNote).where(eq(caseNote.id, n.id))
    assert.equal(stored!.title, `Writer ${winner}`, "the stored note is the winner's")
    assert.equal(stored!.version, n.version + 1)
  })

  test('20 parallel saves of one note form at the same version: one saved, the others shown the conflict', async () => {
    const worker = await world.user(['social-worker'], { team: 'assessment' })
    const { caseId } = await world.childCase({ worker: worker.userId })
    const n = await note(worker, caseId, 'Raced on the page')
    const agent = await signedInAgent(app, worker, PASSWORD)
    const form = await agent.get(`/cases/${caseId}/notes/${n.id}`).expect(200)
    const csrf = csrfFrom(form.text)
    const version = String($(form.text)('input[name=version]').val())
    assert.equal(version, String(n.version))
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        agent
          .post(`/cases/${caseId}/notes/${n.id}`)
          .type('form')
          .send({
            _csrf: csrf,
            version,
            kind: 'note',
            'occurredOn-day': '10',
            'occurredOn-month': '11',
            'occurredOn-year': '2026',
            title: `Page writer ${i}`,
            body: `Written on the page by ${i}`,
          })
          .then((r) => r),
      ),
    )
    assert.deepEqual(serverErrors(responses, 'page race'), [])
    const saved = responses.filter((r) => r.status === 302 || r.status === 303)
    const conflicts = responses.filter((r) => r.status === 409)
    assert.equal(saved.length, 1, JSON.stringify(statusesOf(responses)))
    assert.equal(conflicts.length, 19, JSON.stringify(statusesOf(responses)))
    for (const r of conflicts) assert.ok($(r.text)('.govuk-error-summary, .govuk-notification-banner').length > 0, 'the conflict is shown')
    const [stored] = await database.db.select().from(caseNote).where(eq(caseNote.id, n.id))
    assert.equal(stored!.version, n.version + 1)
  })
})
