/**
 * Browser: the partnership business unit takes a serious incident about a demo child from
 * notification through the rapid review (the school's user answers the contribution) to a
 * published local review with an action the school closes out; every page passes axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { demoUser, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

async function fillDate(page: Page, name: string, iso: string) {
  const [y, m, d] = iso.split('-')
  await page.locator(`#${name}-day`).fill(String(Number(d)))
  await page.locator(`#${name}-month`).fill(String(Number(m)))
  await page.locator(`#${name}-year`).fill(y!)
}

const isoToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())

test('serious incident → rapid review → published local review with an action tracked to closure', async () => {
  const today = isoToday()
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await navigateBy(unit, unit.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Partnership work' }))
  await app.expectAccessible(unit, 'partnership work')
  await navigateBy(unit, unit.getByRole('link', { name: 'Serious incidents and rapid reviews' }))
  await navigateBy(unit, unit.getByRole('button', { name: 'Record a serious incident' }))
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the incident' }))
  await app.expectAccessible(unit, 'incident form with errors')
  await unit.getByLabel('The child’s NHS number').fill('9990000018')
  await unit.getByLabel('A child was seriously harmed, and abuse or neglect is known or suspected').check()
  await fillDate(unit, 'incidentOn', today)
  await fillDate(unit, 'awareOn', today)
  await unit.getByLabel('What happened', { exact: true }).fill('Fictional: admitted to hospital')
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the incident' }))
  await unit.waitForLoadState()
  assert.match(await unit.locator('[data-qa=recipients]').innerText(), /Child Safeguarding Practice Review Panel/)
  await app.expectAccessible(unit, 'incident')

  await fillDate(unit, 'notifiedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the notification' }))
  await unit.waitForLoadState()
  await unit.getByLabel('Who at the agency should answer').selectOption({ label: 'Pat Partner (demo) – Oakfield Primary School (demo)' })
  await fillDate(unit, 'dueOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Send the request' }))
  await unit.waitForLoadState()

  const school = await app.newPage()
  await app.signIn(school, demoUser('partner-practitioner').email)
  await school.goto(new URL('/partnership/requests', school.url()).href)
  await app.expectAccessible(school, 'requests for you')
  await navigateBy(school, school.locator('[data-qa=my-contributions] a').first())
  await school.getByLabel('Your agency’s involvement with the child and family').fill('Attendance concerns this term')
  await fillDate(school, 'entries-0-on', today)
  await school.getByLabel('Event 1: what happened').fill('Child upset at school (fictional)')
  await navigateBy(school, school.getByRole('button', { name: 'Send your contribution' }))
  await school.waitForLoadState()
  await app.expectAccessible(school, 'contribution answered')

  await unit.reload()
  assert.match(await unit.locator('[data-qa=contributions]').innerText(), /Answered/)
  await navigateBy(unit, unit.getByRole('link', { name: /Merged multi-agency chronology/ }))
  assert.match(await unit.locator('[data-qa=merged-chronology]').innerText(), /Child upset at school/)
  await app.expectAccessible(unit, 'merged chronology')
  await unit.goBack()
  await unit.getByLabel('Local child safeguarding practice review').check()
  await unit.getByLabel('Reasons').fill('Learning about sharing attendance concerns')
  await fillDate(unit, 'decidedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the decision' }))
  await unit.waitForLoadState()
  await fillDate(unit, 'submittedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the submission to the Panel' }))
  await unit.waitForLoadState()
  await navigateBy(unit, unit.getByRole('button', { name: 'Start the local child safeguarding practice review' }))
  await fillDate(unit, 'decidedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Start the review' }))
  await unit.waitForLoadState()
  await app.expectAccessible(unit, 'practice review')
  await fillDate(unit, 'publishedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the publication' }))
  await unit.waitForLoadState()
  await unit.getByLabel('Add a recommendation').fill('Schools share attendance concerns with the front door')
  await navigateBy(unit, unit.getByRole('button', { name: 'Add the recommendation' }))
  await unit.waitForLoadState()
  await unit.getByLabel('The action', { exact: true }).fill('Brief every designated safeguarding lead')
  await unit.getByLabel('Who owns it (their agency owns the action)').selectOption({ label: 'Pat Partner (demo) – Oakfield Primary School (demo)' })
  await fillDate(unit, 'actionDueOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Agree the action' }))
  await unit.waitForLoadState()
  await app.expectAccessible(unit, 'review with an action')

  await school.goto(new URL('/partnership/requests', school.url()).href)
  await navigateBy(school, school.locator('[data-qa=my-actions] a').first())
  await school.getByLabel('Evidence that the action is complete').fill('Briefing given to all leads (fictional)')
  await fillDate(school, 'completedOn', today)
  await navigateBy(school, school.getByRole('button', { name: 'Send the evidence' }))
  await school.waitForLoadState()
  await app.expectAccessible(school, 'action with evidence')

  await navigateBy(unit, unit.locator('[data-qa=action] a').first())
  await navigateBy(unit, unit.getByRole('button', { name: 'Agree the evidence and close the action' }))
  await unit.waitForLoadState()
  assert.match(await unit.locator('[data-qa=action-summary]').innerText(), /Closed/)
  await app.expectAccessible(unit, 'closed action')

  // The lists the business unit starts from show the incident and the review.
  await unit.goto(new URL('/partnership/incidents', unit.url()).href)
  assert.equal(await unit.locator('main table tbody tr').count() > 0, true, 'the incident is listed')
  await app.expectAccessible(unit, 'serious incidents')
  await unit.goto(new URL('/partnership/reviews', unit.url()).href)
  assert.equal(await unit.locator('main table tbody tr').count() > 0, true, 'the review is listed')
  await app.expectAccessible(unit, 'practice reviews')
})

test('the partnership pages reached were scanned', () => {
  app.assertScanned([
    '/partnership',
    '/partnership/incidents',
    '/partnership/incidents/:id',
    '/partnership/incidents/:id/chronology',
    '/partnership/requests',
    '/partnership/reviews',
    '/partnership/reviews/:id',
  ])
})
