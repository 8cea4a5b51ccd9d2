/**
 * The access matrix for the caseload and the team view (issue 15, "Tests that stay"): lists that
 * name children without a case in their path, the team view choosing a worker by id
 * (`?worker=`). For one user of every role and the users related to the matrix's cases (the case
 * team's managers, with and without explicit permission to a restricted case; the allocated
 * worker, with explicit permission to one restricted child), pages and API: the child is named
 * exactly when decideOnCase lets the user read the case through the list's relationships
 * (allocated worker; the case's team) without break-glass, never another partnership's; the team
 * view answers 403 without team:oversee (decideGeneral); each listing that names children leaves
 * one case.list entry naming exactly those.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { decideGeneral, decideOnCase, type Relationship } from '../../src/domain/access/policy.ts'
import { roleIds } from '../../src/domain/access/roles.ts'
import type { TestDatabase } from '../support/database.ts'
import type { TestApp } from '../support/web.ts'
import { auditEntriesByRequest, openMatrixApp, signedInUsers, type MatrixCase, type MatrixWorld, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld
/** Each user's relationships to each case, as the fixture made them: `${userId} ${caseId}`. */
const held = new Map<string, Relationship[]>()
let users: User[] = []
let worker: User

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
  const [caseA, caseR, caseP] = m.cases as [MatrixCase, MatrixCase, MatrixCase, MatrixCase]
  const find = (key: string) => m.users.find((u) => u.key === key)!
  worker = find('social worker, allocated')
  const tmTeam = find('team manager, case team')
  const tmExplicit: User = { ...(await m.world.user(['team-manager'], { team: 'assessment' })), key: 'team manager, case team, explicit permission to the restricted case' }
  await m.world.grant(caseR.caseId, tmExplicit.userId, 'explicit-permission')
  await m.world.grant(caseP.caseId, worker.userId, 'explicit-permission')
  const set = (u: User, c: MatrixCase, r: Relationship[]) => held.set(`${u.userId} ${c.caseId}`, r)
  // Every case of the world is the assessment team's and allocated to the worker (world.ts).
  for (const c of [caseA, caseR, caseP]) {
    set(worker, c, c === caseP ? ['allocated-worker', 'explicit-permission'] : ['allocated-worker'])
    set(tmTeam, c, ['team'])
    set(tmExplicit, c, c === caseR ? ['team', 'explicit-permission'] : ['team'])
    set(find('social worker, case team'), c, ['team'])
    set(find('front door, case team'), c, ['team'])
  }
  users = [worker, tmTeam, tmExplicit, find('social worker, case team'), find('front door, case team'), ...roleIds.map((r) => find(`${r}, no relationship`))]
})
after(() => database?.close())

const subjectOf = (u: User) => ({ userId: u.userId, partnershipId: u.partnershipId, roles: u.roles, active: true })

/** Whether a list of the cases the user holds `need` to, read through `through`, names the case's child to the user. */
function listed(u: User, c: MatrixCase, need: Relationship, through: Relationship[]): boolean {
  const rels = held.get(`${u.userId} ${c.caseId}`) ?? []
  const via = rels.filter((r) => through.includes(r))
  if (!rels.includes(need) || c.partnershipId !== u.partnershipId) return false
  const relationships: Relationship[] = rels.includes('explicit-permission') ? [...via, 'explicit-permission'] : via
  const read = decideOnCase(subjectOf(u), 'case:read', { partnershipId: c.partnershipId, restricted: c.restricted, relationships })
  return read.allowed && !read.breakGlass
}

describe('the access matrix (caseload and team view)', () => {
  test('the caseload and the team view with a worker chosen by id name each child as the policy decides, page and API, each listing audited once', async () => {
    const signed = signedInUsers(app, database.db)
    const lists = [
      // The user's allocated cases, read as their allocated worker or through their team.
      { name: 'caseload', page: '/caseload', api: '/api/v1/caseload', need: 'allocated-worker' as Relationship, through: ['allocated-worker', 'team'] as Relationship[], may: () => true },
      {
        name: 'team view',
        page: `/team?worker=${worker.userId}`,
        api: `/api/v1/team?worker=${worker.userId}`,
        // The team's cases: the team's manager reads them through the team.
        need: 'team' as Relationship,
        through: ['team'] as Relationship[],
        may: (u: User) => decideGeneral(subjectOf(u), 'team:oversee').allowed,
      },
    ]
    const wrong: string[] = []
    const listings: { at: string; requestId: string; c: MatrixCase; shown: boolean }[] = []
    let named = 0
    for (const u of users) {
      for (const list of lists) {
        const may = list.may(u)
        const answers = [
          ['page', await (await signed.agentOf(u)).get(list.page)],
          ['api', await app.agent().get(list.api).set('authorization', `Bearer ${await signed.tokenOf(u)}`)],
        ] as const
        for (const [kind, res] of answers) {
          const at = `${kind} ${list.name} as ${u.key}`
          if (res.status !== (may ? 200 : 403)) {
            wrong.push(`${at}: ${res.status}, expected ${may ? 200 : 403}`)
            continue
          }
          for (const c of m.cases) {
            const shown = may && listed(u, c, list.need, list.through)
            if ((res.text ?? '').includes(c.familyName) !== shown) wrong.push(`${at} → ${c.key}: the child is ${shown ? 'not ' : ''}named`)
            if (shown) named++
            if (may) listings.push({ at: `${at} → ${c.key}`, requestId: String(res.headers['x-request-id'] ?? ''), c, shown })
          }
        }
      }
    }
    assert.ok(named >= 10, `only ${named} children named`)

    // A listing that names children is one case.list entry naming exactly them; one that names none writes nothing about them.
    const byRequest = await auditEntriesByRequest(database.db, m.world.partnershipId)
    for (const l of listings) {
      const entries = byRequest.get(l.requestId) ?? []
      const naming = entries.filter((e) => ((e.detail as { caseIds?: string[] } | null)?.caseIds ?? []).includes(l.c.caseId) || e.recordId === l.c.caseId)
      if (l.shown && (entries.length !== 1 || entries[0]!.action !== 'case.list' || naming.length !== 1)) wrong.push(`${l.at}: audited as ${JSON.stringify(entries.map((e) => e.action))}`)
      if (!l.shown && naming.length > 0) wrong.push(`${l.at}: an entry names the child it did not show`)
    }
    assert.deepEqual(wrong, [])
  })
})
