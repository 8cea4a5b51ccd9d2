/**
 * Browser test (issue 16, items 3 and 4): the contact form checks each step on that step, and a
 * contact's decision is dated when it was made. On the demo data, the front door practitioner
 * records contacts about new children (search first, then add the person):
 *
 * - step 2 refuses a time received later today there, with its error summary, keeping what was
 *   typed (not after the check page);
 * - an urgent contact ("Urgent: today") is due the day it was received;
 * - a contact received yesterday and decided yesterday (recorded today) is on time;
 * - a contact received ten days ago and decided today is late: the reason is asked for, then
 *   shown on the contact and in the child's chronology.
 *
 * Every page state is scanned with axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { londonDate } from '../../src/domain/timescales/calendar/london-time.ts'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { demoUser, errorSummaryLinks, fillDate, mainText, navigateBy, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let page: Page

const TODAY = londonDate(new Date())
const YESTERDAY = addDays(TODAY, -1)
const TEN_DAYS_AGO = addDays(TODAY, -10)
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** '2026-11-20' → '20 November 2026', as the pages write dates. */
const long = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return `${d} ${MONTHS[m - 1]} ${y}`
}
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

before(async () => {
  app = await startBrowserApp()
  page = await app.newPage()
  await app.signIn(page, demoUser('front-door-practitioner').email)
})
after(async () => {
  await app?.close()
})

/** Sends the form with this button and expects a redirect; fails with the error summary otherwise. */
async function submit(button: string): Promise<string> {
  const response = await postForm(page, () => page.getByRole('button', { name: button, exact: true }).click())
  if (![302, 303].includes(response.status())) {
    assert.fail(`"${button}" answered ${response.status()}: ${JSON.stringify(await errorSummaryLinks(page))}`)
  }
  await page.waitForLoadState()
  return new URL(page.url()).pathname
}

/** Sends the form with this button and expects it refused (400) with the page shown again. */
async function refused(button: string): Promise<[string, string][]> {
  const response = await postForm(page, () => page.getByRole('button', { name: button, exact: true }).click())
  assert.equal(response.status(), 400, `"${button}" was not refused`)
  return errorSummaryLinks(page)
}

async function choose(select: Locator, text: string): Promise<void> {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value')
  assert.ok(value, `no option "${text}"`)
  await select.selectOption(value)
}

/** Step 1: a new child, found by nobody's search and added; then on to step 2. */
async function newChild(given: string, family: string): Promise<void> {
  await page.goto('/contacts/new')
  const search = page.locator('[data-qa=search]')
  await search.getByLabel('First name').fill(given)
  await search.getByLabel('Last name').fill(family)
  await Promise.all([page.waitForURL((u) => u.searchParams.get('search') === '1'), search.getByRole('button', { name: 'Search' }).click()])
  await navigateBy(page, page.getByRole('link', { name: 'Add a new person' }))
  await fillDate(page, 'dateOfBirth', '2017-04-12')
  await page.getByRole('radio', { name: 'Female' }).check()
  await submit('Add this person to the contact')
  await navigateBy(page, page.getByRole('button', { name: 'Continue to the contact’s details' }))
  await page.waitForURL('**/contacts/new/details')
}

/** Step 2's fields, received on `date` at `time`. */
async function details(date: string, time: string, urgency: string): Promise<void> {
  await fillDate(page, 'receivedDate', date)
  await page.getByLabel('Time received').fill(time)
  await choose(page.getByLabel('Where the contact came from'), 'SCHOOLS')
  await page.getByLabel('Name', { exact: true }).fill('Ola Lead (test)')
  await page.getByLabel('What is the concern?').fill('The child was upset at school and asked not to go home (test).')
  await page.getByRole('radio', { name: 'Family told and consented' }).check()
  await page.getByRole('radio', { name: urgency }).check()
}

/** A contact recorded through the three steps; its path. */
async function recordContact(family: string, date: string, urgency = 'Standard'): Promise<string> {
  await newChild('Tess', family)
  await details(date, '00:00', urgency)
  assert.equal(await submit('Continue'), '/contacts/new/check')
  const path = await submit('Record the contact')
  assert.match(path, /^\/contacts\/[0-9a-f-]{36}$/)
  return path
}

