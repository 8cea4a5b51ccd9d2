/**
 * Access administration through pages and the JSON API (issue 17, section 2): a manager of the
 * case's team records and ends an agency's involvement, restricts the record, gives and withdraws
 * explicit permission, also while allocating; "who can see this record" lists every user and why;
 * others are refused (audited); the operations are in the OpenAPI document with their action; the
 * auditor sees who can see a child.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { auditEvent, childCase } from '../../../db/schema/index.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const bearer = async (user: { email: string }) => {
  const { token } = await createApiToken(database.db, { email: user.email, name: 'access', now: new Date() })
  return { authorization: `Bearer ${token}` }
}
const caseVersion = async (caseId: string) => (await database.db.select({ v: childCase.version }).from(childCase).where(eq(childCase.id, caseId)))[0]!.v

describe('the access pages', () => {
  test('a manager records an involvement, restricts the record and gives permission; the page lists every user and why', async () => {
    const manager = await world.user(['team-manager'])
    const worker = await world.user(['social-worker'])
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, manager, PASSWORD)
    const overview = $((await agent.get(`/cases/${caseId}`).expect(200)).text)
    assert.equal(overview('[data-qa=who-can-see-link]').attr('href'), `/cases/${caseId}/access`)

    const form = `/cases/${caseId}/access/involvements/new`
    const refused = await submitForm(agent, form, form, { agencyId: world.agencies.school!, role: '', reason: 'Attends the school.', ...dateFields('startedOn', '2026-11-20') })
    assert.equal(refused.status, 400)
    assert.match($(refused.text)('.govuk-error-summary').text(), /Enter the agency’s part in the case/)
    assert.equal($(refused.text)('#reason').text(), 'Attends the school.', 'what was typed is kept')
    const saved = await submitForm(agent, form, form, { agencyId: world.agencies.school!, role: 'School (DSL)', reason: 'Attends the school.', ...dateFields('startedOn', '2026-11-20') })
    assert.equal(saved.status, 302)
    assert.equal(saved.headers.location, `/cases/${caseId}/access?saved=involvement`)
    await (await signedInAgent(app, partner, PASSWORD)).get(`/cases/${caseId}`).expect(200)

    const page = $((await agent.get(`/cases/${caseId}/access?saved=involvement`).expect(200)).text)
    assert.match(page('[data-qa=saved]').text(), /involvement was recorded/)
    const row = (userId: string) => page(`[data-qa=holder][data-user=${userId}]`)
    assert.equal(row(worker.userId).attr('data-access'), 'record')
    assert.match(row(worker.userId).text(), /allocated worker/)
    assert.match(row(partner.userId).text(), /their agency is involved/)
    assert.match(row(manager.userId).text(), /member of the case’s team/)

    const restrict = `/cases/${caseId}/access/restriction`
    const version = String(await caseVersion(caseId))
    assert.equal((await submitForm(agent, restrict, restrict, { restricted: 'yes', reason: 'A relative works in the team.', version })).status, 302)
    // The allocated worker and the partner now need permission; the manager still sees this page.
    const restricted = $((await agent.get(`/cases/${caseId}/access`).expect(200)).text)
    assert.equal(restricted(`[data-qa=holder][data-user=${worker.userId}]`).attr('data-access'), 'needs-permission')
    assert.match(restricted('[data-qa=restriction]').text(), /A relative works in the team/)
    // Marking it again from the old page is a conflict, nothing saved.
    const stale = await submitForm(agent, restrict, restrict, { restricted: 'no', reason: 'Lift', version })
    assert.equal(stale.status, 409)
    assert.match($(stale.text)('[data-qa=conflict]').text(), /Someone else changed this case/)

    const give = `/cases/${caseId}/access/permissions/new`
    assert.equal((await submitForm(agent, give, give, { userId: worker.userId, reason: 'Allocated worker.', ...dateFields('endsOn', '2027-01-31') })).status, 302)
    await (await signedInAgent(app, worker, PASSWORD)).get(`/cases/${caseId}`).expect(200)
    const withPermission = $((await agent.get(`/cases/${caseId}/access`).expect(200)).text)
    const withdrawHref = withPermission('[data-qa=permission][data-in-force=yes] a').attr('href')!
    assert.equal((await submitForm(agent, withdrawHref, withdrawHref, { reason: 'Reallocated.', version: '1' })).status, 302)
    await (await signedInAgent(app, worker, PASSWORD)).get(`/cases/${caseId}`).expect(403)
  })

  test('allocating a restricted case offers the permission in the same step', async () => {
    const manager = await world.user(['team-manager'])
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ restricted: true })
    await world.grant(caseId, manager.userId, 'explicit-permission')
    const agent = await signedInAgent(app, manager, PASSWORD)
    const page = `/cases/${caseId}/allocation`
    const form = $((await agent.get(page).expect(200)).text)
    assert.equal(form('[data-qa=give-permission]').attr('checked'), 'checked')
    const res = await submitForm(agent, page, page, {
      workerId: worker.userId,
      version: String(await caseVersion(caseId)),
      givePermission: 'yes',
      permissionReason: 'Allocated worker for the assessment.',
      ...dateFields('permissionEndsOn', '2027-02-28'),
    })
    assert.equal(res.status, 302)
    await (await signedInAgent(app, worker, PASSWORD)).get(`/cases/${caseId}`).expect(200)
  })

  test('a worker is refused the access pages (403, audited); a manager refused a restricted record is pointed to them', async () => {
    const manager = await world.user(['team-manager'])
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId, restricted: true })
    await world.grant(caseId, worker.userId, 'explicit-permission')
    const agent = await signedInAgent(app, worker, PASSWORD)
    await agent.get(`/cases/${caseId}/access`).expect(403)
    await agent.get(`/cases/${caseId}/access/restriction`).expect(403)
    const refusals = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, worker.userId), eq(auditEvent.action, 'case.manage-access.refused')))
    assert.equal(refusals.length, 2)
    const refused = await (await signedInAgent(app, manager, PASSWORD)).get(`/cases/${caseId}`).expect(403)
    assert.match(refused.text, /Ask a manager of the case’s team/)
    assert.equal($(refused.text)('[data-qa=manage-access]').attr('href'), `/cases/${caseId}/access`)
  })
})

describe('the access API', () => {
  test('involvement, restriction and permission through the API, each a documented operation of case:manage-access', async () => {
    const manager = await world.user(['team-manager'])
    const worker = await world.user(['social-worker'])
    const partner = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const { caseId } = await world.childCase({ worker: worker.userId })
    const auth = await bearer(manager)
    const api = (path: string) => `/api/v1/cases/${caseId}${path}`

    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    for (const [path, method] of [
      ['/cases/{caseId}/access', 'get'],
      ['/cases/{caseId}/involvements', 'post'],
      ['/cases/{caseId}/involvements/{involvementId}/end', 'post'],
      ['/cases/{caseId}/restriction', 'put'],
      ['/cases/{caseId}/permissions', 'post'],
      ['/cases/{caseId}/permissions/{permissionId}/withdrawal', 'post'],
    ] as const) {
      assert.equal(doc.paths[path]?.[method]?.['x-case-action'], 'case:manage-access', `${method} ${path}`)
    }
    assert.ok(doc.paths['/audit/people/{personId}/access']?.get)

    const involvement = await app
      .agent()
      .post(api('/involvements'))
      .set(auth)
      .send({ agencyId: world.agencies.police, role: 'Police (child abuse investigation)', reason: 'Joint investigation.', startedOn: '2026-11-20' })
      .expect(201)
    const partnerAuth = await bearer(partner)
    await app.agent().get(`/api/v1/cases/${caseId}`).set(partnerAuth).expect(200)
    const bad = await app.agent().post(api(`/involvements/${involvement.body.id}/end`)).set(auth).send({ reason: 'x', version: 9 }).expect(409)
    assert.equal(bad.headers['content-type']?.split(';')[0], 'application/problem+json')
    await app.agent().post(api(`/involvements/${involvement.body.id}/end`)).set(auth).send({ reason: 'Investigation closed.', version: involvement.body.version }).expect(200)
    await app.agent().get(`/api/v1/cases/${caseId}`).set(partnerAuth).expect(403)

    const restricted = await app.agent().put(api('/restriction')).set(auth).send({ restricted: true, reason: 'Staff family.', version: await caseVersion(caseId) }).expect(200)
    assert.equal(restricted.body.restricted, true)
    const workerAuth = await bearer(worker)
    await app.agent().get(`/api/v1/cases/${caseId}`).set(workerAuth).expect(403)
    const permission = await app.agent().post(api('/permissions')).set(auth).send({ userId: worker.userId, endsOn: '2027-01-01', reason: 'Allocated worker.' }).expect(201)
    await app.agent().get(`/api/v1/cases/${caseId}`).set(workerAuth).expect(200)

    const access = (await app.agent().get(api('/access')).set(auth).expect(200)).body
    assert.equal(access.restricted, true)
    const holder = access.whoCanSee.find((h: { userId: string }) => h.userId === worker.userId)
    assert.deepEqual([holder.access, holder.ground], ['record', 'explicit-permission'])
    assert.equal(access.involvements[0].current, false)

    // The worker may not manage access: refused before the body is read.
    const refused = await app.agent().post(api('/permissions')).set(workerAuth).send({}).expect(403)
    assert.equal(refused.headers['content-type']?.split(';')[0], 'application/problem+json')
    await app.agent().post(api(`/permissions/${permission.body.id}/withdrawal`)).set(auth).send({ reason: 'Done.', version: permission.body.version }).expect(200)
    await app.agent().get(`/api/v1/cases/${caseId}`).set(workerAuth).expect(403)
  })

  test('the auditor sees who can see a child, page and API, audited; nobody else does', async () => {
    const auditor = await world.user(['auditor'], { team: null })
    const worker = await world.user(['social-worker'])
    const { personId } = await world.childCase({ worker: worker.userId })
    const res = (await app.agent().get(`/api/v1/audit/people/${personId}/access`).set(await bearer(auditor)).expect(200)).body
    assert.equal(res.cases.length, 1)
    assert.ok(res.cases[0].whoCanSee.some((h: { userId: string; ground: string }) => h.userId === worker.userId && h.ground === 'allocated-worker'))
    await app.agent().get(`/api/v1/audit/people/${personId}/access`).set(await bearer(worker)).expect(403)
    const page = $((await (await signedInAgent(app, auditor, PASSWORD)).get(`/audit/people/${personId}`).expect(200)).text)
    assert.match(page('[data-qa=who-can-see]').text(), new RegExp(worker.displayName))
    // The API's answer is one entry; the page's view is the history page's own entry.
    const entries = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.subjectPersonId, personId))
    assert.equal(entries.filter((e) => e.action === 'audit.access-list.view').length, 1)
    assert.equal(entries.filter((e) => e.action === 'audit.person-history.view').length, 1)
  })
})

