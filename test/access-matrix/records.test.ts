/**
 * The access matrix for the other records that name a child by id (issue 15, "Tests that stay"):
 * information requests, the auditor's history of a person, a partner's own referrals and the documents shared with a partner's agency — every
 * page and operation of each family (id-routes.ts), for every role and every relationship kind of
 * the matrix's world (restricted records, ended involvements, another partnership), with the
 * expected answer from the policy's own decision function (the one each service asks), and one
 * audit entry about the child for each read (and each refused read of the child's case).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { contactChild } from '../../src/db/schema/index.ts'
import { decideGeneral, decideOnCase, type Decision, type Relationship } from '../../src/domain/access/policy.ts'
import { roleIds } from '../../src/domain/access/roles.ts'
import { SEX } from '../../src/domain/journey/dfe-codes.ts'
import { sendInformationRequest } from '../../src/services/multi-agency/information-requests.ts'
import { submitReferral } from '../../src/services/multi-agency/referrals.ts'
import { shareDocument } from '../../src/services/records/document-sharing.ts'
import { referralInput } from '../../src/services/multi-agency/referrals-input.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW } from '../support/fixtures.ts'
import type { TestApp } from '../support/web.ts'
import { fillRoute, routesOf, type FAMILIES, type IdRoute } from './id-routes.ts'
import { auditEntriesByRequest, openMatrixApp, signedInUsers, type MatrixCase, type MatrixWorld, type Scenario, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld

/** One request of the matrix: the family's record, and what the policy says the answer is. */
interface Probe {
  family: keyof typeof FAMILIES
  recordId: string
  user: User
  child: { caseId: string; personId: string; familyName: string; partnershipId: string }
  label: string
  /** 200 (the child shown), 403 or 404. */
  status: 200 | 403 | 404
  /**
   * The one audit entry about the child this request must leave (null: none is asked, e.g. a refusal
   * by role before any record). An action ending in * is a prefix (the auditor's views of a person:
   * the history, who can see the record).
   */
  entry: { action: string; ground: string | null } | null
}

