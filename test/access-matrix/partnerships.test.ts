/**
 * Two partnerships in one deployment (issue 20 item 4): zero reads across them. Both are built the
 * same way (partnerships.ts: a user of every role, cases and every record the matrix builds, the
 * partnership's own records). Every id route of id-routes.ts, page and API, filled with the other
 * partnership's records, answers each user as if the record did not exist: a 404, or the very
 * answer the user gets for an id that exists nowhere (a 403 of a role refused before any record is
 * looked up), never a word naming the other partnership's children, users, teams or agencies.
 * A user of each kind of partnership A (each roles, agency and team: users alike in those differ
 * only in their relationships to A's own records) is sent every route; B's, each a different
 * quarter of them. Also: a record of the other partnership reached under one's own case
 * or record (`/cases/<ours>/notes/<theirs>`); every list and search; and an administrator's
 * changes of the other partnership's users, teams, agencies and settings by id, which change
 * nothing.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'drizzle-orm'
import type supertest from 'supertest'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW } from '../support/fixtures.ts'
import { $, csrfFrom, openTestApp, type TestApp } from '../support/web.ts'
import { decideGeneral } from '../../src/domain/access/policy.ts'
import { routeTable } from '../../src/web/common/route-table.ts'
import { fillRoute, idRoutes, routeKey, type IdRoute } from './id-routes.ts'
import { buildTwoPartnerships, fillFor, NOT_A_RECORD, type Side } from './partnerships.ts'
import { signedInUsers, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let a: Side
let b: Side
let routes: IdRoute[]
let sessions: ReturnType<typeof signedInUsers>

/** An id no partnership holds. */
const NOWHERE = '00000000-0000-4000-8000-00000000abcd'

before(async () => {
  const opened = await openTestApp(FIXED_NOW)
  ;({ database, app } = opened)
  ;({ a, b } = await buildTwoPartnerships(database.db))
  routes = (await idRoutes(app.app, () => app.agent())).filter((r) => !NOT_A_RECORD.has(routeKey(r)))
  sessions = signedInUsers(app, database.db)
})
after(() => database?.close())

async function get(u: User, kind: 'page' | 'api', url: string): Promise<supertest.Response> {
  if (kind === 'page') return (await sessions.agentOf(u)).get(url)
  return app.agent().get(url).set('authorization', `Bearer ${await sessions.tokenOf(u)}`)
}

/**
 * One user of each kind of a side: users of the same roles, agency and team differ only in their
 * relationships to their own partnership's records, which the other's records cannot have.
 */
function oneOfEachKind(side: Side): User[] {
  const seen = new Map<string, User>()
  for (const u of side.users) {
    const kind = `${[...u.roles].sort().join('+')} ${u.agencyId} ${u.teamId}`
    if (!seen.has(kind)) seen.set(kind, u)
  }
  return [...seen.values()]
}

/** The other side's markers found in a text. */
const leaks = (text: string, of: Side) => of.markers.filter((w) => text.includes(w))

/** A route filled with a side's records; `nowhere` instead fills every record id with one that exists nowhere. */
function filled(r: IdRoute, side: Side, nowhere = false): { url: string; real: boolean } {
  let real = true
  const url = fillRoute(r, (name) => {
    const v = fillFor(side, r.kind, r.path, name)
    if (name === 'recordType') return v ?? 'case'
    if (v === undefined) real = false
    return nowhere || v === undefined ? NOWHERE : v
  })
  return { url, real }
}

/**
 * Sends `u` the route filled with `theirs`' records; answers what was wrong. A 404 is right; any
 * other answer is right only when it is the one the user gets for an id that exists nowhere and a
 * 403 (refused before any record is read), with nothing of theirs in it.
 */
