/**
 * The access matrix for the front door's contacts (issue 15, "Tests that stay"): every page and
 * operation of the contact family (id-routes.ts: /contacts/:id…, /api/v1/contacts/{id}…), for every
 * scenario of the matrix's world (every role, every relationship kind, restricted records, ended
 * involvements, another partnership) asked about a contact naming that scenario's child, and for
 * contacts the front door decided (recently, and longer ago than it keeps reading them). The
 * expected answer is the policy's own: decideOnCase (case:read), and when it refuses,
 * decideOnDecidedContact. Every allowed or refused read of the child leaves exactly one audit entry
 * about the child, with the ground the policy gives.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { contactChild } from '../../src/db/schema/index.ts'
import { decideOnCase, decideOnDecidedContact, type Decision, type Relationship } from '../../src/domain/access/policy.ts'
import { roleIds } from '../../src/domain/access/roles.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW } from '../support/fixtures.ts'
import type { TestApp } from '../support/web.ts'
import { fillRoute, routesOf, type IdRoute } from './id-routes.ts'
import { auditEntriesByRequest, insertContact, openMatrixApp, signedInUsers, type MatrixCase, type MatrixWorld, type Scenario, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld
/** The contact naming each case's child, by case id. */
const contactOf = new Map<string, { id: string; teamId: string; decidedAt: Date | null }>()
const scenarios: Scenario[] = []

const RECENT_DAYS = 2
const LONG_AGO_DAYS = 10

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
  const { world, other } = m
  const [caseA, caseR, caseP, caseX] = m.cases as [MatrixCase, MatrixCase, MatrixCase, MatrixCase]
  const find = (key: string) => m.users.find((u) => u.key === key)!
  const keeper = await world.user(['front-door-practitioner'], { team: 'front-door' })
  const frontDoorTeam = world.teams['front-door']!
  const [a] = await database.db.select({ id: contactChild.contactId }).from(contactChild).where(eq(contactChild.caseId, caseA.caseId))
  contactOf.set(caseA.caseId, { id: a!.id, teamId: frontDoorTeam, decidedAt: null })
  // Undecided contacts about the restricted children: the front door team holds them (front-door-contact).
  for (const c of [caseR, caseP]) contactOf.set(c.caseId, { id: await insertContact(world, c, keeper.userId), teamId: frontDoorTeam, decidedAt: null })
  const otherKeeper = await other.user(['front-door-practitioner'], { team: 'front-door' })
  contactOf.set(caseX.caseId, { id: await insertContact(other, caseX, otherKeeper.userId), teamId: other.teams['front-door']!, decidedAt: null })

  // Contacts the front door decided and told the referrer about: the case is the assessment team's,
  // the contact is read by the deciding team for a while (decideOnDecidedContact).
  const decidedCase = async (key: string, daysAgo: number, restricted = false): Promise<MatrixCase> => {
    const familyName = `Matrix${key.replace(/\W/g, '')}${Math.random().toString(36).slice(2, 8)}`
    const made = await world.childCase({ familyName, restricted })
    const mc: MatrixCase = { key, ...made, familyName, partnershipId: world.partnershipId, restricted, records: {} }
    const id = await insertContact(world, mc, keeper.userId, { daysAgo })
    contactOf.set(mc.caseId, { id, teamId: frontDoorTeam, decidedAt: new Date(FIXED_NOW.getTime() - daysAgo * 24 * 3600_000) })
    return mc
  }
  const recent = await decidedCase('contact decided recently', RECENT_DAYS)
  const longAgo = await decidedCase('contact decided long ago', LONG_AGO_DAYS)
  const restrictedRecent = await decidedCase('restricted, contact decided recently', RECENT_DAYS, true)

  const user = async (key: string, roles: User['roles'], team: string): Promise<User> => ({ ...(await world.user(roles, { team })), key })
  const tmFrontDoor = await user('team manager, front door', ['team-manager'], 'front-door')
  const swFrontDoor = await user('social worker, front door', ['social-worker'], 'front-door')
  const fdpContact = find('front door, open contact')
  const add = (u: User, c: MatrixCase, relationships: Relationship[]) => scenarios.push({ user: u, c, relationships, label: `${u.key} → ${c.key}` })

  // Every scenario of the matrix's world, about a contact naming its child.
  scenarios.push(...m.scenarios)
  // The front door team's contacts (front-door-contact): a manager and a social worker of that team too, and the restricted children.
  for (const u of [tmFrontDoor, swFrontDoor]) add(u, caseA, ['front-door-contact'])
  for (const c of [caseR, caseP]) for (const u of [fdpContact, tmFrontDoor]) add(u, c, ['front-door-contact'])
  // Decided contacts: the deciding team's roles, the case's team, a partner, and one user of every role with no relationship.
  for (const c of [recent, longAgo, restrictedRecent]) {
    for (const u of [fdpContact, tmFrontDoor, swFrontDoor]) add(u, c, [])
    for (const key of ['team manager, case team', 'social worker, case team']) add(find(key), c, ['team'])
    add(find('partner, agency involved'), c, [])
    for (const role of roleIds) add(find(`${role}, no relationship`), c, [])
  }
})
after(() => database?.close())

const subjectOf = (u: User) => ({ userId: u.userId, partnershipId: u.partnershipId, roles: u.roles, active: true })

/** What the policy says of a scenario's contact: the child's case, else the contact as its deciding team. */
function decideContact(s: Scenario): { read: Decision; contact: Decision | null } {
  const record = { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships: s.relationships }
  const read = decideOnCase(subjectOf(s.user), 'case:read', record)
  if (read.allowed) return { read, contact: null }
  const c = contactOf.get(s.c.caseId)!
  const contact = decideOnDecidedContact({ ...subjectOf(s.user), teamId: s.user.teamId }, { partnershipId: s.c.partnershipId, teamId: c.teamId, decidedAt: c.decidedAt, restricted: s.c.restricted }, FIXED_NOW)
  return { read, contact }
}

