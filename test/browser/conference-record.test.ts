/**
 * The conference record, in Chromium (issue 16, item 8). On the demo data:
 * 1. the social worker records the outcome of Ash's section 47 enquiry: without what was found and
 *    the reasons it is refused with the error summary, then saved with its narrative (what was
 *    found, the child's account, the reasons), which the enquiry's page shows;
 * 2. she schedules the initial conference with a time and a venue, which its page shows;
 * 3. the chair finds it on their list (from the home page): date, time, venue and the child, linked;
 * 4. the health visitor sends her report to Eve's review conference through Together, and the chair
 *    records that conference today, ten days before it was scheduled: the form asks why it was held
 *    on another day, and the record then says so beside both dates; the report shows as received,
 *    never "Not received".
 * Every page state is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { appUser, cinEpisode, conference, section47Enquiry, strategyDiscussion } from '../../src/db/schema/index.ts'
import { demoCase, demoUser, errorSummaryLinks, fillDate, isoToday, mainText, navigateBy, postForm, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp

before(async () => {
  app = await startBrowserApp()
  await enquiryOnAsh()
})
after(async () => {
  await app?.close()
})

const TODAY = isoToday()
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
const long = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso}T00:00:00Z`))
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

const ICPC_ON = addDays(TODAY, 7)
const VENUE = 'Room 4, Demoshire Civic Centre (test)'
const HEALTH_VISITOR = 'health.visitor@demo.together.invalid'

let ashCase = ''
let ashEnquiry = ''
let ashConference = ''

async function visit(page: Page, path: string, label: string | null): Promise<void> {
  const response = await page.goto(path)
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`)
  if (label) await app.expectAccessible(page, label)
}

/** Sends the form with this button; fails with the error summary unless the server redirects. */
async function send(page: Page, button: string, label: string | null): Promise<string> {
  const path = await sendForm(page, page.getByRole('button', { name: button, exact: true }))
  if (label) await app.expectAccessible(page, label)
  return path
}

/** Sends the form expecting it refused (400), and returns where the error summary links. */
async function refused(page: Page, button: string, label: string): Promise<string[]> {
  const response = await postForm(page, () => page.getByRole('button', { name: button, exact: true }).click())
  assert.equal(response.status(), 400)
  await page.locator('.govuk-error-summary').waitFor()
  await app.expectAccessible(page, label)
  return (await errorSummaryLinks(page)).map(([, href]) => href)
}

/** Ash (demo) has a strategy discussion today that started a section 47 enquiry. */
async function enquiryOnAsh() {
  const db = app.running.database.db
  const ash = await demoCase(app, 'Ash', 'Testcase')
  const [episode] = await db.select({ id: cinEpisode.id }).from(cinEpisode).where(eq(cinEpisode.caseId, ash.caseId)).orderBy(desc(cinEpisode.referralDate))
  const [worker] = await db.select({ id: appUser.id, agencyId: appUser.agencyId }).from(appUser).where(eq(appUser.email, demoUser('social-worker').email))
  const [discussion] = await db
    .insert(strategyDiscussion)
    .values({
      partnershipId: ash.partnershipId,
      caseId: ash.caseId,
      episodeId: episode!.id,
      heldAt: new Date(`${TODAY}T09:00:00Z`),
      attendees: [{ name: 'Sidney Assessworker (test)', agencyId: worker!.agencyId, agencyType: 'la-childrens-social-care', role: 'Social worker' }],
      informationShared: 'School reported bruising (fictional).',
      decision: 's47-single',
      recordedBy: worker!.id,
    })
    .returning({ id: strategyDiscussion.id })
  const [s47] = await db
    .insert(section47Enquiry)
    .values({
      partnershipId: ash.partnershipId,
      caseId: ash.caseId,
      episodeId: episode!.id,
      strategyDiscussionId: discussion!.id,
      startedOn: TODAY,
      icpcTarget: addDays(TODAY, 21),
      recordedBy: worker!.id,
    })
    .returning({ id: section47Enquiry.id })
  ashCase = ash.caseId
  ashEnquiry = s47!.id
}

