/**
 * Browser journey (issue 16, item 1): a contact about a child who already has an open case with
 * children's social care is added to that case. On the demo data, Ash Testcase has an open child
 * in need episode held by the assessment team and allocated to the demo social worker. The front
 * door practitioner records a new contact about Ash, sees on the contact who holds the case (and
 * nothing else of it), and decides "added to the child's open case"; the decision task is done.
 * The social worker then has a task and a notification, and the case's chronology shows the
 * contact with its concern. The contact page with the decision form is scanned with axe.
 * Item 2: once the referrer is told, the front door practitioner stays on the contact (not "You
 * cannot see this page"), and the queue's "Decided in the last 7 days" link still opens it.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { londonDate } from '../../src/domain/timescales/calendar/london-time.ts'
import { demoUser, errorSummaryLinks, fillDate, mainText, navigateBy, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let practitioner: Page
let contactPath = ''
let caseId = ''

const CHILD = { given: 'Ash', family: 'Testcase', name: 'Ash Testcase' }
const WORKER = demoUser('social-worker')
const CONCERN = 'Ash told a lunchtime supervisor that an adult at home shouted at him all weekend (test).'
const TODAY = londonDate(new Date())

before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

/** Sends the form with this button; fails with the error summary unless the server redirects. */
async function submit(page: Page, button: string): Promise<string> {
  const response = await postForm(page, () => page.getByRole('button', { name: button, exact: true }).click())
  if (![302, 303].includes(response.status())) {
    assert.fail(`"${button}" answered ${response.status()}: ${JSON.stringify(await errorSummaryLinks(page))}`)
  }
  await page.waitForLoadState()
  return new URL(page.url()).pathname
}

async function choose(select: Locator, text: string): Promise<void> {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value')
  assert.ok(value, `no option "${text}"`)
  await select.selectOption(value)
}

test('the front door practitioner records a contact about a child whose case is open', async () => {
  practitioner = await app.newPage()
  await app.signIn(practitioner, demoUser('front-door-practitioner').email)
  await practitioner.goto('/contacts/new')
  const search = practitioner.locator('[data-qa=search]')
  await search.getByLabel('First name').fill(CHILD.given)
  await search.getByLabel('Last name').fill(CHILD.family)
  await Promise.all([practitioner.waitForURL((u) => u.searchParams.get('search') === '1'), search.getByRole('button', { name: 'Search' }).click()])
  await submit(practitioner, `Select ${CHILD.name}`)
  await navigateBy(practitioner, practitioner.getByRole('button', { name: 'Continue to the contact’s details' }))

  await fillDate(practitioner, 'receivedDate', TODAY)
  await practitioner.getByLabel('Time received').fill('00:00')
  await choose(practitioner.getByLabel('Where the contact came from'), 'SCHOOLS')
  await practitioner.getByLabel('Name', { exact: true }).fill('Lee Supervisor (test)')
  await practitioner.getByLabel('What is the concern?').fill(CONCERN)
  await practitioner.getByRole('radio', { name: 'Family told and consented' }).check()
  await practitioner.getByRole('radio', { name: 'Standard' }).check()
  assert.equal(await submit(practitioner, 'Continue'), '/contacts/new/check')
  contactPath = await submit(practitioner, 'Record the contact')
  assert.match(contactPath, /^\/contacts\/[0-9a-f-]{36}$/)
})

test('the contact says who holds the open case; the decision adds the contact to it', async () => {
  const page = practitioner
  const held = (await page.locator('[data-qa=open-cases]').innerText()).replace(/\s+/g, ' ')
  assert.match(held, new RegExp(`${CHILD.name}: held by Assessment team, allocated to ${WORKER.displayName.replace(/[()]/g, '\\$&')}`))
  await app.expectAccessible(page, 'contact with the open case and the decision form')

  // Referring again is refused with a way forward, not a dead end.
  await page.getByRole('radio', { name: 'Strategy discussion' }).check()
  await page.getByLabel('Reasons for the decision').fill('Worried about harm (test).')
  const refused = await postForm(page, () => page.getByRole('button', { name: 'Record the decision' }).click())
  assert.equal(refused.status(), 400)
  const message = (await errorSummaryLinks(page))[0]?.[0] ?? ''
  assert.match(message, /already has an open child in need episode.*Add this contact to their open case instead/)
  await app.expectAccessible(page, 'contact decision refused with the open case offered')

  await page.getByRole('radio', { name: "Added to the child's open case with children's social care" }).check()
  await page.getByLabel('Reasons for the decision').fill('Ash’s assessment is under way: the worker should weigh this in it (test).')
  if (await page.getByLabel('Reason in your words, if it was after the due date').isVisible().catch(() => false)) {
    await page.getByLabel('Reason in your words, if it was after the due date').fill('Test run across a working day boundary.')
  }
  assert.equal(await submit(page, 'Record the decision'), contactPath)
  assert.match(await page.locator('[data-qa=decision]').innerText(), /Added to the child's open case with children's social care/)
  const decisionClock = (await page.locator('[data-qa=clock-referral-decision]').innerText()).replace(/\s+/g, ' ')
  assert.match(decisionClock, /Met|Completed|Done/i, decisionClock)
  const childLink = page.locator('[data-qa=contact-children]').getByRole('link', { name: CHILD.name })
  caseId = ((await childLink.getAttribute('href')) ?? '').split('/')[2] ?? ''
  assert.match(caseId, /^[0-9a-f-]{36}$/)
})

test('the allocated social worker has a task and a notification, and the chronology shows the contact', async () => {
  const worker = await app.newPage()
  await app.signIn(worker, WORKER.email)
  await worker.goto('/tasks')
  const tasks = await mainText(worker)
  assert.match(tasks, /Read the contact added to the case/)
  assert.doesNotMatch(tasks, /Decide the response to the contact/, 'the decision task is done, not left with the worker')

  await worker.goto('/notifications')
  assert.match(await mainText(worker), new RegExp(`A contact about ${CHILD.name} has been added to their case`))

  await worker.goto(`/cases/${caseId}/chronology`)
  const chronology = await mainText(worker)
  assert.match(chronology, /Contact from Schools: added to the child's open case with children's social care/)
  assert.ok(chronology.includes(CONCERN), 'the chronology shows the concern')
})

test('after recording the feedback the practitioner still reads the contact, from the page and from the queue', async () => {
  const page = practitioner
  await fillDate(page, 'feedbackOn', TODAY)
  await page.getByLabel('What the referrer was told').fill('The contact was passed to Ash’s social worker, who is assessing (test).')
  assert.equal(await submit(page, 'Record the feedback'), contactPath)
  const contact = await mainText(page)
  assert.match(contact, /The feedback to the referrer was recorded/)
  assert.match(contact, /Outcome fed back/)
  assert.doesNotMatch(contact, /You cannot see this page/)
  await app.expectAccessible(page, 'decided contact after the feedback')

  await page.goto('/front-door')
  const row = page.locator(`[data-qa=recently-decided] [data-qa=contact-${contactPath.split('/')[2]}]`)
  assert.match(await row.innerText(), new RegExp(CHILD.name))
  const opened = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === contactPath), row.getByRole('link').click()])
  assert.equal(opened[0].status(), 200)
  assert.match(await mainText(page), /Outcome fed back/)
})
