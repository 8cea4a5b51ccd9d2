/**
 * The lists that grow are paged (issue 16, item 12): the demo's social worker is given 30 more
 * allocated cases and their team 25 unallocated ones, and the partnership 30 more users. At
 * 1280x800 the caseload, the home page, the team view and the administrator's users are each at
 * most five screens tall; each says how many there are, its next page is followed with the
 * keyboard alone, and each page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { appUser, childCase, clock, person } from '../../src/db/schema/index.ts'
import { insertUser } from '../../src/services/organisation/organisation.ts'
import { demoUser, followByKeyboard, isoToday, pageHeight, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
const SCREEN = { width: 1280, height: 800 }
const LIMIT = 5 * SCREEN.height

before(async () => {
  app = await startBrowserApp()
  const db = app.running.database.db
  const [worker] = await db.select().from(appUser).where(eq(appUser.email, demoUser('social-worker').email))
  assert.ok(worker?.teamId, 'the demo social worker has a team')
  const openedOn = isoToday()
  const newCase = async (i: number, allocatedWorkerId: string | null) => {
    const [p] = await db
      .insert(person)
      .values({ partnershipId: worker.partnershipId, givenName: 'Paged', familyName: `Fictional${String(i).padStart(2, '0')}`, dateOfBirth: '2018-03-04' })
      .returning({ id: person.id })
    await db.insert(childCase).values({ partnershipId: worker.partnershipId, personId: p!.id, teamId: worker.teamId, allocatedWorkerId, status: 'assessment', openedOn })
  }
  for (let i = 0; i < 30; i++) await newCase(i, worker.id)
  for (let i = 30; i < 55; i++) await newCase(i, null)
  // The team view at its fullest: timescales overdue and due this week on a dozen cases each.
  const [model] = await db.select().from(clock).limit(1)
  assert.ok(model, 'the demo has a clock to copy the shape of')
  const teamCases = await db.select({ id: childCase.id }).from(childCase).where(eq(childCase.teamId, worker.teamId)).limit(24)
  await db.insert(clock).values(
    teamCases.map((c, i) => ({
      partnershipId: worker.partnershipId,
      caseId: c.id,
      rule: model.rule,
      edition: model.edition,
      startOn: '2026-01-05',
      dueOn: i % 2 ? '2026-02-02' : openedOn,
      delayReason: i % 3 ? null : 'The family were away for a fortnight (a fictional reason)',
      subjectType: model.subjectType,
      subjectId: c.id,
    })),
  )
  for (let i = 0; i < 30; i++) {
    await insertUser(db, worker.partnershipId, {
      displayName: `Paged User ${String(i).padStart(2, '0')} (fictional)`,
      email: `paged.user.${i}@example.invalid`,
      agencyId: worker.agencyId,
      teamId: null,
      roles: ['partner-practitioner'],
      active: true,
    } as Parameters<typeof insertUser>[2])
  }
})
after(async () => {
  await app?.close()
})

async function pageAs(role: Parameters<typeof demoUser>[0]): Promise<Page> {
  const page = await app.newPage()
  await page.setViewportSize(SCREEN)
  await app.signIn(page, demoUser(role).email)
  return page
}

async function atMostFiveScreens(page: Page, what: string): Promise<void> {
  const height = await pageHeight(page)
  assert.ok(height <= LIMIT, `${what} is ${height}px tall`)
}

test('the caseload and the home page of a social worker with many cases: paged, at most five screens, by keyboard', async () => {
  const page = await pageAs('social-worker')
  await page.goto(`${app.url}/caseload`)
  await atMostFiveScreens(page, 'the caseload')
  assert.equal(await page.locator('[data-qa=caseload-case]').count(), 20)
  const total = Number(/of (\d+) cases/.exec(await page.locator('[data-qa=pagination-count]').innerText())![1])
  assert.ok(total >= 30, `the caseload counts ${total} cases`)
  assert.match(await page.locator('[data-qa=caseload-summary]').innerText(), new RegExp(`^${total} open cases are allocated to you`))
  await app.expectAccessible(page, 'caseload, page 1')
  await followByKeyboard(page, 'nav[aria-label=Pagination] .govuk-pagination__next a')
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), /Showing 21 to \d+ of \d+ cases/)
  await atMostFiveScreens(page, 'the caseload’s page 2')
  await app.expectAccessible(page, 'caseload, page 2')

  await page.goto(`${app.url}/`)
  await atMostFiveScreens(page, 'the home page')
  assert.match(await page.locator('[data-qa=allocated-cases] [data-qa=pagination-count]').innerText(), /Showing 1 to 20 of \d+ cases/)
  await app.expectAccessible(page, 'home page with paged case lists')
  await followByKeyboard(page, '[data-qa=allocated-cases] .govuk-pagination__next a')
  assert.match(new URL(page.url()).search, /allocatedPage=2/)
  assert.match(await page.locator('[data-qa=allocated-cases] [data-qa=pagination-count]').innerText(), /Showing 21 to/)
  await atMostFiveScreens(page, 'the home page with the allocated cases’ page 2')
  await app.expectAccessible(page, 'home page, allocated cases page 2')
})

test('the team view of a team with many unallocated cases: each list paged on its own, at most five screens, by keyboard', async () => {
  const page = await pageAs('team-manager')
  await page.goto(`${app.url}/team`)
  await atMostFiveScreens(page, 'the team view')
  const unallocated = page.locator('#unallocated')
  assert.match(await unallocated.locator('[data-qa=pagination-count]').innerText(), /Showing 1 to 5 of \d+ cases/)
  assert.match(await page.locator('#overdue [data-qa=pagination-count]').innerText(), /Showing 1 to 5 of \d+ timescales/)
  assert.match(await page.locator('#dueThisWeek [data-qa=pagination-count]').innerText(), /Showing 1 to 5 of \d+ timescales/)
  await app.expectAccessible(page, 'team view, page 1 of each list')
  await followByKeyboard(page, '#unallocated .govuk-pagination__next a')
  assert.match(new URL(page.url()).search, /unallocatedPage=2/)
  assert.match(await page.locator('#unallocated [data-qa=pagination-count]').innerText(), /Showing 6 to 10 of/)
  await atMostFiveScreens(page, 'the team view with the unallocated cases’ page 2')
  await app.expectAccessible(page, 'team view, unallocated cases page 2')
})

test('the administrator’s users: 25 a page, at most five screens, by keyboard', async () => {
  const page = await pageAs('administrator')
  await page.goto(`${app.url}/admin/users`)
  await atMostFiveScreens(page, 'the users')
  assert.equal(await page.locator('main tbody tr').count(), 25)
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), /Showing 1 to 25 of \d+ users/)
  await app.expectAccessible(page, 'users, page 1')
  await followByKeyboard(page, 'nav[aria-label=Pagination] .govuk-pagination__next a')
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), /Showing 26 to \d+ of \d+ users/)
  await atMostFiveScreens(page, 'the users’ page 2')
  await app.expectAccessible(page, 'users, page 2')
})
