/**
 * The access matrix for subject access requests (issue 18 §3; id-routes.ts family `subjectAccess`):
 * every page and operation that takes a request's id, asked by a user of every role about a
 * released request on a child of the partnership and about another partnership's request. Only
 * the roles the policy gives subject-access:manage (the data protection officer, i.e. the auditor,
 * and team managers) are answered, each read audited once against the child with its ground.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { decideGeneral } from '../../src/domain/access/policy.ts'
import { roleIds } from '../../src/domain/access/roles.ts'
import { subjectAccessItemDecision, subjectAccessNew } from '../../src/services/records/subject-access-input.ts'
import {
  approveSubjectAccessRelease,
  compileSubjectAccessBundle,
  decideSubjectAccessItem,
  getSubjectAccessRequest,
  recordSubjectAccessRequest,
  submitSubjectAccessReview,
} from '../../src/services/records/subject-access.ts'
import type { World } from '../support/fixtures.ts'
import { FIXED_NOW } from '../support/fixtures.ts'
import type { TestDatabase } from '../support/database.ts'
import type { TestApp } from '../support/web.ts'
import { fillRoute, routesOf } from './id-routes.ts'
import { auditEntriesByRequest, openMatrixApp, signedInUsers, type MatrixCase, type MatrixWorld, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld
const requests: { id: string; child: MatrixCase; ours: boolean }[] = []

/** A request about the child, compiled, every item released, approved by a second person. */
async function releasedRequest(world: World, c: MatrixCase): Promise<string> {
  const dpo = await world.user(['auditor'], { team: null })
  const manager = await world.user(['team-manager'])
  const ctx = world.ctx(dpo, FIXED_NOW)
  const { id } = await recordSubjectAccessRequest(ctx, subjectAccessNew.parse({ requesterName: 'A fictional parent', requesterKind: 'parent', requesterRelationship: 'Mother', receivedOn: '2026-11-01', personIds: [c.personId] }))
  await compileSubjectAccessBundle(ctx, id, 1)
  const view = await getSubjectAccessRequest(ctx, id)
  for (const item of view.items) await decideSubjectAccessItem(ctx, id, item.id, subjectAccessItemDecision.parse({ decision: 'released', version: item.version }))
  await submitSubjectAccessReview(ctx, id, view.request.version)
  await approveSubjectAccessRelease(world.ctx(manager, FIXED_NOW), id, view.request.version + 1)
  return id
}

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
  const unrestricted = m.cases.find((c) => !c.restricted && c.partnershipId === m.world.partnershipId)!
  const theirs = m.cases.find((c) => c.partnershipId === m.other.partnershipId)!
  requests.push({ id: await releasedRequest(m.world, unrestricted), child: unrestricted, ours: true })
  requests.push({ id: await releasedRequest(m.other, theirs), child: theirs, ours: false })
})
after(() => database?.close())

describe('the access matrix (subject access requests)', () => {
  test('only the data protection officer and team managers are answered, each read audited against the child', async () => {
    const users = signedInUsers(app, database.db)
    const routes = await routesOf('subjectAccess', app.app, () => app.agent())
    assert.ok(routes.some((r) => r.kind === 'page') && routes.some((r) => r.kind === 'api'), JSON.stringify(routes))
    const askers: User[] = roleIds.map((role) => m.users.find((u) => u.key === `${role}, no relationship`)!)
    const wrong: string[] = []
    const audited: { at: string; requestId: string; child: MatrixCase; action: string; ground: string }[] = []
    for (const r of routes) {
      for (const u of askers) {
        for (const q of requests) {
          const may = decideGeneral(u, 'subject-access:manage')
          const expected = !may.allowed ? 403 : q.ours ? 200 : 404
          const url = fillRoute(r, () => q.id)
          const res = r.kind === 'page' ? await (await users.agentOf(u)).get(url) : await app.agent().get(url).set('authorization', `Bearer ${await users.tokenOf(u)}`)
          const at = `${r.kind} GET ${r.path} as ${u.key} (${q.ours ? 'ours' : 'another partnership'})`
          if (res.status !== expected) wrong.push(`${at}: ${res.status}, expected ${expected}`)
          const bundle = r.path.endsWith('bundle')
          const body = bundle ? '' : (res.text ?? '')
          if (expected === 200 && bundle && !String(res.headers['content-type']).startsWith('application/pdf')) wrong.push(`${at}: not the PDF`)
          if (expected === 200 && !bundle && !body.includes(q.child.familyName)) wrong.push(`${at}: the person is not shown`)
          if (expected !== 200 && (res.text ?? '').includes(q.child.familyName)) wrong.push(`${at}: the refusal names the person`)
          if (expected === 200 && may.allowed) {
            audited.push({ at, requestId: String(res.headers['x-request-id'] ?? ''), child: q.child, action: bundle ? 'subject-access.download' : 'subject-access.view', ground: may.ground })
          }
        }
      }
    }
    const byRequest = await auditEntriesByRequest(database.db, m.world.partnershipId)
    for (const a of audited) {
      const about = (byRequest.get(a.requestId) ?? []).filter((e) => e.subjectPersonId === a.child.personId)
      const got = about.map((e) => ({ action: e.action, ground: e.ground }))
      if (got.length !== 1 || got[0]!.action !== a.action || got[0]!.ground !== a.ground) wrong.push(`${a.at}: audited as ${JSON.stringify(got)}, expected one ${a.action} under ${a.ground}`)
    }
    assert.deepEqual(wrong, [])
    assert.ok(audited.length >= 4, `only ${audited.length} audited reads`)
  })
})
