/**
 * Multi-agency working over HTTP: the child protection status check's API for clinical systems
 * (token authentication), and the access tests — a partner never sees a child they are not
 * involved with, whatever their agency, and an ended or revoked involvement ends access at once.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../test/support/fixtures.ts'
import { accessGrant, auditEvent, person, plan } from '../../db/schema/index.ts'
import type { AgencyType } from '../../domain/organisation/agency-types.ts'
import { createApiToken } from '../../services/access/api-tokens.ts'
import { sendInformationRequest } from '../../services/multi-agency/information-requests.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

describe('child protection status check API', () => {
  test('a clinical system checks with a token; a bad NHS number is a 422; other roles are refused', async () => {
    await world.agency('trust', 'health-trust')
    const worker = await world.user(['social-worker'])
    const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
    const child = await world.childCase({ worker: worker.userId })
    await database.db.update(person).set({ nhsNumber: '9990000093' }).where(eq(person.id, child.personId))
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId: child.caseId, kind: 'child-protection', startedOn: '2026-10-10', recordedBy: worker.userId })
    const { token } = await createApiToken(database.db, { email: clinician.email, name: 'ED system', now: FIXED_NOW })
    const agent = app.agent()
    const ok = await agent.post('/api/v1/cp-status-checks').set('authorization', `Bearer ${token}`).send({ nhsNumber: '999-000-0093', setting: 'ED' }).expect(200)
    assert.equal(ok.body.status, 'child-protection-plan')
    assert.equal(ok.body.startedOn, '2026-10-10')
    const bad = await agent.post('/api/v1/cp-status-checks').set('authorization', `Bearer ${token}`).send({ nhsNumber: '9990000094' }).expect(422)
    assert.match(JSON.stringify(bad.body), /not a valid NHS number/)
    const other = await createApiToken(database.db, { email: worker.email, name: 'not a clinician', now: FIXED_NOW })
    await agent.post('/api/v1/cp-status-checks').set('authorization', `Bearer ${other.token}`).send({ nhsNumber: '9990000093' }).expect(403)
  })
})

/** Partner practitioners of every kind of partner agency. */
const PARTNER_AGENCIES: AgencyType[] = ['education', 'police', 'health-trust', 'health-gp-practice', 'probation', 'housing', 'voluntary-sector']

/** The case's record sections a partner with only a participation ground is refused. */
const RECORD_SECTIONS = ['', '/notes', '/assessments', '/chronology', '/plans', '/child-protection', '/family', '/information-sharing', '/information-requests']

/**
 * The partner sees the case's participation view (pages, API and their home page's list) and is
 * refused every section of the record, each refusal audited, without the child's name shown.
 */
async function assertOnlyParticipation(agent: ReturnType<TestApp['agent']>, userId: string, caseId: string, name: RegExp) {
  const scoped = await agent.get(`/cases/${caseId}/participation`).expect(200)
  assert.match(scoped.text, name)
  for (const section of RECORD_SECTIONS) {
    const page = await agent.get(`/cases/${caseId}${section}`).expect(403)
    assert.doesNotMatch(page.text, name)
    assert.match(page.text, /see what you can take part in/)
  }
  await agent.get(`/api/v1/cases/${caseId}`).expect(403)
  await agent.get(`/api/v1/cases/${caseId}/participation`).expect(200)
  assert.match((await agent.get('/').expect(200)).text, new RegExp(`/cases/${caseId}/participation`))
  const refusals = await database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.actorUserId, userId), eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.read.refused')))
  assert.ok(refusals.length >= RECORD_SECTIONS.length + 1, 'every refusal is audited')
}

