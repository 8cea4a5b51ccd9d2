/**
 * Closing an episode and the manager's decision on an assessment, in Chromium (issue 16, items 7
 * and 9), walked through the pages as the demo users would, each page state scanned with axe-core.
 *
 * 1. The demo social worker opens the close page of Bea's episode (a section 47 enquiry still
 *    open), ticks the confirmation; meanwhile, in another tab, a child in need plan is started on
 *    the episode. The closure is refused with a clear message and changes nothing; the close page
 *    then lists the plan and offers no closing form. The worker ends the plan from its link, comes
 *    back, is asked to tick the confirmation, and closes the episode.
 * 2. The worker completes Ash's assessment; the team manager returns it with reasons; the worker
 *    sees them on the assessment and completes it again; the manager authorises it with a comment;
 *    the authorised assessment is read-only for the worker.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { childCase, cinEpisode, person, plan } from '../../src/db/schema/index.ts'
import { demoUser, errorSummaryLinks, fillDate, isoToday, mainText, navigateBy, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp

before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

async function caseOf(givenName: string, familyName: string): Promise<string> {
  const [row] = await app.running.database.db
    .select({ caseId: childCase.id })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(person.givenName, givenName), eq(person.familyName, familyName)))
  assert.ok(row, `no demo child ${givenName}`)
  return row.caseId
}

async function signedIn(role: 'social-worker' | 'team-manager'): Promise<Page> {
  const page = await app.newPage()
  await app.signIn(page, demoUser(role).email)
  return page
}

test('an episode with an open plan is not closed: the worker ends the plan, then closes the episode after confirming', async () => {
  const db = app.running.database.db
  const today = isoToday()
  const caseId = await caseOf('Bea', 'Fictional')
  const [episode] = await db.select({ id: cinEpisode.id }).from(cinEpisode).where(eq(cinEpisode.caseId, caseId))
  const page = await signedIn('social-worker')

  await page.goto(`/cases/${caseId}/contacts`)
  await navigateBy(page, page.locator('[data-qa=close-episode-link]'))
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/episodes/${episode!.id}/close`)
  const openWork = page.locator('[data-qa=open-work]')
  assert.match(await openWork.innerText(), /Section 47 enquiry/)
  assert.doesNotMatch(await openWork.innerText(), /\bPlan\b/)
  assert.equal(await page.locator('[data-qa=close-episode]').count(), 1, 'no plan is open: the page offers the closure')
  await app.expectAccessible(page, 'close the episode, a section 47 enquiry still open')
  await page.getByLabel('Reason for closure').selectOption('RC7')
  await page.getByLabel('I have checked what is still open and want to close this episode').check()

  // Meanwhile, in another tab, the worker starts a child in need plan on the referral.
  const other = await page.context().newPage()
  await other.goto(`/cases/${caseId}/plans`)
  await other.getByLabel('Child in need plan').check()
  await other.locator('#episodeId').selectOption(episode!.id)
  await fillDate(other, 'startedOn', today)
  await other.getByLabel('Summary of the plan').fill('Support for Bea at home and nursery (fictional).')
  const started = await postForm(other, () => other.locator('[data-qa=start-plan]').click())
  assert.equal(started.status(), 302)
  await other.close()

  const refused = await postForm(page, () => page.locator('[data-qa=close-episode]').click())
  assert.equal(refused.status(), 400)
  const refusal = 'End the child in need plan before closing the episode: an episode cannot close while its plan is open. Nothing has been changed.'
  // The form is not shown over an open plan: the summary links to the message saying what stops the closure.
  assert.deepEqual(await errorSummaryLinks(page), [[refusal, '#closure-blocked']])
  assert.match(await mainText(page), /End the child in need plan before closing the episode/)
  assert.match(await openWork.innerText(), /Plan\s+Child in need plan/)
  assert.equal(await page.locator('[data-qa=close-episode]').count(), 0, 'the refused page offers no closing form')
  await app.expectAccessible(page, 'close the episode, refused over an open plan')
  const [unchanged] = await db.select({ closureDate: cinEpisode.closureDate }).from(cinEpisode).where(eq(cinEpisode.id, episode!.id))
  assert.equal(unchanged!.closureDate, null, 'the refusal changed nothing')

  // Coming back to the page later: the plan is listed and stops the closure up front.
  await page.goto(`/cases/${caseId}/episodes/${episode!.id}/close`)
  assert.match(await page.locator('[data-qa=closure-blocked]').innerText(), /End the child in need plan before closing the episode/)
  assert.match(await openWork.innerText(), /Child in need plan/)
  assert.equal(await page.locator('[data-qa=close-episode]').count(), 0)
  await app.expectAccessible(page, 'close the episode, an open plan listed')

  // The plan is ended on its own page, from its link in the list.
  await navigateBy(page, openWork.getByRole('link', { name: 'Child in need plan' }))
  await navigateBy(page, page.locator('[data-qa=end-plan]'))
  await fillDate(page, 'endedOn', today)
  await page.getByLabel('Outcomes met, no further services').check()
  const ended = await postForm(page, () => page.locator('[data-qa=save-end]').click())
  assert.equal(ended.status(), 302)
  const [cinPlan] = await db.select({ endedOn: plan.endedOn }).from(plan).where(and(eq(plan.caseId, caseId), eq(plan.kind, 'child-in-need')))
  assert.equal(cinPlan!.endedOn, today)

  await page.goto(`/cases/${caseId}/contacts`)
  await navigateBy(page, page.locator('[data-qa=close-episode-link]'))
  assert.doesNotMatch(await openWork.innerText(), /Child in need plan/)
  assert.equal(await page.locator('[data-qa=closure-blocked]').count(), 0)
  await page.getByLabel('Reason for closure').selectOption('RC7')
  const unconfirmed = await postForm(page, () => page.locator('[data-qa=close-episode]').click())
  assert.equal(unconfirmed.status(), 400)
  assert.deepEqual(
    (await errorSummaryLinks(page)).map(([text]) => text),
    ['Confirm that you have checked what is still open and want to close the episode'],
  )
  await app.expectAccessible(page, 'close the episode, confirmation not ticked')

  await page.getByLabel('I have checked what is still open and want to close this episode').check()
  const closed = await postForm(page, () => page.locator('[data-qa=close-episode]').click())
  assert.equal(closed.status(), 303)
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/contacts`)
  assert.match(await mainText(page), /The episode was closed\./)
  const [after] = await db.select({ closureDate: cinEpisode.closureDate, closureReason: cinEpisode.closureReason }).from(cinEpisode).where(eq(cinEpisode.id, episode!.id))
  assert.deepEqual(after, { closureDate: today, closureReason: 'RC7' })
})

test('a returned assessment shows the manager’s reasons, is completed again, authorised with a comment, then read-only', async () => {
  const today = isoToday()
  const caseId = await caseOf('Ash', 'Testcase')
  const worker = await signedIn('social-worker')
  const manager = await signedIn('team-manager')
  const state = (page: Page) => page.locator('[data-qa=assessment-summary] .govuk-tag').innerText()

  await worker.goto(`/cases/${caseId}/assessments`)
  await navigateBy(worker, worker.getByRole('link', { name: 'Child and family (single) assessment' }))
  const assessmentPath = new URL(worker.url()).pathname
  assert.match(assessmentPath, new RegExp(`^/cases/${caseId}/assessments/[0-9a-f-]{36}$`))
  assert.equal(await state(worker), 'In progress')
  await app.expectAccessible(worker, 'assessment in progress')

  const complete = async () => {
    await fillDate(worker, 'completedOn', today)
    const done = await postForm(worker, () => worker.locator('[data-qa=complete-assessment]').click())
    assert.equal(done.status(), 302)
    assert.match(await mainText(worker), /The assessment was completed\./)
    assert.equal(await state(worker), 'Awaiting authorisation')
  }
  await worker.locator('input[name=factors][value="4B"]').check()
  await worker.getByLabel('Child in need plan').check()
  await complete()
  await app.expectAccessible(worker, 'assessment awaiting authorisation, as the worker')

  await manager.goto(assessmentPath)
  assert.equal(await state(manager), 'Awaiting authorisation')
  await app.expectAccessible(manager, 'assessment awaiting authorisation, as the manager')
  const reasons = 'Say what Ash told you when seen alone, and how the outcome follows from it (fictional).'
  await manager.getByLabel('What needs to change').fill(reasons)
  const returned = await postForm(manager, () => manager.locator('[data-qa=return-assessment]').click())
  assert.equal(returned.status(), 302)
  assert.match(await mainText(manager), /The assessment was returned to the worker\./)
  assert.equal(await state(manager), 'Returned to the worker')
  await app.expectAccessible(manager, 'assessment returned, as the manager')

  await worker.goto(assessmentPath)
  assert.equal(await state(worker), 'Returned to the worker')
  const shown = await worker.locator('[data-qa=return-reasons]').innerText()
  assert.match(shown, /Returned by Tam Manager \(demo\)/)
  assert.ok(shown.includes(reasons), 'the worker sees the reasons')
  assert.equal(await worker.locator('input[name=factors][value="4B"]').isChecked(), true, 'the factors recorded stay')
  assert.equal(await worker.getByLabel('Child in need plan').isChecked(), true, 'the outcome recorded stays')
  await app.expectAccessible(worker, 'assessment returned, as the worker')
  await worker.getByLabel('Analysis').fill('Ash, seen alone, described the arguments at home (fictional).')
  const progress = await postForm(worker, () => worker.locator('[data-qa=save-progress]').click())
  assert.equal(progress.status(), 302)
  await complete()

  await manager.goto(assessmentPath)
  assert.equal(await state(manager), 'Awaiting authorisation')
  const comment = 'The analysis now follows from what Ash said (fictional).'
  await fillDate(manager, 'authorisedOn', today)
  await manager.getByLabel('Your comment').fill(comment)
  const authorised = await postForm(manager, () => manager.locator('[data-qa=authorise-assessment]').click())
  assert.equal(authorised.status(), 302)
  assert.match(await mainText(manager), /The assessment was authorised\./)
  assert.equal(await state(manager), 'Authorised')
  assert.ok((await manager.locator('[data-qa=assessment-summary]').innerText()).includes(comment), 'the comment is shown')
  await app.expectAccessible(manager, 'assessment authorised, as the manager')

  await worker.goto(assessmentPath)
  assert.equal(await state(worker), 'Authorised')
  const summary = await worker.locator('[data-qa=assessment-summary]').innerText()
  assert.ok(summary.includes(comment), 'the worker sees the manager’s comment')
  assert.match(summary, /Last returned/)
  assert.match(await mainText(worker), /An authorised assessment is read-only until a team manager reopens it\./)
  for (const form of ['#progress-form', '#completion-form', '#authorisation-form', '#return-form', '#reopen-form']) {
    assert.equal(await worker.locator(form).count(), 0, `the authorised assessment shows the worker no ${form}`)
  }
  assert.equal(await worker.locator('main textarea, main input[type=checkbox], main input[type=radio]').count(), 0, 'nothing to edit')
  await app.expectAccessible(worker, 'assessment authorised, read-only for the worker')
})
