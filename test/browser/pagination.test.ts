/**
 * Lists that grow are paged (issue 16, item 12): the demo child Ash is given years of history
 * (120 notes, one a week for over two years, each a record of the chronology, and 120 finished
 * timescales). At 1280x800 the case overview, the chronology and the notes are each at most five
 * screens tall; the pagination links are followed with the keyboard alone; each page is scanned
 * with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import { appUser, childCase, clock, person } from '../../src/db/schema/index.ts'
import { loadActor } from '../../src/services/access/accounts.ts'
import { addNote } from '../../src/services/journey/case-notes.ts'
import { demoUser, followByKeyboard, isoToday, pageHeight as height, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let caseId: string

const NOTES = 120
const FINISHED_CLOCKS = 120
const SCREEN = { width: 1280, height: 800 }

/** The day `days` before `iso`. */
const daysBefore = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10)

before(async () => {
  app = await startBrowserApp()
  const db = app.running.database.db
  const [ash] = await db
    .select({ caseId: childCase.id, partnershipId: childCase.partnershipId })
    .from(childCase)
    .innerJoin(person, eq(person.id, childCase.personId))
    .where(and(eq(person.givenName, 'Ash'), eq(person.familyName, 'Testcase')))
  caseId = ash!.caseId
  const [worker] = await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, demoUser('social-worker').email))
  const actor = await loadActor(db, worker!.id)
  const ctx = { db, actor: actor!, requestId: 'pagination-test', now: () => new Date() }
  const today = isoToday()
  // Notes through the service, so each is also a record of the chronology: one a week for years.
  for (let i = 0; i < NOTES; i++) {
    await addNote(ctx, caseId, {
      kind: 'note',
      occurredOn: daysBefore(today, 7 * i + 1),
      title: `Fictional note ${i + 1}`,
      body: 'A fictional note for a test of long histories. It says what happened and what was agreed.',
    } as Parameters<typeof addNote>[2])
  }
  // Finished timescales, one a fortnight, shaped as a clock the demo already has.
  const [model] = await db.select().from(clock).limit(1)
  assert.ok(model, 'the demo has a clock to copy the shape of')
  await db.insert(clock).values(
    Array.from({ length: FINISHED_CLOCKS }, (_, i) => ({
      partnershipId: ash!.partnershipId,
      caseId,
      rule: model.rule,
      edition: model.edition,
      startOn: daysBefore(today, 14 * i + 20),
      dueOn: daysBefore(today, 14 * i + 10),
      completedOn: daysBefore(today, 14 * i + 12),
      subjectType: model.subjectType,
      subjectId: model.subjectId,
    })),
  )
})
after(async () => {
  await app?.close()
})

test('a child with years of history: the overview, chronology and notes are each at most five screens, paged by keyboard', async () => {
  const page = await app.newPage()
  await page.setViewportSize(SCREEN)
  await app.signIn(page, demoUser('social-worker').email)
  const limit = 5 * SCREEN.height

  // The overview: running timescales shown, the finished ones folded away and paged.
  await page.goto(`${app.url}/cases/${caseId}`)
  assert.ok((await height(page)) <= limit, `the overview is ${await height(page)}px tall`)
  const finished = page.locator('[data-qa=finished-timescales]')
  const folded = /(\d+) finished timescales/.exec(await finished.locator('summary').innerText())
  assert.ok(folded && Number(folded[1]) >= FINISHED_CLOCKS, `the finished timescales are counted: ${folded?.[0]}`)
  await finished.locator('summary').focus()
  await page.keyboard.press('Enter')
  assert.match(await finished.innerText(), /Showing 1 to 10 of \d+ finished timescales/)
  await app.expectAccessible(page, 'case overview with finished timescales unfolded')
  await followByKeyboard(page, '[data-qa=finished-timescales] .govuk-pagination__next a')
  assert.match(new URL(page.url()).search, /page=2/)
  assert.match(await page.locator('[data-qa=finished-timescales]').innerText(), /Showing 11 to 20 of/)
  assert.ok((await height(page)) <= limit, `the overview's second page is ${await height(page)}px tall`)
  await app.expectAccessible(page, 'case overview, page 2 of the finished timescales')

  // The chronology: 20 entries a page.
  await page.goto(`${app.url}/cases/${caseId}/chronology`)
  assert.ok((await height(page)) <= limit, `the chronology is ${await height(page)}px tall`)
  assert.equal(await page.locator('[data-qa=chronology] tbody tr').count(), 20)
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), /Showing 1 to 20 of \d+ entries/)
  await app.expectAccessible(page, 'chronology, page 1')
  await followByKeyboard(page, 'nav[aria-label=Pagination] .govuk-pagination__next a')
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), /Showing 21 to 40 of \d+ entries/)
  assert.ok((await height(page)) <= limit, `the chronology's page 2 is ${await height(page)}px tall`)
  await app.expectAccessible(page, 'chronology, page 2')

  // The notes: 8 a page, newest first; the last page by its number.
  await page.goto(`${app.url}/cases/${caseId}/notes`)
  assert.ok((await height(page)) <= limit, `the notes are ${await height(page)}px tall`)
  assert.equal(await page.locator('[data-qa=note]').count(), 8)
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), /Showing 1 to 8 of \d+ notes/)
  await app.expectAccessible(page, 'notes, page 1')
  const pages = Math.ceil(Number(/of (\d+) notes/.exec(await page.locator('[data-qa=pagination-count]').innerText())![1]) / 8)
  await followByKeyboard(page, `nav[aria-label=Pagination] a[href$="page=${pages}"]`)
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), new RegExp(`Showing ${(pages - 1) * 8 + 1} to \\d+ of \\d+ notes`))
  assert.ok((await height(page)) <= limit, `the notes' last page is ${await height(page)}px tall`)
  await app.expectAccessible(page, 'notes, last page')
  await followByKeyboard(page, 'nav[aria-label=Pagination] .govuk-pagination__prev a')
  assert.match(await page.locator('[data-qa=pagination-count]').innerText(), new RegExp(`Showing ${(pages - 2) * 8 + 1} to`))
})