const probes: Probe[] = []
const subjectOf = (u: User) => ({ userId: u.userId, partnershipId: u.partnershipId, roles: u.roles, active: true })
const caseEntry = (d: Decision) => (d.allowed ? { action: 'case.view', ground: d.ground } : { action: 'case.read.refused', ground: null })
const caseStatus = (d: Decision): 200 | 403 | 404 => (d.allowed ? 200 : d.conceal ? 404 : 403)

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
  const { world, other } = m
  const [caseA, caseR, caseP, caseX] = m.cases as [MatrixCase, MatrixCase, MatrixCase, MatrixCase]
  const find = (key: string) => m.users.find((u) => u.key === key)!
  const unrelated = roleIds.map((role) => find(`${role}, no relationship`))

  // Information requests about each child, to the probation service (the other partnership's to its school).
  const sender = await world.user(['team-manager'], { team: 'assessment' })
  for (const c of [caseR, caseP]) await world.grant(c.caseId, sender.userId, 'explicit-permission')
  const otherSender = await other.user(['team-manager'], { team: 'assessment' })
  const ask = async (c: MatrixCase) => {
    const [w, u, to] = c === caseX ? [other, otherSender, other.agencies.school!] : [world, sender, world.agencies.probation!]
    const row = await sendInformationRequest(w.ctx(u, FIXED_NOW), c.caseId, { toAgencyId: to, personIds: [c.personId], question: 'What do you know?', urgency: 'green' })
    return { id: row.id, toAgencyId: to }
  }
  const requests = new Map<string, { id: string; toAgencyId: string }>()
  for (const c of m.cases) requests.set(c.caseId, await ask(c))
  const partnerAddressed = find('partner, request addressed')
  const requestScenarios: Scenario[] = [...m.scenarios]
  // The addressed agency's practitioner on the restricted children's requests, without any grant to the case.
  for (const c of [caseR, caseP]) requestScenarios.push({ user: partnerAddressed, c, relationships: [], label: `${partnerAddressed.key} → ${c.key}` })
  for (const s of requestScenarios) {
    const request = requests.get(s.c.caseId)!
    const ours = s.c.partnershipId === s.user.partnershipId
    const addressed = ours && s.user.agencyId === request.toAgencyId && decideGeneral(subjectOf(s.user), 'information-request:answer').allowed
    const read = decideOnCase(subjectOf(s.user), 'case:read', { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships: s.relationships })
    probes.push({
      family: 'informationRequest', recordId: request.id, user: s.user, child: s.c,
      label: `${s.label} (${!ours ? 'another partnership' : addressed ? 'addressed to their agency' : read.allowed ? `case read under ${read.ground}` : 'case refused'})`,
      status: !ours ? 404 : addressed ? 200 : caseStatus(read),
      entry: !ours ? null : addressed ? { action: 'information-request.view', ground: 'addressed-request' } : caseEntry(read),
    })
  }

  // The auditor's history of each child, asked by one user of every role (and the other partnership's child).
  for (const c of m.cases) {
    for (const u of unrelated) {
      const may = decideGeneral(subjectOf(u), 'audit:read')
      const ours = c.partnershipId === u.partnershipId
      probes.push({
        family: 'auditHistory', recordId: c.personId, user: u, child: c,
        label: `${u.key} → the history of ${c.key} (${may.allowed ? 'auditor' : 'may not read the audit log'})`,
        status: !may.allowed ? 403 : ours ? 200 : 404,
        entry: may.allowed && ours ? { action: 'audit.*', ground: may.ground } : null,
      })
    }
  }

  // A partner's referral of a child the partnership did not know: only its referrer reads it.
  const referrer = find('partner, agency involved')
  const familyName = `MatrixReferral${Math.random().toString(36).slice(2, 8)}`
  const referral = await submitReferral(world.ctx(referrer, FIXED_NOW), referralInput.parse({
    child: { givenName: 'Fictional', familyName, dateOfBirth: '2018-03-04', sex: SEX[2].code },
    family: { familyDetails: 'Lives with a fictional parent' },
    concern: { concern: 'A fictional concern', urgency: 'standard' },
    consent: { familyTold: 'Told', consent: 'given' },
  }))
  const [link] = await database.db.select().from(contactChild).where(eq(contactChild.contactId, referral.contactId))
  const referred = { caseId: link!.caseId, personId: link!.personId, familyName, partnershipId: world.partnershipId }
  const otherPartner: User = { ...(await other.user(['partner-practitioner'], { agency: 'school', team: null })), key: 'partner of another partnership' }
  for (const u of [referrer, find('partner, involvement ended'), ...unrelated, otherPartner]) {
    const may = decideGeneral(subjectOf(u), 'referral:submit')
    const own = u === referrer
    probes.push({
      family: 'referral', recordId: referral.id, user: u, child: referred,
      label: `${u.key} → ${own ? 'their own referral' : "someone else's referral"}`,
      status: !may.allowed ? 403 : own ? 200 : 404,
      entry: may.allowed && own ? { action: 'referral.view', ground: may.ground } : null,
    })
  }

  // A document of the open case shared with the health agency, whose practitioner cannot read the
  // case (their involvement has not started): they see it, every other user (those who can read the
  // case too, who use the case's own routes) is answered 404, as is the other partnership.
  const keeper = await world.user(['team-manager'], { team: 'assessment' })
  await world.grant(caseA.caseId, keeper.userId, 'explicit-permission')
  const shared = await shareDocument(world.ctx(keeper, FIXED_NOW), caseA.caseId, caseA.records.documentId!, {
    versionId: caseA.records.versionId!, agencyId: world.agencies.health!, purpose: 'For the health assessment', article6Basis: 'public-task',
    specialCategory: true, article9Condition: 'safeguarding-children', consent: 'not-sought', consentReason: 'Safeguarding',
  })
  for (const u of [...m.users, otherPartner]) {
    const toThem = u.partnershipId === world.partnershipId && u.agencyId === world.agencies.health
    probes.push({
      family: 'sharedDocument', recordId: shared.id, user: u, child: caseA,
      label: `${u.key} → a document of ${caseA.key} shared with the health agency (${toThem ? 'their agency' : 'not their agency'})`,
      status: toThem ? 200 : 404,
      entry: toThem ? { action: 'document.*', ground: 'document-share' } : null,
    })
  }
})
after(() => database?.close())