test('step 2 refuses a time received later today on step 2, keeping what was typed', async () => {
  await newChild('Tess', 'Stepcheck')
  await details(TODAY, '23:59', 'Standard')
  const errors = await refused('Continue')
  assert.equal(new URL(page.url()).pathname, '/contacts/new/details', 'refused on step 2, not after the check page')
  assert.deepEqual(errors.map(([, href]) => href), ['#receivedTime'])
  assert.match(errors[0]![0], /^The time received must be in the past: it is \d{2}:\d{2} now$/)
  assert.equal(await page.getByLabel('Time received').inputValue(), '23:59', 'what was typed is kept')
  assert.match(await page.getByLabel('What is the concern?').inputValue(), /asked not to go home/)
  await app.expectAccessible(page, 'contact step 2 with a time in the future refused')

  await page.getByLabel('Time received').fill('00:00')
  assert.equal(await submit('Continue'), '/contacts/new/check')
  await app.expectAccessible(page, 'contact step 3: check answers')
  await submit('Record the contact')
  await app.expectAccessible(page, 'contact recorded')
})

test('an urgent contact’s decision is due the day it was received', async () => {
  await recordContact('Urgently', TODAY, 'Urgent: today')
  // "Urgent: today" is due the day it was received, not the next working day.
  assert.match(await mainText(page), new RegExp(`The contact was recorded\\. The decision is due by ${long(TODAY)}\\.`))
  assert.match(collapse(await page.locator('[data-qa=contact-status]').innerText()), new RegExp(`Awaiting a decision due ${long(TODAY)}`))
  const [due, state] = await Promise.all([2, 3].map((i) => page.locator('[data-qa=clock-referral-decision] td').nth(i).innerText()))
  assert.deepEqual([due, state], [long(TODAY), 'Due today'])
  await app.expectAccessible(page, 'urgent contact due today')
})

test('a decision made yesterday and recorded today is on time', async () => {
  const path = await recordContact('Ontimely', YESTERDAY)
  await app.expectAccessible(page, 'contact with the decision form and its date')
  await page.getByRole('radio', { name: 'Information and advice' }).check()
  await page.getByLabel('Reasons for the decision').fill('Advice given to the school about support available (test).')
  await fillDate(page, 'decidedOn', YESTERDAY)
  assert.equal(await submit('Record the decision'), path)
  assert.equal(await page.locator('[data-qa=decided-on]').innerText(), `${long(YESTERDAY)}: on time`)
  assert.equal(await page.locator('[data-qa=late-reason]').count(), 0)
  assert.match(collapse(await page.locator('[data-qa=clock-referral-decision]').innerText()), /Completed on time/)
  await app.expectAccessible(page, 'contact decided on time the day before it was recorded')
})

test('a late decision asks for the reason, then shows it on the contact and in the chronology', async () => {
  const path = await recordContact('Latedecided', TEN_DAYS_AGO)
  await page.getByRole('radio', { name: 'Information and advice' }).check()
  await page.getByLabel('Reasons for the decision').fill('Advice given to the school (test).')
  const errors = await refused('Record the decision')
  assert.deepEqual(errors.map(([, href]) => href), ['#delayReason'])
  assert.match(errors[0]![0], new RegExp(`^Enter the reason the decision was late: it was due by .+ and made on ${long(TODAY)}$`))
  assert.equal(await page.getByLabel('Reasons for the decision').inputValue(), 'Advice given to the school (test).', 'what was typed is kept')
  await app.expectAccessible(page, 'late decision refused without its reason')

  await page.getByLabel('Reason in your words, if it was after the due date').fill('The referrer could not be reached to check the details (test).')
  assert.equal(await submit('Record the decision'), path)
  assert.match(await page.locator('[data-qa=decided-on]').innerText(), new RegExp(`^${long(TODAY)}: late, it was due by `))
  assert.equal(await page.locator('[data-qa=late-reason]').innerText(), 'The referrer could not be reached to check the details (test).')
  await app.expectAccessible(page, 'contact decided late with its reason')

  const caseLink = page.locator('[data-qa=contact-children]').getByRole('link', { name: 'Tess Latedecided' })
  const caseId = ((await caseLink.getAttribute('href')) ?? '').split('/')[2]
  await page.goto(`/cases/${caseId}/chronology`)
  const chronology = await mainText(page)
  assert.match(chronology, /Contact decided late: it was due by/)
  assert.match(chronology, /Reason it was late: The referrer could not be reached to check the details \(test\)\./)
  await app.expectAccessible(page, 'chronology with the late decision')
})
