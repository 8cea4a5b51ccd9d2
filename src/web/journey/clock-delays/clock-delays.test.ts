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
import { startReview } from '../../../services/partnership/practice-reviews.ts'
import { recordDarDecision, recordDarReview } from '../../../services/partnership/dar-reviews.ts'

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

describe('a practice review’s and a death review’s late decision or completion (issue 17)', () => {
  /** The reason shown on the record's page, changed there, then through PUT …/late-reason (409 when stale, 403 to a non-member). */
  async function changeAfterwards(agent: Awaited<ReturnType<typeof signedInAgent>>, page: string, api: string, version: number, shownAs: RegExp, timescale = 'completion') {
    assert.match($((await agent.get(page).expect(200)).text)('[data-qa=late-reasons]').text(), shownAs)
    const saved = await submitForm(agent, page, `${page}/late-reason`, { timescale, reasonCode: 'awaiting-agency', reason: 'Police disclosure', version: String(version) })
    assert.equal(saved.status, 302)
    assert.match($((await agent.get(saved.headers.location as string).expect(200)).text)('[data-qa=late-reasons]').text(), /Waiting for information or attendance from another agency \(Police disclosure\)/)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const put = await agent.put(api).set('x-csrf-token', token).send({ timescale, reasonCode: 'complexity', version: version + 1 }).expect(200)
    await agent.put(api).set('x-csrf-token', token).send({ timescale, reasonCode: 'capacity', version: version + 1 }).expect(409)
    const stranger = await signedInAgent(app, await world.user(['business-unit'], { team: null }), PASSWORD)
    await stranger.put(api).set('x-csrf-token', (await stranger.get('/api/v1/me')).body.csrfToken).send({ timescale, reasonCode: 'capacity', version: version + 2 }).expect(403)
    return put.body
  }

  test('a serious case review decided late: the start form and POST /practice-reviews ask for the coded reason; changed on the page and through the API', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const incidentFor = async (nhs: string) => {
      const c = await world.childCase()
      await database.db.update(person).set({ nhsNumber: nhs }).where(eq(person.id, c.personId))
      return recordIncident(world.ctx(lead), { child: nhs, kind: 'death-abuse-neglect', incidentOn: '2014-06-02', awareOn: '2014-06-02', summary: 'Fictional' })
    }
    const incident = await incidentFor('9990000190')
    const agent = await signedInAgent(app, lead, PASSWORD)
    const form = `/partnership/reviews/new?incident=${incident.id}`
    const start = { incidentId: incident.id, title: 'SCR Child J', ...dateFields('decidedOn', '2014-07-10'), ...dateFields('notifiedOn', '2014-06-03'), lateReason: 'The chair was away' }
    const late = await submitForm(agent, form, '/partnership/reviews/new', { ...start, lateReasonCode: '' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.match($(late.text)('.govuk-error-summary').text(), /Select the reason the decision to hold the review was late: it was due by 3 July 2014 and done on 10 July 2014/)
    assert.equal($(late.text)('#lateReason').val(), 'The chair was away')
    const started = await submitForm(agent, form, '/partnership/reviews/new', { ...start, lateReasonCode: 'capacity' })
    assert.equal(started.status, 302)
    const page = (started.headers.location as string).split('?')[0]!
    const answered = await changeAfterwards(agent, page, `/api/v1${page.replace('/partnership/reviews', '/practice-reviews')}/late-reason`, 1, /Decision to hold the review: Worker or team capacity \(caseloads, absence, vacancies\) \(The chair was away\)/, 'decision')
    assert.deepEqual([answered.review.decisionLateReasonCode, answered.review.lateReasonCode, answered.review.version], ['complexity', null, 3])

    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const body = { incidentId: (await incidentFor('9990000204')).id, title: 'SCR Child K', decidedOn: '2014-07-10', notifiedOn: '2014-06-03' }
    const refused = await agent.post('/api/v1/practice-reviews').set('x-csrf-token', token).send(body).expect(422)
    assert.match(JSON.stringify(refused.body), /lateReasonCode/)
    const made = await agent.post('/api/v1/practice-reviews').set('x-csrf-token', token).send({ ...body, lateReasonCode: 'rescheduled', lateReason: 'Moved' }).expect(201)
    assert.deepEqual([made.body.review.decisionLateReasonCode, made.body.review.decisionLateReason], ['rescheduled', 'Moved'])
  })

  test('a death review decided late: the decision form and PUT …/decision ask for the coded reason; changed on the page and through the API', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const death = { cspName: 'Demoshire Community Safety Partnership', deceased: 'Adult C', deceasedAge: 52, deathOn: '2024-03-01', notifiedOn: '2024-03-04', suicide: false, circumstances: 'Fictional' }
    const dar = await recordDarReview(world.ctx(lead), death)
    const agent = await signedInAgent(app, lead, PASSWORD)
    const page = `/partnership/dar-reviews/${dar.id}`
    const decision = { decision: 'review', decisionReasons: 'Criteria met', ...dateFields('decidedOn', '2024-04-15'), 'decisionNotifiedOn-day': '', 'decisionNotifiedOn-month': '', 'decisionNotifiedOn-year': '', lateReason: 'Records came late', version: '1' }
    const late = await submitForm(agent, page, `${page}/decision`, { ...decision, lateReasonCode: '' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.match($(late.text)('.govuk-error-summary').text(), /Select the reason the decision was late: it was due by 4 April 2024 and done on 15 April 2024/)
    assert.equal($(late.text)('#lateReason').val(), 'Records came late')
    assert.equal((await submitForm(agent, page, `${page}/decision`, { ...decision, lateReasonCode: 'awaiting-agency' })).status, 302)
    const answered = await changeAfterwards(agent, page, `/api/v1/dar-reviews/${dar.id}/late-reason`, 2, /Decision whether to hold a review: Waiting for information or attendance from another agency \(Records came late\)/, 'decision')
    assert.deepEqual([answered.dar.decisionLateReasonCode, answered.dar.lateReasonCode, answered.dar.version], ['complexity', null, 4])

    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const other = await recordDarReview(world.ctx(lead), death)
    const api = `/api/v1/dar-reviews/${other.id}/decision`
    const body = { decision: 'review', decisionReasons: 'Criteria met', decidedOn: '2024-04-15', version: 1 }
    const refused = await agent.put(api).set('x-csrf-token', token).send(body).expect(422)
    assert.match(JSON.stringify(refused.body), /lateReasonCode/)
    const decided = await agent.put(api).set('x-csrf-token', token).send({ ...body, lateReasonCode: 'capacity' }).expect(200)
    assert.deepEqual([decided.body.dar.decisionLateReasonCode, decided.body.dar.version], ['capacity', 2])
  })

  test('a serious case review completed late: the publication form asks for the coded reason; changed on the page and through the API', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const c = await world.childCase()
    await database.db.update(person).set({ nhsNumber: '9990000182' }).where(eq(person.id, c.personId))
    const incident = await recordIncident(world.ctx(lead), { child: '9990000182', kind: 'death-abuse-neglect', incidentOn: '2014-04-07', awareOn: '2014-04-07', summary: 'Fictional' })
    const scr = await startReview(world.ctx(lead), { incidentId: incident.id, title: 'SCR Child G', decidedOn: '2014-04-22', notifiedOn: '2014-04-08' })
    const agent = await signedInAgent(app, lead, PASSWORD)
    const page = `/partnership/reviews/${scr.id}`
    const publish = { ...dateFields('publishedOn', '2014-11-03'), publicationNote: '', lateReason: 'Waited for the trial', version: '1' }
    const late = await submitForm(agent, page, `${page}/publication`, { ...publish, lateReasonCode: '' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.match($(late.text)('.govuk-error-summary').text(), /Select the reason the review was late: it was due by 22 October 2014 and done on 3 November 2014/)
    assert.equal((await submitForm(agent, page, `${page}/publication`, { ...publish, lateReasonCode: 'complexity' })).status, 302)
    const answered = await changeAfterwards(agent, page, `/api/v1/practice-reviews/${scr.id}/late-reason`, 2, /Completion: The complexity of the case needed more time \(Waited for the trial\)/)
    assert.deepEqual([answered.review.lateReasonCode, answered.review.version], ['complexity', 4])
  })

  test('a death review’s report sent to the Home Office late: the report form asks for the coded reason; changed on the page and through the API', async () => {
    const lead = await world.user(['business-unit'], { team: null })
    const dar = await recordDarReview(world.ctx(lead), {
      cspName: 'Demoshire Community Safety Partnership', deceased: 'Adult B', deceasedAge: 40, deathOn: '2025-01-02', notifiedOn: '2025-01-06', suicide: false, circumstances: 'Fictional',
    })
    await recordDarDecision(world.ctx(lead), dar.id, { decision: 'review', decisionReasons: 'Criteria met', decidedOn: '2025-01-20', decisionNotifiedOn: null, version: 1 })
    const agent = await signedInAgent(app, lead, PASSWORD)
    const page = `/partnership/dar-reviews/${dar.id}`
    const report = { ...dateFields('reportCompletedOn', '2025-07-28'), reportSummary: 'Learning', ...dateFields('homeOfficeSentOn', '2025-08-01'), 'commissionerCopyOn-day': '', 'commissionerCopyOn-month': '', 'commissionerCopyOn-year': '', lateReason: '', version: '2' }
    const late = await submitForm(agent, page, `${page}/report`, { ...report, lateReasonCode: '' })
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), ['#lateReasonCode'])
    assert.match($(late.text)('.govuk-error-summary').text(), /Select the reason the report to the Home Office was late: it was due by 20 July 2025 and done on 1 August 2025/)
    assert.equal((await submitForm(agent, page, `${page}/report`, { ...report, lateReasonCode: 'capacity' })).status, 302)
    const answered = await changeAfterwards(agent, page, `/api/v1/dar-reviews/${dar.id}/late-reason`, 3, /Report sent to the Home Office: Worker or team capacity/)
    assert.deepEqual([answered.dar.lateReasonCode, answered.dar.version], ['complexity', 5])
  })

  test('the operations are in the OpenAPI document', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    assert.ok(doc.paths['/practice-reviews/{id}/late-reason'].put?.requestBody)
    assert.ok(doc.paths['/dar-reviews/{id}/late-reason'].put?.requestBody)
  })
})
