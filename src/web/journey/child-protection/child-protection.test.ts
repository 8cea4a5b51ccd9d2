import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type supertest from 'supertest'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, openTestWorld, World } from '../../../../test/support/fixtures.ts'
import { childCase, cinEpisode, clock, conferenceReport, person, plan, section47Enquiry } from '../../../db/schema/index.ts'
import { $, createTestApp, csrfFrom, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ({ database, world } = await openTestWorld())
  await world.agency('health', 'health-trust')
  app = await createTestApp(database)
  app.setNow(FIXED_NOW)
})
after(() => database.close())

/** A case with an open episode (referral 27 February 2026) and its allocated worker, signed in. */
async function caseWithWorker() {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId, givenName: 'Pretend' })
  await database.db
    .insert(cinEpisode)
    .values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-02-27', referralSource: '2A', recordedBy: worker.userId })
  const agent = app.agent()
  await signIn(agent, worker.email, PASSWORD)
  return { caseId, worker, agent }
}

/** An enquiry's narrative, as the form posts it and the API takes it. */
const NARRATIVE = {
  findings: 'Bruising on the arm; the school and the police shared what they hold.',
  childsAccount: 'Dad grabbed me when I ran into the road.',
  outcomeReasons: 'Concerns substantiated; the child remains at risk of significant harm.',
}

/** When and where a conference meets, as the form posts it and the API takes it. */
const WHERE = { scheduledTime: '10:00', venue: 'Room 2, Civic Centre (fictional)' }
const MEETS = WHERE

const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
}

function strategyFields(overrides: Record<string, string> = {}) {
  return {
    ...date('heldOn', '2026-03-02'),
    heldAtTime: '10:30',
    attendeesRows: '6',
    'attendees-0-name': 'Sam Fictional',
    'attendees-0-agencyId': world.agencies.council!,
    'attendees-0-role': 'Social worker',
    // A gap in the rows is dropped.
    'attendees-2-name': 'DC Imaginary',
    'attendees-2-agencyId': world.agencies.police!,
    'attendees-3-name': 'Nurse Pretend',
    'attendees-3-agencyId': world.agencies.health!,
    informationShared: 'Bruising seen at school.',
    decision: 's47-joint',
    ...overrides,
  }
}

async function recordDiscussion(agent: supertest.Agent, caseId: string, overrides: Record<string, string> = {}) {
  const path = `/cases/${caseId}/strategy-discussions/new`
  return submitForm(agent, path, path, strategyFields(overrides))
}

async function enquiryOf(caseId: string) {
  const [s47] = await database.db.select().from(section47Enquiry).where(eq(section47Enquiry.caseId, caseId))
  return s47!
}

