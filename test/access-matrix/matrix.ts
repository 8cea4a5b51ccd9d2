/**
 * The access matrix (issue 15, "Tests that stay"): every GET route that names a case, pages from
 * the application's own route table and operations from its OpenAPI document, for every role and
 * every relationship kind the policy knows, with the expected answer asked of the policy itself
 * (`decideOnCase` with the relationships the fixture made). A new case route is covered the day it
 * is added; a route that answers without asking the policy fails.
 *
 * And audit completeness: every allowed or refused read of a child's details in the matrix leaves
 * exactly one audit entry about that child.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type supertest from 'supertest'
import { auditEvent, caseNote, childCase, plan } from '../../src/db/schema/index.ts'
import { decideOnCase, type RecordAction } from '../../src/domain/access/policy.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import { declaredCaseAction } from '../../src/web/common/case-forms.ts'
import { routeTable } from '../../src/web/common/route-table.ts'
import { isIdParam } from '../../src/web/common/router.ts'
import type { TestDatabase } from '../support/database.ts'
import { PASSWORD } from '../support/fixtures.ts'
import { csrfFrom, signIn, type TestApp } from '../support/web.ts'
import { apiWrites } from './api-writes.ts'
import { FAMILIES } from './id-routes.ts'
import { openMatrixApp, type MatrixWorld, type Scenario } from './world.ts'

/** Counts when this suite was written: fewer means the route table or the document is broken. */
const KNOWN_PAGE_ROUTES = 44
const KNOWN_API_OPERATIONS = 19
const KNOWN_PAGE_POSTS = 44

export function defineMatrix(kind: 'page' | 'api' | 'form') {
let database: TestDatabase
let app: TestApp
let m: MatrixWorld

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
})
after(async () => {
  // MATRIX_DUMP=file writes every unexpected answer, for reading when the matrix fails.
  if (process.env.MATRIX_DUMP) writeFileSync(`${process.env.MATRIX_DUMP}.${kind}`, wrong.join('\n') + '\n')
  await database?.close()
})

/**
 * The action a route needs: what a case form page declares (caseForm, web/common/case-forms.ts),
 * else by what the route does (reads unless it is a form, a manager's or a partner's page).
 */
