/**
 * The access matrix for the lists of cases on the home page (GET / and GET /api/v1/cases?list=),
 * which name children without naming a case in their path, so the case matrix (matrix.ts) does not
 * reach them. Each list is paged and counted in SQL with the policy's answer put into the query
 * (shownByPolicy), so this checks that SQL against the policy itself: for every scenario of the
 * matrix's world and every list, the scenario's child is listed, and counted, exactly when the user
 * holds the list's relationship to the case (allocated worker, team, agency involvement, an
 * invitation or a request addressed to them) and decideOnCase with it (and an explicit permission,
 * which a restricted case needs) lets them read the case without break-glass or take part in it;
 * another partnership's child never. A partner's invitation links to the participation view. Each
 * listing leaves one case.list entry naming the children it showed; the home page lists the child
 * under the same rule for the lists of the user's roles.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { decideOnCase, type Relationship } from '../../src/domain/access/policy.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import { CASE_LIST_KINDS, type CaseListKind } from '../../src/services/journey/cases.ts'
import type { TestDatabase } from '../support/database.ts'
import { PASSWORD } from '../support/fixtures.ts'
import { $, signIn, type TestApp } from '../support/web.ts'
import { auditEntriesByRequest, openMatrixApp, type MatrixWorld, type Scenario } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
})
after(() => database?.close())

const LIST_RELATIONSHIPS: Record<CaseListKind, Relationship[]> = {
  allocated: ['allocated-worker'],
  team: ['team'],
  agency: ['agency-involvement'],
  invited: ['invitation', 'addressed-request'],
}

/** Whether the policy lists the scenario's child on `list`, and whether only as participation. */
function expected(s: Scenario, list: CaseListKind): { listed: boolean; participationOnly: boolean } {
  const held = s.relationships.filter((r) => LIST_RELATIONSHIPS[list].includes(r))
  if (held.length === 0 || s.c.partnershipId !== s.user.partnershipId) return { listed: false, participationOnly: false }
  const subject = { userId: s.user.userId, partnershipId: s.user.partnershipId, roles: s.user.roles, active: true }
  const relationships: Relationship[] = s.relationships.includes('explicit-permission') ? [...held, 'explicit-permission'] : held
  const record = { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships }
  const read = decideOnCase(subject, 'case:read', record)
  if (read.allowed && !read.breakGlass) return { listed: true, participationOnly: false }
  return { listed: decideOnCase(subject, 'case:participate', record).allowed, participationOnly: true }
}

describe('the access matrix (home page case lists)', () => {
  test('each list names and counts each child as the policy decides, in the API and on the home page; each listing audited once', async () => {
    const wrong: string[] = []
    const tokens = new Map<string, string>()
    const listings: { at: string; requestId: string; caseId: string; listed: boolean }[] = []
    let listedSome = 0
    for (const s of m.scenarios) {
      let token = tokens.get(s.user.userId)
      if (!token) {
        token = (await createApiToken(database.db, { email: s.user.email, name: 'matrix case lists', now: new Date() })).token
        tokens.set(s.user.userId, token)
      }
      for (const list of CASE_LIST_KINDS) {
        const want = expected(s, list)
        const at = `list ${list} as ${s.label} (${want.listed ? (want.participationOnly ? 'participation' : 'listed') : 'not listed'})`
        const res = await app.agent().get(`/api/v1/cases?list=${list}&limit=100`).set('authorization', `Bearer ${token}`)
        if (res.status !== 200) {
          wrong.push(`${at}: ${res.status}`)
          continue
        }
        const items = res.body.items as { id: string; participationOnly?: boolean }[]
        const row = items.find((c) => c.id === s.c.caseId)
        if (Boolean(row) !== want.listed) wrong.push(`${at}: the child is ${row ? '' : 'not '}listed`)
        if (row && Boolean(row.participationOnly) !== want.participationOnly) wrong.push(`${at}: participationOnly is ${row.participationOnly}`)
        if (res.body.total !== items.length) wrong.push(`${at}: total ${res.body.total} for ${items.length} cases listed`)
        if (!want.listed && (res.text.includes(s.c.familyName) || res.text.includes(s.c.personId))) wrong.push(`${at}: the answer names the child`)
        if (want.listed) listedSome++
        if (items.length > 0) listings.push({ at, requestId: String(res.headers['x-request-id'] ?? ''), caseId: s.c.caseId, listed: want.listed })
      }
    }
    assert.ok(listedSome >= 8, `only ${listedSome} scenarios listed a child`)

    // One case.list entry per listing that showed anything, naming the children it showed.
    const byRequest = await auditEntriesByRequest(database.db, m.world.partnershipId)
    for (const l of listings) {
      const mine = byRequest.get(l.requestId) ?? []
      const ids = (mine[0]?.detail as { caseIds?: string[] } | null)?.caseIds ?? []
      if (mine.length !== 1 || mine[0]!.action !== 'case.list') wrong.push(`${l.at}: audited as ${JSON.stringify(mine.map((e) => e.action))}`)
      else if (ids.includes(l.caseId) !== l.listed) wrong.push(`${l.at}: the entry ${l.listed ? 'leaves out' : 'names'} the child`)
    }

    // The home page: the child is there when one of the lists of the user's roles lists it.
    const HOME_LISTS: Partial<Record<string, CaseListKind[]>> = {
      'front-door-practitioner': ['team', 'invited'],
      'social-worker': ['allocated', 'team'],
      'team-manager': ['team'],
      'conference-chair': ['invited'],
      'partner-practitioner': ['agency', 'invited'],
    }
    const pages = new Map<string, string>()
    let onHome = 0
    for (const s of m.scenarios) {
      let html = pages.get(s.user.userId)
      if (html === undefined) {
        const agent = app.agent()
        await signIn(agent, s.user.email, PASSWORD)
        html = (await agent.get('/').expect(200)).text
        pages.set(s.user.userId, html)
      }
      const lists = s.user.roles.flatMap((r) => HOME_LISTS[r] ?? [])
      const want = lists.some((list) => expected(s, list).listed)
      const shown = $(html)(`main a[href^="/cases/${s.c.caseId}"]`).length > 0
      if (shown !== want) wrong.push(`home page as ${s.label}: the child is ${shown ? '' : 'not '}listed`)
      if (shown) onHome++
    }
    assert.deepEqual(wrong, [])
    assert.ok(onHome >= 6, `only ${onHome} home pages list their child`)
  })
})
