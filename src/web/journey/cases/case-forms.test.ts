/**
 * Every page of a form that changes a case refuses a user who may only read the case (403), before
 * any form is rendered (web/common/case-forms.ts). Generated from the application's route table:
 * a case page with both a GET and a POST is a form page unless it is listed below as a page that
 * shows the record to its readers (with forms only for those who may change it).
 *
 * And every POST under /cases/:id/ (but break-glass, which is how access is gained) declares the
 * action its save needs with the same middleware, so it is decided before the form's fields are
 * checked: a reader gets 403, not the form's validation errors. So does every JSON API operation
 * that changes a case (web/common/api/builder.ts, `caseAction`, in the OpenAPI document as
 * `x-case-action`): a 403 problem, not the body's validation errors (422).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { csrfFrom, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'
import { isIdParam } from '../../common/router.ts'
import { declaredCaseAction } from '../../common/case-forms.ts'
import { routeTable, type RouteEntry } from '../../common/route-table.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

/** Case pages with a POST that are the record itself (lists, a record's page): readers see them. */
const RECORD_PAGES = new Set([
  '/cases/:id/assessments',
  '/cases/:id/assessments/:assessmentId',
  '/cases/:id/plans',
  '/cases/:id/tasks',
  '/cases/:id/section47/:s47Id',
  '/cases/:id/conferences/:conferenceId',
  '/cases/:id/information-requests',
  '/cases/:id/information-sharing',
  '/cases/:id/strategy-discussions/invitations',
])

function caseFormPages(): string[] {
  const routes = routeTable(app.app).filter((r) => r.path.startsWith('/cases/:id/'))
  const posted = new Set(routes.filter((r) => r.method === 'POST').map((r) => r.path))
  return [...new Set(routes.filter((r) => r.method === 'GET' && posted.has(r.path) && !RECORD_PAGES.has(r.path)).map((r) => r.path))]
}

/** Every POST that changes a case: all under /cases/:id/ but break-glass (how access is gained). */
function casePosts(): RouteEntry[] {
  return routeTable(app.app).filter((r) => r.method === 'POST' && r.path.startsWith('/cases/:id/') && !r.path.endsWith('/break-glass'))
}

/** How many refusals of the user on the case the audit log holds. */
async function refusalsOf(userId: string, caseId: string): Promise<number> {
  const entries = await database.db
    .select({ action: auditEvent.action })
    .from(auditEvent)
    .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, userId)))
  return entries.filter((e) => e.action.endsWith('.refused')).length
}

const fillPath = (path: string, caseId: string) =>
  path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? caseId : isIdParam(name) ? randomUUID() : 'x'))

describe('case form pages', () => {
  test('refuse a user who may only read the case, audited, on every form page', async () => {
    const allocated = await world.user(['social-worker'])
    const reader = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: allocated.userId })
    const pages = caseFormPages()
    assert.ok(pages.length >= 20, `only ${pages.length} form pages: ${pages.join(', ')}`)
    assert.ok(pages.includes('/cases/:id/notes/new'))
    const agent = await signedInAgent(app, reader, PASSWORD)
    await agent.get(`/cases/${caseId}`).expect(200)
    const shown: string[] = []
    for (const path of pages) {
      const res = await agent.get(fillPath(path, caseId))
      if (res.status !== 403) shown.push(`${path}: ${res.status}`)
    }
    assert.deepEqual(shown, [])
    assert.equal(await refusalsOf(reader.userId, caseId), pages.length)
  })

  test('show the form to a user who may change the case', async () => {
    const allocated = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: allocated.userId })
    const agent = await signedInAgent(app, allocated, PASSWORD)
    await agent.get(`/cases/${caseId}/notes/new`).expect(200)
    await agent.get(`/cases/${caseId}/family/new`).expect(200)
  })
})

