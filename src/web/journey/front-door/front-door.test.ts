import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type supertest from 'supertest'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { childCase, cinEpisode, contact, contactChild, draft, person } from '../../../db/schema/index.ts'
import type { Actor } from '../../../services/common/context.ts'
import { contactInput } from '../../../services/journey/front-door-input.ts'
import { decideContact, recordContact } from '../../../services/journey/front-door.ts'
import { $, openTestApp, csrfFrom, dateFields, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let practitioner: Actor & { email: string }
before(async () => {
  ({ database, world, app } = await openTestApp(FIXED_NOW))
  practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
})
after(() => database.close())

async function signedIn(user: { email: string } = practitioner): Promise<supertest.Agent> {
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  return agent
}

let counter = 0
const surname = () => `Zephyrine${String.fromCharCode(97 + (counter++ % 26))}${counter}`

/** A contact recorded through the service, about a new child. */
async function contactAbout(familyName = surname(), overrides: Record<string, unknown> = {}) {
  return recordContact(
    world.ctx(practitioner),
    contactInput.parse({
      receivedDate: '2026-11-19',
      receivedTime: '09:00',
      source: '2A',
      referrerName: 'Pat Example',
      concern: 'A worry about home',
      consent: 'given',
      urgency: 'standard',
      children: [{ newPerson: { givenName: 'Rory', familyName, dateOfBirth: '2017-03-03', sex: 'M' } }],
      ...overrides,
    }),
  )
}

const errorLinks = (html: string) => {
  const page = $(html)
  return page('.govuk-error-summary a').map((_, a) => [[page(a).attr('href'), page(a).text().trim()]]).get()
}

describe('the front door queue page', () => {
  test('lists undecided contacts most urgent first with their clock, and recently decided ones', async () => {
    const queueWorld = await World.create(database.db)
    const fd = await queueWorld.user(['front-door-practitioner'], { team: 'front-door' })
    const record = (urgency: string, familyName: string) =>
      recordContact(queueWorld.ctx(fd), contactInput.parse({
        receivedDate: '2026-11-20', receivedTime: '08:00', source: '6', referrerName: 'PC Example', concern: 'Incident', consent: 'not-sought',
        consentReason: 'Risk of harm if parents told', urgency,
        children: [{ newPerson: { givenName: 'Ivy', familyName, dateOfBirth: '2015-01-01', sex: 'F' } }],
      }))
    const standard = await record('standard', 'Quenchwell')
    const immediate = await record('immediate', 'Rushmoreby')
    const decided = await record('urgent', 'Settledown')
    await decideContact(queueWorld.ctx(fd), decided.id, { decision: 'nfa', reason: 'None', version: decided.version })

    const page = $((await (await signedIn(fd)).get('/front-door').expect(200)).text)
    const rows = page('[data-qa=undecided] tbody tr').map((_, tr) => page(tr).attr('data-qa')).get()
    assert.deepEqual(rows, [`contact-${immediate.id}`, `contact-${standard.id}`])
    assert.match(page(`[data-qa=contact-${immediate.id}]`).text(), /Ivy Rushmoreby/)
    assert.match(page(`[data-qa=contact-${immediate.id}] [data-qa=clock-state]`).text(), /Due today/)
    assert.match(page('[data-qa=recently-decided]').text(), /Ivy Settledown[\s\S]*No further action/)
    assert.equal(page(`[data-qa=undecided] a[href="/contacts/${immediate.id}"]`).length, 1)
  })

  test('is refused to roles other than front door practitioners and team managers', async () => {
    const worker = await world.user(['social-worker'])
    const res = await (await signedIn(worker)).get('/front-door')
    assert.equal(res.status, 403)
  })
})

describe('the contact form', () => {
  test('search first, add a new child and a known one, give the details, check and record', async () => {
    const known = await world.childCase({ team: 'front-door', givenName: 'Wren', familyName: 'Knownabout' })
    const newName = surname()
    const agent = await signedIn()
    await agent.post('/contacts/new/cancel').type('form').send({ _csrf: csrfFrom((await agent.get('/contacts/new')).text) })

    // Adding a person is only offered after a search.
    const direct = await agent.get('/contacts/new/person').expect(303)
    assert.equal(direct.headers.location, '/contacts/new')
    const empty = $((await agent.get('/contacts/new').expect(200)).text)
    assert.equal(empty('[data-qa=add-person]').length, 0)

    const searched = $((await agent.get(`/contacts/new?search=1&givenName=Rory&familyName=${newName}`).expect(200)).text)
    assert.equal(searched('[data-qa=no-results]').length, 1)
    const addHref = searched('[data-qa=add-person]').attr('href')!
    const personPage = await agent.get(addHref).expect(200)
    assert.equal($(personPage.text)('#familyName').val(), newName)

    const invalid = await agent.post('/contacts/new/person').type('form').send({
      _csrf: csrfFrom(personPage.text), 'search-familyName': newName, givenName: 'Rory', familyName: newName, sex: 'M', nhsNumber: '9990000051',
    })
    assert.equal(invalid.status, 400)
    assert.deepEqual(errorLinks(invalid.text), [
      ['#dateOfBirth-day', 'Enter the date of birth, or the expected date of birth for an unborn child'],
      ['#nhsNumber', 'This is not a valid NHS number: check each digit'],
    ])
    assert.equal($(invalid.text)('#familyName').val(), newName, 'what was typed is kept')

    const added = await agent.post('/contacts/new/person').type('form').send({
      _csrf: csrfFrom(personPage.text), 'search-familyName': newName, givenName: 'Rory', familyName: newName, sex: 'M',
      'dateOfBirth-day': '3', 'dateOfBirth-month': '3', 'dateOfBirth-year': '2017', disabilities: 'NONE',
    })
    assert.equal(added.status, 303)
    const [created] = await database.db.select().from(person).where(eq(person.familyName, newName))
    assert.equal(created!.dateOfBirth, '2017-03-03')

    const found = $((await agent.get('/contacts/new?search=1&familyName=knownab').expect(200)).text)
    const select = found(`[data-qa=result-${known.personId}] form`)
    assert.match(found(`[data-qa=result-${known.personId}]`).text(), /Has a case: Assessment/)
    await agent.post(select.attr('action')!).type('form').send({ _csrf: csrfFrom(found.html()), personId: known.personId }).expect(303)

    const chosen = $((await agent.get('/contacts/new').expect(200)).text)
    assert.match(chosen('[data-qa=chosen-children]').text(), new RegExp(`Rory ${newName}[\\s\\S]*Wren Knownabout`))

    const details = await agent.get('/contacts/new/details').expect(200)
    assert.equal($(details.text)('#receivedDate-year').val(), '2026', 'today is the default')
    const fields = {
      'receivedDate-day': '19', 'receivedDate-month': '11', 'receivedDate-year': '2026', receivedTime: '14:05', source: '3B',
      referrerName: 'Hana Visitor', referrerRole: 'Health visitor', referrerContact: '01632 960000',
      concern: 'The baby has missed appointments.\nThe home was cold.', consent: 'refused', urgency: 'urgent',
    }
    const refused = await agent.post('/contacts/new/details').type('form').send({ ...fields, _csrf: csrfFrom(details.text) })
    assert.equal(refused.status, 400)
    assert.deepEqual(errorLinks(refused.text), [['#consentReason', 'Explain why consent was refused or not sought']])
    assert.equal($(refused.text)('#referrerName').val(), 'Hana Visitor')
    const kept = await agent.get('/contacts/new/details').expect(200)
    assert.equal($(kept.text)('#concern').val(), fields.concern, 'the draft kept the details')

    const ok = await agent.post('/contacts/new/details').type('form').send({ ...fields, consentReason: 'Mother refused; risk judged too high not to share', _csrf: csrfFrom(kept.text) })
    assert.equal(ok.headers.location, '/contacts/new/check')
    const check = await agent.get('/contacts/new/check').expect(200)
    const checkPage = $(check.text)
    assert.match(checkPage('[data-qa=check-children]').text(), /Wren Knownabout/)
    assert.match(checkPage('[data-qa=check-details]').text(), /19 November 2026 at 14:05/)
    assert.match(checkPage('[data-qa=check-details]').text(), /Health services – health visitor/)

    const recorded = await agent.post('/contacts/new/check').type('form').send({ _csrf: csrfFrom(check.text) }).expect(303)
    const location = recorded.headers.location as string
    assert.match(location, /^\/contacts\/[0-9a-f-]{36}\?saved=recorded$/)
    const contactId = location.slice(10, 46)
    const contactPage = $((await agent.get(location).expect(200)).text)
    // Urgent: due the day it was received, not the next working day (issue 16, item 3).
    assert.match(contactPage('.govuk-notification-banner').text(), /The contact was recorded. The decision is due by 19 November 2026/)
    assert.match(contactPage('[data-qa=contact-children]').text(), /Wren Knownabout/)
    const links = await database.db.select().from(contactChild).where(eq(contactChild.contactId, contactId))
    assert.equal(links.length, 2)
    const [row] = await database.db.select().from(contact).where(eq(contact.id, contactId))
    assert.equal(row!.receivedAt.toISOString(), '2026-11-19T14:05:00.000Z')
    assert.equal(row!.consent, 'refused')
    const drafts = await database.db.select().from(draft).where(eq(draft.userId, practitioner.userId))
    assert.equal(drafts.length, 0, 'the draft is gone once the contact is recorded')
  })

  test('step 2 checks its own fields there: a future time, an agency not of this partnership (issue 16, item 4)', async () => {
    const agent = await signedIn()
    await agent.post('/contacts/new/cancel').type('form').send({ _csrf: csrfFrom((await agent.get('/contacts/new')).text) })
    const known = await world.childCase({ team: 'front-door' })
    const start = await agent.get('/contacts/new').expect(200)
    await agent.post('/contacts/new/children').type('form').send({ _csrf: csrfFrom(start.text), personId: known.personId }).expect(303)
    const details = await agent.get('/contacts/new/details').expect(200)
    const other = await World.create(database.db)
    const fields = {
      ...dateFields('receivedDate', '2026-11-20'), receivedTime: '10:30', source: '2A', referrerName: 'Pat Example',
      referrerAgencyId: other.agencies.school!, concern: 'A worry about home', consent: 'given', urgency: 'standard',
    }
    const future = await agent.post('/contacts/new/details').type('form').send({ ...fields, _csrf: csrfFrom(details.text) })
    assert.equal(future.status, 400, 'refused on this step, not after the check page')
    assert.deepEqual(errorLinks(future.text), [
      ['#receivedTime', 'The time received must be in the past: it is 10:00 now'],
      ['#referrerAgencyId', 'Select an agency from the list'],
    ])
    assert.equal($(future.text)('#receivedTime').val(), '10:30', 'what was typed is kept')
    assert.equal($(future.text)('#concern').val(), 'A worry about home')
    assert.equal((await agent.get('/contacts/new/check')).headers.location, '/contacts/new/details', 'the check page is not reached')

    const tomorrow = await agent.post('/contacts/new/details').type('form')
      .send({ ...fields, ...dateFields('receivedDate', '2026-11-21'), receivedTime: '09:00', referrerAgencyId: '', _csrf: csrfFrom(details.text) })
    assert.deepEqual(errorLinks(tomorrow.text), [['#receivedDate-day', 'The date received must be today or in the past']])
    const ok = await agent.post('/contacts/new/details').type('form')
      .send({ ...fields, receivedTime: '09:30', referrerAgencyId: world.agencies.school!, _csrf: csrfFrom(details.text) })
    assert.equal(ok.headers.location, '/contacts/new/check')
  })

  test('continuing without a child sends the user back to search', async () => {
    const agent = await signedIn()
    const home = await agent.get('/contacts/new')
    await agent.post('/contacts/new/cancel').type('form').send({ _csrf: csrfFrom(home.text) })
    const res = await agent.get('/contacts/new/details').expect(303)
    assert.equal(res.headers.location, '/contacts/new?needChild=1')
    const page = await agent.get(res.headers.location).expect(200)
    assert.deepEqual(errorLinks(page.text), [['#familyName', 'Add at least one child before you continue: search for them first']])
  })

  test('a partner practitioner cannot open the form', async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await (await signedIn(partner)).get('/contacts/new').expect(403)
  })
})

