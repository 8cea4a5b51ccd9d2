/**
 * The demo partnership shows a real working week (issue 16, demo data), in Chromium:
 * 1. every demo account's home page: each link on it answers 200, and the page is scanned;
 * 2. each feature has something in it for the role that uses it: the front door's queue and the
 *    possible duplicates, the front door's own manager with their team, serious incidents, practice
 *    reviews, death reviews and section 11 for the business unit, allegations for the designated
 *    officer, an information request health was asked, a police contribution and review action;
 * 3. the children have addresses, households and alerts (Bea's overview);
 * 4. the chair is invited only to conferences that exist and that they chair (every invited
 *    child is on their list of conferences);
 * 5. decisions are dated when they were made: the scorecard counts the demo's decisions within a
 *    working day, and no demo decision is late; each referrer's agency matches the contact's source.
 * Every page looked at is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq, isNotNull } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { agency, clock, contact, partnership } from '../../src/db/schema/index.ts'
import { DEMO_USERS } from '../../src/services/demo/demo-seed.ts'
import { demoCase, demoUser, mainText, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp

before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

async function signedIn(email: string): Promise<Page> {
  const page = await app.newPage()
  await app.signIn(page, email)
  return page
}

/** Opens a page of the service, checks it answers 200, scans it, and returns its main text. */
async function look(page: Page, path: string, label: string): Promise<string> {
  const response = await page.goto(path)
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`)
  await app.expectAccessible(page, label)
  return mainText(page)
}

/** Rows of the table (or list) matched by `selector` on the page now. */
const count = (page: Page, selector: string) => page.locator(selector).count()

test('every link on every demo account’s home page answers 200', async () => {
  assert.ok(DEMO_USERS.some((u) => u.email.startsWith('front.door.manager@')), 'the front door has a manager')
  for (const user of DEMO_USERS) {
    const page = await signedIn(user.email)
    await app.expectAccessible(page, `${user.email} home page`)
    const links = (await page.evaluate(`[...document.querySelectorAll('a[href^="/"]')].map((a) => a.getAttribute('href'))`)) as string[]
    const broken: string[] = []
    for (const href of new Set(links)) {
      const response = await page.request.get(href, { maxRedirects: 0 })
      if (response.status() !== 200) broken.push(`${href} answered ${response.status()}`)
    }
    assert.deepEqual(broken, [], `links on ${user.email}'s home page`)
    await page.context().close()
  }
})

test('the front door: a contact waiting, two agencies’ records of one child to review, and a manager of its own', async () => {
  const page = await signedIn(demoUser('front-door-practitioner').email)
  await look(page, '/front-door', 'front door queue')
  assert.ok((await count(page, 'main table tbody tr')) >= 1, 'a contact waits for a decision')
  const review = await look(page, '/person-review', 'possible duplicates')
  assert.match(review, /To decide \((\d+)\)/)
  assert.ok(Number(/To decide \((\d+)\)/.exec(review)![1]) >= 1, 'a pair waits in the duplicates queue')
  assert.match(review, /Freddie Imaginary/)

  const manager = await signedIn(`front.door.manager@demo.together.invalid`)
  const team = await look(manager, '/team', 'the front door manager’s team')
  assert.match(team, /Cody Madeup/, 'the front door’s own case is in its manager’s team view')
  await look(manager, '/front-door', 'front door queue for its manager')
  assert.ok((await count(manager, 'main table tbody tr')) >= 1)
})

test('the business unit: an incident with its rapid review, a practice review, a death review and section 11 cycles', async () => {
  const page = await signedIn(demoUser('business-unit').email)
  const incidents = await look(page, '/partnership/incidents', 'serious incidents')
  assert.doesNotMatch(incidents, /not working on any serious incident/)
  assert.match(incidents, /Bea Fictional .*Local child safeguarding practice review; sent to the Panel/)
  const reviews = await look(page, '/partnership/reviews', 'practice reviews')
  assert.doesNotMatch(reviews, /not working on any practice review/)
  assert.match(reviews, /Child B \(fictional\)/)
  await page.locator('main a[href^="/partnership/reviews/"]').first().click()
  await page.waitForURL(/\/partnership\/reviews\/[0-9a-f-]{36}$/)
  await app.expectAccessible(page, 'the demo practice review')
  assert.match(await mainText(page), /Agree with health visiting how call-outs are shared/)
  assert.match(await look(page, '/partnership/dar-reviews', 'death reviews'), /Adult A/)
  assert.ok((await look(page, '/partnership/section-11', 'section 11')).includes('Section 11 audit (demo)'))

  // Decisions dated the day they were made: the demo's contacts were all decided within a working day.
  const scorecard = collapse(await look(page, '/partnership/scorecard', 'scorecard'))
  assert.match(scorecard, /Contacts decided within 1 working day 100% \((\d+) of \1\)/)
})