async function probe(u: User, r: IdRoute, url: string, control: () => string, theirs: Side, at: string): Promise<{ wrong: string[]; status: number }> {
  const wrong: string[] = []
  const res = await get(u, r.kind, url)
  const named = leaks(res.text ?? '', theirs)
  if (named.length > 0) wrong.push(`${at}: ${res.status} names ${named.slice(0, 3).join(', ')}`)
  if (res.status !== 404) {
    const alike = await get(u, r.kind, control())
    if (res.status !== 403 || alike.status !== 403) wrong.push(`${at}: ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''} (an id that exists nowhere: ${alike.status})`)
  }
  if (r.kind === 'api' && res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${at}: ${res.status} is not a problem document`)
  return { wrong, status: res.status }
}

describe('the access matrix (two partnerships)', () => {
  test("each side's fills are real: the route answers a user of that side with the record", async () => {
    // The order users are tried in: whoever reads most first.
    const order = [
      'social worker, allocated', 'administrator, no relationship', 'business unit, leads the reviews', 'designated officer, recorded the allegations',
      'B: auditor (data protection officer)', 'B: team manager, explicit permission to the open case', 'partner, agency involved',
      'partner, involvement not yet started', 'partner, invited', 'partner, owns a plan action', 'partner, request addressed', 'conference chair, invited',
      'auditor, no relationship', 'team-manager, no relationship', 'business-unit, no relationship',
    ]
    const candidates = order.map((k) => b.users.find((u) => u.key === k)).filter((u): u is User => !!u)
    assert.ok(candidates.length >= 12, `only ${candidates.length} users to try`)
    const read: string[] = []
    const unread: string[] = []
    for (const r of routes) {
      const { url, real } = filled(r, b)
      if (!real) continue
      let ok = false
      for (const u of candidates) {
        const res = await get(u, r.kind, url)
        if (res.status === 200 || (res.status === 302 && String(res.headers.location).startsWith('/cases/'))) {
          ok = true
          break
        }
      }
      ;(ok ? read : unread).push(routeKey(r))
    }
    console.log(`partnerships: ${routes.length} id routes; ${read.length} filled with records a user of the partnership reads; not read by the users tried: ${unread.join(', ') || 'none'}`)
    assert.ok(read.length >= 150, `only ${read.length} routes read with the fills`)
  })

  test("every id route filled with B's records answers every role of A as if the record did not exist", async () => {
    const wrong: string[] = []
    let sent = 0
    let refused403 = 0
    const users = oneOfEachKind(a)
    // Every role (each set of roles a user of A has) on every route; which of its users (their
    // agency and team) goes round from route to route.
    const byRoles = new Map<string, User[]>()
    for (const u of users) {
      const roles = [...u.roles].sort().join('+')
      byRoles.set(roles, [...(byRoles.get(roles) ?? []), u])
    }
    for (const [j, r] of routes.entries()) {
      for (const group of byRoles.values()) {
        const u = group[j % group.length]!
        const { url } = filled(r, b)
        const res = await probe(u, r, url, () => filled(r, b, true).url, b, `${routeKey(r)} as A's ${u.key}`)
        wrong.push(...res.wrong)
        sent++
        if (res.status === 403) refused403++
      }
    }
    console.log(`partnerships: A → B ${sent} requests, ${byRoles.size} roles, ${users.length} users of ${a.users.length} (one of each roles, agency and team) in turn, ${refused403} refused by role before any record`)
    assert.ok(sent > 1500, `only ${sent} requests`)
    assert.deepEqual(wrong, [])
  })

  test("and B's users, each a different quarter of the routes, filled with A's records", async () => {
    const wrong: string[] = []
    let sent = 0
    for (const [i, u] of oneOfEachKind(b).entries()) {
      for (const [j, r] of routes.entries()) {
        if ((i + j) % 4 !== 0) continue
        const { url } = filled(r, a)
        wrong.push(...(await probe(u, r, url, () => filled(r, a, true).url, a, `${routeKey(r)} as B's ${u.key}`)).wrong)
        sent++
      }
    }
    assert.ok(sent > 1000, `only ${sent} requests`)
    assert.deepEqual(wrong, [])
  })

  test("A's record holding B's: B's records under A's own case, LADO case or practice review are not found", async () => {
    const byKey = (side: Side, key: string) => side.users.find((u) => u.key === key)!
    const wrong: string[] = []
    let sent = 0
    for (const r of routes) {
      const params = [...r.path.matchAll(r.kind === 'page' ? /:(\w+)/g : /\{(\w+)\}/g)].map((x) => x[1]!)
      if (params.length < 2) continue
      const reader = /^\/(api\/v1\/)?cases\//.test(r.kind === 'page' ? r.path : `/api/v1${r.path}`)
        ? byKey(a, 'social worker, allocated')
        : /lado/.test(r.path)
          ? byKey(a, 'designated officer, recorded the allegations')
          : byKey(a, 'business unit, leads the reviews')
      // The first parameter A's own record; the rest B's records, or ids that exist nowhere.
      const mixed = (nowhere: boolean) => {
        let n = 0
        return fillRoute(r, (name) => {
          const own = n++ === 0
          const v = fillFor(own ? a : b, r.kind, r.path, name)
          if (name === 'recordType') return v ?? 'case'
          return !own && nowhere ? NOWHERE : (v ?? NOWHERE)
        })
      }
      const res = await get(reader, r.kind, mixed(false))
      sent++
      const control = await get(reader, r.kind, mixed(true))
      const at = `${routeKey(r)} as A's ${reader.key}, A's record holding B's`
      const named = leaks(res.text ?? '', b)
      if (named.length > 0) wrong.push(`${at}: ${res.status} names ${named.slice(0, 3).join(', ')}`)
      if (res.status !== control.status) wrong.push(`${at}: ${res.status}, ${control.status} for an id that exists nowhere`)
      else if (![403, 404].includes(res.status) && !(res.status === 302 && String(res.headers.location).startsWith('/cases/'))) {
        wrong.push(`${at}: ${res.status}`)
      }
    }
    assert.ok(sent >= 40, `only ${sent} routes with a record under a record`)
    assert.deepEqual(wrong, [])
  })

  test("every list, page and operation without an id shows A's users nothing of B's (users, teams, agencies, e-mails, tokens, audit, returns)", async () => {
    const skip = /^\/(assets|health|favicon|sign-in|timed-out|session)|\/(export|file|print|export\.csv|openapi\.json)$/
    const lists = routeTable(app.app)
      .filter((r) => r.method === 'GET' && !/[:{]/.test(r.path) && !skip.test(r.path))
      .map((r) => r.path)
    assert.ok(lists.length > 100, `only ${lists.length} lists`)
    // One user of each role, and those who lead the partnership's own work.
    const readers = a.users.filter((u) => / no relationship$|leads the reviews|recorded the allegations/.test(u.key))
    const wrong: string[] = []
    for (const u of readers) {
      for (const path of lists) {
        const res = await get(u, path.startsWith('/api/v1/') ? 'api' : 'page', path)
        if (res.status >= 500) wrong.push(`GET ${path} as A's ${u.key}: ${res.status}`)
        const named = leaks(res.text ?? '', b)
        if (named.length > 0) wrong.push(`GET ${path} as A's ${u.key}: names ${named.slice(0, 3).join(', ')}`)
      }
    }
    assert.deepEqual(wrong, [])
  })

  test("A's users searching for B's children by name or NHS number find nothing, and are not told of a restricted match", async () => {
    const searchers = a.users.filter((u) => (/ no relationship$/.test(u.key) && decideGeneral({ ...u, active: true }, 'person:search').allowed) || u.key === 'social worker, allocated')
    const wrong: string[] = []
    for (const u of searchers) {
      for (const child of b.children) {
        const queries = [`familyName=${child.familyName}`, `q=${child.familyName}`, `nhsNumber=${child.nhsNumber}`]
        for (const q of queries) {
          const page = await get(u, 'page', `/child-search?${q}`)
          const html = $(page.text ?? '')
          // The forms repeat what the user typed (the refine form, the header's search): the answer is the rest.
          html('form, input, title').remove()
          const at = `/child-search?${q} as A's ${u.key}`
          if (page.status >= 500) wrong.push(`${at}: ${page.status}`)
          if (leaks(html.html(), b).length > 0) wrong.push(`${at}: names B's child`)
          if (html('[data-qa=restricted-match]').length > 0) wrong.push(`${at}: tells of a restricted match`)
          for (const path of ['/api/v1/child-search', '/api/v1/people']) {
            const api = await get(u, 'api', `${path}?${q}`)
            if (api.status >= 500) wrong.push(`${path}?${q} as A's ${u.key}: ${api.status}`)
            const text = (api.text ?? '').split(child.familyName).join('').split(child.nhsNumber).join('')
            if (api.status === 200 && ((api.body?.people ?? []).length > 0 || (api.body?.restrictedMatches ?? 0) > 0)) wrong.push(`${path}?${q} as A's ${u.key}: ${api.text.slice(0, 200)}`)
            if (leaks(text, b).length > 0) wrong.push(`${path}?${q} as A's ${u.key}: names B's`)
          }
        }
      }
    }
    // The emergency department's check of a child protection plan, by NHS number.
    const clinician = a.users.find((u) => u.key === 'unscheduled-care, no relationship')!
    const agent = await sessions.agentOf(clinician)
    for (const child of b.children) {
      const form = await agent.get('/cp-status')
      const res = await agent.post('/cp-status').type('form').send({ _csrf: csrfFrom(form.text), nhsNumber: child.nhsNumber, setting: 'Test ED' })
      if (leaks(res.text ?? '', b).length > 0 || $(res.text ?? '')('[data-qa=cp-status-flag]').length > 0) wrong.push(`/cp-status ${child.nhsNumber}: answers about B's child`)
    }
    assert.deepEqual(wrong, [])
  })

  test("A's administrator cannot change B's users, teams, agencies or settings by id, through the pages or the API", async () => {
    const admin = a.users.find((u) => u.key === 'administrator, no relationship')!
    const agent = await sessions.agentOf(admin)
    const csrf = csrfFrom((await agent.get('/admin/users').expect(200)).text)
    const token = await sessions.tokenOf(admin)
    const aAgency = a.ids.agencyId!
    const aTeam = a.ids.teamId!
    const snapshot = () => snapshotOf(b)
    const before = await snapshot()
    const user = { displayName: 'Taken over', email: 'taken-over@test.together.invalid', agencyId: aAgency, teamId: aTeam, roles: ['administrator'], active: 'false', version: '1', password: 'A much longer fictional passphrase 42' }
    const letter = { kind: 'letter-before-proceedings', language: 'en', title: 'Taken over', body: 'Taken over' }
    const contacts = { phone: '01632 960000', email: 'taken-over@test.together.invalid', hours: 'Always', outOfHoursPhone: '01632 960001', outOfHoursEmail: 'taken-over@test.together.invalid' }
    const changes: [string, string, Record<string, unknown>][] = [
      ['POST', `/admin/users/${b.ids.userId}`, user],
      ['POST', `/admin/users/${b.ids.adminUserId}`, { ...user, active: 'true' }],
      ['POST', `/admin/users/${b.ids.userId}/unlock`, {}],
      ['POST', `/admin/teams/${b.ids.teamId}`, { name: 'Taken over', agencyId: aAgency, active: 'false', version: '1' }],
      ['POST', `/admin/agencies/${b.ids.agencyId}`, { name: 'Taken over', type: 'police', active: 'false', version: '1' }],
      ['POST', `/admin/letter-templates/${b.ids.templateId}`, { ...letter, version: '1' }],
      ['POST', `/admin/authority-contacts/${b.ids.agencyId}`, { ...contacts, version: '1' }],
      ['POST', `/admin/emails/${b.ids.userId}/send-again`, {}],
      ['PUT', `/api/v1/users/${b.ids.userId}`, { ...user, active: false, version: 1 }],
      ['PUT', `/api/v1/teams/${b.ids.teamId}`, { name: 'Taken over', agencyId: aAgency, active: false, version: 1 }],
      ['PUT', `/api/v1/agencies/${b.ids.agencyId}`, { name: 'Taken over', type: 'police', active: false, version: 1 }],
      ['PUT', `/api/v1/letter-templates/${b.ids.templateId}`, { ...letter, version: 1 }],
      ['PUT', `/api/v1/authority-contacts/${b.ids.agencyId}`, { ...contacts, version: 1 }],
      ['POST', `/api/v1/admin/undelivered-emails/${b.ids.userId}/send-again`, {}],
    ]
    const wrong: string[] = []
    for (const [method, url, body] of changes) {
      const res = url.startsWith('/api/')
        ? await app.agent()[method === 'PUT' ? 'put' : 'post'](url).set('authorization', `Bearer ${token}`).send(body)
        : await agent.post(url).type('form').send({ _csrf: csrf, ...body })
      if (res.status !== 404) wrong.push(`${method} ${url}: ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}`)
      if (leaks(res.text ?? '', b).length > 0) wrong.push(`${method} ${url}: names B's ${leaks(res.text ?? '', b).slice(0, 2).join(', ')}`)
    }
    assert.deepEqual(wrong, [])
    assert.equal(await snapshot(), before, "a change by A's administrator reached B's records")
  })
  test("every form and write operation that takes an id, sent B's ids by A's users who manage or work such records, changes nothing of B's", async () => {
    const writes = routeTable(app.app)
      .filter((r) => r.method !== 'GET' && /:\w/.test(r.path) && !/\/drafts\/|\/referrals\/new\/|\/retention\/schedules\/|\/document-kinds\//.test(r.path))
      .map((r) => {
        const api = r.path.startsWith('/api/v1/')
        const route: IdRoute = { kind: api ? 'api' : 'page', path: api ? r.path.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}') : r.path }
        return { method: r.method.toLowerCase() as 'post' | 'put' | 'delete' | 'patch', route }
      })
    assert.ok(writes.length > 250, `only ${writes.length} writes`)
    const byKey = (key: string) => a.users.find((u) => u.key === key)!
    const caseWriters = [byKey('social worker, allocated'), byKey('A: team manager, explicit permission to the open case')]
    const csrfOf = new Map<string, string>()
    const recordWriters = [
      byKey('administrator, no relationship'), byKey('business unit, leads the reviews'), byKey('designated officer, recorded the allegations'),
      byKey('A: auditor (data protection officer)'), byKey('partner, agency involved'), caseWriters[1]!,
    ]
    const before = await snapshotOf(b)
    const wrong: string[] = []
    const statuses = new Map<number, number>()
    const body = { version: '1', kind: 'note', title: 'Changed', body: 'Changed', summary: 'Changed', reason: 'Changed', name: 'Changed', decision: 'nfa', 'occurredOn-day': '10', 'occurredOn-month': '11', 'occurredOn-year': '2026' }
    const send = async (u: User, method: string, r: IdRoute, url: string, at: string) => {
      let res: supertest.Response
      if (r.kind === 'page') {
        const agent = await sessions.agentOf(u)
        const csrf = csrfOf.get(u.userId) ?? csrfFrom((await agent.get('/').expect(200)).text)
        csrfOf.set(u.userId, csrf)
        res = await agent[method as 'post'](url).type('form').send({ _csrf: csrf, ...body })
      } else {
        res = await app.agent()[method as 'post'](url).set('authorization', `Bearer ${await sessions.tokenOf(u)}`).send({ ...body, version: 1 })
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      // Refused, not found, or the form's own errors (a redirect back with them; a file upload's wrong media type).
      const backWithErrors = res.status === 302 && /[?&]\w*[eE]rror=/.test(String(res.headers.location))
      if (![400, 403, 404, 409, 415, 422].includes(res.status) && !backWithErrors) wrong.push(`${at}: ${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}`)
      const named = leaks(res.text ?? '', b)
      if (named.length > 0) wrong.push(`${at}: names ${named.slice(0, 3).join(', ')}`)
    }
    for (const { method, route } of writes) {
      const isCase = /^\/(api\/v1\/)?cases\//.test(route.kind === 'page' ? route.path : `/api/v1${route.path}`)
      for (const u of isCase ? caseWriters.slice(0, 1) : recordWriters) {
        await send(u, method, route, filled(route, b).url, `${method.toUpperCase()} ${routeKey(route)} as A's ${u.key}`)
      }
      // Under A's own case (or record): B's record in the rest of the address.
      const params = [...route.path.matchAll(route.kind === 'page' ? /:(\w+)/g : /\{(\w+)\}/g)]
      if (isCase && params.length > 1) {
        let n = 0
        const url = fillRoute(route, (name) => fillFor(n++ === 0 ? a : b, route.kind, route.path, name) ?? NOWHERE)
        await send(caseWriters[0]!, method, route, url, `${method.toUpperCase()} ${routeKey(route)} as A's ${caseWriters[0]!.key}, under A's case`)
      }
    }
    console.log(`partnerships: writes answered ${JSON.stringify(Object.fromEntries(statuses))}`)
    assert.equal(await snapshotOf(b), before, "a write by A's users reached B's records")
    assert.deepEqual(wrong, [])
  })
})

/** Every row of every table keyed by the partnership, as one digest per table (the audit log aside: reads are audited in the reader's partnership). */
async function snapshotOf(side: Side): Promise<string> {
  const tables = await database.db.execute(sql`
    select table_name from information_schema.columns
    where column_name = 'partnership_id' and table_schema = current_schema() and table_name not like 'audit%'
    order by table_name`)
  const rows = rowsOf<{ table_name: string }>(tables)
  const out: string[] = []
  for (const { table_name } of rows) {
    const digest = await database.db.execute(
      sql`select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as d from ${sql.identifier(table_name)} t where partnership_id = ${side.m.world.partnershipId}`,
    )
    const d = rowsOf<{ d: string }>(digest)
    out.push(`${table_name} ${d[0]!.d}`)
  }
  return out.join('\n')
}

/** The rows of a raw query, whichever driver answered. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}