test('the section 47 enquiry’s outcome asks for what was found and the reasons, and its page shows the narrative', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await visit(page, `/cases/${ashCase}/section47/${ashEnquiry}`, 'section 47 enquiry')
  await fillDate(page, 'childSeenOn', TODAY)
  await page.getByRole('radio', { name: /child judged at continuing risk/ }).check()
  await fillDate(page, 'completedOn', TODAY)
  await page.getByLabel('The child’s account, in their own words (optional)').fill('I fell off my bike, then Dad shouted (fictional).')
  assert.deepEqual(await refused(page, 'Save the enquiry', 'section 47 enquiry without its narrative'), ['#findings', '#outcomeReasons'])
  assert.equal(await page.getByLabel('The child’s account, in their own words (optional)').inputValue(), 'I fell off my bike, then Dad shouted (fictional).', 'what was typed is kept')

  await page.getByLabel('What the enquiry found').fill('Bruising on both arms; the school’s and the police’s accounts agree (fictional).')
  await page.getByLabel('Reasons for the outcome').fill('Injuries not explained and earlier neglect: continuing risk (fictional).')
  await send(page, 'Save the enquiry', 'section 47 enquiry with its narrative')
  const narrative = collapse(await page.locator('[data-qa=s47-narrative]').innerText())
  assert.match(narrative, /Findings Bruising on both arms/)
  assert.match(narrative, /The child’s account I fell off my bike, then Dad shouted/)
  assert.match(narrative, /Reasons for the outcome Injuries not explained/)
})

test('the initial conference is scheduled with a time and a venue, shown on its page', async () => {
  // The enquiry found continuing risk (the test before records it through the page).
  await app.running.database.db
    .update(section47Enquiry)
    .set({ outcome: 'substantiated-continuing-risk', completedOn: TODAY })
    .where(and(eq(section47Enquiry.id, ashEnquiry), isNull(section47Enquiry.outcome)))
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await visit(page, `/cases/${ashCase}/section47/${ashEnquiry}`, null)
  await navigateBy(page, page.getByRole('link', { name: 'Schedule the initial child protection conference' }))
  await app.expectAccessible(page, 'schedule a conference')
  await fillDate(page, 'scheduledFor', ICPC_ON)
  await page.getByLabel('Chair', { exact: true }).selectOption({ label: demoUser('conference-chair').displayName })
  assert.deepEqual(await refused(page, 'Schedule the conference', 'schedule a conference without its time and venue'), ['#scheduledTime', '#venue'])
  await page.getByLabel('Time it starts').fill('10:30')
  await page.getByLabel('Venue').fill(VENUE)
  const path = await send(page, 'Schedule the conference', 'the conference scheduled')
  ashConference = path.split('/')[4] ?? ''
  assert.match(collapse(await page.locator('[data-qa=arrangements]').innerText()), new RegExp(`Scheduled for ${long(ICPC_ON)} at 10:30 Venue ${VENUE.replace(/[()]/g, '\\$&')}`))
  await visit(page, `/cases/${ashCase}/child-protection`, null)
  assert.match(collapse(await page.locator('[data-qa=conference-table]').innerText()), new RegExp(`Scheduled for ${long(ICPC_ON)} at 10:30, Room 4`))
})

