import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

describe('professional referral pages', () => {
  test('the form keeps each page as a draft, shows errors, and sends from the check page', async () => {
    await world.user(['front-door-practitioner'], { team: 'front-door' })
    const dsl = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const agent = app.agent()
    await signIn(agent, dsl.email, PASSWORD)
    const home = await agent.get('/referrals').expect(200)
    assert.match($(home.text)('.govuk-service-navigation').text(), /My referrals/)

    const bad = await submitForm(agent, '/referrals/new/child', '/referrals/new/child', { givenName: 'Webb', familyName: '', sex: 'M' })
    assert.equal(bad.status, 400)
    assert.match($(bad.text)('.govuk-error-summary').text(), /Enter the last name/)
    assert.equal($(bad.text)('#givenName').val(), 'Webb', 'what was typed is kept')

    const child = await submitForm(agent, '/referrals/new/child', '/referrals/new/child', {
      givenName: 'Webb', familyName: 'Referral', 'dateOfBirth-day': '3', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2016', sex: 'M', nhsNumber: '',
    })
    assert.equal(child.headers.location, '/referrals/new/family')
    // Leaving and coming back: the page shows what was saved.
    const again = await agent.get('/referrals/new/child').expect(200)
    assert.equal($(again.text)('#dateOfBirth-year').val(), '2016')
    const check = await agent.get('/referrals/new/check').expect(200)
    assert.match($(check.text)('[data-qa=missing]').text(), /The child’s family/)

    await submitForm(agent, '/referrals/new/family', '/referrals/new/family', { familyDetails: 'Dad and a sister (fictional).', address: '' })
    await submitForm(agent, '/referrals/new/concern', '/referrals/new/concern', { concern: 'Says he is not fed at home (fictional).', urgency: 'standard' })
    const noReason = await submitForm(agent, '/referrals/new/consent', '/referrals/new/consent', { familyTold: 'Not told: it could put him at risk.', consent: 'not-sought', consentReason: '' })
    assert.equal(noReason.status, 400)
    assert.match($(noReason.text)('.govuk-error-summary').text(), /Explain why consent was refused or not sought/)
    await submitForm(agent, '/referrals/new/consent', '/referrals/new/consent', { familyTold: 'Not told: it could put him at risk.', consent: 'not-sought', consentReason: 'Telling dad could put him at risk.' })
    const sent = await submitForm(agent, '/referrals/new/check', '/referrals/new/check', {})
    assert.equal(sent.status, 302)
    assert.match(sent.headers.location!, /^\/referrals\/[0-9a-f-]{36}\?sent=1$/)
    const shown = await agent.get(sent.headers.location!).expect(200)
    assert.match($(shown.text)('[data-qa=referral-status]').text(), /Due by 23 November 2026/)
    assert.equal($(shown.text)('.app-referral-concern dd').text().trim(), 'Says he is not fed at home (fictional).', 'the referrer sees their own concern')
    const list = await agent.get('/referrals').expect(200)
    assert.match($(list.text)('[data-qa=my-referrals]').text(), /Webb Referral/)
    assert.match($(list.text)('[data-qa=make-referral]').text(), /Make a referral/, 'the draft is gone once sent')
  })

  test('the referral pages are for partner practitioners only', async () => {
    const worker = await world.user(['social-worker'])
    const agent = app.agent()
    await signIn(agent, worker.email, PASSWORD)
    await agent.get('/referrals').expect(403)
  })
})