describe('child protection pages', () => {
  test('the page lists nothing yet and offers the first steps', async () => {
    const { caseId, agent } = await caseWithWorker()
    const res = await agent.get(`/cases/${caseId}/child-protection`).expect(200)
    const page = $(res.text)
    assert.equal(page('h2.govuk-heading-l').text().trim(), 'Child protection')
    assert.equal(page('a[aria-current=page]').text().trim(), 'Child protection')
    assert.match(res.text, /No strategy discussion has been recorded/)
    assert.equal(page('[data-qa=new-strategy-discussion]').attr('href'), `/cases/${caseId}/strategy-discussions/new`)
  })

  test('someone not involved is offered break-glass, not the page', async () => {
    const { caseId } = await caseWithWorker()
    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    const agent = app.agent()
    await signIn(agent, stranger.email, PASSWORD)
    const res = await agent.get(`/cases/${caseId}/child-protection`).expect(403)
    assert.match(res.text, /break-glass access/)
  })

  test('"add another person" re-renders the attendee list with one more row and keeps what was typed', async () => {
    const { caseId, agent } = await caseWithWorker()
    const path = `/cases/${caseId}/strategy-discussions/new`
    const first = await agent.get(path).expect(200)
    assert.equal($(first.text)('input[name$="-name"]').length, 6)
    const res = await submitForm(agent, path, path, { ...strategyFields(), addRow: 'attendees' })
    assert.equal(res.status, 200)
    const page = $(res.text)
    assert.equal(page('input[name$="-name"]').length, 7)
    assert.equal(page('#attendees-1-name').val(), 'DC Imaginary', 'the gap was closed up')
    assert.equal(page('#attendees-6-name').attr('autofocus'), 'autofocus')
    assert.equal(page('input[name=attendeesRows]').val(), '7')
    assert.equal(page('.govuk-error-summary').length, 0)
  })

  test('a discussion without the police and health is refused with the reason asked for; bad dates link to their day field', async () => {
    const { caseId, agent } = await caseWithWorker()
    const res = await recordDiscussion(agent, caseId, {
      'attendees-2-name': '',
      'attendees-2-agencyId': '',
      'attendees-3-name': '',
      'attendees-3-agencyId': '',
      'heldOn-day': '31',
      'heldOn-month': '2',
    })
    assert.equal(res.status, 400)
    const page = $(res.text)
    const links = page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get()
    assert.deepEqual(links, ['#heldOn-day'])
    const fixed = await recordDiscussion(agent, caseId, { 'attendees-2-name': '', 'attendees-2-agencyId': '', 'attendees-3-name': '', 'attendees-3-agencyId': '' })
    assert.equal(fixed.status, 400)
    const summary = $(fixed.text)('.govuk-error-summary a')
    assert.equal(summary.attr('href'), '#requiredAgencyAbsenceReason')
    assert.match(summary.text(), /No one from the police and health took part/)
    assert.equal($(fixed.text)('#attendees-0-name').val(), 'Sam Fictional')
  })

  test('round trip: discussion → enquiry outcome → ICPC scheduled and held by the chair → plan, core group and visit', async () => {
    const { caseId, agent } = await caseWithWorker()
    const saved = await recordDiscussion(agent, caseId)
    assert.equal(saved.status, 302)
    assert.equal(saved.headers.location, `/cases/${caseId}/child-protection?saved=strategy-discussion-s47`)
    const overview = $((await agent.get(saved.headers.location!).expect(200)).text)
    assert.match(overview('.govuk-notification-banner').text(), /section 47 enquiry started/)
    assert.match(overview('.govuk-summary-card__title').first().text(), /Strategy discussion on 2 March 2026 at 10:30/)
    assert.match(overview('[data-qa=strategy-discussion]').text(), /DC Imaginary/)
    assert.match(overview('[data-qa=icpc-status]').text(), /Awaiting the outcome.*Due by 23 March 2026/s)
    assert.equal(overview('[data-qa=clock-icpc]').length, 1)

    const s47 = await enquiryOf(caseId)
    const s47Path = `/cases/${caseId}/section47/${s47.id}`
    const outcome = await submitForm(agent, s47Path, s47Path, {
      version: '1',
      ...date('childSeenOn', '2026-03-03'),
      outcome: 'substantiated-continuing-risk',
      ...date('completedOn', '2026-03-13'),
      ...NARRATIVE,
    })
    assert.equal(outcome.status, 302)
    const enquiryPage = $((await agent.get(s47Path).expect(200)).text)
    assert.equal(enquiryPage('[data-qa=schedule-icpc]').attr('href'), `/cases/${caseId}/conferences/new?kind=initial&section47Id=${s47.id}`)
    assert.equal(enquiryPage('#childSeenOn-day').val(), '3')
    // Once the outcome is recorded the page shows it, and the form is folded behind "Correct the enquiry".
    assert.match(enquiryPage('.app-s47-outcome dd').text(), /completed 13 March 2026/)
    assert.equal(enquiryPage('details[data-qa=change-decision] form input[name=outcome]').length > 0, true)
    assert.equal(enquiryPage('details[data-qa=change-decision]').attr('open'), undefined)

    const chair = await world.user(['conference-chair'], { team: null })
    const schedulePath = `/cases/${caseId}/conferences/new?kind=initial&section47Id=${s47.id}`
    const form = $((await agent.get(schedulePath).expect(200)).text)
    assert.equal(form('input[name=kind][value=initial]').attr('checked'), 'checked')
    assert.equal(form(`#section47Id option[value="${s47.id}"]`).attr('selected'), 'selected')
    const scheduled = await submitForm(agent, schedulePath, `/cases/${caseId}/conferences/new`, {
      kind: 'initial',
      section47Id: s47.id,
      ...date('scheduledFor', '2026-03-20'),
      ...MEETS,
      chairId: chair.userId,
      participantsRows: '8',
      'participants-0-party': 'agency',
      'participants-0-name': 'DC Imaginary',
      'participants-0-agencyId': world.agencies.police!,
      'participants-1-party': 'family',
      'participants-1-name': 'Parent Fictional',
    })
    assert.equal(scheduled.status, 302)
    const conferencePath = scheduled.headers.location!.replace('?saved=1', '')

    const chairAgent = app.agent()
    await signIn(chairAgent, chair.email, PASSWORD)
    const chairView = $((await chairAgent.get(conferencePath).expect(200)).text)
    assert.equal(chairView('#participants-0-name').val(), 'DC Imaginary')
    assert.deepEqual(chairView('input[name=decision]').map((_, i) => chairView(i).val()).get(), ['plan', 'no-plan'])
    const held = await submitForm(chairAgent, conferencePath, conferencePath, {
      version: '1',
      ...date('heldOn', '2026-03-20'),
      participantsRows: '8',
      'participants-0-party': 'agency',
      'participants-0-name': 'DC Imaginary',
      'participants-0-agencyId': world.agencies.police!,
      'participants-0-attendance': 'attended',
      ...date('participants-0-reportReceivedOn', '2026-03-18'),
      'participants-1-party': 'family',
      'participants-1-name': 'Parent Fictional',
      'participants-1-attendance': 'apologies',
      'participants-2-attendance': 'invited',
      decision: 'plan',
      categories: ['NEG'],
      outlinePlan: 'Daily checks.',
    })
    assert.equal(held.status, 302)
    const heldPage = $((await chairAgent.get(conferencePath).expect(200)).text)
    assert.match(heldPage('[data-qa=outcome]').text(), /Neglect/)
    assert.match(heldPage('[data-qa=participants]').text(), /Attended[\s\S]*18 March 2026/)
    assert.equal(heldPage('[data-qa=weekend-warning]').length, 0)

    const [cp] = await database.db.select().from(plan).where(eq(plan.caseId, caseId))
    assert.equal(cp!.kind, 'child-protection')
    const plansPage = $((await agent.get(`/cases/${caseId}/child-protection`).expect(200)).text)
    assert.equal(plansPage(`a[href="/cases/${caseId}/plans/${cp!.id}"]`).text(), 'Goals and actions of the plan from 20 March 2026')
    assert.match(plansPage('[data-qa=protection-plan]').text(), /Neglect/)
    assert.match(plansPage('[data-qa=case-stage]').text(), /Child protection plan/)

    const corePath = `/cases/${caseId}/plans/${cp!.id}/core-groups/new`
    assert.match((await agent.get(corePath).expect(200)).text, /first core group meeting is due by 7 April 2026/)
    const core = await submitForm(agent, corePath, corePath, { ...date('heldOn', '2026-04-02'), attendees: 'Core group members' })
    assert.equal(core.status, 302)
    const oldVisitPath = `/cases/${caseId}/plans/${cp!.id}/visits/new`
    const visitPath = `/cases/${caseId}/notes/new?kind=visit`
    assert.equal((await agent.get(oldVisitPath).expect(302)).headers.location, visitPath, 'the one visit form is the notes form')
    assert.equal(plansPage('a:contains("Record a visit")').attr('href'), visitPath)
    const notesPath = `/cases/${caseId}/notes/new`
    const missing = await submitForm(agent, visitPath, notesPath, { kind: 'visit', ...date('occurredOn', '2026-03-27'), title: 'Home visit', body: 'Seen.' })
    assert.equal(missing.status, 400)
    assert.equal($(missing.text)('.govuk-error-summary a').attr('href'), '#childSeen')
    const visit = await submitForm(agent, visitPath, notesPath, {
      kind: 'visit',
      ...date('occurredOn', '2026-03-27'),
      childSeen: 'yes',
      childSeenAlone: 'yes',
      title: 'Home visit',
      body: 'Saw the child alone.',
    })
    assert.equal(visit.status, 302)
    const final = $((await agent.get(`/cases/${caseId}/child-protection`).expect(200)).text)
    assert.match(final('[data-qa=core-groups]').text(), /2 April 2026/)
    assert.match(final('[data-qa=visits]').text(), /27 March 2026[\s\S]*Yes[\s\S]*Yes/)
    const openVisit = (await database.db.select().from(clock).where(eq(clock.subjectId, cp!.id))).find(
      (k) => k.rule === 'child-protection-visit' && k.completedOn === null,
    )
    assert.equal(openVisit!.dueOn, '2026-04-14')
  })

  test('before it is held, a conference’s date, chair and invitees change through its arrangements form; a stale form shows both versions', async () => {
    const { caseId, agent } = await caseWithWorker()
    await recordDiscussion(agent, caseId)
    const s47 = await enquiryOf(caseId)
    const s47Path = `/cases/${caseId}/section47/${s47.id}`
    await submitForm(agent, s47Path, s47Path, { version: '1', outcome: 'substantiated-continuing-risk', ...date('completedOn', '2026-03-13'), ...NARRATIVE })
    const chair = await world.user(['conference-chair'], { team: null })
    const other = await world.user(['conference-chair'], { team: null })
    const schedulePath = `/cases/${caseId}/conferences/new?kind=initial&section47Id=${s47.id}`
    const scheduled = await submitForm(agent, schedulePath, `/cases/${caseId}/conferences/new`, {
      kind: 'initial',
      section47Id: s47.id,
      ...date('scheduledFor', '2026-03-20'),
      ...MEETS,
      chairId: chair.userId,
      'participants-0-party': 'family',
      'participants-0-name': 'Parent Fictional',
    })
    const conferencePath = scheduled.headers.location!.replace('?saved=1', '')
    const arrangementsPath = `${conferencePath}/arrangements`
    assert.equal($((await agent.get(conferencePath).expect(200)).text)('[data-qa=change-arrangements]').attr('href'), arrangementsPath)

    const form = $((await agent.get(arrangementsPath).expect(200)).text)
    assert.equal(form('#scheduledFor-day').val(), '20')
    assert.equal(form(`#chairId option[value="${chair.userId}"]`).attr('selected'), 'selected')
    assert.equal(form('#participants-0-name').val(), 'Parent Fictional')
    assert.equal(form('input[name=kind]').length, 0, 'the kind and what it is about do not change')

    const changed = await submitForm(agent, arrangementsPath, arrangementsPath, {
      version: '1',
      ...date('scheduledFor', '2026-03-23'),
      ...MEETS,
      chairId: other.userId,
      'participants-0-party': 'family',
      'participants-0-name': 'Parent Fictional',
      'participants-1-party': 'agency',
      'participants-1-name': 'DC Imaginary',
      'participants-1-agencyId': world.agencies.police!,
    })
    assert.equal(changed.status, 302)
    assert.equal(changed.headers.location, `${conferencePath}?saved=arrangements`)
    const after = $((await agent.get(changed.headers.location!).expect(200)).text)
    assert.match(after('.govuk-notification-banner').text(), /Arrangements saved/)
    assert.match(after('main').text().replace(/\s+/g, ' '), new RegExp(`Scheduled for 23 March 2026 at 10:00 Venue Room 2, Civic Centre \\(fictional\\) Chair ${other.displayName}`))
    const newChair = app.agent()
    await signIn(newChair, other.email, PASSWORD)
    await newChair.get(conferencePath).expect(200)
    const oldChair = app.agent()
    await signIn(oldChair, chair.email, PASSWORD)
    await oldChair.get(conferencePath).expect(403)

    const stale = await submitForm(agent, arrangementsPath, arrangementsPath, { version: '1', ...date('scheduledFor', '2026-03-24'), ...MEETS, chairId: chair.userId })
    assert.equal(stale.status, 409)
    const page = $(stale.text)
    assert.match(page('[data-qa=edit-conflict]').text().replace(/\s+/g, ' '), new RegExp(`Chair ${chair.displayName} ${other.displayName}`))
    assert.equal(page('input[name=version]').val(), '2')
    const early = await submitForm(agent, arrangementsPath, arrangementsPath, { version: '2', ...date('scheduledFor', '2026-03-01'), ...MEETS, chairId: other.userId })
    assert.equal(early.status, 400)
    assert.equal($(early.text)('.govuk-error-summary a').attr('href'), '#scheduledFor-day')
  })

  test('a discussion is corrected from its card: the form holds what was recorded, a new date moves the conference target, a stale form shows both', async () => {
    const { caseId, agent } = await caseWithWorker()
    await recordDiscussion(agent, caseId)
    const list = $((await agent.get(`/cases/${caseId}/child-protection`).expect(200)).text)
    const editPath = list('#strategy-discussions ~ .govuk-summary-card .govuk-summary-card__actions a[href$="/edit"]').attr('href')!
    assert.match(editPath, new RegExp(`^/cases/${caseId}/strategy-discussions/[0-9a-f-]+/edit$`))

    const form = $((await agent.get(editPath).expect(200)).text)
    assert.match(form('h1').text(), /: Correct the strategy discussion of 2 March 2026$/)
    assert.equal(form('#heldOn-day').val(), '2')
    assert.equal(form('#heldAtTime').val(), '10:30')
    assert.equal(form('#attendees-1-name').val(), 'DC Imaginary', 'the stored attendees, without the gap')
    assert.equal(form('input[name=version]').val(), '1')
    assert.equal(form('input[name=decision]').length, 0, 'the decision is shown, not offered')

    const fields = { ...strategyFields(), version: '1', ...date('heldOn', '2026-03-03') }
    delete (fields as Record<string, string>).decision
    const saved = await submitForm(agent, editPath, editPath, fields)
    assert.equal(saved.status, 302)
    assert.equal(saved.headers.location, `/cases/${caseId}/child-protection?saved=strategy-discussion-corrected`)
    const s47 = await enquiryOf(caseId)
    assert.deepEqual([s47.startedOn, s47.icpcTarget], ['2026-03-03', '2026-03-24'])

    const stale = await submitForm(agent, editPath, editPath, { ...fields, informationShared: 'An older edit.' })
    assert.equal(stale.status, 409)
    const page = $(stale.text)
    assert.equal(page('[data-qa=conflict-yours]').eq(2).text().trim(), 'An older edit.')
    assert.equal(page('input[name=version]').val(), '2')
  })

  test('a stale enquiry form is refused with 409, showing both versions and carrying the new version', async () => {
    const { caseId, agent } = await caseWithWorker()
    await recordDiscussion(agent, caseId)
    const s47 = await enquiryOf(caseId)
    const path = `/cases/${caseId}/section47/${s47.id}`
    await submitForm(agent, path, path, { version: '1', ...date('childSeenOn', '2026-03-03') })
    const res = await submitForm(agent, path, path, { version: '1', ...date('childSeenOn', '2026-03-05') })
    assert.equal(res.status, 409)
    const page = $(res.text)
    assert.equal(page('[data-qa=conflict-yours]').first().text().trim(), '5 March 2026')
    assert.equal(page('[data-qa=conflict-saved]').first().text().trim(), '3 March 2026')
    assert.equal(page('input[name=version]').val(), '2')
    assert.equal(page('#childSeenOn-day').val(), '5', 'the user’s value stays in the form')
    const again = await agent.post(path).type('form').send({ version: '2', ...date('childSeenOn', '2026-03-05'), _csrf: csrfFrom(res.text) })
    assert.equal(again.status, 302)
    assert.equal((await enquiryOf(caseId)).childSeenOn, '2026-03-05')
  })
})

