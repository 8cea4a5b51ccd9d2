/** The LADO and domestic abuse related death review pages over HTTP: forms, errors, and who is refused. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { person } from '../../../db/schema/index.ts'
import { roleIds } from '../../../domain/access/roles.ts'
import { $, openTestApp, dateFields, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let officer: { email: string; userId: string }
let contact: { email: string; userId: string }
let unit: { email: string; userId: string }

before(async () => {
  ({ database, world, app } = await openTestApp(FIXED_NOW))
  await world.team('lado', 'council')
  officer = await world.user(['designated-officer'], { team: 'lado' })
  contact = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  unit = await world.user(['business-unit'], { team: null })
  const c = await world.childCase()
  await database.db.update(person).set({ nhsNumber: '9990000521' }).where(eq(person.id, c.personId))
})
after(() => database.close())

const signedIn = (user: { email: string }) => signedInAgent(app, user, PASSWORD)
const date = dateFields

describe('LADO pages', () => {
  test('the designated officer records a referral, a meeting and the outcome; the named contact reads; others get 403', async () => {
    const agent = await signedIn(officer)
    const bad = await submitForm(agent, '/partnership/lado/new', '/partnership/lado/new', { subjectName: 'Kept as typed', categories: [] })
    assert.equal(bad.status, 400)
    const page = $(bad.text)
    for (const href of ['#knownOn-day', '#subjectRole', '#categories', '#allegation']) assert.equal(page(`.govuk-error-summary a[href="${href}"]`).length, 1, href)
    assert.equal(page('#subjectName').val(), 'Kept as typed')

    const created = await submitForm(agent, '/partnership/lado/new', '/partnership/lado/new', {
      ...date('knownOn', '2026-11-13'), ...date('referredOn', '2026-11-17'), referralLateReasonCode: 'awaiting-agency', referralLateReason: '', referrer: 'Head teacher',
      subjectName: 'Robin Example (fictional)', subjectRole: 'Sports coach', employerAgencyId: world.agencies.school!, employerName: '',
      employerContactUserId: contact.userId, employerContactName: '', categories: ['harm', 'suitability'], allegation: 'Fictional allegation',
      childNhsNumber: '999 000 0521', childDescription: '',
    })
    assert.equal(created.status, 302, created.text)
    const casePage = created.headers.location!.split('?')[0]!
    let show = $((await agent.get(casePage).expect(200)).text)
    assert.match(show('[data-qa=lado-summary]').text(), /late: due 16 November 2026/)
    assert.match(show('[data-qa=lado-children]').text(), /Testy/)
    assert.equal((await submitForm(agent, casePage, `${casePage}/meetings`, { kind: 'strategy', ...date('heldOn', '2026-11-18'), attendees: 'LADO, police', decisions: 'Police to lead' })).status, 302)
    const noOutcome = await submitForm(agent, casePage, `${casePage}/outcome`, { ...date('outcomeOn', '2026-11-20'), version: '1' })
    assert.equal(noOutcome.status, 400)
    assert.equal($(noOutcome.text)('.govuk-error-summary a[href="#outcome"]').length, 1)
    assert.equal((await submitForm(agent, casePage, `${casePage}/outcome`, { outcome: 'substantiated', ...date('outcomeOn', '2026-11-20'), outcomeNotes: 'Referred to the DBS', exceptionalReason: '', version: '1' })).status, 302)
    show = $((await agent.get(casePage).expect(200)).text)
    assert.match(show('[data-qa=lado-outcome]').text(), /Substantiated/)
    assert.match($((await agent.get(`${casePage}?saved=outcome`).expect(200)).text)('[data-qa=saved-banner]').text(), /The outcome was recorded\./)
    assert.equal(show('[data-qa=lado-outcome-form]').length, 1)
    assert.equal(show('details[data-qa=change-decision] [data-qa=lado-outcome-form]').length, 1, 'the outcome form is folded behind "Correct the outcome" once recorded')
    assert.equal(show('details[data-qa=change-decision]').attr('open'), undefined)
    assert.match(show('[data-qa=lado-meeting]').text(), /Police to lead/)
    assert.match($((await agent.get('/partnership/lado').expect(200)).text)('[data-qa=lado-concluded]').text(), /Robin Example/)

    const partner = await signedIn(contact)
    const read = $((await partner.get(casePage).expect(200)).text)
    assert.equal(read('[data-qa=contact-notice]').length, 1)
    assert.equal(read('[data-qa=lado-meeting-form]').length, 0)
    await partner.post(`${casePage}/meetings`).type('form').send({}).expect((r) => assert.ok([403, 400].includes(r.status)))
    assert.match($((await partner.get('/partnership').expect(200)).text)('[data-qa=partnership-parts]').text(), /LADO/)
    assert.match($((await partner.get('/partnership/lado').expect(200)).text)('[data-qa=lado-contact]').text(), /Robin Example/)

    for (const role of roleIds.filter((r) => r !== 'designated-officer')) {
      const other = await signedIn(await world.user([role]))
      await other.get(casePage).expect(403)
    }
  })


  test('a case concluded after 12 months asks for the coded reason with the words (kept when refused), then changes it on the case page (timescale resolution)', async () => {
    const agent = await signedIn(officer)
    const created = await submitForm(agent, '/partnership/lado/new', '/partnership/lado/new', {
      ...date('knownOn', '2025-03-03'), ...date('referredOn', '2025-03-04'), referralLateReasonCode: '', referralLateReason: '', referrer: 'Head teacher',
      subjectName: 'Sky Example (fictional)', subjectRole: 'Coach', employerAgencyId: world.agencies.school!, employerName: '',
      employerContactUserId: contact.userId, employerContactName: '', categories: ['harm'], allegation: 'Fictional allegation', childNhsNumber: '', childDescription: 'A pupil',
    })
    assert.equal(created.status, 302, created.text)
    const casePage = created.headers.location!.split('?')[0]!
    assert.match($((await agent.get(casePage).expect(200)).text)('[data-qa=lado-outcome-form] [data-qa=late-reason-fields]').text(), /by 4 March 2026/)
    const outcome = { outcome: 'unfounded', ...date('outcomeOn', '2026-04-01'), outcomeNotes: '', exceptionalReasonCode: '', exceptionalReason: 'The criminal trial was awaited (fictional)', version: '1' }
    const refused = await submitForm(agent, casePage, `${casePage}/outcome`, outcome)
    assert.equal(refused.status, 400)
    const page = $(refused.text)
    assert.deepEqual(page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get(), ['#exceptionalReasonCode'])
    assert.equal(page('#exceptionalReason').val(), 'The criminal trial was awaited (fictional)', 'the words typed are kept')
    assert.equal((await submitForm(agent, casePage, `${casePage}/outcome`, { ...outcome, exceptionalReasonCode: 'awaiting-agency' })).status, 302)
    let show = $((await agent.get(casePage).expect(200)).text)
    assert.match(show('[data-qa=lado-outcome]').text(), /Waiting for information or attendance from another agency: The criminal trial was awaited/)
    assert.equal(show('select#timescale option[value=resolution]').length, 1)
    const changed = await submitForm(agent, casePage, `${casePage}/late-reason`, { timescale: 'resolution', reasonCode: 'complexity', reason: '', version: '2' })
    assert.equal(changed.status, 302, changed.text)
    show = $((await agent.get(casePage).expect(200)).text)
    assert.match(show('[data-qa=lado-outcome]').text(), /The complexity of the case needed more time/)
  })
  test('resolution against targets: a period form; 403 for roles without lado:report', async () => {
    const agent = await signedIn(officer)
    const report = $((await agent.get('/partnership/lado/report').expect(200)).text)
    assert.equal(report('[data-qa^=target-]').length, 3)
    const bad = await agent.get('/partnership/lado/report?from-day=40&from-month=1&from-year=2026&to-day=1&to-month=1&to-year=2026').expect(400)
    assert.equal($(bad.text)('.govuk-error-summary a[href="#from-day"]').length, 1)
    await (await signedIn(unit)).get('/partnership/lado/report').expect(200)
    await (await signedIn(contact)).get('/partnership/lado/report').expect(403)
  })
})

describe('domestic abuse related death review pages', () => {
  test('the business unit records a death and the decision; non-members get 403', async () => {
    const agent = await signedIn(unit)
    const bad = await submitForm(agent, '/partnership/dar-reviews/new', '/partnership/dar-reviews/new', { deceasedAge: '15' })
    assert.equal(bad.status, 400)
    assert.match($(bad.text)('.govuk-error-summary').text(), /16 or over/)
    const created = await submitForm(agent, '/partnership/dar-reviews/new', '/partnership/dar-reviews/new', {
      cspName: 'Test CSP', deceased: 'Adult B', deceasedAge: '41', ...date('deathOn', '2026-10-01'), ...date('notifiedOn', '2026-10-05'), suicide: 'no', circumstances: 'Fictional',
    })
    assert.equal(created.status, 302, created.text)
    const page = created.headers.location!.split('?')[0]!
    assert.equal((await submitForm(agent, page, `${page}/decision`, { decision: 'review', decisionReasons: 'Criteria met', ...date('decidedOn', '2026-10-20'), version: '1' })).status, 302)
    const show = $((await agent.get(page).expect(200)).text)
    assert.match(show('[data-qa=dar-decision]').text(), /Hold a review/)
    assert.match(show('[data-qa=clock-dhr-completion]').text(), /20 April 2027/)
    assert.match(show('[data-qa=clock-dhr-completion]').text(), /In force from 13 April 2011/, 'not a Working Together timescale')
    assert.doesNotMatch(show('[data-qa=clock-dhr-completion]').text(), /Working Together/)
    await (await signedIn(officer)).get(page).expect(403)
    await (await signedIn(await world.user(['business-unit'], { team: null }))).get(page).expect(403)
  })
})
