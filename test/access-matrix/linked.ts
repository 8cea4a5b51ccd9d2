/**
 * The access matrix for children reached through the partnership's own records and through
 * break-glass (issue 15, "Tests that stay"): review membership of a serious incident and of the
 * practice review that follows it, the LADO's
 * designated officer's team and the employer's named contact, and breaking the glass on a case.
 * The expected answer is the policy's own (decideOnPartnershipRecord, then decideOnLinkedCase;
 * decideOnCase with the break-glass relationship), and each read or refusal of the child leaves
 * exactly one audit entry about the child's case, with the ground the policy gives.
 */
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type supertest from 'supertest'
import { accessGrant, auditEvent } from '../../src/db/schema/index.ts'
import { decideOnCase, decideOnLinkedCase, decideOnPartnershipRecord, type Decision, type Relationship } from '../../src/domain/access/policy.ts'
import { BREAK_GLASS_HOURS } from '../../src/services/journey/cases.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW, PASSWORD } from '../support/fixtures.ts'
import { csrfFrom, signIn, type TestApp } from '../support/web.ts'
import { fillRoute, routesOf, type IdRoute } from './id-routes.ts'
import { buildLinkedWorld, signedInUsers, type LinkedScenario, type MatrixCase, type MatrixWorld, type User } from './world.ts'

/** The matrix file's database, application and world (linked.test.ts), set by `linkedMatrix`. */
let database: TestDatabase
let app: TestApp
let m: MatrixWorld
let linked: LinkedScenario[] | undefined
let users: ReturnType<typeof signedInUsers> | undefined
const agentOf = (u: User): Promise<supertest.Agent> => users!.agentOf(u)

const subjectOf = (u: User) => ({ userId: u.userId, partnershipId: u.partnershipId, roles: u.roles, active: true })
const caseRecordOf = (c: MatrixCase, relationships: readonly Relationship[]) => ({ partnershipId: c.partnershipId, restricted: c.restricted, relationships })
const requestIdOf = (res: supertest.Response) => String(res.headers['x-request-id'] ?? '')

/** The audit entries a request wrote about a case (record type case, record id the case). */
async function caseEntries(requestId: string, caseId: string) {
  return database.db
    .select({ action: auditEvent.action, ground: auditEvent.ground, breakGlass: auditEvent.breakGlass })
    .from(auditEvent)
    .where(and(eq(auditEvent.requestId, requestId), eq(auditEvent.recordType, 'case'), eq(auditEvent.recordId, caseId)))
}

/** What the policy says of a linked scenario: the partnership record, then the child through it. */
function decideLinked(s: LinkedScenario): { via: Decision; child: Decision } {
  const via = decideOnPartnershipRecord(subjectOf(s.user), 'read', s.record)
  return { via, child: decideOnLinkedCase(subjectOf(s.user), via, caseRecordOf(s.c, s.relationships)) }
}

/** Checks one answer about a linked child; returns what was wrong. */
async function checkLinked(s: LinkedScenario, page: string, res: supertest.Response): Promise<string[]> {
  const { via, child } = decideLinked(s)
  const at = `GET ${page.replace(s.recordId, ':id')} as ${s.label} (record ${via.allowed ? 'open' : 'refused'}, child ${child.allowed ? `shown under ${child.ground}` : 'refused'})`
  const body = res.text ?? ''
  const wrong: string[] = []
  const named = body.includes(s.c.familyName)
  if (res.status >= 500) return [`${at}: ${res.status}`]
  if (s.c.partnershipId !== s.user.partnershipId) {
    if (res.status !== 404) wrong.push(`${at}: ${res.status}, not 404, for another partnership's record`)
  } else if (!via.allowed) {
    if (res.status !== 403) wrong.push(`${at}: ${res.status}, not 403, to someone the record is not open to`)
    const refusals = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.requestId, requestIdOf(res)), eq(auditEvent.recordId, s.recordId)))
    if (refusals.length !== 1 || !refusals[0]!.action.endsWith('.read.refused')) wrong.push(`${at}: audited as ${JSON.stringify(refusals)}`)
  } else if (res.status !== 200) {
    wrong.push(`${at}: ${res.status}`)
  } else {
    if (child.allowed && !named) wrong.push(`${at}: the child is not shown`)
    const entries = await caseEntries(requestIdOf(res), s.c.caseId)
    const expected = child.allowed ? { action: 'case.view', ground: child.ground, breakGlass: false } : { action: 'case.read.refused', ground: null, breakGlass: false }
    if (entries.length !== 1 || JSON.stringify(entries[0]) !== JSON.stringify(expected)) {
      wrong.push(`${at}: audited as ${JSON.stringify(entries)}, expected one ${JSON.stringify(expected)}`)
    }
  }
  if (!child.allowed && named) wrong.push(`${at}: the answer names the child`)
  if (!child.allowed && body.includes(s.c.caseId)) wrong.push(`${at}: the answer gives the child's case id`)
  // The rapid review's chronology shows the child's record (the note written before the incident's end) only to those who may see the child.
  if (page.endsWith('/chronology') && res.status === 200 && (body.includes('A note') !== child.allowed)) {
    wrong.push(`${at}: the child's record is ${child.allowed ? 'missing from' : 'in'} the chronology`)
  }
  return wrong
}