test('the chair finds the conference on their list, from the home page, with its time, venue and child', async () => {
  const chair = await app.newPage()
  await app.signIn(chair, demoUser('conference-chair').email)
  await navigateBy(chair, chair.getByRole('link', { name: /Your conferences/ }))
  assert.equal(new URL(chair.url()).pathname, '/my-conferences')
  await app.expectAccessible(chair, 'the chair’s list')
  assert.equal(await chair.locator('.app-service-navigation a[href="/my-conferences"]').count(), 1, 'the list is in the chair’s menu')
  const row = chair.locator('[data-qa=chair-conference]', { hasText: 'Ash Testcase' })
  assert.match(collapse(await row.innerText()), new RegExp(`${long(ICPC_ON)} at 10:30 ${VENUE.replace(/[()]/g, '\\$&')} Initial child protection conference Ash Testcase`))
  assert.equal(await chair.locator('[data-qa=chair-conference]', { hasText: 'Eve Pretendson' }).count(), 1, 'the demo review conference too')
  await navigateBy(chair, row.getByRole('link', { name: 'Initial child protection conference' }))
  assert.equal(new URL(chair.url()).pathname, `/cases/${ashCase}/conferences/${ashConference}`)
  await app.expectAccessible(chair, 'the conference, opened from the chair’s list')
})

test('a report sent through Together shows as received; held on another day than scheduled, the record says why', async () => {
  const { caseId } = await demoCase(app, 'Eve', 'Pretendson')
  const [eve] = await app.running.database.db
    .select({ caseId: conference.caseId, conferenceId: conference.id, scheduledFor: conference.scheduledFor })
    .from(conference)
    .where(and(eq(conference.caseId, caseId), eq(conference.kind, 'review')))
  assert.notEqual(eve!.scheduledFor, TODAY)

  const visitor = await app.newPage()
  await app.signIn(visitor, HEALTH_VISITOR)
  await visit(visitor, `/cases/${eve!.caseId}/participation/conferences/${eve!.conferenceId}/report`, null)
  await visitor.getByLabel('Report').fill('Seen at home on four visits; weight now on the 25th centile (fictional).')
  await send(visitor, 'Send the report', null)

  const chair = await app.newPage()
  await app.signIn(chair, demoUser('conference-chair').email)
  const path = `/cases/${eve!.caseId}/conferences/${eve!.conferenceId}`
  await visit(chair, path, 'the review conference before it is held')
  const hana = chair.getByRole('group', { name: 'Participant 1', exact: true })
  assert.equal(await hana.getByLabel('Name').inputValue(), 'Hana Visitor (demo)')
  assert.equal(await chair.locator('#participants-0-reportReceivedOn-day').inputValue(), String(Number(TODAY.slice(8))), 'the report sent through Together is marked received')
  await fillDate(chair, 'heldOn', TODAY)
  await hana.getByLabel('Attendance').selectOption({ label: 'Attended' })
  await chair.getByRole('radio', { name: 'Plan continues', exact: true }).check()
  await chair.getByRole('checkbox', { name: 'Neglect', exact: true }).check()
  assert.deepEqual(await refused(chair, 'Save the conference outcome', 'the outcome held on another day, without the reason'), ['#rescheduleReason'])

  await chair.getByLabel(`If it was not held on ${long(eve!.scheduledFor)}: why`).fill('Brought forward: the family moves away next week (fictional).')
  await send(chair, 'Save the conference outcome', 'the review conference held')
  const reason = 'Brought forward: the family moves away next week \\(fictional\\)\\.'
  assert.match(collapse(await chair.locator('[data-qa=arrangements]').innerText()), new RegExp(`Scheduled for ${long(eve!.scheduledFor)} at 14:00\\s*Held on ${long(TODAY)} instead: ${reason}`))
  assert.match(collapse(await chair.locator('[data-qa=outcome]').innerText()), new RegExp(`Held on ${long(TODAY)}, not ${long(eve!.scheduledFor)} as scheduled: ${reason}`))
  const participants = collapse(await chair.locator('[data-qa=participants]').innerText())
  assert.match(participants, new RegExp(`Hana Visitor \\(demo\\) Demoshire Community Health NHS Trust Attended ${long(TODAY)}, sent through Together`))
  assert.doesNotMatch(participants, /Not received/)
  assert.match(collapse(await chair.locator('[data-qa=agency-reports]').innerText()), /Demoshire Community Health NHS Trust Hana Visitor \(demo\) Sent/)
  assert.match(await mainText(chair), /Conference outcome saved/)
})