describe('child protection API', () => {
  async function apiAgent() {
    const c = await caseWithWorker()
    const me = await c.agent.get('/api/v1/me').expect(200)
    return { ...c, token: me.body.csrfToken as string }
  }

  const body = () => ({
    heldOn: '2026-03-02',
    heldAtTime: '10:30',
    attendees: [
      { name: 'Sam Fictional', agencyId: world.agencies.council },
      { name: 'DC Imaginary', agencyId: world.agencies.police },
      { name: 'Nurse Pretend', agencyId: world.agencies.health },
    ],
    informationShared: 'Bruising seen at school.',
    decision: 's47-single',
  })

  test('the whole path over the API', async () => {
    const { caseId, agent, token } = await apiAgent()
    const chair = await world.user(['conference-chair'], { team: null })
    const post = (path: string, data: object) => agent.post(`/api/v1/cases/${caseId}${path}`).set('x-csrf-token', token).send(data)

    const refused = await post('/strategy-discussions', { ...body(), attendees: body().attendees.slice(0, 1) }).expect(422)
    assert.match(refused.body.errors.requiredAgencyAbsenceReason, /the police and health/)
    const invalid = await post('/strategy-discussions', { ...body(), decision: 'maybe' }).expect(422)
    assert.ok(invalid.body.errors.decision)

    const recorded = await post('/strategy-discussions', body()).expect(201)
    const s47 = recorded.body.section47
    assert.equal(s47.icpcTarget, '2026-03-23')

    const unreasoned = await agent
      .patch(`/api/v1/cases/${caseId}/section47/${s47.id}`)
      .set('x-csrf-token', token)
      .send({ version: 1, outcome: 'substantiated-continuing-risk', completedOn: '2026-03-13' })
      .expect(422)
    assert.deepEqual(Object.keys(unreasoned.body.errors).sort(), ['findings', 'outcomeReasons'])
    const patched = await agent
      .patch(`/api/v1/cases/${caseId}/section47/${s47.id}`)
      .set('x-csrf-token', token)
      .send({ version: 1, outcome: 'substantiated-continuing-risk', completedOn: '2026-03-13', ...NARRATIVE })
      .expect(200)
    assert.equal(patched.body.version, 2)
    assert.deepEqual([patched.body.findings, patched.body.childsAccount, patched.body.outcomeReasons], [NARRATIVE.findings, NARRATIVE.childsAccount, NARRATIVE.outcomeReasons])
    const stale = await agent.patch(`/api/v1/cases/${caseId}/section47/${s47.id}`).set('x-csrf-token', token).send({ version: 1, childSeenOn: '2026-03-03' }).expect(409)
    assert.match(stale.body.detail, /now version 2/)

    const icpc = { kind: 'initial', scheduledFor: '2026-03-20', chairId: chair.userId, section47Id: s47.id, participants: [{ party: 'family', name: 'Parent Fictional' }] }
    const unplaced = await post('/conferences', icpc).expect(422)
    assert.deepEqual(Object.keys(unplaced.body.errors).sort(), ['scheduledTime', 'venue'])
    const conference = await post('/conferences', { ...icpc, ...WHERE }).expect(201)
    assert.equal(conference.body.participants[0].attendance, 'invited')
    assert.deepEqual([conference.body.scheduledTime, conference.body.venue], [WHERE.scheduledTime, WHERE.venue])

    const chairAgent = app.agent()
    await signIn(chairAgent, chair.email, PASSWORD)
    const chairToken = (await chairAgent.get('/api/v1/me')).body.csrfToken as string
    const outcome = await chairAgent
      .post(`/api/v1/cases/${caseId}/conferences/${conference.body.id}/outcome`)
      .set('x-csrf-token', chairToken)
      .send({ version: 1, heldOn: '2026-03-20', decision: 'plan', categories: ['PHY'], outlinePlan: 'Plan.' })
      .expect(200)
    const planId = outcome.body.plan.id
    await agent
      .put(`/api/v1/cases/${caseId}/conferences/${conference.body.id}/arrangements`)
      .set('x-csrf-token', token)
      .send({ version: outcome.body.conference.version, scheduledFor: '2026-03-21', ...WHERE, chairId: chair.userId, participants: [] })
      .expect(422)
    assert.equal(outcome.body.plan.initialCategory, 'PHY')
    assert.deepEqual(outcome.body.warnings, [])

    const core = await post(`/plans/${planId}/core-groups`, { heldOn: '2026-04-02', attendees: 'Core group' }).expect(201)
    assert.equal(core.body.planId, planId)
    await post(`/plans/${planId}/visits`, { visitedOn: '2026-03-27', childSeen: true, childSeenAlone: false, note: 'Seen.' }).expect(404)
    const visit = await post('/notes', { kind: 'visit', occurredOn: '2026-03-27', childSeen: true, childSeenAlone: false, title: 'Visit', body: 'Seen.' }).expect(201)
    assert.equal(visit.body.kind, 'statutory-visit', 'a visit to a child on a plan is the statutory visit')

    const view = await agent.get(`/api/v1/cases/${caseId}/child-protection`).expect(200)
    assert.equal(view.body.strategyDiscussions.length, 1)
    assert.equal(view.body.section47s[0].outcomeReasons, NARRATIVE.outcomeReasons)
    assert.deepEqual([view.body.conferences[0].scheduledTime, view.body.conferences[0].venue, view.body.conferences[0].heldOnAnotherDay], ['10:00', WHERE.venue, false])
    assert.equal(view.body.section47s[0].icpcStatus, 'held')
    assert.equal(view.body.plans[0].detailedPlanOn, '2026-04-02')
    assert.equal(view.body.plans[0].coreGroups.length, 1)
    assert.equal(view.body.plans[0].visits.length, 1)
    assert.ok(view.body.clocks.some((k: { rule: string; dueOn: string }) => k.rule === 'first-review-conference' && k.dueOn === '2026-06-20'))
  })

  test('an enquiry can be started from a discussion decided "other"; ids must be UUIDs', async () => {
    const { caseId, agent, token } = await apiAgent()
    const recorded = await agent.post(`/api/v1/cases/${caseId}/strategy-discussions`).set('x-csrf-token', token).send({ ...body(), decision: 'other' }).expect(201)
    assert.equal(recorded.body.section47, null)
    const started = await agent
      .post(`/api/v1/cases/${caseId}/section47`)
      .set('x-csrf-token', token)
      .send({ strategyDiscussionId: recorded.body.strategyDiscussion.id })
      .expect(201)
    assert.equal(started.body.startedOn, '2026-03-02')
    await agent.patch(`/api/v1/cases/${caseId}/section47/not-a-uuid`).set('x-csrf-token', token).send({ version: 1 }).expect(404)
  })

  test('a discussion is corrected with PUT naming the version read; its decision is not part of a correction', async () => {
    const { caseId, agent, token } = await apiAgent()
    const recorded = await agent.post(`/api/v1/cases/${caseId}/strategy-discussions`).set('x-csrf-token', token).send(body()).expect(201)
    const path = `/api/v1/cases/${caseId}/strategy-discussions/${recorded.body.strategyDiscussion.id}`
    const { decision: _decision, ...correction } = body()
    const corrected = await agent.put(path).set('x-csrf-token', token).send({ ...correction, version: 1, heldOn: '2026-03-03' }).expect(200)
    assert.equal(corrected.body.version, 2)
    assert.equal(corrected.body.decision, 's47-single')
    assert.equal((await enquiryOf(caseId)).icpcTarget, '2026-03-24')
    await agent.put(path).set('x-csrf-token', token).send({ ...correction, version: 1 }).expect(409)
  })

  test('the operations are in the OpenAPI document under "Child protection"', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    const ops = [
      ['get', '/cases/{caseId}/child-protection'],
      ['post', '/cases/{caseId}/strategy-discussions'],
      ['put', '/cases/{caseId}/strategy-discussions/{discussionId}'],
      ['post', '/cases/{caseId}/section47'],
      ['patch', '/cases/{caseId}/section47/{s47Id}'],
      ['post', '/cases/{caseId}/conferences'],
      ['post', '/cases/{caseId}/conferences/{conferenceId}/outcome'],
      ['put', '/cases/{caseId}/conferences/{conferenceId}/arrangements'],
      ['post', '/cases/{caseId}/plans/{planId}/core-groups'],
    ] as const
    for (const [method, path] of ops) {
      assert.deepEqual(doc.paths[path]?.[method]?.tags, ['Child protection'], `${method} ${path}`)
    }
  })
})