/** The world's partnership records, built once per matrix file on first use. */
export function linkedMatrix(env: { database: TestDatabase; app: TestApp; m: MatrixWorld }) {
  ;({ database, app, m } = env)
  users ??= signedInUsers(app, database.db)
  return { linkedPages, incidentList, breakGlassRoute }
}

async function linkedScenarios(): Promise<LinkedScenario[]> {
  linked ??= await buildLinkedWorld(m)
  return linked
}

/** A serious incident, its rapid review chronology and an allegation show the child as the policy decides, each read audited once with its ground. */
async function linkedPages() {
  const linked = await linkedScenarios()
  // Every page and operation of each record's family (id-routes.ts): a new one is requested the day it is added.
  const pagesOf = new Map<string, IdRoute[]>()
  for (const family of ['incident', 'practiceReview', 'lado'] as const) {
    const routes = await routesOf(family, app.app, () => app.agent())
    assert.ok(routes.some((r) => r.kind === 'page'), `${family}: ${JSON.stringify(routes)}`)
    pagesOf.set(family, routes)
  }
  const wrong: string[] = []
  let sent = 0
  for (const s of linked) {
    const agent = await agentOf(s.user)
    for (const route of pagesOf.get(s.family)!) {
      const page = fillRoute(route, () => s.recordId)
      wrong.push(...(await checkLinked(s, page, await agent.get(page))))
      sent++
    }
  }
  assert.ok(sent >= 70, `only ${sent} pages requested`)
  // Every outcome is met: a child shown under each ground, a refused child, a concealed child, a refused record.
  const outcomes = new Set<string>(linked.map((s) => {
    const { via, child } = decideLinked(s)
    return !via.allowed ? 'record refused' : child.allowed ? child.ground : 'conceal' in child && child.conceal ? 'concealed' : 'refused'
  }))
  for (const o of ['review-member', 'designated-officer-team', 'employer-contact', 'explicit-permission', 'refused', 'concealed', 'record refused']) {
    assert.ok(outcomes.has(o), `no scenario where ${o}`)
  }
  assert.deepEqual(wrong, [])
}

/** A review member's list of incidents (the page and the API's) names each child as the policy decides, each audited once. */
async function incidentList() {
  const linked = await linkedScenarios()
  const wrong: string[] = []
  const byUser = new Map<string, LinkedScenario[]>()
  for (const s of linked) {
    if (s.family !== 'incident' || s.record.kind !== 'review' || s.c.partnershipId !== s.user.partnershipId || !s.record.member) continue
    byUser.set(s.user.userId, [...(byUser.get(s.user.userId) ?? []), s])
  }
  assert.ok(byUser.size >= 4)
  // The page and the API's list, each request audited on its own.
  for (const [scenarios, list] of [...byUser.values()].flatMap((s) => ['/partnership/incidents', '/api/v1/serious-incidents'].map((l) => [s, l] as const))) {
    const res = await (await agentOf(scenarios[0]!.user)).get(list)
    if (res.status !== 200) {
      wrong.push(`GET ${list} as ${scenarios[0]!.user.key}: ${res.status}`)
      continue
    }
    for (const s of scenarios) {
      const { child } = decideLinked(s)
      const at = `GET ${list} as ${s.label}`
      if (res.text.includes(s.c.familyName) !== child.allowed) wrong.push(`${at}: the child is ${child.allowed ? 'not ' : ''}named`)
      const entries = await caseEntries(requestIdOf(res), s.c.caseId)
      const action = child.allowed ? 'case.view' : 'case.read.refused'
      if (entries.length !== 1 || entries[0]!.action !== action || (child.allowed && entries[0]!.ground !== child.ground)) {
        wrong.push(`${at}: audited as ${JSON.stringify(entries)}`)
      }
    }
  }
  assert.deepEqual(wrong, [])
}

/**
 * Breaking the glass answers as the policy decides, flags the grant and every read under it, and
 * the grant ends. Run it last: it gives the users it breaks the glass for a grant.
 */