describe('partners see only the children they are involved with', () => {
  let worker: Awaited<ReturnType<World['user']>>
  before(async () => {
    worker = await world.user(['social-worker'])
  })
  for (const type of PARTNER_AGENCIES) {
    test(`a partner practitioner of ${type}`, async () => {
      const key = `${type}-agency`
      if (!world.agencies[key]) await world.agency(key, type)
      const partner = await world.user(['partner-practitioner'], { agency: key, team: null })
      const agent = app.agent()
      await signIn(agent, partner.email, PASSWORD)
      const notInvolved = await world.childCase({ givenName: 'Hidden' })
      const involved = await world.childCase({ givenName: 'Shared' })
      await world.involve(involved.caseId, key, '2026-10-01')
      const ended = await world.childCase({ givenName: 'Ended' })
      await world.involve(ended.caseId, key, '2026-10-01', '2026-11-19')

      const refused = await agent.get(`/cases/${notInvolved.caseId}`).expect(403)
      assert.doesNotMatch(refused.text, /Hidden/)
      assert.doesNotMatch(refused.text, /break-glass|Break glass/i, 'partners are never offered break-glass')
      await agent.get(`/api/v1/cases/${notInvolved.caseId}`).expect(403)
      await agent.get(`/cases/${ended.caseId}`).expect(403)
      const shown = await agent.get(`/cases/${involved.caseId}`).expect(200)
      assert.match(shown.text, /Shared/)
      const home = await agent.get('/').expect(200)
      assert.doesNotMatch(home.text, /Hidden|Ended/)
      await agent.get(`/cases/${notInvolved.caseId}/participation`).expect(403)

      // Invited to a conference: the participation view only; the record's sections are refused.
      const invitedChild = await world.childCase({ givenName: 'Invitee' })
      await world.grant(invitedChild.caseId, partner.userId, 'invitation')
      await assertOnlyParticipation(agent, partner.userId, invitedChild.caseId, /Invitee/)

      // A request addressed to their agency: the request and the participation view, never the record.
      const asked = await world.childCase({ givenName: 'Asked', worker: worker.userId })
      const request = await sendInformationRequest(world.ctx(worker), asked.caseId, { toAgencyId: world.agencies[key]!, personIds: [asked.personId], question: 'Known to you?', urgency: 'green' })
      await world.grant(asked.caseId, partner.userId, 'addressed-request')
      const requestPage = await agent.get(`/information-requests/${request.id}`).expect(200)
      assert.match(requestPage.text, /Asked/)
      assert.match(requestPage.text, /Known to you\?/)
      await assertOnlyParticipation(agent, partner.userId, asked.caseId, /Asked/)
      const [viewed] = await database.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.actorUserId, partner.userId), eq(auditEvent.recordId, asked.caseId), eq(auditEvent.action, 'case.view')))
      assert.equal(viewed?.ground, 'addressed-request')
    })
  }

  test('a revoked invitation ends access at once; an unscheduled-care clinician sees no case at all', async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const child = await world.childCase({ givenName: 'Invited' })
    await world.grant(child.caseId, partner.userId, 'invitation')
    const agent = app.agent()
    await signIn(agent, partner.email, PASSWORD)
    await agent.get(`/cases/${child.caseId}/participation`).expect(200)
    await database.db.update(accessGrant).set({ endsAt: new Date(FIXED_NOW.getTime() - 1000) }).where(eq(accessGrant.userId, partner.userId))
    await agent.get(`/cases/${child.caseId}/participation`).expect(403)

    await world.agency('trust2', 'health-trust')
    const clinician = await world.user(['unscheduled-care'], { agency: 'trust2', team: null })
    await world.involve(child.caseId, 'trust2')
    const ed = app.agent()
    await signIn(ed, clinician.email, PASSWORD)
    await ed.get(`/cases/${child.caseId}`).expect(403)
  })
})

