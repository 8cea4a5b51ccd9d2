/**
 * The access matrix for the child search (GET /child-search and GET /api/v1/child-search), which
 * names children without naming a case in its path, so the case matrix (matrix.ts) does not reach
 * it: every scenario of the matrix's world searches for its case's child by name, on the page
 * with a session and in the API with a token. The answer is the policy's:
 * - a user whose role may not search (decideGeneral person:search) is refused and shown no one;
 * - a child of another partnership is not there;
 * - a restricted child (restricted case, or restricted person) is never named, not even to a user
 *   with explicit permission; a user related to the case (isRelatedToCase) is told that a
 *   restricted record matches, anyone else is not (to them it does not exist);
 * - any other child is named, with their case linked only when decideOnCase allows case:read;
 * and every search leaves exactly one audit entry, person.search, listing the children it showed.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type supertest from 'supertest'
import { person } from '../../src/db/schema/index.ts'
import { decideGeneral, decideOnCase, isRelatedToCase } from '../../src/domain/access/policy.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import type { TestDatabase } from '../support/database.ts'
import { PASSWORD } from '../support/fixtures.ts'
import { $, signIn, type TestApp } from '../support/web.ts'
import { auditEntriesByRequest, openMatrixApp, type MatrixWorld, type Scenario } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld

/** A family name no other child's is like (no shared prefix or trigrams), so each search finds one child. */
function unlikeAnyOther(): string {
  const letters = 'bcdfghjklmnpqrstvwxz'
  return 'Q' + Array.from({ length: 11 }, (_, i) => (i % 2 ? 'aeiou'[randomInt(5)] : letters[randomInt(letters.length)])).join('')
}

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
  for (const c of m.cases) {
    c.familyName = unlikeAnyOther()
    await database.db.update(person).set({ familyName: c.familyName }).where(eq(person.id, c.personId))
  }
})
after(() => database?.close())

interface Found {
  status: number
  named: boolean
  /** The child's case is linked (page) or mayOpenCase (API). */
  opens: boolean
  toldRestricted: boolean
  requestId: string
  text: string
}

async function viaPage(agent: supertest.Agent, s: Scenario): Promise<Found> {
  const res = await agent.get(`/child-search?familyName=${s.c.familyName}`)
  const page = $(res.text ?? '')
  // The refine form repeats what the user typed: the answer is the rest of the page.
  page('[data-qa=refine-form]').remove()
  return {
    status: res.status,
    named: page.html().includes(s.c.familyName),
    opens: page(`a[href="/cases/${s.c.caseId}"]`).length > 0,
    toldRestricted: page('[data-qa=restricted-match]').length > 0,
    requestId: String(res.headers['x-request-id'] ?? ''),
    text: res.text ?? '',
  }
}

async function viaApi(token: string, s: Scenario): Promise<Found> {
  const res = await app.agent().get(`/api/v1/child-search?familyName=${s.c.familyName}`).set('authorization', `Bearer ${token}`)
  const people = (res.body?.people ?? []) as { id: string; mayOpenCase: boolean }[]
  return {
    status: res.status,
    named: (res.text ?? '').includes(s.c.familyName),
    opens: people.some((p) => p.id === s.c.personId && p.mayOpenCase),
    toldRestricted: (res.body?.restrictedMatches ?? 0) > 0,
    requestId: String(res.headers['x-request-id'] ?? ''),
    text: res.text ?? '',
  }
}

describe('the access matrix (child search)', () => {
  test('the child search page and API name each child as the policy decides, each search audited once as person.search', async () => {
    const wrong: string[] = []
    const agents = new Map<string, supertest.Agent>()
    const tokens = new Map<string, string>()
    const searches: { at: string; s: Scenario; found: Found; shown: boolean; told: boolean }[] = []
    for (const s of m.scenarios) {
      const subject = { userId: s.user.userId, partnershipId: s.user.partnershipId, roles: s.user.roles, active: true }
      const record = { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships: s.relationships }
      const maySearch = decideGeneral(subject, 'person:search').allowed
      const ours = s.c.partnershipId === s.user.partnershipId
      const shown = maySearch && ours && !s.c.restricted
      const told = maySearch && ours && s.c.restricted && isRelatedToCase(subject, record)
      const opens = shown && decideOnCase(subject, 'case:read', record).allowed

      let agent = agents.get(s.user.userId)
      if (!agent) {
        agent = app.agent()
        await signIn(agent, s.user.email, PASSWORD)
        agents.set(s.user.userId, agent)
      }
      let token = tokens.get(s.user.userId)
      if (!token) {
        token = (await createApiToken(database.db, { email: s.user.email, name: 'matrix child search', now: new Date() })).token
        tokens.set(s.user.userId, token)
      }
      for (const [how, found] of [['page', await viaPage(agent, s)], ['api', await viaApi(token, s)]] as const) {
        const at = `${how} child search as ${s.label} (${!maySearch ? 'may not search' : shown ? `shown, case ${opens ? 'opens' : 'does not open'}` : told ? 'restricted, told' : 'not there'})`
        if (found.status !== (maySearch ? 200 : 403)) wrong.push(`${at}: ${found.status}`)
        if (found.named !== shown) wrong.push(`${at}: the child is ${found.named ? '' : 'not '}named`)
        if (found.opens !== opens) wrong.push(`${at}: the case ${found.opens ? 'opens' : 'does not open'}`)
        if (found.toldRestricted !== told) wrong.push(`${at}: ${found.toldRestricted ? '' : 'not '}told a restricted record matches`)
        if (!shown && (found.text.includes(s.c.caseId) || found.text.includes(s.c.personId))) wrong.push(`${at}: the answer gives the child's ids`)
        if (maySearch) searches.push({ at, s, found, shown, told })
      }
    }
    assert.ok(searches.length >= 40, `only ${searches.length} searches`)

    // Exactly one entry per search: person.search, naming the child it showed (and no other entry of that request).
    const byRequest = await auditEntriesByRequest(database.db, m.world.partnershipId)
    for (const { at, s, found, shown } of searches) {
      const mine = byRequest.get(found.requestId) ?? []
      const ids = (mine[0]?.detail as { personIds?: string[] } | null)?.personIds ?? []
      if (mine.length !== 1 || mine[0]!.action !== 'person.search') wrong.push(`${at}: audited as ${JSON.stringify(mine.map((e) => e.action))}`)
      else if (ids.includes(s.c.personId) !== shown) wrong.push(`${at}: the entry ${shown ? 'leaves out' : 'names'} the child`)
    }
    assert.deepEqual(wrong, [])
    // The world has restricted children some searchers are told of and others are not.
    assert.ok(searches.some((x) => x.told) && searches.some((x) => x.s.c.restricted && !x.told), 'no restricted child both told of and concealed')
  })
})
