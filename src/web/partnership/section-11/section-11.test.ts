/** Section 11 pages over HTTP: a template, a cycle for two agencies, answers, a challenge, agreement, an action; who may see what. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let unit: { email: string }
let school: { email: string; userId: string }
let police: { email: string; userId: string }
let worker: { email: string }

before(async () => {
  ({ database, world, app } = await openTestApp(FIXED_NOW))
  unit = await world.user(['business-unit'], { team: null })
  school = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
  worker = await world.user(['social-worker'])
})
after(() => database.close())

async function signedIn(user: { email: string }) {
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  return agent
}
const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! }
}
const allAnswers = (rating: string, codes: string[]) => Object.fromEntries(codes.flatMap((c) => [[`rating-${c}`, rating], [`evidence-${c}`, `Evidence ${c}`]]))

describe('section 11 pages', () => {
  test('the business unit issues a cycle to two agencies; they answer; it challenges, agrees and agrees an action', async () => {
    const agent = await signedIn(unit)
    const newTemplate = $((await agent.get('/partnership/section-11/templates/new').expect(200)).text)
    assert.match(newTemplate('#standards').text(), /Listening to children/)
    const bad = await submitForm(agent, '/partnership/section-11/templates/new', '/partnership/section-11/templates/new', { name: 'Standards', standards: 'A standard without criteria' })
    assert.equal(bad.status, 400)
    assert.equal($(bad.text)('.govuk-error-summary a[href="#standards"]').length, 1)
    assert.equal($(bad.text)('#standards').text().trim(), 'A standard without criteria', 'what was typed is kept')
    assert.equal((await submitForm(agent, '/partnership/section-11/templates/new', '/partnership/section-11/templates/new', { name: 'Two standards', standards: 'Leadership\n- A named lead\n\nTraining\n- Staff trained' })).status, 302)

    const cycleErrors = await submitForm(agent, '/partnership/section-11/cycles/new', '/partnership/section-11/cycles/new', { name: '' })
    assert.equal(cycleErrors.status, 400)
    assert.equal($(cycleErrors.text)('.govuk-error-summary a[href="#contactUserIds"]').length, 1)
    const form = $((await agent.get('/partnership/section-11/cycles/new').expect(200)).text)
    const templateId = form('#templateId option').filter((_, o) => form(o).text() === 'Two standards').attr('value')!
    const issued = await submitForm(agent, '/partnership/section-11/cycles/new', '/partnership/section-11/cycles/new', {
      templateId, name: 'Audit 2026', ...date('issuedOn', '2026-11-02'), ...date('answersDueOn', '2026-12-14'), contactUserIds: [school.userId, police.userId],
    })
    assert.equal(issued.status, 302, issued.text)
    const cyclePage = issued.headers.location!.split('?')[0]!
    const cycle = $((await agent.get(cyclePage).expect(200)).text)
    assert.match(cycle('[data-qa=cycle-summary]').text(), /2 November 2028/)
    const links = cycle('[data-qa=return-row] a').map((_, a) => ({ agency: cycle(a).text(), href: cycle(a).attr('href')! })).get()
    assert.equal(links.length, 2)
    const schoolReturn = links.find((l) => l.agency.startsWith('school'))!.href
    const policeReturn = links.find((l) => l.agency.startsWith('police'))!.href

    // The school finds it among its requests, saves, then submits with a missing answer (kept), then all.
    const schoolAgent = await signedIn(school)
    const requests = $((await schoolAgent.get('/partnership/requests').expect(200)).text)
    assert.equal(requests(`[data-qa=my-returns] a[href="${schoolReturn}"]`).length, 1)
    assert.equal(requests(`[data-qa=my-returns] a[href="${policeReturn}"]`).length, 0)
    const missing = await submitForm(schoolAgent, schoolReturn, `${schoolReturn}/answers`, { 'rating-1': 'met', 'evidence-1': 'Head teacher is lead', intent: 'submit', version: '1' })
    assert.equal(missing.status, 400)
    const m = $(missing.text)
    assert.equal(m('.govuk-error-summary a[href="#rating-2"]').length, 1)
    assert.equal(m('#evidence-1').text().trim(), 'Head teacher is lead')
    assert.equal((await submitForm(schoolAgent, schoolReturn, `${schoolReturn}/answers`, { ...allAnswers('partly-met', ['1', '2']), intent: 'submit', version: '1' })).status, 302)
    await schoolAgent.get(policeReturn).expect(403)

    const policeAgent = await signedIn(police)
    assert.equal((await submitForm(policeAgent, policeReturn, `${policeReturn}/answers`, { ...allAnswers('met', ['1', '2']), intent: 'submit', version: '1' })).status, 302)
    await policeAgent.get(schoolReturn).expect(403)

    // Challenge, answer, agree, action.
    assert.equal((await submitForm(agent, schoolReturn, `${schoolReturn}/challenges`, { standardCode: '2', comment: 'What training records do you keep?', version: '2' })).status, 302)
    assert.equal((await submitForm(schoolAgent, schoolReturn, `${schoolReturn}/challenge-answers`, { standardCode: '2', response: 'A training matrix', rating: 'not-met', version: '3' })).status, 302)
    let page = $((await agent.get(schoolReturn).expect(200)).text)
    assert.match(page('[data-qa=answer-2]').text(), /A training matrix/)
    assert.equal(page('#agreed-2').val(), 'not-met')
    const agreed = await submitForm(agent, schoolReturn, `${schoolReturn}/agreement`, { 'agreed-1': 'met', 'agreed-2': 'not-met', version: '4' })
    assert.equal(agreed.status, 302)
    assert.match($((await agent.get(agreed.headers.location!).expect(200)).text)('[data-qa=saved-banner]').text(), /The agreed ratings were recorded\./)
    assert.equal((await submitForm(agent, schoolReturn, `${schoolReturn}/actions`, { standardCode: '2', text: 'Keep training records', ownerUserId: school.userId, ...date('actionDueOn', '2027-01-31') })).status, 302)
    page = $((await schoolAgent.get(schoolReturn).expect(200)).text)
    assert.match(page('[data-qa=return-summary]').text(), /Agreed/)
    assert.match(page('[data-qa=actions]').text(), /Keep training records/)
    const actionLink = page('[data-qa=actions] a').attr('href')!
    assert.equal((await submitForm(schoolAgent, actionLink, `${actionLink}/evidence`, { evidence: 'Matrix in place', ...date('completedOn', '2026-11-19'), version: '1' })).status, 302)
    assert.equal((await submitForm(agent, actionLink, `${actionLink}/close`, { version: '2' })).status, 302)
    assert.match($((await agent.get(actionLink).expect(200)).text)('[data-qa=action-summary]').text(), /Closed/)
    await policeAgent.get(actionLink).expect(403)

    // Nobody outside the business unit reaches the cycles.
    const workerAgent = await signedIn(worker)
    await workerAgent.get(schoolReturn).expect(403)
    await workerAgent.get('/partnership/section-11').expect(403)
    await schoolAgent.get(cyclePage).expect(403)

    // The school's next self-assessment starts from the ratings agreed this time; evidence is given afresh.
    const next = await submitForm(agent, '/partnership/section-11/cycles/new', '/partnership/section-11/cycles/new', {
      templateId, name: 'Audit 2028', ...date('issuedOn', '2026-11-19'), ...date('answersDueOn', '2026-12-14'), contactUserIds: [school.userId],
    })
    assert.equal(next.status, 302, next.text)
    const nextCycle = $((await agent.get(next.headers.location!.split('?')[0]!).expect(200)).text)
    const nextReturn = nextCycle('[data-qa=return-row] a').attr('href')!
    const answering = $((await schoolAgent.get(nextReturn).expect(200)).text)
    assert.match(answering('[data-qa=carried-forward]').text(), /agreed with the partnership in Audit 2026/)
    assert.equal(answering('input[name=rating-1]:checked').val(), 'met')
    assert.equal(answering('input[name=rating-2]:checked').val(), 'not-met')
    assert.equal(answering('#evidence-1').text().trim(), '')
  })
})
