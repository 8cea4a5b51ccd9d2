/**
 * Browser: the smaller things a new user noticed (issue 16, "Smaller"), each walked as a user would
 * on the demo data and scanned with axe:
 * - a partner's Tasks (in their menu) link to the work they ask for, and say what completes them;
 * - a rapid review contribution's key events are date inputs, not typed "YYYY-MM-DD" lines;
 * - a recorded decision's form is folded away, not offered again;
 * - success messages say what was saved;
 * - a partner's sent referral shows their own concern;
 * - a new section 11 self-assessment starts from the ratings agreed before;
 * - the plan action's owner list, once the agency is chosen, lists only its people.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { and, eq } from 'drizzle-orm'
import { appUser, childCase, person, plan, planItem } from '../../src/db/schema/index.ts'
import { loadActor } from '../../src/services/access/accounts.ts'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { referralInput } from '../../src/services/multi-agency/referrals-input.ts'
import { submitReferral } from '../../src/services/multi-agency/referrals.ts'
import { demoUser, errorSummaryLinks, fillDate, isFocused, isoToday, mainText, navigateBy, recordSeriousIncident, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu' })
const banner = (page: Page) => page.locator('[data-qa=saved-banner]').innerText()
const POLICE = 'police.officer@demo.together.invalid'

test('a partner’s task leads to the contribution it asks for; its key events are date inputs; the decision is then folded away', async () => {
  const today = isoToday()
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await recordSeriousIncident(unit, today, 'Fictional: admitted to hospital')
  assert.match(await banner(unit), /The serious incident was recorded\./)
  await fillDate(unit, 'notifiedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the notification' }))
  assert.match(await banner(unit), /The notification was recorded\./)
  await unit.getByLabel('Who at the agency should answer').selectOption({ label: 'Pat Partner (demo) – Oakfield Primary School (demo)' })
  await fillDate(unit, 'dueOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Send the request' }))
  assert.match(await banner(unit), /The request was sent\. It is a task for the person you chose at the agency\./)
  await app.expectAccessible(unit, 'incident with a success message')
  const incidentPath = new URL(unit.url()).pathname

  // The partner finds the request among their Tasks, linked to its page.
  const school = await app.newPage()
  await app.signIn(school, demoUser('partner-practitioner').email)
  await navigateBy(school, menu(school).getByRole('link', { name: 'Tasks' }))
  const task = school.locator('[data-qa=task]', { has: school.locator('[data-qa=task-work]', { hasText: 'Contribute to a rapid review' }) }).first()
  assert.match(await task.innerText(), /Done when you send the contribution/)
  assert.equal(await task.getByRole('button', { name: /Mark as done/ }).count(), 0, 'no “Mark as done” that cannot work')
  await app.expectAccessible(school, 'a partner’s tasks')
  await navigateBy(school, task.locator('[data-qa=task-work]'))
  assert.equal(new URL(school.url()).pathname.startsWith('/partnership/contributions/'), true)

  // Key events: a date input and what happened per event, not typed lines.
  assert.equal(await school.locator('textarea#entries').count(), 0)
  assert.equal(await school.locator('[data-qa=entry]').count(), 3)
  await school.getByLabel('Your agency’s involvement with the child and family').fill('Attendance concerns this term (fictional)')
  await school.locator('#entries-0-on-day').fill('31')
  await school.locator('#entries-0-on-month').fill('2')
  await school.locator('#entries-0-on-year').fill(today.slice(0, 4))
  await school.getByLabel('Event 1: what happened').fill('Upset in class (fictional)')
  await school.getByLabel('Event 2: what happened').fill('Collected late (fictional)')
  await navigateBy(school, school.getByRole('button', { name: 'Send your contribution' }))
  assert.deepEqual(await errorSummaryLinks(school), [
    ['Event 1: The date of the event must be a real date', '#entries-0-on-day'],
    ['Event 2: Enter the date of the event', '#entries-1-on-day'],
  ])
  assert.equal(await school.getByLabel('Event 2: what happened').inputValue(), 'Collected late (fictional)', 'what was typed is kept')
  await app.expectAccessible(school, 'contribution with errors')
  await fillDate(school, 'entries-0-on', today)
  await fillDate(school, 'entries-1-on', today)
  await navigateBy(school, school.getByRole('button', { name: 'Add another event' }))
  assert.equal(await school.locator('[data-qa=entry]').count(), 4)
  assert.ok(await isFocused(school, '#entries-3-text'), 'the new row has the focus')
  await app.expectAccessible(school, 'contribution with another event')
  await navigateBy(school, school.getByRole('button', { name: 'Send your contribution' }))
  assert.match(await mainText(school), /Your contribution was sent to the review\./)
  await navigateBy(school, menu(school).getByRole('link', { name: 'Tasks' }))
  assert.equal(await school.locator('[data-qa=task-work]', { hasText: 'Contribute to a rapid review' }).count(), 0, 'the task is done')

  // The decision: recorded, then shown with its form folded behind "Correct the decision".
  await unit.goto(incidentPath)
  await unit.getByLabel('Local child safeguarding practice review').check()
  await unit.getByLabel('Reasons').fill('Learning about sharing attendance concerns')
  await fillDate(unit, 'decidedOn', today)
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the decision' }))
  assert.match(await banner(unit), /The rapid review decision was recorded\./)
  assert.match(await unit.locator('[data-qa=decision]').innerText(), /Local child safeguarding practice review/)
  assert.equal(await unit.getByLabel('Reasons').isVisible(), false, 'the decision form is not offered again')
  await app.expectAccessible(unit, 'incident decided')
  await unit.getByText('Correct the decision').click()
  assert.equal(await unit.getByLabel('Reasons').isVisible(), true)
  assert.equal(await unit.getByLabel('Reasons').inputValue(), 'Learning about sharing attendance concerns')
  await app.expectAccessible(unit, 'incident decided, correction unfolded')
})

test('a partner’s sent referral shows their own concern', async () => {
  const db = app.running.database.db
  const [pat] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demoUser('partner-practitioner').email))
  const actor = (await loadActor(db, pat!.id))!
  const concern = 'Robin said she is scared to go home (fictional).\nShe has been hungry at school this week.'
  const sent = await submitReferral(
    { db, actor, now: () => new Date(), requestId: 'small-fixes' },
    referralInput.parse({
      child: { givenName: 'Robin', familyName: 'Referred', dateOfBirth: '2017-02-03', sex: 'F' },
      family: { familyDetails: 'Lives with mum (fictional).', address: '' },
      concern: { concern, urgency: 'standard' },
      consent: { familyTold: 'Mum knows we are worried.', consent: 'given', consentReason: '' },
    }),
  )
  const page = await app.newPage()
  await app.signIn(page, demoUser('partner-practitioner').email)
  await navigateBy(page, menu(page).getByRole('link', { name: 'My referrals' }))
  await navigateBy(page, page.locator(`a[href="/referrals/${sent.id}"]`))
  const shown = await page.locator('.app-referral-concern dd').innerText()
  assert.equal(shown.trim(), concern)
  await app.expectAccessible(page, 'a sent referral with its concern')
})

test('the police’s next section 11 self-assessment starts from the ratings agreed with them', async () => {
  const today = isoToday()
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await unit.goto('/partnership/section-11')
  await navigateBy(unit, unit.locator('main a', { hasText: /^Section 11 audit \(demo\)$/ }))
  await navigateBy(unit, unit.locator('[data-qa=return-row] a', { hasText: 'Demoshire Police' }))
  assert.equal(await unit.locator('#agreed-3').inputValue(), 'partly-met', 'the agreement starts from the agency’s ratings')
  await navigateBy(unit, unit.getByRole('button', { name: 'Agree the ratings' }))
  assert.match(await banner(unit), /The agreed ratings were recorded\./)
  await app.expectAccessible(unit, 'section 11 ratings agreed')

  await unit.goto('/partnership/section-11/cycles/new')
  await unit.getByLabel('Name of the cycle').fill('Follow-up audit')
  await fillDate(unit, 'issuedOn', today)
  await fillDate(unit, 'answersDueOn', addDays(today, 30))
  await unit.getByLabel('Demoshire Police: Paul Officer (demo)').check()
  await navigateBy(unit, unit.getByRole('button', { name: 'Issue the cycle' }))
  assert.equal(await unit.locator('[data-qa=return-row]').count(), 1, await mainText(unit))

  const police = await app.newPage()
  await app.signIn(police, POLICE)
  await navigateBy(police, menu(police).getByRole('link', { name: 'Tasks' }))
  const task = police.locator('[data-qa=task-work]', { hasText: 'Follow-up audit' })
  assert.match(await police.locator('[data-qa=task]', { has: task }).innerText(), /Done when the self-assessment is submitted/)
  await navigateBy(police, task)
  assert.match(await police.locator('[data-qa=carried-forward]').innerText(), /agreed with the partnership in Section 11 audit \(demo\)/)
  assert.equal(await police.locator('input[name=rating-1]:checked').inputValue(), 'met')
  assert.equal(await police.locator('input[name=rating-3]:checked').inputValue(), 'partly-met')
  assert.equal(await police.locator('#evidence-1').inputValue(), '', 'the evidence is given afresh')
  await app.expectAccessible(police, 'a self-assessment starting from the agreed ratings')
})

test('a plan action’s owner list, once the agency is chosen, lists only its people', async () => {
  const db = app.running.database.db
  const [eve] = await db
    .select({ caseId: childCase.id, planId: plan.id })
    .from(plan)
    .innerJoin(childCase, eq(childCase.id, plan.caseId))
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(person.givenName, 'Eve'), eq(plan.kind, 'child-protection')))
  const planPath = `/cases/${eve!.caseId}/plans/${eve!.planId}`
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`${planPath}/items/new?kind=action`)
  const owners = page.locator('select#ownerUserId')
  const groups = async () => owners.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))
  assert.ok((await groups()).length > 2, 'every agency’s people, listed by agency')
  await page.getByLabel('Agency that owns the action').selectOption({ label: 'Oakfield Primary School (demo)' })
  assert.deepEqual(await groups(), ['Oakfield Primary School (demo)'])
  assert.deepEqual(await owners.locator('option').allInnerTexts(), ['No particular person', 'Pat Partner (demo)'])
  await app.expectAccessible(page, 'plan action form, owners of one agency')
  // A person chosen, then another agency: the person is no longer listed, so the choice is cleared.
  await owners.selectOption({ label: 'Pat Partner (demo)' })
  await page.getByLabel('Agency that owns the action').selectOption({ label: 'Demoshire Police' })
  assert.equal(await owners.inputValue(), '')
  await page.getByLabel('Agency that owns the action').selectOption({ label: 'Oakfield Primary School (demo)' })
  await owners.selectOption({ label: 'Pat Partner (demo)' })
  await page.getByLabel('What will be done').fill('Daily check-in at school (fictional)')
  await navigateBy(page, page.getByRole('button', { name: 'Save' }))
  assert.match(await banner(page), /The action was added\./)

  const [action] = await db.select({ id: planItem.id }).from(planItem).where(and(eq(planItem.planId, eve!.planId), eq(planItem.description, 'Daily check-in at school (fictional)')))
  await page.goto(`${planPath}/items/${action!.id}`)
  assert.equal(await owners.inputValue(), (await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demoUser('partner-practitioner').email)))[0]!.id)
  assert.deepEqual(await groups(), ['Oakfield Primary School (demo)'], 'the saved agency’s people only')
  await page.getByLabel('Progress (optional)').fill('Started (fictional)')
  await navigateBy(page, page.getByRole('button', { name: 'Save' }))
  assert.match(await banner(page), /Your changes to the action were saved\./)
  await app.expectAccessible(page, 'plan with a changed action')
})

test('the pages of these fixes were scanned', () => {
  app.assertScanned([
    '/tasks',
    '/partnership/contributions/:id',
    '/partnership/incidents/:id',
    '/referrals/:id',
    '/partnership/section-11/returns/:id',
    '/cases/:id/plans/:id/items/new',
    '/cases/:id/plans/:id',
  ])
})