describe('the contact page', () => {
  test('records a decision, shows it, and refuses a second one', async () => {
    const row = await contactAbout()
    const agent = await signedIn()
    const page = await agent.get(`/contacts/${row.id}`).expect(200)
    assert.equal($(page.text)('[data-qa=decision-form]').length, 1)
    const missing = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, { version: String(row.version) })
    assert.equal(missing.status, 400)
    assert.deepEqual(errorLinks(missing.text).map((l) => l[0]), ['#decision', '#reason'])
    const res = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      version: String(row.version), decision: 'referral', reason: 'Needs an assessment',
    })
    assert.equal(res.status, 303)
    const decided = $((await agent.get(res.headers.location as string).expect(200)).text)
    assert.match(decided('[data-qa=decision]').text(), /Referral to children's social care/)
    assert.match(decided('[data-qa=episodes-opened]').text(), /referral of 19 November 2026/)
    assert.equal(decided('[data-qa=decision-form]').length, 0)
    const again = await agent.post(`/contacts/${row.id}/decision`).type('form').send({
      _csrf: csrfFrom(decided.html()), version: String(row.version + 1), decision: 'nfa', reason: 'Changed my mind',
    })
    assert.equal(again.status, 400)
    assert.match(again.text, /This contact has already been decided/)
  })

  test('a referral can name the team it goes to; the child’s case moves there; a team for another decision is an error', async () => {
    const row = await contactAbout()
    const agent = await signedIn()
    const page = $((await agent.get(`/contacts/${row.id}`).expect(200)).text)
    const assessmentTeam = world.teams.assessment!
    assert.ok(page(`#teamId option[value=${assessmentTeam}]`).length, 'the local authority’s other teams are offered')
    assert.equal(page(`#teamId option[value=${world.teams['front-door']}]`).length, 0, 'not the practitioner’s own team')
    const wrong = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      version: String(row.version), decision: 'nfa', reason: 'No concerns', teamId: assessmentTeam,
    })
    assert.equal(wrong.status, 400)
    assert.deepEqual(errorLinks(wrong.text).map((l) => l[0]), ['#teamId'])
    const res = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      version: String(row.version), decision: 'referral', reason: 'Needs an assessment', teamId: assessmentTeam,
    })
    assert.equal(res.status, 303)
    const [link] = await database.db.select().from(contactChild).where(eq(contactChild.contactId, row.id))
    const [moved] = await database.db.select().from(childCase).where(eq(childCase.id, link!.caseId))
    assert.deepEqual([moved!.teamId, moved!.status], [assessmentTeam, 'assessment'])
  })

  test('the decision’s date: today by default; a late one asks for the reason, an earlier one on time does not (issue 16, item 3)', async () => {
    const row = await contactAbout(surname(), { receivedDate: '2026-11-17' })
    const agent = await signedIn()
    const page = $((await agent.get(`/contacts/${row.id}`).expect(200)).text)
    assert.match(page('.govuk-warning-text').text(), /The decision was due by 18 November 2026/)
    assert.equal(page('#delayReason').length, 1)
    assert.match(page('[data-qa=contact-status]').text(), /Overdue by 2 working days/)
    assert.deepEqual(['#decidedOn-day', '#decidedOn-month', '#decidedOn-year'].map((id) => page(id).val()), ['20', '11', '2026'], 'today by default')

    const decision = { version: String(row.version), decision: 'nfa', reason: 'No concerns' }
    const late = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, decision)
    assert.equal(late.status, 400)
    assert.deepEqual(errorLinks(late.text), [
      ['#delayReason', 'Enter the reason the decision was late: it was due by 18 November 2026 and made on 20 November 2026'],
    ])
    assert.equal($(late.text)('#reason').val(), 'No concerns', 'what was typed is kept')

    const future = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      ...decision, ...dateFields('decidedOn', '2026-11-21'),
    })
    assert.deepEqual(errorLinks(future.text), [['#decidedOn-day', 'The date must be today or in the past']])
    assert.equal($(future.text)('#decidedOn-day').val(), '21', 'the date typed is kept')

    const onTime = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      ...decision, ...dateFields('decidedOn', '2026-11-18'),
    })
    assert.equal(onTime.status, 303)
    const decided = $((await agent.get(`/contacts/${row.id}`).expect(200)).text)
    assert.equal(decided('[data-qa=decided-on]').text(), '18 November 2026: on time')
    assert.equal(decided('[data-qa=late-reason]').length, 0)
  })

  test('a decision made late shows when and why in the contact’s record', async () => {
    const row = await contactAbout(surname(), { receivedDate: '2026-11-17' })
    const agent = await signedIn()
    const res = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      version: String(row.version), decision: 'nfa', reason: 'No concerns', delayReason: 'The referrer was called back first',
      ...dateFields('decidedOn', '2026-11-19'),
    })
    assert.equal(res.status, 303)
    const decided = $((await agent.get(`/contacts/${row.id}`).expect(200)).text)
    assert.equal(decided('[data-qa=decided-on]').text(), '19 November 2026: late, it was due by 18 November 2026')
    assert.equal(decided('[data-qa=late-reason]').text(), 'The referrer was called back first')

    // A coded reason alone reads as its label.
    const coded = await contactAbout(surname(), { receivedDate: '2026-11-17' })
    await submitForm(agent, `/contacts/${coded.id}`, `/contacts/${coded.id}/decision`, {
      version: String(coded.version), decision: 'nfa', reason: 'No concerns', delayReasonCode: 'capacity', ...dateFields('decidedOn', '2026-11-19'),
    })
    assert.equal($((await agent.get(`/contacts/${coded.id}`).expect(200)).text)('[data-qa=late-reason]').text(), 'Worker or team capacity (caseloads, absence, vacancies)')
  })

  test('acknowledgement and feedback; a stale save shows both versions and keeps what was typed', async () => {
    const row = await contactAbout()
    const agent = await signedIn()
    const page = await agent.get(`/contacts/${row.id}`)
    const ack = await agent.post(`/contacts/${row.id}/acknowledgement`).type('form').send({
      _csrf: csrfFrom(page.text), version: String(row.version), 'acknowledgedOn-day': '19', 'acknowledgedOn-month': '11', 'acknowledgedOn-year': '2026',
    })
    assert.equal(ack.status, 303)
    const stale = await agent.post(`/contacts/${row.id}/decision`).type('form').send({
      _csrf: csrfFrom(page.text), version: String(row.version), decision: 'early-help', reason: 'Family support needed',
    })
    assert.equal(stale.status, 409)
    const conflict = $(stale.text)
    assert.match(conflict('[data-qa=conflict]').text(), /Early help or family help/)
    assert.equal(conflict('input[name=decision][value=early-help]').attr('checked'), 'checked')
    assert.equal(conflict('#reason').val(), 'Family support needed')
    assert.equal(conflict('[data-qa=decision-form] input[name=version]').val(), String(row.version + 1))
    const shown = $((await agent.get(`/contacts/${row.id}`)).text)
    assert.match(shown('[data-qa=referrer-events]').text(), /Acknowledged\s*19 November 2026/)
  })

  test('someone who cannot read any child’s case is refused', async () => {
    const row = await contactAbout()
    const police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await (await signedIn(police)).get(`/contacts/${row.id}`).expect(403)
  })
})

