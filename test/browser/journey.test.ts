/**
 * Browser journeys through a child's case, as the people who do the work, in Chromium:
 *
 * 1. The child protection path. A front door practitioner records a contact about a child no one
 *    knew (search first, then add the child), refers them to children's social care and passes the
 *    case to the assessment team, whose manager allocates it; the social worker does the single assessment, which
 *    leads to a strategy discussion, a section 47 enquiry and an initial conference; the
 *    conference chair (invited when the conference was scheduled) records a child protection
 *    plan; the social worker holds the first core group and schedules the review, where the chair
 *    ends the plan; the social worker closes the episode and the case is closed. On the way the
 *    clocks show their due dates and the edition of Working Together applied, and the chronology
 *    lists every step.
 * 2. The early help path. A contact decided "early help" and an early help plan with a goal and
 *    an action owned by the child's school, ended when its outcomes are met, which closes the case.
 *
 * Forms are filled by their labels and sent with their buttons (by role and name), so every field
 * and button must be labelled. Every page is scanned with axe-core in each state it is first seen
 * in (a form, the form's record once saved ...); a later visit to a page in a state already
 * scanned is not scanned again, to keep the file fast. The tests run in order and share the
 * pages and ids. Dates are counted back from today (the app's clock is real
 * time): events cannot be in the future, and each is on time for its timescale.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { Locator, Page } from 'playwright-core'
import { partnership, team } from '../../src/db/schema/index.ts'
import { insertUser } from '../../src/services/organisation/organisation.ts'
import { demoUser, navigateBy, DEMO_PASSWORD, errorSummaryLinks, mainText, postForm, startBrowserApp, type BrowserApp } from './support.ts'
import { londonDate } from '../../src/domain/timescales/calendar/london-time.ts'

let app: BrowserApp

// ---- dates: weekdays counted back from today, so each event is past and on time

const DAY_MS = 86_400_000
const isoOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const msOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`)
const isWeekend = (iso: string) => [0, 6].includes(new Date(msOf(iso)).getUTCDay())

function addDays(iso: string, days: number): string {
  return isoOf(msOf(iso) + days * DAY_MS)
}

/** The date `n` weekdays after a weekday (bank holidays only make the app's due dates later). */
function addWeekdays(iso: string, n: number): string {
  let d = iso
  for (let left = n; left > 0; ) {
    d = addDays(d, 1)
    if (!isWeekend(d)) left--
  }
  return d
}

function weekdayOnOrBefore(iso: string): string {
  let d = iso
  while (isWeekend(d)) d = addDays(d, -1)
  return d
}

const TODAY = londonDate(new Date())
/** The day the contact came in: about six weeks ago, so the whole journey is in the past. */
const RECEIVED = weekdayOnOrBefore(addDays(TODAY, -44))
const ON = {
  received: RECEIVED,
  assessmentStarted: addWeekdays(RECEIVED, 1),
  assessmentCompleted: addWeekdays(RECEIVED, 4),
  // The strategy discussion is due within 24 hours of the assessment's outcome.
  strategyDiscussion: addWeekdays(RECEIVED, 4),
  childSeenInEnquiry: addWeekdays(RECEIVED, 5),
  enquiryCompleted: addWeekdays(RECEIVED, 6),
  // Due within 15 working days of the strategy discussion.
  icpc: addWeekdays(RECEIVED, 10),
  // Due within 10 working days of the ICPC.
  firstCoreGroup: addWeekdays(RECEIVED, 14),
  // Due within 3 months of the ICPC.
  reviewConference: addWeekdays(RECEIVED, 24),
  earlyHelpContact: weekdayOnOrBefore(addDays(TODAY, -7)),
  earlyHelpPlan: weekdayOnOrBefore(addDays(TODAY, -5)),
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** '2026-03-04' → '4 March 2026', as the pages show dates. */
function long(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number)
  return `${d} ${MONTHS[m! - 1]} ${y}`
}

// ---- the people

const PASSWORD = DEMO_PASSWORD
const ASSESSMENT_TEAM = 'Assessment team'
const MANAGER = { name: 'Morgan Assesslead (test)', email: 'morgan.assesslead@demo.together.invalid' }
const WORKER = { name: 'Sidney Assessworker (test)', email: 'sidney.assessworker@demo.together.invalid' }
const CHAIR = demoUser('conference-chair')
const CHILD = { given: 'Juniper', family: 'Testwell', name: 'Juniper Testwell' }
const EH_CHILD = { given: 'Rowan', family: 'Helpwell', name: 'Rowan Helpwell' }

