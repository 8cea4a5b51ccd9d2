/**
 * Browser (issue 19, done when): Eve, a demo child on a child protection plan, is taken through the
 * pages by her social worker into care (with previous permanence, an error first), a care plan and
 * an IRO, a move to a second placement, a missing episode with its return home interview, and out of
 * care; then the performance analyst checks the SSDA903 of that collection year on its page and Eve
 * has no error (nor does any other demo child). Then the permanence pages (IRO escalation, adoption
 * decision, match, reversal, previous permanence) on a second child, and the 903 page with a finding.
 * Each new page state is scanned with axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { person, previousPermanence } from '../../src/db/schema/index.ts'
import { collectionYearOf } from '../../src/domain/care/codes.ts'
import { addDays, calendarDaysBetween } from '../../src/domain/timescales/calendar/iso-date.ts'
import { becomeLookedAfter } from '../../src/services/journey/looked-after.ts'
import { CARE_START } from '../support/care.ts'
import { demoCase, demoServiceContext, demoUser, errorSummaryLinks, fillCareStart, fillDate, fillNewPlacement, isoToday, navigateBy, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

/**
 * The walk's days: after Eve's plan started (80 days ago in the demo), not after today, and all in
 * one 903 collection year (1 April to 31 March): the larger part of the last 75 days on either side
 * of a 1 April.
 */
function walkDays(today: string) {
  let from = addDays(today, -75)
  let to = today
  if (collectionYearOf(from) !== collectionYearOf(to)) {
    const april = `${collectionYearOf(from)}-04-01`
    if (calendarDaysBetween(from, april) >= calendarDaysBetween(april, to)) to = addDays(april, -1)
    else from = april
  }
  const at = (fraction: number) => addDays(from, Math.floor(calendarDaysBetween(from, to) * fraction))
  return { year: collectionYearOf(from), start: from, plan: at(0.1), move: at(0.3), missing: at(0.5), back: addDays(at(0.5), 1), end: at(0.9) }
}

const banner = (page: Page) => page.locator('[data-qa=saved-banner]').innerText()
const save = (page: Page) => sendForm(page, page.getByRole('button', { name: /^Save/ }))

/** As the analyst: the 903 findings page for the year. */
async function check903(page: Page, year: number): Promise<void> {
  await page.goto('/returns/ssda903')
  await page.getByLabel('Collection year (1 April to 31 March)').selectOption(String(year))
  await navigateBy(page, page.locator('[data-qa=check-903]'))
  assert.match(await page.locator('h1').innerText(), /Our data: SSDA903/)
}

/** The children (CHILD ids) the error findings on the 903 page name. */
async function childrenWithErrors(page: Page): Promise<string[]> {
  const tables = page.locator('[data-qa=rule-findings]').filter({ has: page.locator('caption', { hasText: 'Error' }) })
  return tables.locator('tbody tr td:first-child').allInnerTexts()
}

/** A demo child's CHILD id in the 903: their LA child id. */
async function childIdOf(c: { personId: string }): Promise<string> {
  const [p] = await app.running.database.db.select({ laChildId: person.laChildId }).from(person).where(eq(person.id, c.personId))
  assert.ok(p?.laChildId, 'a demo child has an LA child id')
  return p.laChildId
}