describe('the case’s contacts and referrals page', () => {
  test('shows episodes with the re-referral flag, sets the primary need and closes an episode', async () => {
    const familyName = surname()
    const first = await contactAbout(familyName, { receivedDate: '2026-03-02' })
    await decideContact(world.ctx(practitioner), first.id, { decision: 'referral', reason: 'Assess', decidedOn: '2026-03-02', version: first.version })
    const caseId = first.children[0]!.caseId
    const [episode] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, first.id))
    await database.db.update(cinEpisode).set({ closureDate: '2026-05-01', closureReason: 'RC8', primaryNeed: 'N9' }).where(eq(cinEpisode.id, episode!.id))
    const second = await recordContact(world.ctx(practitioner), contactInput.parse({
      receivedDate: '2026-11-19', receivedTime: '09:00', source: '2A', referrerName: 'Pat', concern: 'Again', consent: 'given', urgency: 'standard',
      children: [{ personId: first.children[0]!.personId }],
    }))
    await decideContact(world.ctx(practitioner), second.id, { decision: 'referral', reason: 'Assess again', version: second.version })
    const [current] = await database.db.select().from(cinEpisode).where(eq(cinEpisode.contactId, second.id))

    const agent = await signedIn()
    const path = `/cases/${caseId}/contacts`
    const page = $((await agent.get(path).expect(200)).text)
    assert.equal(page(`[data-qa=episode-${current!.id}] [data-qa=rereferral]`).length, 1)
    assert.equal(page(`[data-qa=episode-${episode!.id}] [data-qa=rereferral]`).length, 0)
    assert.match(page('[data-qa=case-contacts]').text(), /19 Nov 2026/)
    assert.equal(page('a[aria-current=page]').text(), 'Contacts and referrals')

    const base = `/cases/${caseId}/episodes/${current!.id}`
    // Closing asks for confirmation on its own page (issue 16): web/journey/episodes.
    const close = { version: String(current!.version), 'closureDate-day': '20', 'closureDate-month': '11', 'closureDate-year': '2026', closureReason: 'RC7', confirmed: 'yes' }
    const noNeed = await submitForm(agent, path, `${base}/close`, close)
    assert.equal(noNeed.status, 400)
    assert.deepEqual(errorLinks(noNeed.text).map((l) => l[0]), [`${path}#primaryNeed-${current!.id}`])
    const need = await submitForm(agent, path, `${base}/primary-need`, { version: String(current!.version), primaryNeed: 'N4' })
    assert.equal(need.headers.location, `${path}?saved=primary-need`)
    const stale = await submitForm(agent, path, `${base}/close`, close)
    assert.equal(stale.status, 409)
    assert.match($(stale.text)('[data-qa=edit-conflict]').text(), /Closure date/)
    const closed = await submitForm(agent, path, `${base}/close`, { ...close, version: String(current!.version + 1) })
    assert.equal(closed.status, 303)
    const [caseRow] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.equal(caseRow!.status, 'closed')
  })
})