describe('the access matrix (front door contacts)', () => {
  test('every contact page and operation answers as the policy decides, each read or refusal of the child audited once with its ground', async () => {
    const routes = await routesOf('contact', app.app, () => app.agent())
    assert.ok(routes.some((r) => r.kind === 'page') && routes.some((r) => r.kind === 'api'), `contact routes: ${JSON.stringify(routes)}`)
    const users = signedInUsers(app, database.db)
    const get = async (r: IdRoute, u: User, url: string) =>
      r.kind === 'page' ? (await users.agentOf(u)).get(url) : app.agent().get(url).set('authorization', `Bearer ${await users.tokenOf(u)}`)
    const wrong: string[] = []
    const reads: { at: string; s: Scenario; requestId: string; expected: { action: string; ground: string | null; breakGlass: boolean } }[] = []
    const outcomes = new Set<string>()
    for (const s of scenarios) {
      const { read, contact } = decideContact(s)
      const shown = read.allowed || contact?.allowed === true
      const refusal = !read.allowed ? (contact?.allowed ? null : read) : null
      const conceal = refusal !== null && !refusal.allowed && refusal.conceal === true
      const ours = s.c.partnershipId === s.user.partnershipId
      outcomes.add(!ours ? 'another partnership' : read.allowed ? `case:${read.ground}` : contact?.allowed ? `contact:${contact.ground}` : conceal ? 'concealed' : 'refused')
      for (const r of routes) {
        const url = fillRoute(r, () => contactOf.get(s.c.caseId)!.id)
        const res = await get(r, s.user, url)
        const at = `${r.kind} GET ${r.path} as ${s.label} (${read.allowed ? `case read under ${read.ground}` : contact?.allowed ? `contact read under ${contact.ground}` : conceal ? 'concealed' : 'refused'})`
        const body = res.text ?? ''
        const status = !ours || conceal ? 404 : shown ? 200 : 403
        if (res.status !== status) wrong.push(`${at}: ${res.status}, expected ${status}`)
        if (body.includes(s.c.familyName) !== shown) wrong.push(`${at}: the child is ${shown ? 'not ' : ''}named`)
        if (conceal && /restricted/i.test(body)) wrong.push(`${at}: the refusal says the record is restricted`)
        if (r.kind === 'api' && res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${at}: not a problem document`)
        if (!ours) continue
        const expected = read.allowed
          ? { action: 'case.view', ground: read.ground, breakGlass: read.breakGlass }
          : contact?.allowed
            ? { action: 'contact.view', ground: contact.ground, breakGlass: false }
            : { action: 'case.read.refused', ground: null, breakGlass: false }
        reads.push({ at, s, requestId: String(res.headers['x-request-id'] ?? ''), expected })
      }
    }
    for (const o of ['another partnership', 'concealed', 'refused', 'case:allocated-worker', 'case:front-door-contact', 'case:explicit-permission', 'case:break-glass', 'contact:deciding-team']) {
      assert.ok(outcomes.has(o), `no scenario where ${o}: ${[...outcomes].join(', ')}`)
    }

    // Exactly one entry about the child (its case or the child as subject) per read or refusal.
    const byRequest = await auditEntriesByRequest(database.db, m.world.partnershipId)
    for (const { at, s, requestId, expected } of reads) {
      const about = (byRequest.get(requestId) ?? []).filter((e) => e.recordId === s.c.caseId || e.subjectPersonId === s.c.personId)
      const got = about.map((e) => ({ action: e.action, ground: e.ground, breakGlass: e.breakGlass }))
      if (got.length !== 1 || JSON.stringify(got[0]) !== JSON.stringify(expected)) wrong.push(`${at}: audited as ${JSON.stringify(got)}, expected one ${JSON.stringify(expected)}`)
    }
    assert.ok(reads.length >= 150, `only ${reads.length} reads`)
    assert.deepEqual(wrong, [])
  })

  test("a decision on a contact about a restricted child, by users it is concealed from, answers 404 and is audited as a refusal", async () => {
    const users = signedInUsers(app, database.db)
    const wrong: string[] = []
    const concealed = scenarios.filter((s) => {
      if (s.c.partnershipId !== s.user.partnershipId) return false
      const d = decideOnCase(subjectOf(s.user), 'case:update', { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships: s.relationships })
      return !d.allowed && d.conceal === true
    })
    assert.ok(concealed.length >= 5, `only ${concealed.length} concealed scenarios`)
    const sent: { s: Scenario; requestId: string }[] = []
    for (const s of concealed) {
      const res = await app.agent()
        .post(`/api/v1/contacts/${contactOf.get(s.c.caseId)!.id}/decision`)
        .set('authorization', `Bearer ${await users.tokenOf(s.user)}`)
        .send({ decision: 'nfa', reason: 'Refused decision', version: 1 })
      if (res.status !== 404 || (res.text ?? '').includes(s.c.familyName)) wrong.push(`POST decision as ${s.label}: ${res.status}`)
      sent.push({ s, requestId: String(res.headers['x-request-id'] ?? '') })
    }
    const byRequest = await auditEntriesByRequest(database.db, m.world.partnershipId)
    for (const { s, requestId } of sent) {
      const actions = (byRequest.get(requestId) ?? []).filter((e) => e.recordId === s.c.caseId).map((e) => e.action)
      if (JSON.stringify(actions) !== JSON.stringify(['case.update.refused'])) wrong.push(`POST decision as ${s.label}: audited as ${JSON.stringify(actions)}`)
    }
    assert.deepEqual(wrong, [])
  })
})
