/**
 * A conference's participant rows, in Chromium (issue 16, smaller items). On Eve's review
 * conference (demo):
 * 1. the arrangements form starts with the invitee already saved and one blank row, not a stack of
 *    blank ones; with scripts, "Add another invitee" pressed from the keyboard adds a row in place
 *    (no round trip) with the focus on its first field, twice; the new invitees typed by keyboard
 *    alone are saved and shown, and the blank row left over is ignored;
 * 2. without scripts the same button posts the form, which comes back with one more blank row,
 *    the focus on it and nothing typed lost;
 * 3. the chair's form (four fields a row and a date) at 1280 px and at 390 px: no two boxes of the
 *    rows (labels, fields, date parts) overlap, and none is wider than the screen.
 * Every page state is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { and, eq, isNull } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { conference } from '../../src/db/schema/index.ts'
import { demoCase, demoUser, isFocused, mainText, postForm, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eveCase = ''
let reviewId = ''

before(async () => {
  app = await startBrowserApp()
  eveCase = (await demoCase(app, 'Eve', 'Pretendson')).caseId
  const [review] = await app.running.database.db
    .select({ id: conference.id })
    .from(conference)
    .where(and(eq(conference.caseId, eveCase), eq(conference.kind, 'review'), isNull(conference.heldOn)))
  assert.ok(review, 'the demo review conference of Eve')
  reviewId = review.id
})
after(async () => {
  await app?.close()
})

const rows = (page: Page) => page.locator('#participants [data-app-add-another-row]')
const invitee = (page: Page, n: number) => page.getByRole('group', { name: `Invitee ${n}`, exact: true })

test('with scripts, two invitees are added by keyboard, saved and shown; blank rows are ignored', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`/cases/${eveCase}/conferences/${reviewId}/arrangements`)
  assert.equal(await rows(page).count(), 2, 'the saved invitee and one blank row')
  assert.equal(await invitee(page, 1).getByLabel('Name').inputValue(), 'Hana Visitor (demo)')
  await app.expectAccessible(page, 'conference arrangements')

  // A marker on this document: a round trip to the server would lose it.
  await page.evaluate('window.stillThisPage = true')
  const typeRow = async (n: number, comingAs: string, name: string, agency: string | null) => {
    assert.ok(await isFocused(page, `#participants-${n - 1}-party`), `the focus is on invitee ${n}'s first field`)
    await page.keyboard.type(comingAs)
    await page.keyboard.press('Tab')
    await page.keyboard.type(name)
    await page.keyboard.press('Tab')
    if (agency) await page.keyboard.type(agency)
  }
  // From the blank row's last field, Tab reaches the button, and Enter presses it.
  await invitee(page, 2).getByLabel('Agency').focus()
  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page, '[data-qa=add-participants]'), 'Tab after the last row reaches "Add another invitee"')
  await page.keyboard.press('Enter')
  assert.equal(await rows(page).count(), 3)
  await typeRow(3, 'Family', 'Jo Pretendson (test, mother)', null)
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  assert.equal(await rows(page).count(), 4)
  await typeRow(4, 'An agency', 'DS Kit Constable (test)', 'Demoshire Police')
  assert.equal(await page.evaluate('window.stillThisPage'), true, 'the rows were added without reloading the page')
  assert.equal(await invitee(page, 3).getByLabel('Coming as').inputValue(), 'family')
  assert.equal(await invitee(page, 4).getByLabel('Agency').locator('option:checked').innerText(), 'Demoshire Police')
  assert.equal(await page.locator('input[name=participantsRows]').inputValue(), '4')
  await app.expectAccessible(page, 'conference arrangements with two rows added')

  await sendForm(page, page.getByRole('button', { name: 'Save the arrangements' }))
  assert.match(await mainText(page), /Arrangements saved/)
  await app.expectAccessible(page, 'conference after saving the invitees')

  // Saved in order, the blank row (invitee 2) left out; the form shows them and one blank row again.
  const [saved] = await app.running.database.db.select({ participants: conference.participants }).from(conference).where(eq(conference.id, reviewId))
  assert.deepEqual(
    (saved!.participants as { party: string; name: string }[]).map((p) => [p.party, p.name]),
    [['agency', 'Hana Visitor (demo)'], ['family', 'Jo Pretendson (test, mother)'], ['agency', 'DS Kit Constable (test)']],
  )
  await page.goto(`/cases/${eveCase}/conferences/${reviewId}/arrangements`)
  assert.equal(await rows(page).count(), 4)
  const names = ['Hana Visitor (demo)', 'Jo Pretendson (test, mother)', 'DS Kit Constable (test)', '']
  for (const [i, name] of names.entries()) assert.equal(await invitee(page, i + 1).getByLabel('Name').inputValue(), name)
})

test('without scripts, "Add another invitee" comes back with one more blank row, the focus on it, nothing typed lost', async () => {
  // The page's script (app.js) answered empty: the button is a plain submit, as without scripts.
  const page = await app.newPage({
    beforeNavigation: async (p) => {
      await p.route('**/assets/app.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }))
    },
  })
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`/cases/${eveCase}/conferences/${reviewId}/arrangements`)
  const before = await rows(page).count()
  const last = invitee(page, before)
  await last.getByLabel('Coming as').selectOption('child')
  await last.getByLabel('Name').fill('Eve Pretendson (test)')
  await page.getByLabel('Venue').fill('Room 5, Demoshire Civic Centre (test)')
  const response = await postForm(page, () => page.getByRole('button', { name: 'Add another invitee' }).click())
  assert.equal(response.status(), 200)
  assert.equal(await rows(page).count(), before + 1)
  assert.equal(await invitee(page, before).getByLabel('Name').inputValue(), 'Eve Pretendson (test)')
  assert.equal(await invitee(page, before).getByLabel('Coming as').inputValue(), 'child')
  assert.equal(await page.getByLabel('Venue').inputValue(), 'Room 5, Demoshire Civic Centre (test)')
  assert.equal(await invitee(page, before + 1).getByLabel('Name').inputValue(), '')
  assert.ok(await isFocused(page, `#participants-${before}-party`), 'the focus is on the new row')
  await app.expectAccessible(page, 'conference arrangements after adding a row without scripts')
})