describe('the front door API', () => {
  async function apiAgent(user: { email: string } = practitioner) {
    const agent = await signedIn(user)
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    return { agent, token }
  }

  test('people: search and add', async () => {
    const { agent, token } = await apiAgent()
    const familyName = surname()
    const created = await agent.post('/api/v1/people').set('x-csrf-token', token)
      .send({ givenName: 'Juno', familyName, dateOfBirth: '2019-06-06', sex: 'F', nhsNumber: '999 000 0034', disabilities: ['NONE'] })
      .expect(201)
    assert.equal(created.body.nhsNumber, '9990000034')
    const invalid = await agent.post('/api/v1/people').set('x-csrf-token', token).send({ givenName: 'Juno', familyName, sex: 'X' }).expect(422)
    assert.ok(invalid.body.errors.sex)
    const found = await agent.get(`/api/v1/people?familyName=${familyName.toLowerCase()}`).expect(200)
    assert.equal(found.body.people[0].id, created.body.id, 'the exact name first, then similar ones')
    assert.equal(found.body.restrictedMatches, 0)
    const byNhs = await agent.get('/api/v1/people?nhsNumber=9990000034').expect(200)
    assert.equal(byNhs.body.people[0].id, created.body.id)
    await agent.get('/api/v1/people').expect(422)
  })

  test('contacts: record, queue, decide, and episodes', async () => {
    const { agent, token } = await apiAgent()
    const familyName = surname()
    const body = {
      receivedDate: '2026-11-19', receivedTime: '11:45', source: '1A', referrerName: 'A Relative', concern: 'Worried about the children',
      consent: 'given', urgency: 'urgent',
      children: [{ newPerson: { givenName: 'Kit', familyName, dateOfBirth: '2016-01-01', sex: 'U' } }],
    }
    const recorded = await agent.post('/api/v1/contacts').set('x-csrf-token', token).send(body).expect(201)
    assert.equal(recorded.headers.location, `/api/v1/contacts/${recorded.body.id}`)
    const caseId = recorded.body.children[0].caseId as string
    const queue = await agent.get('/api/v1/front-door/queue').expect(200)
    const entry = queue.body.undecided.items.find((q: { id: string }) => q.id === recorded.body.id)
    assert.deepEqual(entry.children, [`Kit ${familyName}`])
    assert.equal(entry.clock.dueOn, '2026-11-19', 'urgent: due the day it was received')

    const late = await agent.post(`/api/v1/contacts/${recorded.body.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'referral', reason: 'Assess', version: recorded.body.version }).expect(422)
    assert.match(JSON.stringify(late.body), /Enter the reason the decision was late: it was due by 19 November 2026/)
    await agent.post(`/api/v1/contacts/${recorded.body.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'referral', reason: 'Assess', decidedOn: '2026-11-21', version: recorded.body.version }).expect(422)
    await agent.post(`/api/v1/contacts/${recorded.body.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'referral', reason: 'Assess', decidedOn: '2026-11-19', version: 99 }).expect(409)
    const decided = await agent.post(`/api/v1/contacts/${recorded.body.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'referral', reason: 'Assess', decidedOn: '2026-11-19', version: recorded.body.version }).expect(200)
    assert.deepEqual([decided.body.decisionClock.completedOn, decided.body.decisionClock.state], ['2026-11-19', 'completed-on-time'])
    assert.equal(decided.body.decision, 'referral')
    assert.equal(decided.body.episodes.length, 1)
    await agent.post(`/api/v1/contacts/${recorded.body.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'nfa', reason: 'Again', version: decided.body.version }).expect(422)

    const episodes = await agent.get(`/api/v1/cases/${caseId}/episodes`).expect(200)
    assert.equal(episodes.body.length, 1)
    const episode = episodes.body[0]
    assert.equal(episode.clocks[0].rule, 'assessment')
    const both = await agent.get(`/api/v1/cases/${caseId}/contacts`).expect(200)
    assert.equal(both.body.contacts[0].id, recorded.body.id)

    const base = `/api/v1/cases/${caseId}/episodes/${episode.id}`
    const nfa = await agent.post(`${base}/referral-nfa`).set('x-csrf-token', token).send({ version: episode.version }).expect(200)
    assert.equal(nfa.body.referralNfa, true)
    const need = await agent.post(`${base}/primary-need`).set('x-csrf-token', token).send({ primaryNeed: 'N0', version: nfa.body.version }).expect(200)
    const closed = await agent.post(`${base}/closure`).set('x-csrf-token', token)
      .send({ closureDate: '2026-11-20', closureReason: 'RC7', version: need.body.version }).expect(200)
    assert.equal(closed.body.closureDate, '2026-11-20')

    const ack = await agent.post(`/api/v1/contacts/${recorded.body.id}/acknowledgement`).set('x-csrf-token', token)
      .send({ acknowledgedOn: '2026-11-19', version: decided.body.version }).expect(200)
    await agent.post(`/api/v1/contacts/${recorded.body.id}/feedback`).set('x-csrf-token', token)
      .send({ feedbackOn: '2026-11-20', feedback: 'Assessment under way', version: ack.body.version }).expect(200)
    const shown = await agent.get(`/api/v1/contacts/${recorded.body.id}`).expect(200)
    assert.equal(shown.body.feedback, 'Assessment under way')
  })

  test('a partner practitioner cannot record contacts or see the queue', async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const { agent, token } = await apiAgent(partner)
    await agent.post('/api/v1/contacts').set('x-csrf-token', token).send({
      receivedDate: '2026-11-19', receivedTime: '11:45', source: '2A', referrerName: 'DSL', concern: 'Worry', consent: 'given', urgency: 'standard',
      children: [{ newPerson: { givenName: 'Lee', familyName: surname(), dateOfBirth: '2016-01-01', sex: 'M' } }],
    }).expect(403)
    await agent.get('/api/v1/front-door/queue').expect(403)
  })

  test('the operations are in the OpenAPI document under "Front door"', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    for (const [path, method] of [
      ['/people', 'get'], ['/people', 'post'], ['/contacts', 'post'], ['/contacts/{id}', 'get'], ['/contacts/{id}/decision', 'post'],
      ['/front-door/queue', 'get'], ['/cases/{caseId}/episodes', 'get'], ['/cases/{caseId}/episodes/{episodeId}/closure', 'post'],
    ] as const) {
      assert.deepEqual(doc.paths[path][method].tags, ['Front door'], `${method} ${path}`)
    }
  })
})

describe('adding a contact to the child’s open case (issue 16)', () => {
  /** A child referred to the assessment team (an open child in need episode), allocated to `workerId`. */
  async function childWithOpenCase(workerId: string | null) {
    const first = await contactAbout()
    await decideContact(world.ctx(practitioner), first.id, { decision: 'referral', reason: 'Assess', teamId: world.teams.assessment, version: first.version })
    const { caseId, personId } = first.children[0]!
    await database.db.update(childCase).set({ allocatedWorkerId: workerId }).where(eq(childCase.id, caseId))
    return { caseId, personId }
  }
  const aboutKnown = (...personIds: string[]) =>
    contactAbout(undefined, { children: personIds.map((personId) => ({ personId })) })

  test('the contact page shows who holds the open case, and the decision adds the contact to it', async () => {
    const worker = await world.user(['social-worker'], { team: 'assessment' })
    const known = await childWithOpenCase(worker.userId)
    const row = await aboutKnown(known.personId)
    const agent = await signedIn()
    const page = $((await agent.get(`/contacts/${row.id}`).expect(200)).text)
    const held = page('[data-qa=open-cases]').text()
    assert.match(held, /held by assessment /)
    assert.match(held, new RegExp(`allocated to ${worker.displayName}`))
    assert.equal(page('input[name=decision][value=open-case]').length, 1)
    assert.equal(page('input[name=openCase]').length, 0, 'one child: the decision alone says it')

    const res = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      version: String(row.version), decision: 'open-case', reason: 'Part of the current assessment',
    })
    assert.equal(res.status, 303)
    const decided = $((await agent.get(res.headers.location as string).expect(200)).text)
    assert.match(decided('[data-qa=decision]').text(), /Added to the child's open case with children's social care/)

    const workerAgent = await signedIn(worker)
    const tasks = $((await workerAgent.get('/tasks').expect(200)).text)
    assert.match(tasks('main').text(), /Read the contact added to the case/)
    const chronology = $((await workerAgent.get(`/cases/${known.caseId}/chronology`).expect(200)).text)
    assert.match(chronology('main').text(), /Contact from Schools: added to the child's open case with children's social care/)
  })

  test('several children: tick the one to add to their open case; a wrong choice is shown on the field', async () => {
    const known = await childWithOpenCase(null)
    const other = await world.childCase({ familyName: surname() })
    await database.db.update(childCase).set({ status: 'closed', closedOn: '2026-01-10' }).where(eq(childCase.id, other.caseId))
    const row = await aboutKnown(known.personId, other.personId)
    const agent = await signedIn()
    const page = $((await agent.get(`/contacts/${row.id}`).expect(200)).text)
    assert.deepEqual(page('input[name=openCase]').map((_, i) => page(i).val()).get(), [known.personId], 'only the child with an open case')

    const blocked = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      version: String(row.version), decision: 'open-case', reason: 'Both',
    })
    assert.equal(blocked.status, 400)
    assert.match(String(errorLinks(blocked.text)[0]![1]), /has no open case/)

    const res = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/decision`, {
      version: String(row.version), decision: 'nfa', reason: 'Nothing for the other child', openCase: known.personId,
    })
    assert.equal(res.status, 303)
    const decisions = new Map((await database.db.select().from(contactChild).where(eq(contactChild.contactId, row.id))).map((k) => [k.personId, k.decision]))
    assert.deepEqual([decisions.get(known.personId), decisions.get(other.personId)], ['open-case', 'nfa'])
    const decided = $((await agent.get(`/contacts/${row.id}`).expect(200)).text)
    assert.match(decided('[data-qa=added-to-open-case]').text(), /Added to their open case instead/)
  })

  test('the API decides it too, naming the children to add', async () => {
    const known = await childWithOpenCase(null)
    const fresh = await childWithOpenCase(null)
    const row = await aboutKnown(known.personId)
    const agent = await signedIn()
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    await agent.post(`/api/v1/contacts/${row.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'referral', reason: 'Assess', version: row.version }).expect(422)
    await agent.post(`/api/v1/contacts/${row.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'nfa', reason: 'x', openCase: [fresh.personId], version: row.version }).expect(422)
    const decided = await agent.post(`/api/v1/contacts/${row.id}/decision`).set('x-csrf-token', token)
      .send({ decision: 'referral', reason: 'Part of the assessment', openCase: [known.personId], version: row.version }).expect(200)
    assert.equal(decided.body.decision, 'open-case', 'every child was added to their open case')
    assert.equal(decided.body.children[0].decision, 'open-case')
    assert.deepEqual(Object.keys(decided.body.children[0].openCase).sort(), ['allocatedWorkerName', 'teamName'])
    assert.equal(decided.body.episodes.length, 0, 'no new episode on the open case')
  })
})

