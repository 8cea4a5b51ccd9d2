/**
 * The access matrix for the statutory returns pages and API that read every child's care record at
 * once (issue 19, item 8): /returns, /returns/ssda903 with its findings and files, and the API's
 * 903 findings and files. They name no case in their path, so the case matrix (matrix.ts) does not
 * reach them; here one user of every role, and the analyst of another partnership, ask each with a
 * session and a token. Allowed exactly when the policy lets the user run returns (returns:run,
 * decideGeneral): 200, else 403 (a problem document from the API), naming no child. Each run of our
 * own 903 is audited as the export is (services/returns/ssda903-export): one entry for the run and
 * one per case of each child included; a refusal writes neither, and another partnership's run
 * names none of ours.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { decideGeneral } from '../../src/domain/access/policy.ts'
import { roleIds } from '../../src/domain/access/roles.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW, World } from '../support/fixtures.ts'
import { buildSsda903Record } from '../support/ssda903-record.ts'
import { openTestApp, type TestApp } from '../support/web.ts'
import { auditEntriesByRequest, signedInUsers, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let world: World
let users: User[] = []
let outsider: User
/** The cases of the children in our 903 for 2025-26, and their family names (never in a refusal). */
let cases: string[] = []
let familyNames: string[] = []

before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  const record = await buildSsda903Record(world)
  cases = [record.inCare.caseId, record.leaver.caseId, record.uasc.caseId].sort()
  familyNames = ['Fictional']
  for (const role of roleIds) users.push({ ...(await world.user([role], { team: null })), key: role })
  const other = await World.create(database.db)
  outsider = { ...(await other.user(['performance-analyst'], { team: null })), key: 'performance-analyst of another partnership' }
})
after(() => database?.close())

const YEAR = 2026
/** The page or operation, and the audit action of a run (null: it runs nothing). */
const ROUTES: { kind: 'page' | 'api'; path: string; run: 'returns:ssda903-validate' | 'returns:ssda903-export' | null }[] = [
  { kind: 'page', path: '/returns', run: null },
  { kind: 'page', path: '/returns/ssda903', run: null },
  { kind: 'page', path: `/returns/ssda903/findings?year=${YEAR}`, run: 'returns:ssda903-validate' },
  { kind: 'page', path: `/returns/ssda903/export?year=${YEAR}`, run: 'returns:ssda903-export' },
  { kind: 'api', path: `/api/v1/returns/ssda903/findings?year=${YEAR}`, run: 'returns:ssda903-validate' },
  { kind: 'api', path: `/api/v1/returns/ssda903/files?year=${YEAR}`, run: 'returns:ssda903-export' },
]

describe('the access matrix (statutory returns: the SSDA903)', () => {
  test('every role, page and API: 200 with returns:run, else 403 naming no child; each run audited once with each case included', async () => {
    const signed = signedInUsers(app, database.db)
    const wrong: string[] = []
    const asked: { at: string; requestId: string; run: string | null; ours: boolean; may: boolean }[] = []
    for (const u of [...users, outsider]) {
      const may = decideGeneral({ userId: u.userId, partnershipId: u.partnershipId, roles: u.roles, active: true }, 'returns:run').allowed
      for (const route of ROUTES) {
        const res =
          route.kind === 'page'
            ? await (await signed.agentOf(u)).get(route.path).buffer(true)
            : await app.agent().get(route.path).set('authorization', `Bearer ${await signed.tokenOf(u)}`).buffer(true)
        const at = `${route.kind} GET ${route.path} as ${u.key} (${may ? 'allowed' : 'refused'})`
        if (res.status !== (may ? 200 : 403)) wrong.push(`${at}: ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}`)
        const body = res.text ?? ''
        if (!may && (familyNames.some((n) => body.includes(n)) || cases.some((c) => body.includes(c)))) wrong.push(`${at}: the refusal names a child`)
        if (!may && route.kind === 'api' && !String(res.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${at}: not a problem document`)
        asked.push({ at, requestId: String(res.headers['x-request-id'] ?? ''), run: route.run, ours: u !== outsider, may })
      }
    }
    assert.ok(users.some((u) => decideGeneral({ ...u, active: true }, 'returns:run').allowed), 'a role may run returns')
    assert.ok(asked.length >= (roleIds.length + 1) * ROUTES.length)

    const byRequest = await auditEntriesByRequest(database.db, world.partnershipId)
    const outsiderEntries = await auditEntriesByRequest(database.db, outsider.partnershipId)
    for (const a of asked) {
      assert.ok(a.requestId, `${a.at}: no request id`)
      const entries = [...(byRequest.get(a.requestId) ?? []), ...(outsiderEntries.get(a.requestId) ?? [])]
      const runs = entries.filter((e) => e.action.startsWith('returns:'))
      const children = runs.filter((e) => e.action.endsWith('.child')).map((e) => e.recordId ?? '').sort()
      const expected = !a.may || a.run === null ? { runs: [] as string[], children: [] as string[] } : { runs: [a.run], children: a.ours ? cases : [] }
      const got = { runs: runs.filter((e) => !e.action.endsWith('.child')).map((e) => e.action), children }
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${a.at}: audited ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`)
      if (children.some((c) => !a.ours && cases.includes(c))) wrong.push(`${a.at}: another partnership's run names our child`)
    }
    assert.deepEqual(wrong, [])
  })
})