/** The assessment team's own manager and social worker, who receive the referral from the front door. */
async function addAssessmentStaff(): Promise<void> {
  const db = app.running.database.db
  const [p] = await db.select({ id: partnership.id }).from(partnership)
  const [t] = await db
    .select({ id: team.id, agencyId: team.agencyId })
    .from(team)
    .where(and(eq(team.partnershipId, p!.id), eq(team.name, ASSESSMENT_TEAM)))
  for (const [who, role] of [[MANAGER, 'team-manager'], [WORKER, 'social-worker']] as const) {
    await insertUser(db, p!.id, {
      displayName: who.name,
      email: who.email,
      agencyId: t!.agencyId,
      teamId: t!.id,
      roles: [role],
      active: true,
      password: PASSWORD,
    })
  }
}

let practitioner: Page
let manager: Page
let worker: Page
let chair: Page
let caseId = ''
let earlyHelpCaseId = ''
let conferenceId = ''
let reviewId = ''

before(async () => {
  app = await startBrowserApp()
  await addAssessmentStaff()
})
after(async () => {
  await app?.close()
})

// ---- page helpers

const h1 = async (page: Page) => ((await page.locator('h1').first().innerText()) ?? '').replace(/\s+/g, ' ').trim()

/**
 * What to call a page in the scan report; SCANNED for a page already scanned in the same state
 * (another visit, or the same page with a success banner), which is not scanned again so that the
 * file stays fast. Browser problems on such a page (script errors, failed assets) are still
 * reported, by the next scan of that browser page.
 */
type ScanLabel = string | typeof SCANNED
const SCANNED = null

async function scan(page: Page, label: ScanLabel): Promise<void> {
  if (label !== SCANNED) await app.expectAccessible(page, label)
}