describe('inviting partners to a strategy discussion', () => {
  test('the social worker invites a partner (errors keep what was typed), sees the invitation on both pages and withdraws it; access ends at once', async () => {
    const { caseId, agent } = await caseWithWorker()
    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const path = `/cases/${caseId}/strategy-discussions/invitations`
    const empty = await agent.get(path).expect(200)
    assert.match(empty.text, /No partner has been invited to a strategy discussion/)
    assert.equal($(empty.text)('[data-qa=invite-strategy-partner] select[name=userId] option').length > 1, true)

    const missing = await submitForm(agent, path, path, { userId: '', purpose: 'Bruising the school reported' })
    assert.equal(missing.status, 400)
    const errorPage = $(missing.text)
    assert.match(errorPage('.govuk-error-summary').text(), /Select the partner practitioner to invite[\s\S]*date of the strategy discussion[\s\S]*time of the strategy discussion/)
    assert.equal(errorPage('.govuk-error-summary a[href="#meetingOn-day"]').length, 1)
    assert.equal(errorPage('#purpose').text().trim(), 'Bruising the school reported', 'what was typed stays')

    const past = await submitForm(agent, path, path, { userId: officer.userId, ...date('meetingOn', '2026-11-19'), meetingTime: '09:30', purpose: 'Bruising' })
    assert.equal(past.status, 400)
    assert.match($(past.text)('.govuk-error-summary').text(), /today or later/)

    const invited = await submitForm(agent, path, path, { userId: officer.userId, ...date('meetingOn', '2026-11-23'), meetingTime: '09:30', purpose: 'Bruising the school reported' })
    assert.equal(invited.status, 302)
    assert.equal(invited.headers.location, `${path}?invited=1#invitations`)
    const listed = $((await agent.get(`${path}?invited=1`).expect(200)).text)
    assert.match(listed('[data-qa=invitation-done]').text(), /invited and told/)
    assert.match(listed('[data-qa=invitations]').text(), /police[\s\S]*a strategy discussion on 23 November 2026 at 09:30: Bruising the school reported[\s\S]*Until the discussion’s record is closed/)
    const cp = $((await agent.get(`/cases/${caseId}/child-protection`).expect(200)).text)
    assert.match(cp('[data-qa=strategy-invitations]').text(), /Until the discussion’s record is closed/)
    assert.equal(cp('[data-qa=strategy-invitations] form').length, 0, 'withdrawing is on the invitations page')
    assert.equal(cp('[data-qa=strategy-invitations-link]').attr('href'), path)

    const police = app.agent()
    await signIn(police, officer.email, PASSWORD)
    const scoped = await police.get(`/cases/${caseId}/participation`).expect(200)
    assert.match($(scoped.text)('[data-qa=meetings]').text(), /strategy discussion on 23 November 2026/)
    await police.get(`/cases/${caseId}/child-protection`).expect(403)
    await police.get(path).expect(403)

    const withdrawAction = listed('[data-qa=invitations] form').attr('action')!
    const withdrawn = await submitForm(agent, path, withdrawAction, { version: String(listed('[data-qa=invitations] input[name=version]').val()) })
    assert.equal(withdrawn.status, 302)
    const after_ = $((await agent.get(path).expect(200)).text)
    assert.match(after_('[data-qa=invitations]').text(), /Withdrawn/)
    assert.equal(after_('[data-qa=invitations] form').length, 0)
    await police.get(`/cases/${caseId}/participation`).expect(403)
  })

  test('a partner who reads the case through their agency sees who is invited but cannot invite; a stranger cannot see the page', async () => {
    const { caseId, agent } = await caseWithWorker()
    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const path = `/cases/${caseId}/strategy-discussions/invitations`
    await submitForm(agent, path, path, { userId: officer.userId, ...date('meetingOn', '2026-11-24'), meetingTime: '14:00', purpose: 'Missing from school' })

    const dsl = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await world.involve(caseId, 'school')
    const school = app.agent()
    await signIn(school, dsl.email, PASSWORD)
    const seen = $((await school.get(path).expect(200)).text)
    assert.match(seen('[data-qa=invitations]').text(), /Missing from school/)
    assert.equal(seen('[data-qa=invite-strategy-partner]').length, 0)
    assert.equal(seen('[data-qa=invitations] form').length, 0)
    const refused = await submitForm(school, path, path, { userId: dsl.userId, ...date('meetingOn', '2026-11-24'), meetingTime: '14:00', purpose: 'Me too' })
    assert.equal(refused.status, 403)

    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    const other = app.agent()
    await signIn(other, stranger.email, PASSWORD)
    await other.get(path).expect(403)
    const attempt = await submitForm(other, '/', path, { userId: officer.userId, ...date('meetingOn', '2026-11-24'), meetingTime: '14:00', purpose: 'Not mine' })
    assert.equal(attempt.status, 403)
  })
})