test('from a child protection plan into care, two placements, a missing episode, out of care: the 903 has no error', async () => {
  const days = walkDays(isoToday())
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}/looked-after`)
  await navigateBy(worker, worker.locator('[data-qa=start-looked-after]'))
  await fillCareStart(worker, { startedOn: days.start, legalStatus: 'V2', homePostcode: CARE_START.homePostcode })
  await fillNewPlacement(worker, { placeType: 'U6', provider: 'PR1', postcode: CARE_START.placementPostcode, household: 'Rowan household (fictional)' })
  // An adoption that ended needs the authority that arranged it.
  await worker.getByLabel('Did an earlier permanence order end before this?').selectOption('P1')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#laPerm'])
  assert.equal(await worker.getByLabel('Or the name of a new household or setting').inputValue(), 'Rowan household (fictional)', 'nothing typed is lost')
  await app.expectAccessible(worker, 'became looked after form: previous permanence with an error')
  await worker.getByLabel('Did an earlier permanence order end before this?').selectOption('Z1')
  await save(worker)
  assert.match(await banner(worker), /became looked after/)
  assert.match(await worker.locator('[data-qa=permanence-summary]').innerText(), /Previous permanence\s+Z1: No previous permanence option/)

  await navigateBy(worker, worker.getByRole('link', { name: 'Record the care plan agreed' }))
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#agreedOn-day', '#permanencePlan'])
  await app.expectAccessible(worker, 'care plan form with errors')
  await fillDate(worker, 'agreedOn', days.plan)
  await worker.getByLabel('The permanence plan').selectOption('return-home')
  await save(worker)
  await navigateBy(worker, worker.getByRole('link', { name: 'Allocate an IRO' }))
  await app.expectAccessible(worker, 'IRO allocation form')
  await worker.getByLabel('Independent reviewing officer').selectOption({ label: demoUser('independent-reviewing-officer').displayName })
  await fillDate(worker, 'fromOn', days.plan)
  await save(worker)
  assert.match(await worker.locator('[data-qa=permanence-summary]').innerText(), /Return to parents or family[\s\S]*Iris Reviewer/)

  await navigateBy(worker, worker.locator('[data-qa=record-move]'))
  await fillDate(worker, 'startedOn', days.move)
  await worker.getByLabel('Why did the previous placement end?').selectOption('CARPL')
  await fillNewPlacement(worker, { placeType: 'U4', provider: 'PR4', postcode: 'ZQ8 6ED', household: 'Hazel household (fictional)', urn: 'SC123456' })
  await save(worker)
  assert.equal(await worker.locator('[data-qa=placement-timeline] tbody tr').count(), 2)

  await worker.goto(`/cases/${eve.caseId}/missing/new`)
  await worker.getByLabel('Missing (where the child was not known)').check()
  await fillDate(worker, 'startedOn', days.missing)
  await worker.getByLabel('At what time?').fill('19:00')
  await fillDate(worker, 'returnedOn', days.back)
  await worker.getByLabel('At what time did the child come back?').fill('08:00')
  await save(worker)
  await navigateBy(worker, worker.getByRole('link', { name: /Record the return interview/ }))
  await fillDate(worker, 'interviewOfferedOn', days.back)
  await worker.getByRole('group', { name: 'Did the child accept it?' }).getByLabel('Yes').check()
  await fillDate(worker, 'interviewHeldOn', days.back)
  await worker.getByLabel('Who held it? (optional)').fill('Indy Pendent, Demoshire return interviews (fictional)')
  await save(worker)
  assert.match(await worker.locator('[data-qa=clock-return-home-interview]').innerText(), /Completed/)

  await worker.goto(`/cases/${eve.caseId}/looked-after`)
  await navigateBy(worker, worker.getByRole('button', { name: 'Record leaving care' }))
  await app.expectAccessible(worker, 'leaving care form')
  await fillDate(worker, 'endedOn', days.end)
  await worker.getByLabel('Why did Eve stop being looked after?').selectOption('E4A')
  await save(worker)
  assert.match(await banner(worker), /stopped being looked after/)
  assert.equal(await worker.locator('[data-qa=not-looked-after]').count(), 1)
  assert.deepEqual(await worker.locator('[data-qa=past-period-care] [data-qa=episodes] tbody tr td:nth-child(2)').allTextContents(), ['S', 'P'])

  // Eve is two, with no UPN: the 903 asks why (rule 442).
  await worker.goto(`/cases/${eve.caseId}/details/change`)
  await worker.getByLabel('Or why there is no UPN (optional)').selectOption('UN1')
  await worker.getByLabel('Why are the details changing?').fill('For the SSDA903: not of school age (fictional).')
  await app.expectAccessible(worker, 'child details form with why there is no UPN')
  await save(worker)
  assert.match(await worker.locator('[data-qa=detail-upnUnknown]').innerText(), /UN1/)

  const analyst = await app.newPage()
  await app.signIn(analyst, demoUser('performance-analyst').email)
  await analyst.goto('/returns/ssda903')
  await app.expectAccessible(analyst, 'SSDA903 page')
  await check903(analyst, days.year)
  const summary = await analyst.locator('[data-qa=ssda903-summary]').innerText()
  assert.deepEqual(await childrenWithErrors(analyst), [], `${summary}\n${await analyst.locator('main').innerText()}`)
  assert.match(summary, /Errors \(must be fixed\)\s+0/)
  await app.expectAccessible(analyst, 'SSDA903 findings with no error')
})

test('the permanence pages on a second child; the 903 page names a child with an error', async () => {
  const days = walkDays(isoToday())
  const bea = await demoCase(app, 'Bea', 'Fictional')
  const ctx = await demoServiceContext(app, 'social-worker')
  const period = await becomeLookedAfter(ctx, bea.caseId, { startedOn: days.start, legalStatus: 'C2', ...CARE_START })
  const base = `/cases/${bea.caseId}/looked-after/${period.id}`
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)

  await worker.goto(`${base}/iro-escalations/new`)
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#raisedOn-day', '#stage', '#concern'])
  await app.expectAccessible(worker, 'IRO escalation form with errors')
  await fillDate(worker, 'raisedOn', days.plan)
  await worker.getByLabel('Stage').selectOption({ index: 1 })
  await worker.getByLabel('The concern').fill('The care plan has no contact arrangements (fictional).')
  await save(worker)
  await navigateBy(worker, worker.getByRole('link', { name: /^Update/ }))
  await app.expectAccessible(worker, 'IRO escalation update form')

  await worker.goto(`${base}/adoption-decisions/new`)
  await app.expectAccessible(worker, 'adoption decision form')
  await fillDate(worker, 'decidedOn', days.move)
  await save(worker)
  await navigateBy(worker, worker.getByRole('link', { name: /^Record the match/ }))
  await fillDate(worker, 'matchedOn', days.start)
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.ok((await errorSummaryLinks(worker)).length > 0, 'the match form refuses an incomplete match')
  await app.expectAccessible(worker, 'adoption match form with errors')
  await worker.goto(`/cases/${bea.caseId}/looked-after`)
  await navigateBy(worker, worker.getByRole('link', { name: /^No longer to be placed/ }))
  await app.expectAccessible(worker, 'adoption reversal form')
  await worker.goto(`${base}/previous-permanence`)
  assert.equal(await worker.getByLabel('Previous permanence').inputValue(), 'Z1', 'the start form’s answer')
  await app.expectAccessible(worker, 'previous permanence form')
  await worker.goto(`/cases/${bea.caseId}/looked-after`)
  assert.match(await worker.locator('[data-qa=iro-escalations]').innerText(), /Open/)
  assert.match(await worker.locator('[data-qa=adoption-decisions]').innerText(), /Not yet/)
  await app.expectAccessible(worker, 'looked-after page with an escalation and an adoption decision')

  // A period recorded before the start form asked previous permanence: rule 630 names the child.
  await app.running.database.db.delete(previousPermanence).where(eq(previousPermanence.periodId, period.id))
  const analyst = await app.newPage()
  await app.signIn(analyst, demoUser('performance-analyst').email)
  await check903(analyst, days.year)
  const withErrors = await childrenWithErrors(analyst)
  assert.ok(withErrors.includes(await childIdOf(bea)) && !withErrors.includes(await childIdOf(eve)), await analyst.locator('main').innerText())
  // The analyst cannot open Bea's case: no link, her CHILD id and whom to ask.
  const rule630 = analyst.locator('[data-qa=rule-findings]').filter({ has: analyst.locator('caption', { hasText: 'Rule 630' }) })
  assert.equal(await rule630.locator('a').count(), 0)
  assert.match(await rule630.locator('[data-qa=ask-worker]').first().innerText(), /ask the child’s social worker to correct it/)
  await app.expectAccessible(analyst, 'SSDA903 findings with an error')
})