describe('the team that decided a contact keeps reading it for a week (issue 16, item 2)', () => {
  test('feedback lands on the contact, and the queue’s “Decided in the last 7 days” link opens it; the case stays closed to them', async () => {
    const known = await world.childCase()
    const row = await recordContact(world.ctx(practitioner), contactInput.parse({
      receivedDate: '2026-11-19', receivedTime: '09:00', source: '2A', referrerName: 'Pat Example', concern: 'A worry about home',
      consent: 'given', urgency: 'standard', children: [{ personId: known.personId }],
    }))
    const decided = await decideContact(world.ctx(practitioner), row.id, { decision: 'information-advice', reason: 'Advice given', version: row.version })
    const agent = await signedIn()
    const res = await submitForm(agent, `/contacts/${row.id}`, `/contacts/${row.id}/feedback`, {
      version: String(decided.version), 'feedbackOn-day': '20', 'feedbackOn-month': '11', 'feedbackOn-year': '2026', feedback: 'Told them the advice.',
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/contacts/${row.id}?saved=feedback`)
    const landed = $((await agent.get(res.headers.location as string).expect(200)).text)
    assert.match(landed('.govuk-notification-banner').text(), /The feedback to the referrer was recorded/)
    assert.equal(landed(`a[href="/cases/${known.caseId}/contacts"]`).length, 0, 'no link to a case they cannot read')
    const queue = $((await agent.get('/front-door').expect(200)).text)
    const href = queue(`[data-qa=recently-decided] a[href="/contacts/${row.id}"]`).attr('href')
    assert.ok(href)
    await agent.get(href).expect(200)
    await agent.get(`/cases/${known.caseId}/contacts`).expect(403)
  })
})

describe('feeding back through the API on a case that has moved to another team (issue 17)', () => {
  test('the feedback is saved and the answer is 200 with what was saved, not a 403, when the contact is no longer readable', async () => {
    const known = await world.childCase()
    const earlier = world.ctx(practitioner, new Date('2026-11-05T10:00:00Z'))
    const row = await recordContact(earlier, contactInput.parse({
      receivedDate: '2026-11-05', receivedTime: '09:00', source: '2A', referrerName: 'Pat Example', concern: 'A worry about home',
      consent: 'given', urgency: 'standard', children: [{ personId: known.personId }],
    }))
    const decided = await decideContact(earlier, row.id, { decision: 'information-advice', reason: 'Advice given', version: row.version })
    const agent = await signedIn()
    const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const res = await agent.post(`/api/v1/contacts/${row.id}/feedback`).set('x-csrf-token', token)
      .send({ feedbackOn: '2026-11-20', feedback: 'Told them the advice.', version: decided.version })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.deepEqual([res.body.id, res.body.feedbackOn, res.body.feedback, res.body.readable], [row.id, '2026-11-20', 'Told them the advice.', false])
    assert.equal(res.body.children, undefined, 'nothing of the child')
    const [saved] = await database.db.select().from(contact).where(eq(contact.id, row.id))
    assert.equal(saved!.feedback, 'Told them the advice.')
  })
})
