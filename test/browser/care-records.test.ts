/**
 * Browser (issue 19 §4-5), on Eve's case by the social worker, each page state scanned with axe:
 * a missing episode recorded while the child is missing, the return recorded (the return home
 * interview clock starts), the interview offered after 72 hours asks for the coded reason (an error
 * first), then saved with the screening, and the section's counts show it; a health and education
 * check recorded after an error, listed with the latest of its kind; a care leaver's details and a
 * contact recorded, the contact shown as the latest; the demo conference chair's list of the
 * children they review as IRO (Fern), from the home page.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { demoCase, demoUser, errorSummaryLinks, fillDate, isoToday, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

test('a missing episode: recorded, the return, a late offer of the return home interview asks why', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}`)
  await navigateBy(worker, worker.getByRole('link', { name: 'Missing episodes' }))
  await navigateBy(worker, worker.locator('[data-qa=record-missing]'))
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#kind', '#startedOn-day', '#startedTime'])
  await app.expectAccessible(worker, 'record a missing episode, with errors')
  await worker.getByLabel('Missing (where the child was not known)').check()
  await fillDate(worker, 'startedOn', addDays(today, -8))
  await worker.getByLabel('At what time?').fill('20:00')
  await worker.getByLabel('Notes (optional)').fill('Did not come back from the park (fictional).')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /Recorded/)
  assert.match(await worker.locator('main').innerText(), /Not yet back/)

  await navigateBy(worker, worker.getByRole('link', { name: /Record the return/ }))
  await fillDate(worker, 'returnedOn', addDays(today, -7))
  await worker.getByLabel('At what time?').fill('09:30')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=clock-return-home-interview]').innerText(), /Overdue/)
  await app.expectAccessible(worker, 'missing episodes, one back with its interview overdue')

  await navigateBy(worker, worker.getByRole('link', { name: /Record the return interview/ }))
  await fillDate(worker, 'interviewOfferedOn', addDays(today, -1))
  await worker.getByRole('group', { name: 'Did the child accept it?' }).getByLabel('Yes').check()
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#lateReasonCode'])
  await app.expectAccessible(worker, 'the return interview offered late asks why')
  await worker.locator('#lateReasonCode').selectOption('family-unavailable')
  await fillDate(worker, 'screenedOn', addDays(today, -1))
  await worker.getByLabel('No concerns about exploitation').check()
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=clock-return-home-interview]').innerText(), /Completed late/)
  assert.match(await worker.locator('[data-qa=missing-summary]').innerText(), /Missing in the last 12 months\s*1[\s\S]*offered after the last time missing\s*Yes/)
})

test('a health and education check: an error linked, then recorded and shown as the latest of its kind', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}`)
  await navigateBy(worker, worker.getByRole('link', { name: 'Health and education' }))
  await navigateBy(worker, worker.locator('[data-qa=record-health-education]'))
  await worker.getByLabel('Strengths and difficulties questionnaire').check()
  await fillDate(worker, 'doneOn', addDays(today, -3))
  await worker.getByLabel('Questionnaire only: the total difficulties score').fill('44')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#sdqScore'])
  await app.expectAccessible(worker, 'record a health or education check, with an error')
  await worker.getByLabel('Questionnaire only: the total difficulties score').fill('14')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=health-education-latest]').innerText(), /Last questionnaire\s*\d+ \w+ \d{4}/)
  assert.match(await worker.locator('[data-qa=health-education-records]').innerText(), /Strengths and difficulties questionnaire\s*Score 14/)
  await app.expectAccessible(worker, 'health and education with one record')
})

test('a care leaver: details recorded, then a contact after an error, shown as the latest', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}`)
  await navigateBy(worker, worker.getByRole('link', { name: 'Care leaver', exact: true }))
  await navigateBy(worker, worker.locator('[data-qa=record-care-leaver-details]'))
  await worker.getByLabel('Former relevant: 18 to 25, was eligible or relevant').check()
  await worker.getByLabel('Personal adviser (optional)').fill('Pat Fictional, Leaving Care Service')
  await worker.getByRole('group', { name: 'Is the young person staying put with former foster carers?' }).getByLabel('No').check()
  await worker.getByRole('group', { name: 'Has the young person asked for support to 25?' }).getByLabel('Yes').check()
  await app.expectAccessible(worker, 'the care leaver’s details form')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=care-leaver-details]').innerText(), /Former relevant[\s\S]*Pat Fictional/)
  // Support to 25 recorded: the leaving care support clock is due on the 25th birthday (Eve was born on 11 February 2024).
  assert.match(await worker.locator('[data-qa=clock-leaving-care-support-25]').innerText(), /Leaving care support: review at 25[\s\S]*11 November 2048\s*11 February 2049\s*Due/)
  await app.expectAccessible(worker, 'a care leaver with the leaving care support clock')

  await navigateBy(worker, worker.locator('[data-qa=record-care-leaver]'))
  await worker.getByLabel('Contact with the young person').check()
  await fillDate(worker, 'on', addDays(today, -2))
  await worker.getByLabel('Contacts only: are you in touch with the young person?').selectOption('YES')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#activity', '#accommodation'])
  await app.expectAccessible(worker, 'a care leaver contact with errors')
  await worker.getByLabel('Contacts only, when in touch: the main activity').selectOption('F2')
  await worker.getByLabel('Contacts only, when in touch: the accommodation').selectOption('U1')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=care-leaver-contact]').innerText(), /In touch; Full-time education other than higher/)
  await app.expectAccessible(worker, 'a care leaver with a contact')
})

test('an IRO’s own list: the home page links to it; the demo’s Fern is there with her next review', async () => {
  const chair = await app.newPage()
  await app.signIn(chair, demoUser('independent-reviewing-officer').email)
  await navigateBy(chair, chair.locator('[data-qa=iro-list-link]'))
  const fern = chair.locator('[data-qa=iro-child]', { hasText: 'Fern' })
  assert.equal(await fern.count(), 1)
  assert.match(await fern.innerText(), /C2[\s\S]*\d{1,2} \w+ \d{4}/)
  await app.expectAccessible(chair, 'children you review as IRO')
})

test('the authority’s area: the administrator reaches it from the home page; an error on its field, then saved', async () => {
  const admin = await app.newPage()
  await app.signIn(admin, demoUser('administrator').email)
  await navigateBy(admin, admin.getByRole('link', { name: 'Set the authority’s LA code and area (placements inside or outside it)' }))
  await admin.getByLabel('LA code').fill('93')
  await navigateBy(admin, admin.getByRole('button', { name: 'Save the authority’s area' }))
  assert.deepEqual((await errorSummaryLinks(admin)).map((l) => l[1]), ['#laCode'])
  await app.expectAccessible(admin, 'the authority’s area with an error')
  await admin.getByLabel('LA code').fill('938')
  await navigateBy(admin, admin.getByRole('button', { name: 'Save the authority’s area' }))
  assert.equal(await admin.getByLabel('LA code').inputValue(), '938')
  await app.expectAccessible(admin, 'the authority’s area saved')
})
