/**
 * The statutory visit and what is due, in Chromium (issue 16, items 5 and 6). The demo child Ash
 * (allocated to the demo social worker) is put on a child protection plan that started 12 working
 * days ago, with no visit and no core group recorded: the case overview and the caseload say the
 * visit and the first core group are overdue rather than "Nothing due". The social worker then
 * records a visit on the one visit form (the notes form, opened from the child protection page's
 * "Record a visit"): it is the statutory visit, so the overview shows the child last seen today and
 * the next visit due 10 working days on. Each page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import { appUser, childCase, cinEpisode, person, plan } from '../../src/db/schema/index.ts'
import { defaultBankHolidayCalendar } from '../../src/domain/timescales/calendar/load.ts'
import { dueDate } from '../../src/domain/timescales/index.ts'
import { demoUser, fillDate, isoToday, navigateBy, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp

before(async () => {
  app = await startBrowserApp()
})
after(async () => {
  await app?.close()
})

const long = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso}T00:00:00Z`))

test('a child on a plan with nothing recorded shows what is overdue; a visit recorded on the notes form moves the next visit due', async () => {
  const db = app.running.database.db
  const today = isoToday()
  const planStart = defaultBankHolidayCalendar().addWorkingDays(today, -12)
  const [ash] = await db
    .select({ caseId: childCase.id, partnershipId: childCase.partnershipId })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(person.givenName, 'Ash'), eq(person.familyName, 'Testcase')))
  const [episode] = await db.select({ id: cinEpisode.id }).from(cinEpisode).where(eq(cinEpisode.caseId, ash!.caseId))
  const [worker] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demoUser('social-worker').email))
  await db.insert(plan).values({
    partnershipId: ash!.partnershipId,
    caseId: ash!.caseId,
    episodeId: episode!.id,
    kind: 'child-protection',
    startedOn: planStart,
    recordedBy: worker!.id,
  })
  await db.update(childCase).set({ status: 'child-protection' }).where(eq(childCase.id, ash!.caseId))
  const visitWasDue = dueDate({ rule: 'child-protection-visit', start: planStart }).due

  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`${app.url}/cases/${ash!.caseId}`)
  const due = page.locator('[data-qa=due]')
  assert.match(await due.innerText(), /No visit recorded on which the child was seen/)
  assert.match(await page.locator('[data-qa=due-visit]').innerText(), new RegExp(`Visit overdue: due by ${long(visitWasDue)}`))
  assert.match(await page.locator('[data-qa=due-core-group]').innerText(), /First core group overdue: due by/)
  await app.expectAccessible(page, 'case overview, child on a plan with nothing recorded')

  await page.goto(`${app.url}/caseload`)
  const row = page.locator('[data-qa=caseload-case]', { hasText: 'Ash Testcase' })
  const rowText = await row.innerText()
  assert.doesNotMatch(rowText, /Nothing due/)
  assert.match(rowText, new RegExp(`Visit overdue: due by ${long(visitWasDue)}`))
  await app.expectAccessible(page, 'caseload with what is due')

  await page.goto(`${app.url}/cases/${ash!.caseId}/child-protection`)
  await navigateBy(page, page.getByRole('button', { name: 'Record a visit' }))
  assert.equal(await page.getByLabel('Visit', { exact: true }).isChecked(), true, 'the notes form opens on a visit')
  await app.expectAccessible(page, 'the one visit form, opened from the child protection page')
  await page.locator('#childSeen').check()
  await page.locator('#childSeenAlone').check()
  await fillDate(page, 'occurredOn', today)
  await page.getByLabel('Title').fill('Home visit')
  await page.getByLabel('Note', { exact: true }).fill('Saw the child alone in their room (fictional).')
  const saved = await postForm(page, () => page.getByRole('button', { name: 'Save note' }).click())
  assert.equal(saved.status(), 302)
  assert.match(page.url(), /\/notes\?saved=added/)

  await page.goto(`${app.url}/cases/${ash!.caseId}`)
  const next = dueDate({ rule: 'child-protection-visit', start: today }).due
  assert.match(await page.locator('[data-qa=last-seen]').innerText(), new RegExp(long(today)))
  assert.match(await page.locator('[data-qa=due-visit]').innerText(), new RegExp(`Visit due by ${long(next)}`))
  assert.match(await page.locator('[data-qa=clock-child-protection-visit]').innerText(), new RegExp(long(next)))
  await app.expectAccessible(page, 'case overview after the statutory visit')
})
