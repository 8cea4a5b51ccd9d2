/** The partnership pages over HTTP: a serious incident through its rapid review, and who may see it. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { person } from '../../../db/schema/index.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let lead: { email: string; userId: string }
let colleague: { email: string }
let police: { email: string; userId: string }

before(async () => {
  ({ database, world, app } = await openTestApp(FIXED_NOW))
  lead = await world.user(['business-unit'], { team: null })
  colleague = await world.user(['business-unit'], { team: null })
  police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
  const c = await world.childCase()
  await database.db.update(person).set({ nhsNumber: '9990000131' }).where(eq(person.id, c.personId))
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

describe('serious incident pages', () => {
  test('the business unit records an incident, notifies, asks an agency, decides and submits to the Panel', async () => {
    const agent = await signedIn(lead)
    const bad = await submitForm(agent, '/partnership/incidents/new', '/partnership/incidents/new', { child: '', summary: '' })
    assert.equal(bad.status, 400)
    assert.ok($(bad.text)('.govuk-error-summary a[href="#child"]').length === 1)
    const created = await submitForm(agent, '/partnership/incidents/new', '/partnership/incidents/new', {
      child: '999 000 0131', kind: 'serious-harm-abuse-neglect', ...date('incidentOn', '2026-11-16'), ...date('awareOn', '2026-11-17'), summary: 'Fictional incident',
    })
    assert.equal(created.status, 302)
    const page = created.headers.location!.split('?')[0]!
    let show = $((await agent.get(page).expect(200)).text)
    assert.match(show('[data-qa=recipients]').text(), /Child Safeguarding Practice Review Panel/)
    assert.match(show('[data-qa=clock-serious-incident-notification]').text(), /24 Nov 2026|24 November 2026/)

    const notified = await submitForm(agent, page, `${page}/notification`, { ...date('notifiedOn', '2026-11-19'), version: '1' })
    assert.equal(notified.status, 302)
    // Success messages say what was saved; a ?saved= the page does not know shows none.
    assert.equal($((await agent.get(notified.headers.location!).expect(200)).text)('[data-qa=saved-banner]').text().trim().replace(/\s+/g, ' '), 'Success The notification was recorded.')
    assert.equal($((await agent.get(`${page}?saved=whatever`).expect(200)).text)('.govuk-notification-banner').length, 0)
    assert.equal((await submitForm(agent, page, `${page}/contributions`, { contactUserId: police.userId, question: 'Your involvement', ...date('dueOn', '2026-11-27') })).status, 302)

    const partner = await signedIn(police)
    const requests = $((await partner.get('/partnership').expect(200)).text)
    const link = requests('[data-qa=my-contributions] a').attr('href')!
    // The key events are dated with date inputs: a bad one is refused naming the event, keeping what was typed.
    const form = $((await partner.get(link).expect(200)).text)
    assert.equal(form('[data-qa=entry]').length, 3)
    assert.equal(form('#entries-0-on-day').length, 1)
    assert.equal(form('textarea#entries').length, 0, 'no typed "YYYY-MM-DD" lines')
    const more = $((await submitForm(partner, link, link, { involvement: 'Call-outs', entriesRows: '3', addRow: 'entries', 'entries-1-text': 'Kept', version: '1' })).text)
    assert.equal(more('[data-qa=entry]').length, 4)
    assert.equal(more('#entries-0-text').val(), 'Kept', 'the filled row moves up; nothing is saved')
    const undated = await submitForm(partner, link, link, { involvement: 'Call-outs', entriesRows: '3', ...date('entries-0-on', '2026-02-30'), 'entries-0-text': 'Call-out', 'entries-1-text': 'No date', learning: '', version: '1' })
    assert.equal(undated.status, 400)
    const refused = $(undated.text)
    assert.deepEqual(refused('.govuk-error-summary a').map((_, a) => `${refused(a).attr('href')} ${refused(a).text().trim()}`).get(), [
      '#entries-0-on-day Event 1: The date of the event must be a real date',
      '#entries-1-on-day Event 2: Enter the date of the event',
    ])
    assert.equal(refused('#entries-0-on-day').val(), '30')
    assert.equal(refused('#entries-1-text').val(), 'No date')
    assert.equal((await submitForm(partner, link, link, { involvement: 'Call-outs', ...date('entries-0-on', '2026-10-01'), 'entries-0-text': 'Call-out', learning: '', version: '1' })).status, 302)
    const answered = $((await partner.get(link).expect(200)).text)
    assert.equal(answered('#entries-0-on-day').val(), '1')
    assert.equal(answered('#entries-0-text').val(), 'Call-out')
    await partner.get(page).expect(403)

    show = $((await agent.get(page).expect(200)).text)
    assert.match(show('[data-qa=contributions]').text(), /Answered/)
    const chronology = $((await agent.get(`${page}/chronology`).expect(200)).text)
    assert.match(chronology('[data-qa=merged-chronology]').text(), /Call-out/)
    assert.equal((await submitForm(agent, page, `${page}/decision`, { decision: 'local-review', reasons: 'Learning about information sharing', ...date('decidedOn', '2026-11-20'), version: '2' })).status, 302)
    // Once decided, the page shows the decision; its form is folded away behind "Correct the decision", unfolded when a correction is refused.
    show = $((await agent.get(page).expect(200)).text)
    assert.match(show('[data-qa=decision]').text(), /Local child safeguarding practice review/)
    assert.equal(show('[data-qa=decision-form]').length, 1)
    assert.equal(show('details[data-qa=change-decision] [data-qa=decision-form]').length, 1, 'the form is inside the folded "Correct the decision"')
    assert.equal(show('details[data-qa=change-decision]').attr('open'), undefined)
    assert.match(show('details[data-qa=change-decision] summary').text(), /Correct the decision/)
    const refusedCorrection = $((await submitForm(agent, page, `${page}/decision`, { decision: 'local-review', reasons: '', version: '3' })).text)
    assert.equal(refusedCorrection('details[data-qa=change-decision]').attr('open'), 'open')
    assert.equal((await submitForm(agent, page, `${page}/submission`, { ...date('submittedOn', '2026-11-20'), version: '3' })).status, 302)
    show = $((await agent.get(page).expect(200)).text)
    assert.match(show('[data-qa=decision]').text(), /Local child safeguarding practice review/)
    assert.equal(show('[data-qa=start-lcspr]').length, 1)

    // The local review: started from the incident, published, with an action tracked to closure.
    const started = await submitForm(agent, `/partnership/reviews/new?incident=${page.split('/').pop()}`, '/partnership/reviews/new', {
      incidentId: page.split('/').pop()!, title: 'Child A (fictional)', ...date('decidedOn', '2026-11-20'),
    })
    assert.equal(started.status, 302, started.text)
    const review = started.headers.location!.split('?')[0]!
    assert.match($((await agent.get(review).expect(200)).text)('[data-qa=clock-lcspr]').text(), /20 May 2027/)
    assert.equal((await submitForm(agent, review, `${review}/publication`, { ...date('publishedOn', '2026-11-20'), publicationNote: 'Website', lateReason: '', version: '1' })).status, 302)
    assert.equal((await submitForm(agent, review, `${review}/recommendations`, { text: 'Share information sooner' })).status, 302)
    const recId = $((await agent.get(review)).text)('select#recommendationId option').first().attr('value')!
    assert.equal((await submitForm(agent, review, `${review}/actions`, { recommendationId: recId, text: 'Train call handlers', ownerUserId: police.userId, ...date('actionDueOn', '2027-01-29') })).status, 302)
    const actionLink = $((await partner.get('/partnership/requests').expect(200)).text)('[data-qa=my-actions] a').attr('href')!
    assert.equal((await submitForm(partner, actionLink, `${actionLink}/evidence`, { evidence: 'Training register', ...date('completedOn', '2026-11-20'), version: '1' })).status, 302)
    assert.equal((await submitForm(agent, actionLink, `${actionLink}/close`, { version: '2' })).status, 302)
    assert.match($((await agent.get(review)).text)('[data-qa=action]').text(), /Closed/)

    const other = await signedIn(colleague)
    await other.get(review).expect(403)
    await other.get(page).expect(403)
    assert.match($((await other.get('/partnership/incidents').expect(200)).text)('[data-qa=incidents]').text(), /not working on any/)
  })
})
