/**
 * Clocks that always ask why (issue 17), pages and API: a late clock on the case overview links to
 * its reason; the reason's form keeps what was typed on an error and shows both versions on a
 * conflict; the API gives and changes it; the team view links to the late completions by reason.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, csrfFrom, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { eq } from 'drizzle-orm'
import { clock, person } from '../../../db/schema/index.ts'
import { recordIncident } from '../../../services/partnership/incidents.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

let teams = 0
async function lateClock() {
  const key = `late-${++teams}`
  await world.team(key, 'council')
  const worker = await world.user(['social-worker'], { team: key })
  const manager = await world.user(['team-manager'], { team: key })
  const { caseId } = await world.childCase({ team: key, worker: worker.userId })
  const [k] = await database.db.insert(clock).values({
    partnershipId: world.partnershipId, caseId, rule: 'assessment', edition: 2023, startOn: '2026-08-01', dueOn: '2026-10-02', completedOn: '2026-10-09',
    subjectType: 'cin-episode', subjectId: caseId,
  }).returning()
  return { worker, manager, caseId, clockId: k!.id, path: `/cases/${caseId}/clocks/${k!.id}/delay-reason` }
}

const errorLinks = (html: string) => $(html)('.govuk-error-summary a').map((_, a) => $(html)(a).attr('href')).get()

describe('the reason for a late clock (page)', () => {
  test('linked from the overview; an error keeps what was typed; saved; a stale save shows both versions', async () => {
    const { worker, caseId, path } = await lateClock()
    const agent = await signedInAgent(app, worker, PASSWORD)
    const overview = $((await agent.get(`/cases/${caseId}`).expect(200)).text)
    assert.equal(overview('[data-qa=delay-reason-link]').attr('href'), path)
    assert.match(overview('[data-qa=delay-reason-link]').text(), /Give the reason for the delay/)

    const missing = await submitForm(agent, path, path, { reason: 'Kept words', version: '1' })
    assert.equal(missing.status, 400)
    assert.deepEqual(errorLinks(missing.text), ['#reasonCode'])
    assert.equal($(missing.text)('#reason').val(), 'Kept words')

    const page = await agent.get(path).expect(200)
    const saved = await submitForm(agent, path, path, { reasonCode: 'awaiting-agency', reason: 'Police checks took two weeks', version: '1' })
    assert.equal(saved.status, 303)
    const after = $((await agent.get(saved.headers.location as string).expect(200)).text)
    assert.match(after('[data-qa=saved-banner]').text(), /The reason for the delay was saved/)
    assert.match(after('[data-qa=delayed-clock]').text(), /Waiting for information or attendance from another agency: Police checks took two weeks/)

    const stale = await agent.post(path).type('form').send({ _csrf: csrfFrom(page.text), reasonCode: 'capacity', reason: 'Stale', version: '1' })
    assert.equal(stale.status, 409)
    assert.equal($(stale.text)('[data-qa=edit-conflict]').length, 1)
    assert.equal($(stale.text)('input[name=version]').val(), '2')
    assert.match($((await agent.get(`/cases/${caseId}`).expect(200)).text)('[data-qa=delay-reason-link]').text(), /Change the reason/)
  })

  test('someone who may only read the case is refused the form', async () => {
    const { path } = await lateClock()
    const reader = await world.user(['social-worker'], { team: 'assessment' })
    const agent = await signedInAgent(app, reader, PASSWORD)
    await agent.get(path).expect(403)
  })
})

describe('the reason for a late clock (API) and the team’s counts', () => {
  test('GET and PUT .../delay-reason with the version; 422 without a code; 409 when stale; the team counts it', async () => {
    const { manager, caseId, clockId } = await lateClock()
    const agent = await signedInAgent(app, manager, PASSWORD)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/cases/${caseId}/clocks/${clockId}/delay-reason`
    const read = await agent.get(api).expect(200)
    assert.deepEqual([read.body.late, read.body.delayReasonCode, read.body.version], [true, null, 1])
    await agent.put(api).set('x-csrf-token', token).send({ reason: 'No code', version: 1 }).expect(422)
    const put = await agent.put(api).set('x-csrf-token', token).send({ reasonCode: 'capacity', reason: 'Two vacancies', version: 1 }).expect(200)
    assert.deepEqual([put.body.delayReasonCode, put.body.delayReason, put.body.version], ['capacity', 'Two vacancies', 2])
    await agent.put(api).set('x-csrf-token', token).send({ reasonCode: 'other', reason: 'x', version: 1 }).expect(409)

    const team = $((await agent.get('/team').expect(200)).text)
    assert.equal(team('[data-qa=late-reasons-link]').attr('href'), '/team/late-reasons')
    const counts = $((await agent.get('/team/late-reasons').expect(200)).text)
    assert.match(counts('[data-qa=reason-capacity]').text(), /Worker or team capacity[\s\S]*1/)
    const json = await agent.get('/api/v1/team/late-reasons').expect(200)
    assert.deepEqual([json.body.total, json.body.reasons.find((r: { reason: string }) => r.reason === 'capacity').count], [1, 1])
  })

  test('the operations are in the OpenAPI document', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/cases/{caseId}/clocks/{clockId}/delay-reason'].put)
    assert.ok(doc.paths['/cases/{caseId}/clocks/{clockId}/delay-reason'].get)
    assert.ok(doc.paths['/team/late-reasons'].get)
  })
})

describe('a serious incident’s late notification (issue 17)', () => {
  test('the form asks for the coded reason when late; it is changed afterwards on the page and through the API', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const c = await world.childCase()
    await database.db.update(person).set({ nhsNumber: '9990000174' }).where(eq(person.id, c.personId))
    const incident = await recordIncident(world.ctx(lead), { child: '9990000174', kind: 'serious-harm-abuse-neglect', incidentOn: '2026-11-02', awareOn: '2026-11-02', summary: 'Fictional' })
    const agent = await signedInAgent(app, lead, PASSWORD)
    const page = `/partnership/incidents/${incident.id}`
    const late = await submitForm(agent, page, `${page}/notification`, { ...dateFields('notifiedOn', '2026-11-20'), lateReasonCode: '', lateReason: 'Words only', version: '1' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.match($(late.text)('.govuk-error-summary').text(), /Select the reason the notification was late: it was due by 9 November 2026 and done on 20 November 2026/)
    assert.equal((await submitForm(agent, page, `${page}/notification`, { ...dateFields('notifiedOn', '2026-11-20'), lateReasonCode: 'capacity', lateReason: '', version: '1' })).status, 302)

    const shown = $((await agent.get(page).expect(200)).text)
    assert.match(shown('[data-qa=late-reasons]').text(), /Notification: Worker or team capacity/)
    const saved = await submitForm(agent, page, `${page}/late-reason`, { timescale: 'notification', reasonCode: 'awaiting-agency', reason: 'Police disclosure', version: '2' })
    assert.equal(saved.status, 302)
    assert.match($((await agent.get(saved.headers.location as string).expect(200)).text)('[data-qa=late-reasons]').text(), /Waiting for information or attendance from another agency \(Police disclosure\)/)

    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = `/api/v1/serious-incidents/${incident.id}/late-reason`
    const put = await agent.put(api).set('x-csrf-token', token).send({ timescale: 'notification', reasonCode: 'complexity', version: 3 }).expect(200)
    assert.deepEqual([put.body.incident.notificationLateReasonCode, put.body.incident.version], ['complexity', 4])
    await agent.put(api).set('x-csrf-token', token).send({ timescale: 'notification', reasonCode: 'complexity', version: 3 }).expect(409)
    await agent.put(api).set('x-csrf-token', token).send({ timescale: 'rapid-review', reasonCode: 'complexity', version: 4 }).expect(422)
    const stranger = await signedInAgent(app, await world.user(['business-unit'], { team: null }), PASSWORD)
    await stranger.put(api).set('x-csrf-token', (await stranger.get('/api/v1/me')).body.csrfToken).send({ timescale: 'notification', reasonCode: 'capacity', version: 4 }).expect(403)
  })
})