describe('the conference record (issue 16, item 8)', () => {
  /** A case whose enquiry found continuing risk (its narrative recorded), with its ICPC scheduled for 20 March 2026 at 10:00. */
  async function scheduled() {
    const c = await caseWithWorker()
    await recordDiscussion(c.agent, c.caseId)
    const s47 = await enquiryOf(c.caseId)
    const s47Path = `/cases/${c.caseId}/section47/${s47.id}`
    await submitForm(c.agent, s47Path, s47Path, { version: '1', outcome: 'substantiated-continuing-risk', ...date('completedOn', '2026-03-13'), ...NARRATIVE })
    const chair = await world.user(['conference-chair'], { team: null })
    const schedulePath = `/cases/${c.caseId}/conferences/new?kind=initial&section47Id=${s47.id}`
    const res = await submitForm(c.agent, schedulePath, `/cases/${c.caseId}/conferences/new`, {
      kind: 'initial',
      section47Id: s47.id,
      ...date('scheduledFor', '2026-03-20'),
      ...WHERE,
      chairId: chair.userId,
      'participants-0-party': 'agency',
      'participants-0-name': 'DC Imaginary',
      'participants-0-agencyId': world.agencies.police!,
    })
    assert.equal(res.status, 302)
    const conferencePath = res.headers.location!.replace('?saved=1', '')
    const chairAgent = app.agent()
    await signIn(chairAgent, chair.email, PASSWORD)
    return { ...c, s47Path, chair, chairAgent, conferencePath, conferenceId: conferencePath.split('/')[4]! }
  }

  test('the enquiry’s outcome asks for what was found and the reasons, keeps what was typed, then shows the narrative', async () => {
    const { caseId, agent } = await caseWithWorker()
    await recordDiscussion(agent, caseId)
    const s47 = await enquiryOf(caseId)
    const path = `/cases/${caseId}/section47/${s47.id}`
    const outcome = { version: '1', outcome: 'not-substantiated', ...date('completedOn', '2026-03-13') }
    const refused = await submitForm(agent, path, path, { ...outcome, childsAccount: NARRATIVE.childsAccount })
    assert.equal(refused.status, 400)
    const page = $(refused.text)
    assert.deepEqual(page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get(), ['#findings', '#outcomeReasons'])
    assert.equal(page('#childsAccount').val(), NARRATIVE.childsAccount)
    const saved = await submitForm(agent, path, path, { ...outcome, ...NARRATIVE })
    assert.equal(saved.status, 302)
    const shown = $((await agent.get(path).expect(200)).text)('[data-qa=s47-narrative]').text().replace(/\s+/g, ' ')
    for (const text of Object.values(NARRATIVE)) assert.ok(shown.includes(text), `${text} in ${shown}`)
  })

  test('an unborn child’s enquiry concluded needing no conference after the pre-birth due date asks for the coded reason, on the page and in the API (issue 17 §3)', async () => {
    const unborn = async () => {
      const c = await caseWithWorker()
      const [row] = await database.db.select({ personId: childCase.personId }).from(childCase).where(eq(childCase.id, c.caseId))
      await database.db.update(person).set({ dateOfBirth: null, expectedDateOfBirth: '2026-07-15' }).where(eq(person.id, row!.personId))
      await recordDiscussion(c.agent, c.caseId)
      return { ...c, s47: await enquiryOf(c.caseId) }
    }
    const { caseId, agent, s47 } = await unborn()
    const path = `/cases/${caseId}/section47/${s47.id}`
    assert.match($((await agent.get(path).expect(200)).text)('[data-qa=late-reason-fields]').text(), /due by 22 April 2026/)
    const outcome = { version: '1', outcome: 'not-substantiated', ...date('completedOn', '2026-05-01'), ...NARRATIVE, lateReasonCode: '', lateReason: 'The mother moved away (fictional)' }
    const refused = await submitForm(agent, path, path, outcome)
    assert.equal(refused.status, 400)
    const page = $(refused.text)
    assert.deepEqual(page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get(), ['#lateReasonCode'])
    assert.equal(page('#lateReason').val(), 'The mother moved away (fictional)', 'the words typed are kept')
    assert.equal((await submitForm(agent, path, path, { ...outcome, lateReasonCode: 'family-unavailable' })).status, 302)
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, s47.id)).then((rows) => rows.filter((r) => r.rule === 'prebirth-conference'))
    assert.deepEqual([k!.completedOn, k!.delayReasonCode, k!.delayReason], ['2026-05-01', 'family-unavailable', 'The mother moved away (fictional)'])

    const other = await unborn()
    const token = (await other.agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const api = { version: 1, outcome: 'not-substantiated', completedOn: '2026-05-01', ...NARRATIVE }
    const unreasoned = await other.agent.patch(`/api/v1/cases/${other.caseId}/section47/${other.s47.id}`).set('x-csrf-token', token).send(api).expect(422)
    assert.match(unreasoned.body.errors.lateReasonCode, /due by 22 April 2026/)
    await other.agent.patch(`/api/v1/cases/${other.caseId}/section47/${other.s47.id}`).set('x-csrf-token', token).send({ ...api, lateReasonCode: 'capacity' }).expect(200)
  })

  test('a conference shows its time and venue; held on another day it asks why and says so; a report sent through Together shows as received', async () => {
    const { caseId, agent, chairAgent, conferencePath, conferenceId, worker } = await scheduled()
    const before = $((await chairAgent.get(conferencePath).expect(200)).text)
    assert.match(before('[data-qa=arrangements]').text().replace(/\s+/g, ' '), /Scheduled for 20 March 2026 at 10:00 Venue Room 2, Civic Centre \(fictional\)/)
    const list = $((await agent.get(`/cases/${caseId}/child-protection`).expect(200)).text)
    assert.match(list('[data-qa=conference-table]').text().replace(/\s+/g, ' '), /Scheduled for 20 March 2026 at 10:00, Room 2, Civic Centre \(fictional\)/)

    await database.db.insert(conferenceReport).values({
      partnershipId: world.partnershipId,
      caseId,
      conferenceId,
      agencyId: world.agencies.police!,
      body: 'Police hold one previous domestic incident.',
      submittedAt: new Date('2026-03-18T15:00:00Z'),
      createdAt: new Date('2026-03-18T15:00:00Z'),
      recordedBy: worker.userId,
    })
    const form = $((await chairAgent.get(conferencePath).expect(200)).text)
    assert.equal(form('#participants-0-reportReceivedOn-day').val(), '18', 'the report sent through Together is marked received')

    const outcome = {
      version: '1',
      ...date('heldOn', '2026-03-23'),
      'participants-0-party': 'agency',
      'participants-0-name': 'DC Imaginary',
      'participants-0-agencyId': world.agencies.police!,
      'participants-0-attendance': 'attended',
      decision: 'no-plan',
    }
    const refused = await submitForm(chairAgent, conferencePath, conferencePath, outcome)
    assert.equal(refused.status, 400)
    assert.equal($(refused.text)('.govuk-error-summary a').attr('href'), '#rescheduleReason')
    const held = await submitForm(chairAgent, conferencePath, conferencePath, {
      ...outcome,
      rescheduleReason: 'Moved: the chair was ill.',
      delayReason: 'The chair was ill.',
    })
    assert.equal(held.status, 302)
    const after = $((await chairAgent.get(conferencePath).expect(200)).text)
    const text = (qa: string) => after(`[data-qa=${qa}]`).text().replace(/\s+/g, ' ')
    assert.match(text('arrangements'), /Scheduled for 20 March 2026 at 10:00\s*Held on 23 March 2026 instead: Moved: the chair was ill\./)
    assert.match(text('outcome'), /Held on 23 March 2026, not 20 March 2026 as scheduled: Moved: the chair was ill\./)
    assert.match(text('participants'), /DC Imaginary.*Attended 18 March 2026, sent through Together/)
    assert.doesNotMatch(text('participants'), /Not received/)
  })

  test('the chair’s list: their conferences with time and venue and a link to the case, on the page and in the API; others are refused', async () => {
    const { caseId, chairAgent, conferenceId, agent } = await scheduled()
    const home = $((await chairAgent.get('/').expect(200)).text)
    assert.equal(home('[data-qa=chair-list-link]').attr('href'), '/my-conferences')
    assert.equal(home('.app-service-navigation a[href="/my-conferences"]').length, 1, 'in the chair’s menu')
    const page = $((await chairAgent.get('/my-conferences').expect(200)).text)
    const row = page('[data-qa=chair-conference]').text().replace(/\s+/g, ' ')
    assert.match(row, /20 March 2026 at 10:00/)
    assert.match(row, /Room 2, Civic Centre \(fictional\)/)
    assert.match(row, /Outcome to record/, 'its day has passed (20 November 2026 now)')
    assert.equal(page(`a[href="/cases/${caseId}/conferences/${conferenceId}"]`).length, 1)
    assert.equal(page(`a[href="/cases/${caseId}"]`).text(), 'Pretend ' + (await childFamilyName(caseId)))

    const api = await chairAgent.get('/api/v1/my-conferences?limit=10').expect(200)
    assert.equal(api.body.total, 1)
    assert.deepEqual([api.body.items[0].id, api.body.items[0].scheduledTime, api.body.items[0].venue, api.body.items[0].caseId], [conferenceId, '10:00', WHERE.venue, caseId])
    await chairAgent.get('/api/v1/my-conferences?limit=500').expect(422)
    await agent.get('/my-conferences').expect(403)
    await agent.get('/api/v1/my-conferences').expect(403)
  })
})

async function childFamilyName(caseId: string) {
  const [row] = await database.db
    .select({ familyName: person.familyName })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(eq(childCase.id, caseId))
  return row!.familyName
}