/** Pairs of boxes in the participant rows that overlap, and boxes wider than the screen. */
const OVERLAPS = `(() => {
  const boxes = [...document.querySelectorAll('#participants fieldset :is(label, legend, select, input, .govuk-hint)')]
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => ({ el, r: el.getBoundingClientRect(), name: (el.id || el.getAttribute('for') || el.textContent || el.tagName).trim().slice(0, 40) }))
  const problems = []
  for (const [i, a] of boxes.entries()) {
    if (a.r.left < 0 || a.r.right > document.documentElement.clientWidth + 0.5) problems.push(a.name + ' is wider than the screen')
    for (const b of boxes.slice(i + 1)) {
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue
      const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left)
      const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top)
      if (x > 0.5 && y > 0.5) problems.push(a.name + ' overlaps ' + b.name)
    }
  }
  return { boxes: boxes.length, problems }
})()`

test('the chair’s participant rows do not overlap at 1280 px nor at 390 px', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('conference-chair').email)
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    await page.goto(`/cases/${eveCase}/conferences/${reviewId}`)
    await page.getByRole('button', { name: 'Add another participant' }).click()
    const { boxes, problems } = (await page.evaluate(OVERLAPS)) as { boxes: number; problems: string[] }
    assert.ok(boxes >= 20, `the rows' boxes were measured (${boxes})`)
    assert.deepEqual(problems, [], `at ${width} px`)
    await app.expectAccessible(page, `conference record form at ${width} px`)
  }
})