function actionOf(route: Route): RecordAction {
  if (route.declared) return route.declared
  const path = route.path
  // A partner's conference report and their agency's action are their contribution; the rest of
  // the participation view is participation.
  if (/\/participation\/(conferences|actions)\//.test(path)) return 'case:contribute'
  // An invited partner's strategy discussion page (and its operation) is their participation.
  if (/\/strategy-invitations\/\{invitationId\}$/.test(path)) return 'case:participate'
  if (/\/participation(\/|$)/.test(path)) return 'case:participate'
  // A record's own page is its edit form (the case's lists show the records in full): a form (item 6).
  if (/\/(notes\/:noteId|family\/:relationshipId|items\/:itemId|pre-proceedings\/:recordId)$/.test(path)) return 'case:update'
  if (/\/(allocation|transfer)$/.test(path)) return 'case:authorise'
  // An episode's closure (its confirmation page, and what the API says closing would leave open) is the closing form's.
  if (/\/(new|edit|end|review|step|start|arrangements|close|closure)$/.test(path)) return 'case:update'
  return 'case:read'
}

const CASE_PAGE = FAMILIES.case.page
const CASE_API = FAMILIES.case.api

interface Route {
  kind: 'page' | 'api'
  /** As declared, e.g. /cases/:id/notes/:noteId */
  path: string
  /** The action a page declares it decides first (a case form's), or an operation its x-case-action, if it does. */
  declared?: RecordAction
}

function fill(route: Route, s: Scenario): { url: string; built: boolean } {
  let built = true
  const pattern = route.kind === 'page' ? /:(\w+)/g : /\{(\w+)\}/g
  const url = route.path.replace(pattern, (_, name: string) => {
    if (name === 'id' || name === 'caseId') return s.c.caseId
    const known = s.c.records[name]
    // Core groups and visits hang off a child protection plan, which the world does not build.
    if (known && !(name === 'planId' && /\/(core-groups|visits)\//.test(route.path))) return known
    built = false
    return isIdParam(name) ? '00000000-0000-4000-8000-000000000000' : 'x'
  })
  return { url: route.kind === 'page' ? url : `/api/v1${url}`, built }
}

interface Answer {
  route: Route
  s: Scenario
  status: number
  allowed: boolean
  requestId: string
  shown: boolean
}

const answers: Answer[] = []
const wrong: string[] = []

function expect(route: Route, s: Scenario, url: string, built: boolean, res: supertest.Response): boolean {
  const action = actionOf(route)
  const subject = { userId: s.user.userId, partnershipId: s.user.partnershipId, roles: s.user.roles, active: true }
  const record = { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships: s.relationships }
  let decision = decideOnCase(subject, action, record)
  // A partner's participation view opens their own agency's plan actions only.
  if (decision.allowed && /\/participation\/actions\//.test(route.path) && s.c.records.itemOwnerAgencyId !== s.user.agencyId) {
    decision = { allowed: false, reason: "another agency's action", breakGlassAvailable: false }
  }
  // A strategy discussion's participation page opens to the partner it invites alone.
  if (decision.allowed && /\/(participation\/strategy-discussions\/:invitationId|strategy-invitations\/\{invitationId\})$/.test(route.path) && s.c.records.invitationUserId !== s.user.userId) {
    decision = { allowed: false, reason: "someone else's invitation", breakGlassAvailable: false }
  }
  const at = `${route.kind} GET ${route.path} as ${s.label} (${action} ${decision.allowed ? 'allowed' : 'refused'})`
  const body = res.text ?? ''
  if (res.status >= 500) wrong.push(`${at}: ${res.status}`)
  else if (s.c.partnershipId !== s.user.partnershipId) {
    if (res.status !== 404) wrong.push(`${at}: ${res.status}, not 404, for another partnership's record`)
  } else if (decision.allowed) {
    const intoCase = res.status === 302 && String(res.headers.location ?? '').startsWith(`/cases/${s.c.caseId}`)
    const missing = !built && res.status === 404
    if (res.status !== 200 && !intoCase && !missing) wrong.push(`${at}: ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}`)
  } else {
    // A refusal the policy conceals (a restricted record, someone unrelated) answers as if the record
    // did not exist (issue 15 item 5); any other is a 403, also for a form that changes the case to
    // someone who may only read it (item 6). A record the world did not build may be a 404 first.
    const conceal = 'conceal' in decision && decision.conceal === true
    const statuses = conceal ? [404] : built ? [403] : [403, 404]
    if (!statuses.includes(res.status)) wrong.push(`${at}: ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}`)
    if (conceal && /restricted/i.test(body)) wrong.push(`${at}: the refusal says the record is restricted`)
  }
  if (!decision.allowed && body.includes(s.c.familyName)) wrong.push(`${at}: the refusal names the child`)
  if (route.kind === 'api' && res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
    wrong.push(`${at}: ${res.status} is not a problem document`)
  }
  void url
  return decision.allowed
}

/** Audit entries about the scenario's child, by the request that wrote them (the X-Request-Id answered). */
async function entriesByRequest(): Promise<Map<string, number>> {
  const rows = await database.db
    .select({ requestId: auditEvent.requestId, recordId: auditEvent.recordId, subject: auditEvent.subjectPersonId, n: sql<number>`count(*)::int` })
    .from(auditEvent)
    .where(eq(auditEvent.partnershipId, m.world.partnershipId))
    .groupBy(auditEvent.requestId, auditEvent.recordId, auditEvent.subjectPersonId)
  const out = new Map<string, number>()
  for (const r of rows) {
    for (const about of new Set([r.recordId, r.subject])) {
      if (!about || !r.requestId) continue
      const key = `${r.requestId} ${about}`
      out.set(key, (out.get(key) ?? 0) + Number(r.n))
    }
  }
  return out
}

async function run(routes: Route[], client: (s: Scenario) => Promise<(url: string) => supertest.Test>) {
  for (const s of m.scenarios) {
    const get = await client(s)
    for (const route of routes) {
      const { url, built } = fill(route, s)
      const res = await get(url)
      const allowed = expect(route, s, url, built, res)
      answers.push({ route, s, status: res.status, allowed, requestId: String(res.headers['x-request-id'] ?? ''), shown: (res.text ?? '').includes(s.c.familyName) })
    }
  }
}

describe(`the access matrix (${{ page: 'pages', api: 'API', form: 'forms' }[kind]})`, () => {
  if (kind === 'page') test('every case page of the route table answers as the policy decides', async () => {
    const pages: Route[] = routeTable(app.app)
      .filter((r) => r.method === 'GET' && CASE_PAGE.test(r.path))
      .map((r) => ({ kind: 'page', path: r.path, declared: declaredCaseAction(r) }))
    assert.ok(pages.length >= KNOWN_PAGE_ROUTES, `only ${pages.length} case pages in the route table`)
    const agents = new Map<string, supertest.Agent>()
    const before = wrong.length
    await run(pages, async (s) => {
      let agent = agents.get(s.user.userId)
      if (!agent) {
        agent = app.agent()
        await signIn(agent, s.user.email, PASSWORD)
        agents.set(s.user.userId, agent)
      }
      return (url) => agent.get(url)
    })
    assert.ok(answers.length >= KNOWN_PAGE_ROUTES * m.scenarios.length)
    assert.deepEqual(wrong.slice(before), [])
  })

  if (kind === 'form') test('refused users change nothing through any case form of the route table', async () => {
    const posts = routeTable(app.app).filter((r) => r.method === 'POST' && CASE_PAGE.test(r.path) && !r.path.endsWith('/break-glass'))
    assert.ok(posts.length >= KNOWN_PAGE_POSTS, `only ${posts.length} case forms in the route table`)
    // The action each form's save needs, as the route declares it (caseForm, web/common/case-forms.ts);
    // src/web/journey/cases/case-forms.test.ts checks every case POST declares one that changes the case.
    const declared = new Map(posts.map((r) => [r.path, declaredCaseAction(r)]))
    const undeclared = posts.filter((r) => !declared.get(r.path)).map((r) => r.path)
    assert.deepEqual(undeclared, [], 'case forms that do not declare the action their save needs')
    const postActionOf = (path: string): RecordAction => declared.get(path)!
    const snapshot = async () =>
      JSON.stringify([
        await database.db.select({ id: childCase.id, v: childCase.version }).from(childCase).where(inArray(childCase.id, m.cases.map((c) => c.caseId))),
        await database.db.select({ id: caseNote.id, v: caseNote.version }).from(caseNote).orderBy(caseNote.id),
        await database.db.select({ id: plan.id, v: plan.version }).from(plan).orderBy(plan.id),
      ])
    const before = await snapshot()
    const failures: string[] = []
    const requestIds: string[] = []
    let sent = 0
    for (const s of m.scenarios.filter((x) => x.c.partnershipId === x.user.partnershipId)) {
      const subject = { userId: s.user.userId, partnershipId: s.user.partnershipId, roles: s.user.roles, active: true }
      const record = { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships: s.relationships }
      const refused = posts.filter((r) => !decideOnCase(subject, postActionOf(r.path), record).allowed)
      if (refused.length === 0) continue
      const agent = app.agent()
      await signIn(agent, s.user.email, PASSWORD)
      const csrf = csrfFrom((await agent.get('/').expect(200)).text)
      for (const route of refused) {
        const { url } = fill({ kind: 'page', path: route.path }, s)
        const res = await agent
          .post(url)
          .type('form')
          .send({ _csrf: csrf, version: '1', kind: 'note', title: 'Refused', body: 'Refused', summary: 'Refused', 'occurredOn-day': '10', 'occurredOn-month': '11', 'occurredOn-year': '2026' })
        sent++
        requestIds.push(String(res.headers['x-request-id'] ?? ''))
        const at = `POST ${route.path} as ${s.label} (${postActionOf(route.path)} refused): ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}`
        const mayRead = decideOnCase(subject, 'case:read', record).allowed
        if (!mayRead && String(res.text ?? '').includes(s.c.familyName)) failures.push(`${at}: the answer names the child`)
        // Every case POST decides its action before it checks the form's fields (item 6): a refusal,
        // never the form's validation errors (400) or a redirect back with them.
        if (![403, 404].includes(res.status)) failures.push(at)
      }
    }
    assert.ok(sent > 500, `only ${sent} refused forms sent`)
    // Nothing changed: no version moved, and no entry but reads and refusals was written for these requests.
    assert.equal(await snapshot(), before, 'a refused form changed a record')
    const actions = await database.db.selectDistinct({ action: auditEvent.action }).from(auditEvent).where(inArray(auditEvent.requestId, requestIds))
    for (const { action } of actions) if (!/(\.view|\.refused|\.read)/.test(action)) failures.push(`a refused form wrote ${action}`)
    wrong.push(...failures)
    assert.deepEqual(failures, [])
  })

  if (kind === 'api') test('every case operation of the OpenAPI document answers as the policy decides, with a token', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { 'x-case-action'?: RecordAction }>> }
    // An operation that declares the action it needs (x-case-action, e.g. who can see a case) is decided as that.
    const operations: Route[] = Object.entries(doc.paths)
      .filter(([path, ops]) => CASE_API.test(path) && ops.get)
      .map(([path, ops]) => ({ kind: 'api', path, declared: ops.get!['x-case-action'] }))
    assert.ok(operations.length >= KNOWN_API_OPERATIONS, `only ${operations.length} case operations in the document`)
    const tokens = new Map<string, string>()
    const before = wrong.length
    await run(operations, async (s) => {
      let token = tokens.get(s.user.userId)
      if (!token) {
        token = (await createApiToken(database.db, { email: s.user.email, name: 'matrix', now: new Date() })).token
        tokens.set(s.user.userId, token)
      }
      return (url) => app.agent().get(url).set('authorization', `Bearer ${token}`)
    })
    assert.deepEqual(wrong.slice(before), [])
  })

  if (kind !== 'form') test('every allowed or refused read of a child in the matrix leaves exactly one audit entry about the child', async () => {
    const reads = answers.filter((a) => a.s.c.partnershipId === a.s.user.partnershipId && (a.status === 200 || a.status === 403))
    assert.ok(reads.length > 300, `only ${reads.length} reads`)
    const entries = await entriesByRequest()
    const missing: string[] = []
    for (const a of reads) {
      if (!(a.status === 200 && a.shown) && a.status !== 403) continue
      // An entry names the case (record id) or the child (subject person); one entry may name both.
      const n = Math.max(entries.get(`${a.requestId} ${a.s.c.caseId}`) ?? 0, entries.get(`${a.requestId} ${a.s.c.personId}`) ?? 0)
      if (n !== 1) missing.push(`${a.route.kind} GET ${a.route.path} as ${a.s.label}: ${a.status} with ${n} entries`)
    }
    assert.deepEqual(missing, [])
  })

  if (kind !== 'form') test('reads under a break-glass grant in force are flagged in the audit log, and no other read is', async () => {
    const flagged = await database.db
      .select({ requestId: auditEvent.requestId, recordId: auditEvent.recordId, breakGlass: auditEvent.breakGlass })
      .from(auditEvent)
      .where(and(eq(auditEvent.partnershipId, m.world.partnershipId), eq(auditEvent.action, 'case.view')))
    const byRequest = new Map(flagged.map((e) => [`${e.requestId} ${e.recordId}`, e.breakGlass]))
    const wrong: string[] = []
    let underGrant = 0
    for (const a of answers) {
      const flag = byRequest.get(`${a.requestId} ${a.s.c.caseId}`)
      if (flag === undefined) continue
      const subject = { userId: a.s.user.userId, partnershipId: a.s.user.partnershipId, roles: a.s.user.roles, active: true }
      const decision = decideOnCase(subject, 'case:read', { partnershipId: a.s.c.partnershipId, restricted: a.s.c.restricted, relationships: a.s.relationships })
      const expected = decision.allowed && decision.breakGlass
      if (expected) underGrant++
      if (flag !== expected) wrong.push(`${a.route.kind} GET ${a.route.path} as ${a.s.label}: breakGlass ${flag}`)
    }
    assert.ok(underGrant > 0, 'no read under a break-glass grant')
    assert.deepEqual(wrong, [])
  })

  if (kind === 'api') test('every case write of the OpenAPI document, sent with a token by users the policy refuses, is refused and changes nothing', () =>
    apiWrites({ database, app, m }))
})
}