describe('information request pages', () => {
  test('a social worker sends a request; the police see it, answer it; the dashboard shows it', async () => {
    const worker = await world.user(['social-worker'])
    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const child = await world.childCase({ worker: worker.userId, givenName: 'Paged' })
    const sw = app.agent()
    await signIn(sw, worker.email, PASSWORD)
    const page = `/cases/${child.caseId}/information-requests`
    const missing = await submitForm(sw, page, page, { toAgencyId: world.agencies.police!, question: '' })
    assert.equal(missing.status, 400)
    assert.match($(missing.text)('.govuk-error-summary').text(), /Select at least one person[\s\S]*Enter what you want to know[\s\S]*Select how urgent/)
    const sent = await submitForm(sw, page, page, { toAgencyId: world.agencies.police!, personIds: child.personId, question: 'Any call-outs?', urgency: 'green' })
    assert.equal(sent.status, 302)
    const listed = await sw.get(page).expect(200)
    assert.match($(listed.text)('[data-qa=case-requests]').text(), /Due by/)

    const police = app.agent()
    await signIn(police, officer.email, PASSWORD)
    const incoming = await police.get('/information-requests').expect(200)
    const link = $(incoming.text)('[data-qa=incoming-requests] a').first().attr('href')!
    assert.match($(incoming.text)('[data-qa=incoming-requests]').text(), /Paged/)
    const answered = await submitForm(police, link, `${link}/answer`, { held: 'no', version: '1' })
    assert.equal(answered.status, 302)
    const after_ = await sw.get(page).expect(200)
    assert.match($(after_.text)('[data-qa=case-requests]').text(), /nothing held/)
    await police.get(`/cases/${child.caseId}`).expect(403)

    const fd = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const fdAgent = app.agent()
    await signIn(fdAgent, fd.email, PASSWORD)
    const dash = await fdAgent.get('/information-requests/dashboard').expect(200)
    assert.match($(dash.text)('[data-qa=response-times]').text(), /police/)
  })
})

describe('information sharing records', () => {
  test('a social worker records a share with its lawful basis and a decision not to share; the golden rules guide, urgency never blocks', async () => {
    const worker = await world.user(['social-worker'])
    const child = await world.childCase({ worker: worker.userId, givenName: 'Sharing' })
    const agent = app.agent()
    await signIn(agent, worker.email, PASSWORD)
    const page = `/cases/${child.caseId}/information-sharing`
    const form = await agent.get(page).expect(200)
    assert.match($(form.text)('[data-qa=golden-rules]').text(), /You do not need consent/)
    const base = {
      'decidedOn-day': '19', 'decidedOn-month': '11', 'decidedOn-year': '2026', information: 'Attendance record', recipientAgencyId: world.agencies.police!,
      recipient: 'DC Example, police', purpose: 'Section 47 enquiry', specialCategory: 'no', consent: 'not-sought', consentReason: 'It could prejudice the enquiry',
    }
    const noBasis = await submitForm(agent, page, page, { ...base, decision: 'shared', urgent: 'no' })
    assert.equal(noBasis.status, 400)
    assert.match($(noBasis.text)('.govuk-error-summary').text(), /Article 6 lawful basis/)
    assert.equal((await submitForm(agent, page, page, { ...base, decision: 'shared', urgent: 'no', article6Basis: 'public-task' })).status, 302)
    assert.equal((await submitForm(agent, page, page, { ...base, decision: 'shared', urgent: 'yes', information: 'Urgent call' })).status, 302, 'an urgent share is recorded before its basis')
    assert.equal((await submitForm(agent, page, page, { ...base, decision: 'not-shared', urgent: 'no', recipient: 'A neighbour', recipientAgencyId: '', purpose: 'Asked for the family’s address', consentReason: 'No safeguarding role' })).status, 302)
    const shown = await agent.get(page).expect(200)
    const table = $(shown.text)('[data-qa=shares]').text()
    assert.match(table, /Shared with DC Example/)
    assert.match(table, /Article 6\(1\)\(e\) public task/)
    assert.match(table, /Basis to be recorded/)
    assert.match(table, /Not shared with A neighbour/)
    const chron = await agent.get(`/cases/${child.caseId}/chronology`).expect(200)
    assert.match(chron.text, /Decided not to share information with A neighbour/)

    const manager = await world.user(['team-manager'])
    const mgr = app.agent()
    await signIn(mgr, manager.email, PASSWORD)
    const report = await mgr.get(`/information-sharing?agency=${world.agencies.police}`).expect(200)
    assert.equal($(report.text)('[data-qa=shares] tbody tr').length >= 2, true)
    assert.doesNotMatch($(report.text)('[data-qa=shares]').text(), /Sharing/, 'the per-agency report does not name the child')
    await agent.get('/information-sharing').expect(403)
  })
})