describe('the access matrix (information requests, audit history, referrals, shared documents)', () => {
  test('every page and operation of each family answers as the policy decides, each read of the child audited once with its ground', async () => {
    const users = signedInUsers(app, database.db)
    const get = async (r: IdRoute, u: User, url: string) =>
      r.kind === 'page' ? (await users.agentOf(u)).get(url) : app.agent().get(url).set('authorization', `Bearer ${await users.tokenOf(u)}`)
    const routes = new Map<string, IdRoute[]>()
    for (const family of ['informationRequest', 'auditHistory', 'referral', 'sharedDocument'] as const) {
      const of = await routesOf(family, app.app, () => app.agent())
      assert.ok(of.some((r) => r.kind === 'page') && of.some((r) => r.kind === 'api'), `${family} routes: ${JSON.stringify(of)}`)
      routes.set(family, of)
    }
    const wrong: string[] = []
    const audited: { at: string; p: Probe; requestId: string }[] = []
    for (const p of probes) {
      for (const r of routes.get(p.family)!) {
        const res = await get(r, p.user, fillRoute(r, () => p.recordId))
        const at = `${r.kind} GET ${r.path} as ${p.label}`
        const body = res.text ?? ''
        if (res.status !== p.status) wrong.push(`${at}: ${res.status}, expected ${p.status}`)
        // Shown: named, or (an answer about the child's cases) their case id; refused: never named.
        const shown = body.includes(p.child.familyName) || body.includes(p.child.caseId) || (/\/file$/.test(r.path) && /^attachment/.test(String(res.headers['content-disposition'])))
        if (p.status === 200 && !shown) wrong.push(`${at}: the child is not shown`)
        if (p.status !== 200 && body.includes(p.child.familyName)) wrong.push(`${at}: the refusal names the child`)
        if (p.status === 404 && /restricted/i.test(body)) wrong.push(`${at}: the refusal says the record is restricted`)
        if (r.kind === 'api' && res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${at}: not a problem document`)
        if (p.entry) audited.push({ at, p, requestId: String(res.headers['x-request-id'] ?? '') })
      }
    }
    for (const [family, status] of [['informationRequest', 200], ['informationRequest', 403], ['informationRequest', 404], ['auditHistory', 200], ['auditHistory', 403], ['referral', 200], ['referral', 404], ['sharedDocument', 200], ['sharedDocument', 404]] as const) {
      assert.ok(probes.some((p) => p.family === family && p.status === status), `no ${family} answered ${status}`)
    }

    const byRequest = await auditEntriesByRequest(database.db, m.world.partnershipId)
    for (const { at, p, requestId } of audited) {
      const about = (byRequest.get(requestId) ?? []).filter((e) => e.recordId === p.child.caseId || e.subjectPersonId === p.child.personId)
      const got = about.map((e) => ({ action: e.action, ground: e.ground }))
      const want = p.entry!
      const matches = (e: { action: string; ground: string | null }) =>
        (want.action.endsWith('*') ? e.action.startsWith(want.action.slice(0, -1)) : e.action === want.action) && e.ground === want.ground
      if (got.length !== 1 || !matches(got[0]!)) wrong.push(`${at}: audited as ${JSON.stringify(got)}, expected one ${JSON.stringify(p.entry)}`)
    }
    assert.deepEqual(wrong, [])
    assert.ok(audited.length >= 80, `only ${audited.length} audited reads`)
  })
})