/** Goes to a path and scans the page. */
async function visit(page: Page, path: string, label: ScanLabel): Promise<void> {
  const response = await page.goto(path)
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`)
  await scan(page, label)
}

/** Clicks a link and scans the page it opens. */
async function follow(page: Page, link: Locator, label: ScanLabel): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), link.click()])
  await page.waitForLoadState()
  await scan(page, label)
}

/**
 * Sends the form with the button of this name, clicked or (`keyboard`) focused and pressed with
 * Enter; fails (listing the error summary) unless the server redirects. Returns the path landed
 * on, after scanning it.
 */
async function submit(page: Page, button: string | RegExp, label: ScanLabel, options: { keyboard?: boolean } = {}): Promise<string> {
  const control = page.getByRole('button', { name: button, exact: typeof button === 'string' })
  if (options.keyboard) await control.focus()
  const response = await postForm(page, () => (options.keyboard ? page.keyboard.press('Enter') : control.click()))
  const location = response.headers().location
  if (!location || ![302, 303].includes(response.status())) {
    assert.fail(`"${String(button)}" answered ${response.status()} on ${page.url()}: ${JSON.stringify(await errorSummaryLinks(page))}`)
  }
  await page.waitForURL(new URL(location, response.url()).href)
  await scan(page, label)
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

/** Chooses the option of a select whose text contains `text` (options may add a type in brackets). */
async function choose(select: Locator, text: string): Promise<void> {
  const option = select.locator('option', { hasText: text }).first()
  const value = await option.getAttribute('value')
  assert.ok(value, `no option "${text}"`)
  await select.selectOption(value)
}

/** Each row of the case overview's Timescales table, whitespace collapsed. */
async function overviewClockRows(page: Page): Promise<string[]> {
  const table = page.locator('table[data-qa=clocks]', { has: page.locator('caption', { hasText: /^Timescales$/ }) })
  const rows = await table.locator('tbody tr').allInnerTexts()
  return rows.map((r) => r.replace(/\s+/g, ' ').trim())
}

/** Opens the case overview and checks every clock row names its edition and its due date. */
async function checkOverviewClocks(page: Page, label: ScanLabel): Promise<string[]> {
  await visit(page, `/cases/${caseId}`, label)
  const rows = await overviewClockRows(page)
  assert.ok(rows.length > 0, 'the overview shows the case’s timescales')
  for (const row of rows) {
    assert.match(row, /Working Together (2006|2010|2013|2015|2018|2023|2026) · rule/, `the edition in: ${row}`)
    assert.match(row, /\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4} \d{1,2} \w+ \d{4}/, `started and due dates in: ${row}`)
  }
  return rows
}

const stage = async (page: Page) => (await page.locator('[data-qa=case-stage]').innerText()).trim()

// ---- 1. the child protection path

test('the front door practitioner records a contact about a child no one knew', async () => {
  practitioner = await app.newPage()
  await app.signIn(practitioner, demoUser('front-door-practitioner').email)
  await app.expectAccessible(practitioner, 'front door practitioner’s home page')
  await visit(practitioner, '/front-door', 'front door queue')

  await visit(practitioner, '/contacts/new', 'contact step 1: who is it about')
  assert.equal(await h1(practitioner), 'Who is the contact about?')
  const search = practitioner.locator('[data-qa=search]')
  await search.getByLabel('First name').fill(CHILD.given)
  await search.getByLabel('Last name').fill(CHILD.family)
  await Promise.all([practitioner.waitForURL((u) => u.searchParams.get('search') === '1'), search.getByRole('button', { name: 'Search' }).click()])
  await app.expectAccessible(practitioner, 'contact step 1: no one found')
  assert.match(await mainText(practitioner), /No one matched your search\./)

  await follow(practitioner, practitioner.getByRole('link', { name: 'Add a new person' }), 'add a new person')
  assert.equal(await h1(practitioner), 'Add a new person')
  assert.equal(await practitioner.getByLabel('First name').inputValue(), CHILD.given, 'the search is carried over')
  assert.equal(await practitioner.getByLabel('Last name').inputValue(), CHILD.family)
  await fillDate(practitioner, 'Date of birth', '2018-05-09')
  await practitioner.getByRole('radio', { name: 'Female' }).check()
  await practitioner.getByRole('checkbox', { name: 'No disability' }).check()
  await submit(practitioner, 'Add this person to the contact', 'contact step 1 with the child added')
  assert.match(await mainText(practitioner), /The new person was added to this contact\./)
  assert.match(await practitioner.locator('[data-qa=chosen-children]').innerText(), /Juniper Testwell\s+9 May 2018/)

  await follow(practitioner, practitioner.getByRole('button', { name: 'Continue to the contact’s details' }), 'contact step 2: details')
  assert.equal(await h1(practitioner), 'The contact')
  await fillDate(practitioner, 'Date received', ON.received)
  await practitioner.getByLabel('Time received').fill('09:30')
  await choose(practitioner.getByLabel('Where the contact came from'), 'SCHOOLS')
  await practitioner.getByLabel('Name', { exact: true }).fill('Dana Lead (test)')
  await choose(practitioner.getByLabel('Agency (optional)'), 'Oakfield Primary School (demo)')
  await practitioner.getByLabel('Role (optional)').fill('Designated safeguarding lead')
  await practitioner.getByLabel('What is the concern?').fill('Juniper came to school with bruises on both arms and said she was scared to go home.')
  await practitioner.getByRole('radio', { name: 'Family told and consented' }).check()
  await practitioner.getByRole('radio', { name: 'Urgent: today' }).check()
  assert.equal(await submit(practitioner, 'Continue', 'contact step 3: check answers'), '/contacts/new/check')
  const check = (await practitioner.locator('[data-qa=check-details]').innerText()).replace(/\s+/g, ' ')
  assert.match(check, new RegExp(`${long(ON.received)} at 09:30`))
  assert.match(check, /Dana Lead \(test\), Designated safeguarding lead \(Oakfield Primary School \(demo\)\)/)

  const contactPath = await submit(practitioner, 'Record the contact', 'contact recorded')
  assert.match(contactPath, /^\/contacts\/[0-9a-f-]{36}$/)
  assert.match(await mainText(practitioner), /The contact was recorded\. The decision is due by \d{1,2} \w+ \d{4}\./)
  const decisionClock = (await practitioner.locator('[data-qa=clock-referral-decision]').innerText()).replace(/\s+/g, ' ')
  assert.match(decisionClock, /Decide the response to a referral/)
  assert.match(decisionClock, /Working Together \d{4} · rule/)
  const childLink = practitioner.locator('[data-qa=contact-children]').getByRole('link', { name: CHILD.name })
  caseId = ((await childLink.getAttribute('href')) ?? '').split('/')[2] ?? ''
  assert.match(caseId, /^[0-9a-f-]{36}$/)
})

test('the practitioner refers the child to children’s social care; the overview shows the clocks', async () => {
  const page = practitioner
  assert.ok(await page.locator('[data-qa=decision-form]').isVisible())
  // By keyboard: the decision's radio is chosen with the space bar.
  await page.getByRole('radio', { name: "Referral to children's social care" }).focus()
  await page.keyboard.press('Space')
  assert.ok(await page.getByRole('radio', { name: "Referral to children's social care" }).isChecked())
  await choose(page.getByLabel('Team the referral goes to (optional)'), ASSESSMENT_TEAM)
  await page.getByLabel('Reasons for the decision').fill('Injuries and the child’s fear of going home meet the threshold for a single assessment.')
  // The contact came in weeks ago, so the decision is late and its reason is asked for.
  await page.getByLabel('Reason in your words, if it was after the due date').fill('Recorded late: the contact was first taken on paper (test).')
  await submit(page, 'Record the decision', 'contact decided')
  assert.match(await page.locator('[data-qa=decision]').innerText(), /Referral to children's social care/)
  assert.match(await page.locator('[data-qa=episodes-opened]').innerText(), new RegExp(`referral of ${long(ON.received)}`))
  const decisionClock = (await page.locator('[data-qa=clock-referral-decision]').innerText()).replace(/\s+/g, ' ')
  assert.match(decisionClock, /Reason: Recorded late/)

  const rows = await checkOverviewClocks(page, 'case overview after the referral')
  assert.equal(await stage(page), 'Assessment')
  assert.ok(rows.some((r) => /^(Child and family|Single|.*assessment)/i.test(r)), `an assessment clock: ${rows.join(' | ')}`)
  assert.ok(rows.some((r) => r.includes(long(ON.received))), 'the assessment clock starts on the referral date')
  assert.match(await mainText(page), /Allocated worker Not allocated/)
  assert.match(await mainText(page), /Team Assessment team/, 'the referral went to the assessment team')
  assert.match(await mainText(page), /You can see this record because: front door contact\./, 'the front door keeps it until it has fed back')
})

test('the assessment team’s manager, who received the case, allocates it to a social worker', async () => {
  manager = await app.newPage()
  await app.signIn(manager, MANAGER.email)
  await visit(manager, '/team', 'team page')
  await follow(manager, manager.getByRole('link', { name: `Allocate the case of ${CHILD.name}` }), 'allocation form')
  assert.match(await manager.locator('[data-qa=current-worker]').innerText(), /Allocated now to: nobody/)
  // By keyboard: the worker chosen with the space bar, the form sent with Enter.
  await manager.getByRole('radio', { name: WORKER.name }).focus()
  await manager.keyboard.press('Space')
  assert.ok(await manager.getByRole('radio', { name: WORKER.name }).isChecked())
  assert.equal(await submit(manager, 'Allocate the case', SCANNED, { keyboard: true }), '/team')
  assert.match(await mainText(manager), /The case was allocated\. Its open timescale tasks now belong to the new worker\./)
})

test('the social worker starts and completes the single assessment: a strategy discussion is needed', async () => {
  worker = await app.newPage()
  await app.signIn(worker, WORKER.email)
  // Home pages of every role are scanned by sign-in.test.ts; this one lists the case allocated.
  await follow(worker, worker.getByRole('link', { name: CHILD.name }).first(), SCANNED)
  assert.match(await mainText(worker), new RegExp(`Allocated worker ${WORKER.name.replace(/[()]/g, '\\$&')}`))
  assert.match(await mainText(worker), /You can see this record because: allocated worker\./)

  await follow(worker, worker.getByRole('navigation', { name: 'Sections of this case' }).getByRole('link', { name: 'Assessments' }), 'assessments')
  const kind = worker.getByRole('radio', { name: 'Child and family (single) assessment' })
  if (!(await kind.isChecked())) await kind.check()
  await fillDate(worker, 'Date the assessment started', ON.assessmentStarted)
  await submit(worker, 'Start the assessment', 'assessment started')
  assert.match(await mainText(worker), /The assessment was started\./)

  await worker.getByLabel('Child’s developmental needs').fill('Doing well at school; withdrawn since the summer.')
  await fillDate(worker, 'Date the child was seen', ON.assessmentStarted)
  await fillDate(worker, 'Date the child was seen alone', ON.assessmentStarted)
  await submit(worker, 'Save progress', SCANNED)
  assert.match(await mainText(worker), /Your progress was saved\./)

  const completion = worker.locator('#completion-form')
  await fillDate(completion, 'Date the assessment was completed', ON.assessmentCompleted)
  await completion.getByRole('checkbox', { name: /physical abuse.{0,2} \(adult on child\)/i }).check()
  await completion.getByRole('radio', { name: 'Strategy discussion', exact: true }).check()
  await submit(worker, 'Complete the assessment', 'assessment completed')
  const summary = (await worker.locator('[data-qa=assessment-summary]').innerText()).replace(/\s+/g, ' ')
  assert.match(summary, new RegExp(`Completed ${long(ON.assessmentCompleted)}`))
  assert.match(summary, /Outcome Strategy discussion/)
})

test('the social worker records the strategy discussion, which starts the section 47 enquiry', async () => {
  const page = worker
  await visit(page, `/cases/${caseId}/child-protection`, 'child protection (before the strategy discussion)')
  assert.ok((await page.locator('[data-qa=clock-strategy-discussion]').count()) > 0, 'the strategy discussion clock runs')
  await follow(page, page.getByRole('button', { name: 'Record a strategy discussion' }), 'strategy discussion form')
  await fillDate(page, 'Date of the discussion', ON.strategyDiscussion)
  await page.getByLabel('Time it started').fill('10:00')
  const people: [string, string, string][] = [
    ['Sidney Assessworker (test)', "Demoshire Council Children's Services", 'Social worker'],
    ['DS Pat Keane (test)', 'Demoshire Police', 'Child abuse investigation team'],
    ['Nurse Ola Ward (test)', 'Demoshire Community Health NHS Trust', 'Named nurse'],
  ]
  for (const [i, [name, agency, role]] of people.entries()) {
    const person = page.getByRole('group', { name: `Person ${i + 1}`, exact: true })
    await person.getByLabel('Name').fill(name)
    await choose(person.getByLabel('Agency'), agency)
    await person.getByLabel('Role (optional)').fill(role)
  }
  await page.getByLabel('Information shared').fill('School reported bruising; police hold no record; the GP saw Juniper for a fall in the spring.')
  await page.getByRole('radio', { name: 'Section 47 enquiry by children’s social care (single agency)' }).check()
  await page.getByLabel('Details of the decision (optional)').fill('Social worker to see Juniper and her mother; a medical to be arranged.')
  assert.equal(await submit(page, 'Save the strategy discussion', 'child protection after the strategy discussion'), `/cases/${caseId}/child-protection`)
  assert.match(await mainText(page), /Strategy discussion saved and section 47 enquiry started/)
  const discussion = (await page.locator('[data-qa=strategy-discussion]').innerText()).replace(/\s+/g, ' ')
  assert.match(discussion, /DS Pat Keane \(test\), Demoshire Police/)
  assert.match(discussion, /Nurse Ola Ward \(test\), Demoshire Community Health NHS Trust/)
  assert.match((await page.locator('[data-qa=icpc-status]').innerText()).replace(/\s+/g, ' '), /Due by \d{1,2} \w+ \d{4}/)
  assert.equal(await stage(page), 'Section 47 enquiry')
  await checkOverviewClocks(page, SCANNED)

  // A mistyped start time is corrected from the discussion's card; the decision stays as it was.
  await visit(page, `/cases/${caseId}/child-protection`, SCANNED)
  await follow(page, page.getByRole('link', { name: /^Correct the strategy discussion on/ }), 'correct the strategy discussion')
  assert.equal(await page.getByLabel('Time it started').inputValue(), '10:00', 'the form holds what was recorded')
  await page.getByLabel('Time it started').fill('10:30')
  await submit(page, 'Save the correction', SCANNED)
  assert.match(await mainText(page), /Strategy discussion corrected/)
  assert.match(await page.locator('#strategy-discussions ~ .govuk-summary-card').first().innerText(), /at 10:30/)
})

test('the social worker records the enquiry’s outcome and schedules the initial conference with a chair', async () => {
  const page = worker
  await visit(page, `/cases/${caseId}/child-protection`, SCANNED)
  await follow(page, page.getByRole('link', { name: /^View or update the enquiry started/ }), 'section 47 enquiry')
  await fillDate(page, 'Date the child was seen', ON.childSeenInEnquiry)
  await page.getByRole('radio', { name: /child judged at continuing risk/ }).check()
  await fillDate(page, 'Date the enquiry was completed', ON.enquiryCompleted)
  await page.getByLabel('What the enquiry found').fill('Bruising on both arms; school and police accounts agree.')
  await page.getByLabel('Reasons for the outcome').fill('Injuries unexplained and a history of neglect: continuing risk.')
  await submit(page, 'Save the enquiry', SCANNED)
  assert.match(await mainText(page), /Section 47 enquiry saved/)

  await follow(page, page.getByRole('link', { name: 'Schedule the initial child protection conference' }), 'schedule the initial conference')
  assert.ok(await page.getByRole('radio', { name: 'Initial child protection conference' }).isChecked(), 'the kind comes from the link')
  await fillDate(page, 'Date of the conference', ON.icpc)
  await page.getByLabel('Time it starts').fill('10:00')
  await page.getByLabel('Venue').fill('Room 2, Demoshire Civic Centre (test)')
  await choose(page.getByLabel('Chair', { exact: true }), CHAIR.displayName)
  const invitees: [string, string, string][] = [
    ['An agency', 'DS Pat Keane (test)', 'Demoshire Police'],
    ['An agency', 'Dana Lead (test)', 'Oakfield Primary School (demo)'],
    ['Family', 'Jo Testwell (test, mother)', ''],
  ]
  for (const [i, [party, name, agency]] of invitees.entries()) {
    // The form starts with one blank row; each further one is added on demand.
    if (i > 0) await page.getByRole('button', { name: 'Add another invitee' }).click()
    const row = page.getByRole('group', { name: `Invitee ${i + 1}`, exact: true })
    await choose(row.getByLabel('Coming as'), party)
    await row.getByLabel('Name').fill(name)
    if (agency) await choose(row.getByLabel('Agency'), agency)
  }
  const path = await submit(page, 'Schedule the conference', 'initial conference scheduled')
  conferenceId = path.split('/')[4] ?? ''
  assert.match(path, new RegExp(`^/cases/${caseId}/conferences/[0-9a-f-]{36}$`))
  assert.match(await mainText(page), new RegExp(`Chair ${CHAIR.displayName.replace(/[()]/g, '\\$&')}`))
  assert.match(await mainText(page), /Timescale Initial child protection conference: due by \d{1,2} \w+ \d{4}/i)

  // Before the conference is held, its invitations can still change.
  await follow(page, page.getByRole('link', { name: 'Change the date, time, venue, chair or who is invited' }), 'conference arrangements')
  const health = page.getByRole('group', { name: 'Invitee 4', exact: true })
  await choose(health.getByLabel('Coming as'), 'An agency')
  await health.getByLabel('Name').fill('Nurse Ola Ward (test)')
  await choose(health.getByLabel('Agency'), 'Demoshire Community Health NHS Trust')
  await submit(page, 'Save the arrangements', SCANNED)
  assert.match(await mainText(page), /Arrangements saved/)
})

test('the invited chair records the initial conference: a child protection plan for neglect', async () => {
  chair = await app.newPage()
  await app.signIn(chair, CHAIR.email)
  await visit(chair, `/cases/${caseId}/conferences/${conferenceId}`, SCANNED)
  await fillDate(chair, 'Date the conference was held', ON.icpc)
  for (const n of [1, 2, 3, 4]) {
    await choose(chair.getByRole('group', { name: `Participant ${n}`, exact: true }).getByLabel('Attendance'), 'Attended')
  }
  await chair.getByRole('radio', { name: 'Child protection plan', exact: true }).check()
  await chair.getByRole('checkbox', { name: 'Neglect', exact: true }).check()
  await chair.getByLabel('Outline child protection plan').fill('Daily school attendance monitored; parenting support; health check within two weeks.')
  await submit(chair, 'Save the conference outcome', 'initial conference outcome saved')
  const outcome = (await chair.locator('[data-qa=outcome]').innerText()).replace(/\s+/g, ' ')
  assert.match(outcome, /Decision Child protection plan/)
  assert.match(outcome, /Categories of abuse Neglect/)

  const rows = await checkOverviewClocks(chair, SCANNED)
  assert.equal(await stage(chair), 'Child protection plan')
  assert.ok(rows.some((r) => /first core group/i.test(r)), `a first core group clock: ${rows.join(' | ')}`)
  assert.ok(rows.some((r) => /review conference/i.test(r)), `a first review conference clock: ${rows.join(' | ')}`)
})

test('the social worker records the first core group and schedules the review conference', async () => {
  const page = worker
  await visit(page, `/cases/${caseId}/child-protection`, 'child protection (on a plan)')
  const plan = page.locator('[data-qa=protection-plan]')
  assert.match((await plan.innerText()).replace(/\s+/g, ' '), /Category of abuse Neglect/)
  await follow(page, plan.getByRole('button', { name: 'Record a core group meeting' }), 'core group form')
  await fillDate(page, 'Date of the meeting', ON.firstCoreGroup)
  await page.getByLabel('Who attended').fill('Sidney Assessworker (social worker), Dana Lead (school), Jo Testwell (mother)')
  await page.getByLabel('Notes (optional)').fill('Detailed plan agreed.')
  await submit(page, 'Save the core group meeting', SCANNED)
  assert.match(await mainText(page), /Core group meeting saved/)
  assert.match((await plan.locator('[data-qa=core-groups]').innerText()).replace(/\s+/g, ' '), new RegExp(long(ON.firstCoreGroup)))

  await follow(page, plan.getByRole('link', { name: 'Schedule a review conference' }), SCANNED)
  assert.ok(await page.getByRole('radio', { name: 'Review child protection conference' }).isChecked())
  await fillDate(page, 'Date of the conference', ON.reviewConference)
  await page.getByLabel('Time it starts').fill('14:00')
  await page.getByLabel('Venue').fill('Online (Teams)')
  await choose(page.getByLabel('Chair', { exact: true }), CHAIR.displayName)
  const path = await submit(page, 'Schedule the conference', 'review conference scheduled')
  reviewId = path.split('/')[4] ?? ''
  assert.match(reviewId, /^[0-9a-f-]{36}$/)
})

test('the chair records the review conference: the plan ends, its outcomes met', async () => {
  await visit(chair, `/cases/${caseId}/conferences/${reviewId}`, SCANNED)
  await fillDate(chair, 'Date the conference was held', ON.reviewConference)
  await chair.getByRole('radio', { name: 'Plan ends', exact: true }).check()
  await choose(chair.getByLabel('If the plan ends: why'), 'Outcomes met, no further services')
  await submit(chair, 'Save the conference outcome', SCANNED)
  assert.match((await chair.locator('[data-qa=outcome]').innerText()).replace(/\s+/g, ' '), /Decision Plan ends/)
  await visit(chair, `/cases/${caseId}/child-protection`, SCANNED)
  assert.match(
    (await chair.locator('[data-qa=protection-plan]').innerText()).replace(/\s+/g, ' '),
    new RegExp(`Ended ${long(ON.reviewConference)}: Outcomes met, no further services`),
  )
})

test('the social worker closes the episode and the case is closed', async () => {
  const page = worker
  await visit(page, `/cases/${caseId}/contacts`, 'contacts and referrals (social worker)')
  const need = `Save the primary need for the referral of ${long(ON.received)}`
  await choose(page.getByLabel('Primary need'), 'Abuse, neglect and exploitation')
  await submit(page, need, SCANNED)
  assert.match(await mainText(page), /The primary need was saved\./)
  await follow(page, page.locator('[data-qa=close-episode-link]'), 'closing the episode: what is still open')
  await fillDate(page, 'Date the episode closed', TODAY)
  await choose(page.getByLabel('Reason for closure'), 'Services ceased for any other reason')
  await page.getByLabel('I have checked what is still open and want to close this episode').check()
  await submit(page, 'Close the episode', 'episode closed')
  assert.match(await mainText(page), /The episode was closed\./)
  assert.equal(await stage(page), 'Closed')
  await visit(page, `/cases/${caseId}`, SCANNED)
  assert.match(await mainText(page), /Stage Closed/)
})

test('the chronology lists every step of the journey', async () => {
  const page = worker
  await visit(page, `/cases/${caseId}/chronology`, 'chronology')
  const entries = async (kind: string) =>
    (await page.locator(`[data-qa=entry-${kind}]`).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())
  const expectations: [kind: string, pattern: RegExp][] = [
    ['contact', /Contact from .*: Referral to children's social care/i],
    ['referral', /Referral from /],
    ['assessment', /assessment completed: strategy discussion/i],
    ['strategy-discussion', /Strategy discussion: section 47 enquiry by children’s social care/i],
    ['section-47', /Section 47 enquiry started/],
    ['section-47', /Section 47 enquiry completed/],
    ['conference', /Initial child protection conference: child protection plan/i],
    ['conference', /Review child protection conference: plan ends/i],
    ['plan', /Child protection plan started/],
    ['plan', /Child protection plan ended/],
    ['core-group', /Core group meeting/],
    ['case', /Case transferred from Front door \(MASH\) to Assessment team/],
    ['case', /Case closed/],
  ]
  for (const [kind, pattern] of expectations) {
    const found = await entries(kind)
    assert.ok(found.some((t) => pattern.test(t)), `a ${kind} entry matching ${pattern}; found: ${JSON.stringify(found)}`)
  }
  const dates = await entries('section-47')
  assert.ok(dates.some((t) => t.startsWith(long(ON.strategyDiscussion))), 'the enquiry is dated by the strategy discussion')
})

// ---- 2. the early help path

test('a contact decided “early help” puts the case at early help; an early help plan is started and ended', async () => {
  const page = practitioner
  await visit(page, '/contacts/new', SCANNED)
  const search = page.locator('[data-qa=search]')
  await search.getByLabel('First name').fill(EH_CHILD.given)
  await search.getByLabel('Last name').fill(EH_CHILD.family)
  await Promise.all([page.waitForURL((u) => u.searchParams.get('search') === '1'), search.getByRole('button', { name: 'Search' }).click()])
  await navigateBy(page, page.getByRole('link', { name: 'Add a new person' }))
  await page.waitForURL('**/contacts/new/person**')
  await fillDate(page, 'Date of birth', '2020-02-11')
  await page.getByRole('radio', { name: 'Male', exact: true }).check()
  await submit(page, 'Add this person to the contact', SCANNED)
  await navigateBy(page, page.getByRole('button', { name: 'Continue to the contact’s details' }))
  await page.waitForURL('**/contacts/new/details')
  await fillDate(page, 'Date received', ON.earlyHelpContact)
  await page.getByLabel('Time received').fill('14:15')
  await choose(page.getByLabel('Where the contact came from'), 'HEALTH SERVICES – health visitor')
  await page.getByLabel('Name', { exact: true }).fill('Hana Visitor (test)')
  await page.getByLabel('What is the concern?').fill('Mother is struggling with sleep and routines since a house move; asks for support.')
  await page.getByRole('radio', { name: 'Family told and consented' }).check()
  await page.getByRole('radio', { name: 'Standard' }).check()
  await submit(page, 'Continue', SCANNED)
  await submit(page, 'Record the contact', SCANNED)
  await page.getByRole('radio', { name: 'Early help or family help' }).check()
  await page.getByLabel('Reasons for the decision').fill('Below the threshold for social care; family help will support the routines.')
  const delay = page.getByLabel('Reason in your words, if it was after the due date')
  if (await delay.count()) await delay.fill('Waiting for the health visitor’s call back (test).')
  await submit(page, 'Record the decision', SCANNED)
  assert.match(await page.locator('[data-qa=decision]').innerText(), /Early help or family help/)
  const link = page.locator('[data-qa=contact-children]').getByRole('link', { name: EH_CHILD.name })
  earlyHelpCaseId = ((await link.getAttribute('href')) ?? '').split('/')[2] ?? ''
  assert.match(earlyHelpCaseId, /^[0-9a-f-]{36}$/)

  await visit(page, `/cases/${earlyHelpCaseId}`, SCANNED)
  assert.equal(await stage(page), 'Early help')

  await visit(page, `/cases/${earlyHelpCaseId}/plans`, 'plans (no plan yet)')
  assert.match(await mainText(page), /This child has no plan\./)
  await page.getByRole('radio', { name: 'Early help or family help plan' }).check()
  await fillDate(page, 'Date the plan started', ON.earlyHelpPlan)
  await page.getByLabel('Summary of the plan').fill('Settled bedtime and morning routines in the new home.')
  await submit(page, 'Start the plan', 'early help plan started')
  assert.match(await mainText(page), /The plan was started\./)
  const planPath = new URL(page.url()).pathname

  await follow(page, page.getByRole('link', { name: 'Add a goal', exact: true }), 'add a goal')
  await page.getByLabel('What the child and family are working towards').fill('Rowan sleeps through most nights')
  await submit(page, 'Save', SCANNED)
  assert.match(await mainText(page), /The goal was added\./)

  await follow(page, page.getByRole('link', { name: 'Add an action', exact: true }), 'add an action')
  await page.getByLabel('What will be done').fill('School nurse to run a sleep clinic session with mother')
  await choose(page.getByLabel('Goal it serves'), 'Rowan sleeps through most nights')
  await choose(page.getByLabel('Agency that owns the action'), 'Oakfield Primary School (demo)')
  await submit(page, 'Save', 'action added')
  assert.match(await mainText(page), /The action was added\./)
  const goal = page.locator('[data-qa^=goal-]')
  const action = (await goal.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ')
  assert.match(action, /School nurse to run a sleep clinic session with mother Oakfield Primary School \(demo\)/)
  assert.equal(await stage(page), 'Early help')

  await follow(page, page.getByRole('link', { name: 'End the plan', exact: true }), 'end the early help plan')
  await fillDate(page, 'Date the plan ended', TODAY)
  await page.getByRole('radio', { name: 'Outcomes met, no further services' }).check()
  assert.equal(await submit(page, 'End the plan', SCANNED), planPath)
  assert.match(await mainText(page), /The plan was ended\./)
  assert.match((await page.locator('[data-qa=plan-summary]').innerText()).replace(/\s+/g, ' '), new RegExp(`Ended ${long(TODAY)}: Outcomes met, no further services`))
  assert.equal(await stage(page), 'Closed', 'with nothing else open, ending the plan closes the case')
  await visit(page, `/cases/${earlyHelpCaseId}/chronology`, SCANNED)
  const plans = (await page.locator('[data-qa=entry-plan]').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))
  assert.ok(plans.some((t) => /Early help or family help plan started/.test(t)), JSON.stringify(plans))
  assert.ok(plans.some((t) => /Early help or family help plan ended/.test(t)), JSON.stringify(plans))
  const caseEntries = (await page.locator('[data-qa=entry-case]').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))
  assert.ok(caseEntries.some((t) => t.startsWith(long(TODAY)) && /Case closed/.test(t)), JSON.stringify(caseEntries))
})

test('every page of the journeys was scanned', () => {
  app.assertScanned([
    '/',
    '/front-door',
    '/contacts/new',
    '/contacts/new/person',
    '/contacts/new/details',
    '/contacts/new/check',
    '/contacts/:id',
    '/team',
    '/cases/:id',
    '/cases/:id/allocation',
    '/cases/:id/contacts',
    '/cases/:id/assessments',
    '/cases/:id/assessments/:id',
    '/cases/:id/child-protection',
    '/cases/:id/strategy-discussions/new',
    '/cases/:id/strategy-discussions/:id/edit',
    '/cases/:id/section47/:id',
    '/cases/:id/conferences/new',
    '/cases/:id/conferences/:id',
    '/cases/:id/conferences/:id/arrangements',
    '/cases/:id/plans/:id/core-groups/new',
    '/cases/:id/chronology',
    '/cases/:id/plans',
    '/cases/:id/plans/:id',
    '/cases/:id/plans/:id/items/new',
    '/cases/:id/plans/:id/end',
  ])
})
