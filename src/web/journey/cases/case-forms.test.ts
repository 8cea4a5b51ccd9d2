/**
 * Every page of a form that changes a case refuses a user who may only read the case (403), before
 * any form is rendered (web/common/case-forms.ts). Generated from the application's route table:
 * a case page with both a GET and a POST is a form page unless it is listed below as a page that
 * shows the record to its readers (with forms only for those who may change it).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent } from '../../../db/schema/index.ts'
import { isIdParam } from '../../common/router.ts'
import { routeTable } from '../../common/route-table.ts'

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
      const url = path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? caseId : isIdParam(name) ? randomUUID() : 'x'))
      const res = await agent.get(url)
      if (res.status !== 403) shown.push(`${path}: ${res.status}`)
    }
    assert.deepEqual(shown, [])
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, reader.userId)))
    assert.equal(refusals.filter((e) => e.action.endsWith('.refused')).length, pages.length)
  })

  test('show the form to a user who may change the case', async () => {
    const allocated = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: allocated.userId })
    const agent = await signedInAgent(app, allocated, PASSWORD)
    await agent.get(`/cases/${caseId}/notes/new`).expect(200)
    await agent.get(`/cases/${caseId}/family/new`).expect(200)
  })
})
