/**
 * Browser: a LADO case runs from referral to outcome (the designated officer records the
 * referral, a strategy meeting and the outcome; the employer's named contact sees their case and
 * only theirs; a social worker is refused), and a domestic abuse related death review is recorded,
 * decided, linked to a child safeguarding practice review and published. Every page type passes axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { demoUser, navigateBy, fillDate, isoToday, mainText, postForm, recordSeriousIncident, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

/** Sends the form and waits for the page it led to (a form keeping a draft saves it first, so the post comes later). */
async function submit(page: Page, button: string) {
  await postForm(page, () => page.getByRole('button', { name: button }).click())
  assert.match(page.url(), /saved=|\/new$/)
}

test('a LADO case runs from referral to outcome; the named contact sees only their case; a social worker is refused', async () => {
  const today = isoToday()
  const officer = await app.newPage()
  await app.signIn(officer, demoUser('designated-officer').email)
  await navigateBy(officer, officer.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Partnership work' }))
  await navigateBy(officer, officer.getByRole('link', { name: 'Allegations against people who work with children (LADO)' }))
  assert.match(await officer.locator('[data-qa=lado-open]').innerText(), /Jordan Sample/, 'the demo case is open')
  const demoCase = await officer.locator('[data-qa=lado-open] tr', { hasText: 'Jordan Sample' }).getByRole('link').getAttribute('href')
  await app.expectAccessible(officer, 'allegations')

  await navigateBy(officer, officer.getByRole('button', { name: 'Record a referral' }))
  await navigateBy(officer, officer.getByRole('button', { name: 'Record the referral' }))
  await officer.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(officer, 'referral form with errors')
  await fillDate(officer, 'knownOn', today)
  await fillDate(officer, 'referredOn', today)
  await officer.getByLabel('Their name').fill('Morgan Placeholder (fictional)')
  await officer.getByLabel('Their role').fill('Teaching assistant')
  await officer.getByLabel('Employer (an agency in Together)').selectOption({ label: 'Oakfield Primary School (demo)' })
  await officer.getByLabel('Employer’s named contact, if they use Together').selectOption({ label: 'Pat Partner (demo) – Oakfield Primary School (demo)' })
  await officer.getByLabel('Behaved in a way that has harmed, or may have harmed, a child').check()
  await officer.getByLabel('The nature of the allegation').fill('Pushed a pupil against a wall (fictional)')
  await officer.getByLabel('The child’s NHS number, if they are known to Together').fill('9990000026')
  await submit(officer, 'Record the referral')
  assert.match(await officer.locator('[data-qa=lado-summary]').innerText(), /on time/)
  assert.match(await officer.locator('[data-qa=lado-children]').innerText(), /Bea Fictional/)
  await app.expectAccessible(officer, 'allegation')
  const casePath = new URL(officer.url()).pathname

  await officer.getByLabel('Strategy meeting').check()
  await fillDate(officer, 'heldOn', today)
  await officer.getByLabel('Who attended').fill('Designated officer, police, head teacher (fictional)')
  await officer.getByLabel('Decisions').fill('Police will not investigate; the school follows its disciplinary process')
  await submit(officer, 'Record the meeting')
  await officer.getByLabel('Unfounded: no evidence or proper basis for it').check()
  await fillDate(officer, 'outcomeOn', today)
  await submit(officer, 'Record the outcome')
  assert.match(await officer.locator('[data-qa=lado-outcome]').innerText(), /Unfounded/)
  await app.expectAccessible(officer, 'allegation with outcome')

  await officer.goto('/partnership/lado')
  await navigateBy(officer, officer.getByRole('link', { name: 'Resolution against targets' }))
  assert.equal(await officer.locator('[data-qa^=target-]').count(), 3)
  await app.expectAccessible(officer, 'resolution against targets')

  // The school's named contact: this case, read only, and not the club's case.
  const contact = await app.newPage()
  await app.signIn(contact, demoUser('partner-practitioner').email)
  await navigateBy(contact, contact.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Partnership work' }))
  await navigateBy(contact, contact.getByRole('link', { name: 'Allegations against people who work with children (LADO)' }))
  const listed = await contact.locator('[data-qa=lado-contact]').innerText()
  assert.match(listed, /Morgan Placeholder/)
  assert.doesNotMatch(listed, /Jordan Sample/)
  await app.expectAccessible(contact, 'allegations (named contact)')
  await navigateBy(contact, contact.getByRole('link', { name: /LADO-/ }))
  assert.equal(new URL(contact.url()).pathname, casePath)
  assert.equal(await contact.locator('[data-qa=contact-notice]').count(), 1)
  assert.equal(await contact.locator('form[data-qa=lado-outcome-form]').count(), 0, 'no forms for the contact')
  await app.expectAccessible(contact, 'allegation (named contact)')
  const refused = await contact.goto(demoCase!)
  assert.equal(refused?.status(), 403)
  assert.doesNotMatch(await mainText(contact), /Jordan Sample/)
  await app.expectAccessible(contact, 'allegation refused')

  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  assert.equal((await worker.goto(casePath))?.status(), 403)
  assert.doesNotMatch(await mainText(worker), /Morgan Placeholder/)
})

test('a domestic abuse related death review: recorded, decided, linked to a practice review and published', async () => {
  const today = isoToday()
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)

  // A local child safeguarding practice review about the same family, to link to.
  await recordSeriousIncident(unit, today, 'Fictional: a parent was killed')
  await fillDate(unit, 'notifiedOn', today)
  await submit(unit, 'Record the notification')
  await unit.getByLabel('Local child safeguarding practice review').check()
  await unit.getByLabel('Reasons').fill('Learning about domestic abuse and the children')
  await fillDate(unit, 'decidedOn', today)
  await submit(unit, 'Record the decision')
  await fillDate(unit, 'submittedOn', today)
  await submit(unit, 'Record the submission to the Panel')
  await navigateBy(unit, unit.getByRole('button', { name: 'Start the local child safeguarding practice review' }))
  await unit.getByLabel('Title of the review').fill('Child E (fictional)')
  await fillDate(unit, 'decidedOn', today)
  await submit(unit, 'Start the review')

  await unit.goto('/partnership')
  await navigateBy(unit, unit.getByRole('link', { name: 'Domestic abuse related death reviews' }))
  assert.match(await unit.locator('[data-qa=dar-reviews]').innerText(), /Adult A/, 'the demo review')
  await app.expectAccessible(unit, 'death reviews')
  await navigateBy(unit, unit.getByRole('button', { name: 'Record a death notified to the community safety partnership' }))
  await navigateBy(unit, unit.getByRole('button', { name: 'Record the death' }))
  await unit.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(unit, 'death review form with errors')
  await unit.getByLabel('Community safety partnership').fill('Demoshire Community Safety Partnership (fictional)')
  await unit.getByLabel('Pseudonym for the person who died').fill('Adult E')
  await unit.getByLabel('Their age when they died').fill('36')
  await fillDate(unit, 'deathOn', today)
  await fillDate(unit, 'notifiedOn', today)
  await unit.getByLabel('No', { exact: true }).check()
  await unit.getByLabel('Circumstances').fill('Killed by a former partner (fictional)')
  await submit(unit, 'Record the death')
  await app.expectAccessible(unit, 'death review')

  await unit.getByLabel('Hold a review', { exact: true }).check()
  await unit.getByLabel('Reasons for the decision').fill('The criteria are met')
  await fillDate(unit, 'decidedOn', today)
  await submit(unit, 'Record the decision')
  await unit.getByLabel('Practice review (one you work on)').selectOption({ label: 'Child E (fictional)' })
  await submit(unit, 'Link the reviews')
  assert.match(await unit.locator('[data-qa=dar-summary]').innerText(), /Child E \(fictional\)/)
  await fillDate(unit, 'reportCompletedOn', today)
  await unit.getByLabel('Summary of the report').fill('Agencies did not share what they knew about the abuse (fictional)')
  await fillDate(unit, 'homeOfficeSentOn', today)
  await fillDate(unit, 'commissionerCopyOn', today)
  await submit(unit, 'Save the report')
  await fillDate(unit, 'publishedOn', today)
  await submit(unit, 'Record the publication')
  const progress = await unit.locator('[data-qa=dar-progress]').innerText()
  assert.doesNotMatch(progress, /Published\s+Not yet/)
  assert.match(progress, /Domestic Abuse Commissioner/)
  await app.expectAccessible(unit, 'published death review')

  const officer = await app.newPage()
  await app.signIn(officer, demoUser('designated-officer').email)
  assert.equal((await officer.goto(new URL(unit.url()).pathname))?.status(), 403)
})

test('the LADO and death review pages reached were scanned', () => {
  app.assertScanned([
    '/partnership/lado',
    '/partnership/lado/new',
    '/partnership/lado/:id',
    '/partnership/lado/report',
    '/partnership/dar-reviews',
    '/partnership/dar-reviews/new',
    '/partnership/dar-reviews/:id',
  ])
})