test('partners: health was asked about Bea and answered; the police gave a contribution and own a review action', async () => {
  const visitor = await signedIn('health.visitor@demo.together.invalid')
  const requests = await look(visitor, '/information-requests', 'requests to health')
  assert.doesNotMatch(requests, /no information requests/i)
  assert.match(requests, /Bea/)
  const officer = await signedIn('police.officer@demo.together.invalid')
  const asked = collapse(await look(officer, '/partnership/requests', 'requests for the police'))
  assert.match(asked, /What did the police know about Bea’s household before the admission\? \(fictional\) .* Answered/)
  assert.match(asked, /Agree with health visiting how call-outs are shared \(fictional\)\. .* Open/)
  assert.match(await look(officer, '/tasks', 'the police officer’s tasks'), /Complete a practice review action/)
  const lado = await signedIn(demoUser('designated-officer').email)
  assert.match(await look(lado, '/partnership/lado', 'allegations'), /LADO-\d{4}-001/)
})

test('Bea’s overview: where she lives and with whom, her mother elsewhere, and an alert for visitors', async () => {
  const page = await signedIn(demoUser('social-worker').email)
  const bea = await demoCase(app, 'Bea', 'Fictional')
  const overview = collapse(await look(page, `/cases/${bea.caseId}`, 'Bea’s overview'))
  assert.match(overview, /3 Sample Street, Demoshire \(fictional\)/)
  assert.match(overview, /Iris Storybook/)
  assert.match(overview, /Tara Storybook/)
  assert.doesNotMatch(overview, /No one is recorded as living with the child/)
  assert.match(collapse(await page.getByRole('region', { name: 'Alerts' }).innerText()), /visit in pairs/)
})

test('the chair is invited only to conferences that exist, each on their list of conferences', async () => {
  const chair = await signedIn(demoUser('conference-chair').email)
  const invited = (await chair.locator('main a[href^="/cases/"]').allTextContents()).map((t) => t.trim())
  assert.ok(invited.length >= 1, 'the chair has an invitation')
  const list = await look(chair, '/my-conferences', 'the chair’s conferences')
  for (const child of invited) assert.ok(list.includes(child), `${child} is on the chair's home page but on no conference of theirs: ${list}`)
})

test('the demo contacts: referrers match the source, and every decision is dated on time', async () => {
  const db = app.running.database.db
  const [demo] = await db.select({ id: partnership.id }).from(partnership).where(eq(partnership.isDemo, true))
  const contacts = await db
    .select({ source: contact.source, referrerRole: contact.referrerRole, agencyType: agency.type })
    .from(contact)
    .leftJoin(agency, eq(agency.id, contact.referrerAgencyId))
    .where(eq(contact.partnershipId, demo!.id))
  assert.ok(contacts.length >= 4)
  for (const c of contacts) {
    const expected = c.source.startsWith('1') ? null : c.source === '2A' ? 'education' : c.source.startsWith('3') ? /^health/ : undefined
    if (expected === null) assert.equal(c.agencyType, null, `a ${c.source} referrer (${c.referrerRole}) is not an agency`)
    else if (expected instanceof RegExp) assert.match(c.agencyType ?? '', expected, `a ${c.source} referrer (${c.referrerRole}) is from health`)
    else if (expected) assert.equal(c.agencyType, expected, `a ${c.source} referrer (${c.referrerRole}) is from a school`)
  }
  const decided = await db
    .select({ dueOn: clock.dueOn, completedOn: clock.completedOn })
    .from(clock)
    .where(and(eq(clock.partnershipId, demo!.id), eq(clock.rule, 'referral-decision'), isNotNull(clock.completedOn)))
  assert.ok(decided.length >= 3)
  for (const d of decided) assert.ok(d.completedOn! <= d.dueOn, `a decision on ${d.completedOn} was due by ${d.dueOn}`)
})