async function breakGlassRoute() {
  const find = (key: string) => m.users.find((u) => u.key === key)!
  const [caseA, caseR, caseP, caseX] = m.cases as [MatrixCase, MatrixCase, MatrixCase, MatrixCase]
  const relsOf = (u: User, c: MatrixCase) => m.scenarios.find((s) => s.user === u && s.c === c)?.relationships ?? []
  const pairs: [User, MatrixCase][] = [
    [find('social-worker, no relationship'), caseA],
    [find('team-manager, no relationship'), caseA],
    [find('conference-chair, no relationship'), caseA],
    [find('front-door-practitioner, no relationship'), caseR],
    [find('partner-practitioner, no relationship'), caseA],
    [find('business-unit, no relationship'), caseA],
    [find('team manager, case team'), caseR],
    [find('social worker, explicit permission'), caseP],
    [find('social worker, allocated'), caseA],
    [find('team manager, case team'), caseX],
  ]
  const wrong: string[] = []
  const broken: { u: User; c: MatrixCase }[] = []
  for (const [u, c] of pairs) {
    const agent = await agentOf(u)
    const rels = relsOf(u, c)
    const decision = decideOnCase(subjectOf(u), 'case:read', caseRecordOf(c, [...rels, 'break-glass']))
    const at = `POST /cases/:id/break-glass as ${u.key} → ${c.key} (${decision.allowed ? `allowed under ${decision.ground}` : 'refused'})`
    const csrf = csrfFrom((await agent.get('/').expect(200)).text)
    const res = await agent.post(`/cases/${c.caseId}/break-glass`).type('form').send({ _csrf: csrf, reason: 'Urgent safeguarding concern out of hours' })
    const expected = c.partnershipId !== u.partnershipId || (!decision.allowed && decision.conceal) ? 404 : decision.allowed ? 302 : 403
    if (res.status !== expected) wrong.push(`${at}: ${res.status}, expected ${expected}`)
    if (!decision.allowed && (res.text ?? '').includes(c.familyName)) wrong.push(`${at}: the refusal names the child`)
    if (!decision.allowed && decision.conceal && /restricted/i.test(res.text ?? '')) wrong.push(`${at}: the refusal says the record is restricted`)
    const grants = await database.db
      .select({ endsAt: accessGrant.endsAt })
      .from(accessGrant)
      .where(and(eq(accessGrant.caseId, c.caseId), eq(accessGrant.userId, u.userId), eq(accessGrant.kind, 'break-glass')))
    const granted = decision.allowed && decision.breakGlass
    if (grants.length !== (granted ? 1 : 0)) wrong.push(`${at}: ${grants.length} break-glass grants`)
    if (granted && grants[0]!.endsAt?.getTime() !== FIXED_NOW.getTime() + BREAK_GLASS_HOURS * 3600_000) wrong.push(`${at}: the grant ends at ${grants[0]!.endsAt?.toISOString()}`)
    const flagged = await caseEntries(requestIdOf(res), c.caseId)
    if (granted !== flagged.some((e) => e.action === 'case.break-glass' && e.breakGlass)) wrong.push(`${at}: audited as ${JSON.stringify(flagged)}`)
    if (granted) broken.push({ u, c })

    // The case itself, now: what the policy gives with the grant (if one was made).
    const read = decideOnCase(subjectOf(u), 'case:read', caseRecordOf(c, granted ? [...rels, 'break-glass'] : rels))
    const view = await agent.get(`/cases/${c.caseId}`)
    const viewAt = `GET /cases/:id after breaking the glass as ${u.key} → ${c.key}`
    const expectedView = c.partnershipId !== u.partnershipId || (!read.allowed && read.conceal) ? 404 : read.allowed ? 200 : 403
    if (view.status !== expectedView) wrong.push(`${viewAt}: ${view.status}, expected ${expectedView}`)
    if (c.partnershipId === u.partnershipId) {
      const entries = await caseEntries(requestIdOf(view), c.caseId)
      const expectedEntry = read.allowed ? { action: 'case.view', ground: read.ground, breakGlass: read.breakGlass } : { action: 'case.read.refused', ground: null, breakGlass: false }
      if (entries.length !== 1 || JSON.stringify(entries[0]) !== JSON.stringify(expectedEntry)) wrong.push(`${viewAt}: audited as ${JSON.stringify(entries)}`)
    }
  }
  assert.ok(broken.length >= 3, `only ${broken.length} users broke the glass`)

  // When the grant has ended, the policy is asked without it: refused again, and audited as a refusal.
  // (Signed in again: the sessions of before have timed out by then.)
  app.setNow(new Date(FIXED_NOW.getTime() + (BREAK_GLASS_HOURS * 3600 + 60) * 1000))
  try {
    for (const { u, c } of broken) {
      const read = decideOnCase(subjectOf(u), 'case:read', caseRecordOf(c, relsOf(u, c)))
      const agent = app.agent()
      await signIn(agent, u.email, PASSWORD)
      const view = await agent.get(`/cases/${c.caseId}`)
      const at = `GET /cases/:id after the break-glass grant ended as ${u.key} → ${c.key}`
      if (view.status !== (read.allowed ? 200 : 403)) wrong.push(`${at}: ${view.status}`)
      const entries = await caseEntries(requestIdOf(view), c.caseId)
      if (entries.length !== 1 || entries[0]!.breakGlass) wrong.push(`${at}: audited as ${JSON.stringify(entries)}`)
    }
  } finally {
    app.setNow(FIXED_NOW)
  }
  assert.deepEqual(wrong, [])
}