describe('case form saves', () => {
  test('every POST under /cases/:id/ declares the action its save needs, before its handler reads the form', () => {
    const posts = casePosts()
    assert.ok(posts.length >= 40, `only ${posts.length} case POSTs: ${posts.map((r) => r.path).join(', ')}`)
    const undeclared = posts.filter((r) => !declaredCaseAction(r)).map((r) => r.path)
    assert.deepEqual(undeclared, [], 'case POSTs without caseForm(...) before their handler')
    // A save changes the case: never declared as a read.
    const reads = posts.filter((r) => ['case:read', 'case:participate'].includes(declaredCaseAction(r)!)).map((r) => r.path)
    assert.deepEqual(reads, [])
    assert.equal(declaredCaseAction(posts.find((r) => r.path === '/cases/:id/allocation')!), 'case:authorise')
    assert.equal(declaredCaseAction(posts.find((r) => r.path === '/cases/:id/assessments/:assessmentId/authorisation')!), 'case:authorise')
    assert.equal(declaredCaseAction(posts.find((r) => r.path === '/cases/:id/participation/actions/:itemId')!), 'case:contribute')
  })

  test('refuse a user who may only read the case before checking the fields: 403, audited, on every case POST', async () => {
    const allocated = await world.user(['social-worker'])
    const reader = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: allocated.userId })
    const posts = casePosts()
    const agent = await signedInAgent(app, reader, PASSWORD)
    const csrf = csrfFrom((await agent.get(`/cases/${caseId}`).expect(200)).text)
    const answered: string[] = []
    for (const { path } of posts) {
      // No fields but the token: any form would answer its validation errors.
      const res = await agent.post(fillPath(path, caseId)).type('form').send({ _csrf: csrf })
      if (res.status !== 403) answered.push(`${path}: ${res.status}`)
    }
    assert.deepEqual(answered, [])
    assert.equal(await refusalsOf(reader.userId, caseId), posts.length)
  })
})

interface CaseOperation {
  method: 'post' | 'put' | 'patch' | 'delete'
  path: string
  action: unknown
}

/**
 * Every operation of the document that changes a case: any method but GET under /cases/{caseId}/,
 * except breaking the glass, which changes no case: it is how someone with no relationship to the
 * case asks to read it (its own tests: break-glass-api.test.ts).
 */
async function caseChanges(): Promise<CaseOperation[]> {
  const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Record<string, unknown>>> }
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/cases/{caseId}/') && path !== '/cases/{caseId}/break-glass')
    .flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => method !== 'get')
        .map(([method, op]) => ({ method: method as CaseOperation['method'], path, action: op['x-case-action'] })),
    )
}

describe('case changes through the API', () => {
  test('every operation that changes a case declares the action it needs', async () => {
    const ops = await caseChanges()
    assert.ok(ops.length >= 35, `only ${ops.length} operations change a case`)
    const undeclared = ops.filter((o) => !['case:update', 'case:authorise', 'case:contribute', 'case:manage-access'].includes(String(o.action)))
    assert.deepEqual(undeclared.map((o) => `${o.method} ${o.path}: ${String(o.action)}`), [])
    const actionOf = (method: string, path: string) => ops.find((o) => o.method === method && o.path === path)?.action
    assert.equal(actionOf('post', '/cases/{caseId}/allocation'), 'case:authorise')
    assert.equal(actionOf('post', '/cases/{caseId}/assessments/{assessmentId}/authorisation'), 'case:authorise')
    assert.equal(actionOf('put', '/cases/{caseId}/conferences/{conferenceId}/report'), 'case:contribute')
  })

  test('refuse a user who may only read the case before validating the body: a 403 problem, audited, on every operation', async () => {
    const allocated = await world.user(['social-worker'])
    const reader = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: allocated.userId })
    const { token } = await createApiToken(database.db, { email: reader.email, name: 'reader', now: new Date() })
    await app.agent().get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${token}`).expect(200)
    const ops = await caseChanges()
    const answered: string[] = []
    for (const { method, path } of ops) {
      const url = `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'caseId' ? caseId : isIdParam(name) ? randomUUID() : 'x'))}`
      // An empty body: every operation would answer its validation errors.
      const res = await app.agent()[method](url).set('authorization', `Bearer ${token}`).send({})
      const problem = String(res.headers['content-type']).startsWith('application/problem+json')
      if (res.status !== 403 || !problem) answered.push(`${method} ${path}: ${res.status} ${res.headers['content-type']}`)
    }
    assert.deepEqual(answered, [])
    assert.equal(await refusalsOf(reader.userId, caseId), ops.length)
  })
})
