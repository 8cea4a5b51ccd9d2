/**
 * Plain labels where people read (issue 16) in Chromium, with axe scans of each new page:
 *
 * 1. The auditor opens who has looked at a demo child's record: plain words, the total, and the
 *    filters by user and by date range.
 * 2. The administrator sets the council's day-time and out-of-hours contacts; an A&E clinician
 *    checks a child on a plan and is shown who was found (to confirm the match) and both contacts.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import { childCase, person, plan } from '../../src/db/schema/index.ts'
import { demoUser, fillDate, isoToday, mainText, navigateBy, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

const BEA = { nhs: '9990000026', formatted: '999 000 0026', name: 'Bea Fictional' }

test('the auditor reads a child’s access history in plain words and filters it', async () => {
  // Someone has looked at Bea's case first.
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  const [bea] = await app.running.database.db.select({ caseId: childCase.id }).from(childCase).innerJoin(person, eq(person.id, childCase.personId)).where(eq(person.nhsNumber, BEA.nhs))
  assert.equal((await worker.goto(`/cases/${bea!.caseId}`))?.status(), 200)

  const auditor = await app.newPage()
  await app.signIn(auditor, demoUser('auditor').email)
  await auditor.goto('/audit')
  await auditor.getByLabel('Child’s name or NHS number').fill(BEA.formatted)
  await navigateBy(auditor, auditor.getByRole('button', { name: 'Search' }))
  await navigateBy(auditor, auditor.getByRole('link', { name: BEA.name }))
  await app.expectAccessible(auditor, 'a child’s access history')
  const all = await mainText(auditor)
  assert.match(all, /Who has looked at Bea Fictional’s record/)
  assert.match(all, /\d+ entr(y|ies), newest first/)
  assert.match(all, /Viewed the case/)
  assert.match(all, /as the auditor/)
  assert.doesNotMatch(all, /case\.view|role:auditor|allocated-worker/)

  await auditor.getByLabel('Who').selectOption({ label: 'Sam Worker (demo)' })
  await fillDate(auditor, 'from', isoToday())
  await fillDate(auditor, 'to', isoToday())
  await navigateBy(auditor, auditor.getByRole('button', { name: 'Show' }))
  await app.expectAccessible(auditor, 'a child’s access history filtered by user and day')
  const filtered = await mainText(auditor)
  assert.match(filtered, /entr(y|ies) match/)
  assert.doesNotMatch(filtered, /Looked at who has viewed this record/, 'only the social worker’s entries')
})

test('the administrator sets the authority’s contacts; the A&E check shows them and the child found', async () => {
  const db = app.running.database.db
  const [c] = await db
    .select({ id: childCase.id, partnershipId: childCase.partnershipId, worker: childCase.allocatedWorkerId })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(eq(person.nhsNumber, BEA.nhs))
  await db.insert(plan).values({ partnershipId: c!.partnershipId, caseId: c!.id, kind: 'child-protection', startedOn: '2026-09-01', recordedBy: c!.worker! })

  const admin = await app.newPage()
  await app.signIn(admin, demoUser('administrator').email)
  await navigateBy(admin, admin.getByRole('link', { name: /day-time and out-of-hours contacts/ }))
  await app.expectAccessible(admin, 'the authorities’ contacts')
  const council = admin.locator('form[data-qa^=authority-]').first()
  await council.getByLabel('Telephone', { exact: true }).fill('01632 960100')
  await council.getByLabel('When the day-time line answers').fill('Monday to Friday, 9am to 5pm')
  await council.getByLabel('Out of hours telephone').fill('01632 960999')
  await council.getByLabel('Out of hours email').fill('not an address')
  await postForm(admin, () => council.getByRole('button', { name: /Save the contacts/ }).click())
  await admin.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(admin, 'the authorities’ contacts with an error')
  const again = admin.locator('form[data-qa^=authority-]').first()
  await again.getByLabel('Out of hours email').fill('edt@demoshire.invalid')
  await postForm(admin, () => again.getByRole('button', { name: /Save the contacts/ }).click())
  await admin.locator('.govuk-notification-banner--success').waitFor()
  await app.expectAccessible(admin, 'the authorities’ contacts saved')

  const clinician = await app.newPage()
  await app.signIn(clinician, demoUser('unscheduled-care').email)
  await clinician.goto('/cp-status')
  await clinician.getByLabel('The child’s NHS number').fill(BEA.formatted)
  await navigateBy(clinician, clinician.getByRole('button', { name: 'Check' }))
  await clinician.locator('[data-qa=cp-status-answer]').waitFor()
  await app.expectAccessible(clinician, 'the status check answered, with the child found and the contacts')
  const found = (await clinician.locator('[data-qa=cp-status-child]').innerText()).replace(/\s+/g, ' ')
  assert.match(found, /999 000 0026/)
  assert.match(found, /Bea Fictional/)
  const contacts = (await clinician.locator('[data-qa=cp-status-authority]').innerText()).replace(/\s+/g, ' ')
  assert.match(contacts, /Day-time telephone 01632 960100/)
  assert.match(contacts, /Out of hours telephone 01632 960999/)
  assert.match(contacts, /Out of hours email edt@demoshire.invalid/)
})
