/**
 * The multi-agency journeys of issue 6's "Done when", in Chromium with an axe scan of every page
 * reached (each in the state it is first seen in):
 *
 * 1. A school's designated safeguarding lead (Pat Partner) sends a referral through the four-page
 *    form and, once a front door practitioner has decided it and fed the outcome back, sees the
 *    outcome in "My referrals".
 * 2. The front door asks the police and health for information about a child; the police answer;
 *    health's request goes overdue and the jobs sweep (run here with a later "now", as the server's
 *    scheduled sweep would when the time came) reminds health and escalates it to the requester.
 * 3. The social worker records a share with its lawful basis (and special category condition) and
 *    a decision not to share, with the golden rules beside the form.
 * 4. An emergency department clinician checks a child on a child protection plan by NHS number and
 *    the child's social worker is told.
 * 5. A health visitor invited to a review conference (the demo's Eve) sees only the participation
 *    view, sends her agency's report and records progress on her agency's plan action; the social
 *    worker is told, and sees the report on the conference page and the progress on the plan.
 *
 * Uses the demo partnership; the tests run in order and share their pages.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import type { Locator, Page } from 'playwright-core'
import { childCase, person, plan } from '../../src/db/schema/index.ts'
import { LogEmailProvider } from '../../src/services/multi-agency/email/provider.ts'
import { runJobs } from '../../src/services/common/jobs.ts'
import { demoUser, navigateBy, errorSummaryLinks, mainText, postForm, startBrowserApp, type BrowserApp } from './support.ts'
import { londonDate } from '../../src/domain/timescales/calendar/london-time.ts'

let app: BrowserApp

before(async () => {
  // The server's own sweep is off: the test runs it, at a time of its choosing.
  app = await startBrowserApp({ env: { TOGETHER_JOBS_INTERVAL_SECONDS: '0' } })
})
after(async () => {
  await app?.close()
})

const TODAY = londonDate(new Date())
const REFERRED = { given: 'Wren', family: 'Partnerlane', name: 'Wren Partnerlane' }
const DSL = 'partner@demo.together.invalid'

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Goes to a path, checks it answered 200 and scans it (unless `label` is null: seen before). */
async function visit(page: Page, path: string, label: string | null): Promise<void> {
  const response = await page.goto(path)
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`)
  if (label) await app.expectAccessible(page, label)
}

/** Sends the form with this button; fails with the error summary unless the server redirects. */
async function send(page: Page, button: string | Locator, label: string | null): Promise<string> {
  const control = typeof button === 'string' ? page.getByRole('button', { name: button, exact: true }) : button
  const response = await postForm(page, () => control.click())
  const location = response.headers().location
  if (!location || ![302, 303].includes(response.status())) {
    assert.fail(`the form answered ${response.status()} on ${page.url()}: ${JSON.stringify(await errorSummaryLinks(page))}`)
  }
  await page.waitForURL(new URL(location, response.url()).href)
  if (label) await app.expectAccessible(page, label)
  return new URL(page.url()).pathname
}

/** Fills a GOV.UK date input found by its legend. */
async function fillDate(scope: Page | Locator, legend: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-')
  const group = scope.getByRole('group', { name: legend, exact: true })
  await group.getByLabel('Day').fill(String(Number(day)))
  await group.getByLabel('Month').fill(String(Number(month)))
  await group.getByLabel('Year').fill(year!)
}

// ---- 1. a referral from a school

let dsl: Page
let frontDoor: Page
let referralPath = ''

test('a school DSL sends a referral through the multi-page form', async () => {
  assert.equal(demoUser('partner-practitioner').email, DSL, 'Pat Partner is the school’s DSL')
  dsl = await app.newPage()
  await app.signIn(dsl, DSL)
  await visit(dsl, '/referrals', 'my referrals (none yet)')
  assert.match(await mainText(dsl), /You have not sent any referrals through Together\./)
  await Promise.all([dsl.waitForURL('**/referrals/new/child'), dsl.locator('[data-qa=make-referral]').click()])
  await app.expectAccessible(dsl, 'referral step 1: the child')

  // A page sent empty keeps the referrer on it, with the errors summarised.
  await navigateBy(dsl, dsl.getByRole('button', { name: 'Save and continue' }))
  await dsl.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(dsl, 'referral step 1 with errors')
  const errors = (await errorSummaryLinks(dsl)).map(([text]) => text)
  assert.ok(errors.some((e) => /first name/i.test(e)), `a first name error in ${JSON.stringify(errors)}`)

  await dsl.getByLabel('First name').fill(REFERRED.given)
  await dsl.getByLabel('Last name').fill(REFERRED.family)
  await fillDate(dsl, 'Date of birth', '2016-04-21')
  await dsl.getByRole('radio', { name: 'Female' }).check()
  assert.equal(await send(dsl, 'Save and continue', 'referral step 2: the family'), '/referrals/new/family')
  await dsl.getByLabel('Who does the child live with, and who else is in the family?').fill('Lives with her mother and a younger brother (test).')
  assert.equal(await send(dsl, 'Save and continue', 'referral step 3: the concern'), '/referrals/new/concern')
  await dsl.getByLabel('What are you worried about?').fill('Wren told her teacher that an adult at home hit her; a mark on her cheek (test).')
  await dsl.getByRole('radio', { name: 'Urgent: today' }).check()
  assert.equal(await send(dsl, 'Save and continue', 'referral step 4: what the family knows'), '/referrals/new/consent')

  // The draft is kept: leaving and coming back finds what was typed.
  await visit(dsl, '/referrals', 'my referrals with an unsent draft')
  assert.match(await mainText(dsl), /You have a referral you have not sent yet/)
  await visit(dsl, '/referrals/new/concern', null)
  assert.match(await dsl.getByLabel('What are you worried about?').inputValue(), /mark on her cheek/)

  await visit(dsl, '/referrals/new/consent', null)
  await dsl.getByLabel('What have you told the family about this referral?').fill('Nothing yet: telling them could put Wren at risk (test).')
  await dsl.getByRole('radio', { name: 'Consent not sought' }).check()
  await dsl.getByLabel('Why consent was refused or not sought').fill('Seeking consent could put the child at risk of further harm.')
  assert.equal(await send(dsl, 'Save and continue', 'referral: check before sending'), '/referrals/new/check')
  assert.match(await mainText(dsl), /Wren/)

  referralPath = await send(dsl, 'Send the referral', 'referral sent')
  assert.match(referralPath, /^\/referrals\/[0-9a-f-]{36}$/)
  assert.match(await mainText(dsl), /Your referral has been sent to the front door\./)
  const status = collapse(await dsl.locator('[data-qa=referral-status]').innerText())
  assert.match(status, /Urgency Urgent: today/)
  assert.match(status, /Acknowledged Due by \d{1,2} \w+ \d{4}/)
  assert.match(status, /Decision Waiting for a decision/)
})

test('the front door decides the referral and tells the referrer the outcome', async () => {
  frontDoor = await app.newPage()
  await app.signIn(frontDoor, demoUser('front-door-practitioner').email)
  await visit(frontDoor, '/front-door', 'front door queue with the referral')
  const row = frontDoor.locator('[data-qa=undecided] tbody tr', { hasText: REFERRED.name })
  assert.equal(await row.count(), 1, 'the referral waits in the front door queue')
  assert.match(collapse(await row.innerText()), /Urgent/)
  await Promise.all([frontDoor.waitForURL(/\/contacts\/[0-9a-f-]{36}$/), row.getByRole('link', { name: /View/ }).click()])
  await app.expectAccessible(frontDoor, 'the referral as a contact')

  await fillDate(frontDoor, 'Date the referrer was told we received it', TODAY)
  await send(frontDoor, 'Record the acknowledgement', null)
  await frontDoor.getByRole('radio', { name: "Referral to children's social care" }).check()
  await frontDoor.getByLabel('Reasons for the decision').fill('A disclosure of physical harm by an adult at home meets the threshold for a single assessment.')
  await send(frontDoor, 'Record the decision', 'contact decided')
  await fillDate(frontDoor, 'Date the outcome was fed back', TODAY)
  await frontDoor.getByLabel('What the referrer was told').fill('A social worker will carry out a single assessment.')
  await send(frontDoor, 'Record the feedback', null)
  assert.match(collapse(await frontDoor.locator('[data-qa=referrer-events]').innerText()), /Outcome fed back .*A social worker will carry out a single assessment\./)
})

test('the DSL sees the outcome in My referrals and is notified', async () => {
  await visit(dsl, '/referrals', 'my referrals with an outcome')
  const row = collapse(await dsl.locator('[data-qa=my-referrals] tbody tr', { hasText: REFERRED.name }).innerText())
  assert.doesNotMatch(row, /Waiting for a decision/)
  assert.match(row, /Referral to children's social care: A social worker will carry out a single assessment\./)
  assert.doesNotMatch(row, /Due by/, 'the acknowledgement is recorded')

  await visit(dsl, referralPath, null)
  const status = collapse(await dsl.locator('[data-qa=referral-status]').innerText())
  assert.match(status, /Decision Referral to children's social care \(\d{1,2} \w+ \d{4}\)/)
  assert.match(status, /What you were told A social worker will carry out a single assessment\./)

  const account = dsl.getByRole('navigation', { name: 'Your account' })
  assert.equal(await account.getByRole('link', { name: 'Notifications (3 unread)' }).count(), 1, 'the header counts the unread notifications')
  await visit(dsl, '/notifications', 'the DSL’s notifications')
  const notices = await dsl.locator('[data-qa=notifications] tbody tr').allInnerTexts()
  for (const what of ['has received your referral', 'has decided what happens next with your referral', 'has told you the outcome of your referral']) {
    assert.ok(notices.some((n) => n.includes(`The front door ${what} about ${REFERRED.name}`)), `"${what}" in ${JSON.stringify(notices)}`)
  }
})

// ---- 2. information requests to the police and health

const CODY = 'Cody Madeup'
const CODY_NHS = '9990000034'
const TO_POLICE = 'Any police call-outs to the home in the last year? (test)'
const TO_HEALTH = 'Is Cody registered with a GP, and any A&E attendances? (test)'
let codyCase = ''

/** The demo child's case (the front door would reach it from the contact; the test goes straight there). */
async function caseOf(nhsNumber: string): Promise<string> {
  const db = app.running.database.db
  const [row] = await db.select({ id: childCase.id }).from(childCase).innerJoin(person, eq(person.id, childCase.personId)).where(eq(person.nhsNumber, nhsNumber))
  assert.ok(row, `a case for NHS number ${nhsNumber}`)
  return row.id
}

async function sendRequest(page: Page, agency: string, question: string): Promise<void> {
  const form = page.locator('[data-qa=request-form]')
  await form.getByLabel('Agency').selectOption({ label: agency })
  await form.getByRole('checkbox', { name: `${CODY} (the child)` }).check()
  await form.getByLabel('What do you want to know?').fill(question)
  await form.getByRole('radio', { name: /^Red/ }).check()
  await send(page, 'Send the request', null)
  assert.match(await mainText(page), /The request was sent\./)
}

const requestRow = (page: Page, question: string) => page.locator('[data-qa=case-requests] tbody tr', { hasText: question })

test('the front door asks the police and health about a child', async () => {
  codyCase = await caseOf(CODY_NHS)
  await visit(frontDoor, `/cases/${codyCase}/information-requests`, 'information requests (none sent yet)')
  await sendRequest(frontDoor, 'Demoshire Police', TO_POLICE)
  await app.expectAccessible(frontDoor, 'information requests, one sent')
  await sendRequest(frontDoor, 'Demoshire Community Health NHS Trust', TO_HEALTH)
  for (const question of [TO_POLICE, TO_HEALTH]) {
    assert.match(collapse(await requestRow(frontDoor, question).innerText()), /Red .* Due by /)
  }
})

test('the police officer answers; the requester sees the answer', async () => {
  const officer = await app.newPage()
  await app.signIn(officer, 'police.officer@demo.together.invalid')
  await visit(officer, '/information-requests', 'the police’s incoming requests')
  const incoming = await officer.locator('[data-qa=incoming-requests] tbody tr').allInnerTexts()
  assert.equal(incoming.filter((r) => r.includes(CODY)).length, 1, `only the request to the police: ${JSON.stringify(incoming)}`)
  await Promise.all([
    officer.waitForURL(/\/information-requests\/[0-9a-f-]{36}$/),
    officer.locator('[data-qa=incoming-requests] tbody tr', { hasText: CODY }).getByRole('link').first().click(),
  ])
  await app.expectAccessible(officer, 'an information request to answer')
  assert.match(collapse(await officer.locator('[data-qa=request-details]').innerText()), new RegExp(`Question ${TO_POLICE.replace(/[?()]/g, '\\$&')}`))
  await officer.getByRole('radio', { name: 'Yes, we hold information' }).check()
  await officer.getByLabel('The information').fill('Two call-outs in 2026 for shouting heard by neighbours; no arrests (fictional).')
  await send(officer, 'Send the answer', 'the request answered')
  assert.match(await mainText(officer), /Your answer has been sent\./)

  await visit(frontDoor, `/cases/${codyCase}/information-requests`, null)
  const answered = collapse(await requestRow(frontDoor, TO_POLICE).innerText())
  assert.match(answered, /Answered .*: information held Two call-outs in 2026/)
  await visit(frontDoor, '/notifications', 'the front door’s notifications')
  assert.match(await mainText(frontDoor), /Paul Officer \(demo\) answered your information request: information held/)
})

test('health’s request goes overdue: the sweep reminds health and escalates it to the requester', async () => {
  const later = new Date(Date.now() + 4 * 86_400_000)
  const run = await runJobs(app.running.database.db, { now: later, emailProvider: new LogEmailProvider({ info: () => {} }), baseUrl: app.url })
  assert.equal(run.ran, true)
  assert.deepEqual(run.requests, { reminded: 1, escalated: 1 }, 'only the unanswered request is chased')

  await visit(frontDoor, `/cases/${codyCase}/information-requests`, 'information requests, one escalated')
  assert.match(collapse(await requestRow(frontDoor, TO_HEALTH).innerText()), /Escalated overdue since/)
  assert.match(collapse(await requestRow(frontDoor, TO_POLICE).innerText()), /Answered/)
  await visit(frontDoor, '/notifications', null)
  const notices = await frontDoor.locator('[data-qa=notifications] tbody tr').allInnerTexts()
  assert.ok(notices.some((n) => n.includes('Escalated: Demoshire Community Health NHS Trust has not answered an information request')), JSON.stringify(notices))
  await visit(frontDoor, '/tasks', 'the requester’s tasks with the chase')
  assert.match(await mainText(frontDoor), /Chase Demoshire Community Health NHS Trust: information request overdue/)

  const visitor = await app.newPage()
  await app.signIn(visitor, 'health.visitor@demo.together.invalid')
  await visit(visitor, '/notifications', 'the health visitor’s notifications')
  const reminders = await visitor.locator('[data-qa=notifications] tbody tr').allInnerTexts()
  assert.ok(reminders.some((n) => n.includes('Reminder: an information request to your agency is past its deadline')), JSON.stringify(reminders))

  await visit(frontDoor, '/information-requests/dashboard', 'information request response times')
  const police = collapse(await frontDoor.locator('[data-qa=response-times] tr', { hasText: 'Demoshire Police' }).innerText())
  assert.match(police, /^Demoshire Police 1 1 1 /, 'one request sent to the police, answered on time')
})

// ---- 3. information sharing records

const ASH_NHS = '9990000018'

/** Fills the share form's fields common to both decisions. */
async function describeDecision(form: Locator, decision: 'Shared' | 'Not shared', fields: { information: string; agency: string; recipient: string; purpose: string }) {
  await form.getByRole('radio', { name: decision, exact: true }).check()
  await fillDate(form, 'Date of the decision', TODAY)
  await form.getByLabel('What information').fill(fields.information)
  await form.getByLabel('Receiving agency').selectOption({ label: fields.agency })
  await form.getByLabel('With whom (name and role, or organisation)').fill(fields.recipient)
  await form.getByLabel('Why', { exact: true }).fill(fields.purpose)
}

test('the social worker records a share with its lawful basis and a decision not to share', async () => {
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  const ash = await caseOf(ASH_NHS)
  await visit(worker, `/cases/${ash}/information-sharing`, 'information sharing with the golden rules')
  assert.match(collapse(await worker.locator('[data-qa=golden-rules]').innerText()), /You do not need consent to share information about a child who is at risk/)
  const form = worker.locator('[data-qa=share-form]')

  // Shared without saying on what basis: refused, with the error summarised and what was typed kept.
  await describeDecision(form, 'Shared', {
    information: 'Ash’s attendance record and the concerns log for this term (test).',
    agency: 'Elm Street Surgery (demo)',
    recipient: 'Dr Gee Pee (test), named GP for safeguarding',
    purpose: 'To inform the GP’s contribution to the single assessment.',
  })
  await form.getByRole('radio', { name: 'Consent not sought' }).check()
  await form.getByLabel('Why consent was refused or not sought').fill('Asking the father could put Ash at risk.')
  await form.getByRole('group', { name: /special category data/ }).getByRole('radio', { name: 'Yes' }).check()
  await navigateBy(worker, worker.getByRole('button', { name: 'Record the decision' }))
  await worker.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(worker, 'information sharing with errors')
  const errors = (await errorSummaryLinks(worker)).map(([, href]) => href)
  assert.ok(errors.includes('#article6Basis'), `the missing Article 6 basis is named: ${JSON.stringify(errors)}`)
  assert.equal(await form.getByLabel('With whom (name and role, or organisation)').inputValue(), 'Dr Gee Pee (test), named GP for safeguarding')

  await form.getByLabel('UK GDPR Article 6 lawful basis').selectOption({ label: 'Article 6(1)(e) public task' })
  await form.getByLabel('Article 9 / DPA 2018 Schedule 1 condition').selectOption('safeguarding-children')
  await form.getByLabel('How it was shared (optional)').fill('Secure e-mail')
  await send(worker, 'Record the decision', 'a share recorded')
  assert.match(await mainText(worker), /The decision was recorded\./)

  await describeDecision(form, 'Not shared', {
    information: 'The mother’s new address (test).',
    agency: 'Demoshire Housing',
    recipient: 'Housing officer (test)',
    purpose: 'Asked for by housing; not needed for their role and could put the mother at risk.',
  })
  await form.getByRole('radio', { name: 'Consent refused' }).check()
  await form.getByLabel('Why consent was refused or not sought').fill('The mother asked that her address is not passed on.')
  await send(worker, 'Record the decision', null)

  const rows = (await worker.locator('[data-qa=shares] tbody tr').allInnerTexts()).map(collapse)
  const shared = rows.find((r) => r.includes('Shared with Dr Gee Pee'))
  assert.ok(shared, JSON.stringify(rows))
  assert.match(shared, /\(Elm Street Surgery \(demo\)\)/)
  assert.match(shared, /Article 6\(1\)\(e\) public task; Article 9\(2\)\(g\) with DPA 2018 Schedule 1 paragraph 18/)
  assert.match(shared, /Consent not sought: Asking the father could put Ash at risk\./)
  assert.match(shared, /Decided by Sam Worker \(demo\)/)
  const notShared = rows.find((r) => r.includes('Not shared with Housing officer (test)'))
  assert.ok(notShared, JSON.stringify(rows))
  assert.match(notShared, /Not shared .*Consent refused: The mother asked that her address is not passed on\./)

  await visit(worker, `/cases/${ash}/chronology`, 'chronology with the sharing decisions')
  const entries = (await worker.locator('[data-qa=entry-information-sharing]').allInnerTexts()).map(collapse)
  assert.ok(entries.some((e) => e.includes('Information shared with Dr Gee Pee (test)')), JSON.stringify(entries))
  assert.ok(entries.some((e) => e.includes('Decided not to share information with Housing officer (test)')), JSON.stringify(entries))

  // A team manager reads the per-agency report of sharing decisions.
  const manager = await app.newPage()
  await app.signIn(manager, demoUser('team-manager').email)
  await visit(manager, '/information-sharing', 'information sharing report, no agency chosen')
  await manager.getByLabel('Receiving agency').selectOption({ label: 'Elm Street Surgery (demo)' })
  await Promise.all([manager.waitForURL((u) => u.searchParams.has('agency')), manager.getByRole('button', { name: 'Show decisions' }).click()])
  await app.expectAccessible(manager, 'information sharing report for one agency')
  assert.match(collapse(await mainText(manager)), /Dr Gee Pee \(test\)/)
})

// ---- 4. a child protection status check from A&E

const BEA = { nhs: '9990000026', formatted: '999 000 0026', name: 'Bea Fictional' }

test('an A&E clinician checks a child by NHS number; the social worker is told', async () => {
  // Bea (allocated to the demo social worker) has been on a child protection plan since this date.
  const since = '2026-09-01'
  const beaCase = await caseOf(BEA.nhs)
  const db = app.running.database.db
  const [c] = await db.select({ partnershipId: childCase.partnershipId, worker: childCase.allocatedWorkerId }).from(childCase).where(eq(childCase.id, beaCase))
  await db.insert(plan).values({ partnershipId: c!.partnershipId, caseId: beaCase, kind: 'child-protection', startedOn: since, recordedBy: c!.worker! })

  const clinician = await app.newPage()
  await app.signIn(clinician, demoUser('unscheduled-care').email)
  await visit(clinician, '/cp-status', 'child protection status check')
  await clinician.getByLabel('The child’s NHS number').fill('999 000 0027')
  await navigateBy(clinician, clinician.getByRole('button', { name: 'Check' }))
  await clinician.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(clinician, 'status check with a mistyped NHS number')

  await clinician.getByLabel('The child’s NHS number').fill(BEA.formatted)
  await clinician.getByLabel('Where the child is being seen (optional)').fill('Demoshire Hospital emergency department (test)')
  await navigateBy(clinician, clinician.getByRole('button', { name: 'Check' }))
  const answer = clinician.locator('[data-qa=cp-status-answer]')
  await answer.waitFor()
  await app.expectAccessible(clinician, 'status check answered: on a plan')
  const told = collapse(await answer.innerText())
  assert.match(told, /This child has a child protection plan \(since 1 September 2026\)/)
  assert.match(told, /Social worker Sam Worker \(demo\)/)
  assert.match(told, /Check this is the child you are seeing NHS number 999 000 0026 Name Bea Fictional/, 'the answer repeats who was found, to confirm the match')
  const caseLink = await clinician.locator(`a[href^="/cases/${beaCase}"]`).count()
  assert.equal(caseLink, 0, 'no way into the case record')

  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await visit(worker, '/notifications', 'the social worker’s notifications after a status check')
  const notice = worker.locator('[data-qa=notifications] tbody tr', { hasText: 'Ali Emergency (demo) checked their child protection status' })
  assert.equal(await notice.count(), 1, 'the social worker is told of the check')
  assert.match(collapse(await notice.innerText()), /was seen at Demoshire Hospital emergency department \(test\)/)
  assert.equal(await notice.getByRole('link').getAttribute('href'), `/cases/${beaCase}`, 'the notice leads to the child’s case')
  await visit(worker, '/tasks', 'the social worker’s tasks after a status check')
  assert.match(await mainText(worker), /Follow up: the child was seen at Demoshire Hospital emergency department \(test\)/)
})

// ---- 5. partner participation: a health visitor's conference report and plan action

const EVE = { nhs: '9990000050', name: 'Eve Pretendson' }
const HEALTH_VISITOR = 'health.visitor@demo.together.invalid'

test('a health visitor invited to a conference sees only the participation view, sends her report and updates her agency’s action', async () => {
  // Eve (demo seed) is on a child protection plan; the health visitor is invited to its review conference.
  const eveCase = await caseOf(EVE.nhs)
  const visitor = await app.newPage()
  await app.signIn(visitor, HEALTH_VISITOR)
  const invited = visitor.locator(`a[href="/cases/${eveCase}/participation"]`)
  assert.equal(await invited.count(), 1, 'the home page lists Eve under the cases she is invited to')
  await visit(visitor, '/notifications', null)
  assert.match(await mainText(visitor), /You have been invited to the review child protection conference/)

  await visit(visitor, `/cases/${eveCase}/participation`, 'a partner’s participation view')
  const main = await mainText(visitor)
  assert.match(main, new RegExp(EVE.name))
  assert.match(main, /Health visitor to visit Eve at home every two weeks/)
  assert.doesNotMatch(main, /arrange a nursery place/, 'another agency’s action is not shown')
  // The record itself is refused, and says where to go instead.
  const refused = await visitor.goto(`/cases/${eveCase}/notes`)
  assert.equal(refused?.status(), 403)
  assert.doesNotMatch(await mainText(visitor), /Pretendson/)
  await app.expectAccessible(visitor, 'a case section refused to an invited partner')

  // The report: an empty one is refused with the error summary, then sent.
  await visitor.goto(`/cases/${eveCase}/participation`)
  await navigateBy(visitor, visitor.getByRole('link', { name: /Write.*report/ }))
  await visitor.waitForURL(/\/report$/)
  await app.expectAccessible(visitor, 'an agency’s conference report form')
  await navigateBy(visitor, visitor.getByRole('button', { name: 'Send the report' }))
  await visitor.locator('.govuk-error-summary').waitFor()
  assert.deepEqual((await errorSummaryLinks(visitor)).map(([, href]) => href), ['#body'])
  await app.expectAccessible(visitor, 'the report form with an error')
  await visitor.getByLabel('Report').fill('Seen at home on four visits. Eve’s weight is now on the 25th centile (fictional).')
  await send(visitor, 'Send the report', 'the participation view after sending a report')
  assert.match(await mainText(visitor), /Your agency’s report has been sent/)

  // Progress on the health agency's action, from "My agency's actions".
  await visit(visitor, '/my-agency-actions', 'my agency’s actions')
  await navigateBy(visitor, visitor.getByRole('link', { name: /Health visitor to visit Eve/ }))
  await visitor.waitForURL(/\/participation\/actions\//)
  await app.expectAccessible(visitor, 'the plan action progress form')
  await visitor.getByLabel('In progress').check()
  await visitor.getByLabel('What has been done').fill('Fortnightly visits under way; next visit booked (fictional).')
  await fillDate(visitor, 'Date of this progress', TODAY)
  await send(visitor, 'Record progress', null)
  assert.match(await mainText(visitor), /Progress recorded/)

  // The social worker is told of both, sees the report on the conference page and the progress on the plan.
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await visit(worker, '/notifications', null)
  const notices = await mainText(worker)
  assert.match(notices, /Demoshire Community Health NHS Trust sent its report to the review child protection conference/)
  assert.match(notices, /Demoshire Community Health NHS Trust updated a plan action: in progress/)
  await navigateBy(worker, worker.getByRole('link', { name: /sent its report/ }).first())
  await worker.waitForURL(/\/conferences\//)
  await app.expectAccessible(worker, 'the conference page with agencies’ reports')
  const reports = collapse(await worker.locator('[data-qa=agency-reports]').innerText())
  assert.match(reports, /Demoshire Community Health NHS Trust .*Hana Visitor \(demo\).*Sent/)
  await worker.getByText('Report from Demoshire Community Health NHS Trust').click()
  assert.match(await mainText(worker), /25th centile/)
  await visit(worker, '/notifications', null)
  await navigateBy(worker, worker.getByRole('link', { name: /updated a plan action/ }).first())
  await worker.waitForURL(/\/plans\//)
  assert.match(collapse(await worker.locator('[data-qa=latest-update]').first().innerText()), /Demoshire Community Health NHS Trust\): Fortnightly visits under way/)

  // The social worker invites the police officer to a strategy discussion from its page; an empty form shows its errors.
  await visit(worker, `/cases/${eveCase}/strategy-discussions/invitations`, 'strategy discussion invitations')
  await navigateBy(worker, worker.getByRole('button', { name: 'Invite', exact: true }))
  await worker.locator('.govuk-error-summary').waitFor()
  assert.deepEqual((await errorSummaryLinks(worker)).map(([, href]) => href), ['#userId', '#meetingOn-day', '#meetingTime', '#purpose'])
  await app.expectAccessible(worker, 'strategy discussion invitations with errors')
  const officer = await worker.locator('#userId option', { hasText: 'Paul Officer (demo)' }).getAttribute('value')
  await worker.locator('#userId').selectOption(officer!)
  await fillDate(worker, 'Date of the strategy discussion', TODAY)
  await worker.getByLabel('Time it starts').fill('23:30')
  await worker.getByLabel('What the discussion is about').fill('Concerns raised at the review (fictional).')
  await send(worker, 'Invite', 'strategy discussion invitations with one invited')
  assert.match(collapse(await worker.locator('[data-qa=invitations]').innerText()), /Paul Officer \(demo\).*Until the discussion’s record is closed/)
  await visit(worker, `/cases/${eveCase}/child-protection`, 'child protection page with strategy discussion invitations')
  assert.match(collapse(await worker.locator('[data-qa=strategy-invitations]').innerText()), /Paul Officer \(demo\)/)
})

test('every page of the journeys was scanned', () => {
  app.assertScanned([
    '/referrals',
    '/referrals/new/child',
    '/referrals/new/family',
    '/referrals/new/concern',
    '/referrals/new/consent',
    '/referrals/new/check',
    '/referrals/:id',
    '/front-door',
    '/contacts/:id',
    '/cases/:id/information-requests',
    '/information-requests',
    '/information-requests/:id',
    '/information-requests/dashboard',
    '/notifications',
    '/tasks',
    '/cases/:id/information-sharing',
    '/information-sharing',
    '/cases/:id/chronology',
    '/cp-status',
    '/cases/:id/participation',
    '/cases/:id/participation/conferences/:id/report',
    '/my-agency-actions',
    '/cases/:id/participation/actions/:id',
    '/cases/:id/conferences/:id',
    '/cases/:id/notes',
    '/cases/:id/strategy-discussions/invitations',
    '/cases/:id/child-protection',
  ])
})
