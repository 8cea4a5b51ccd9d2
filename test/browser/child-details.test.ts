/**
 * A child's own details and address with history (issue 17, section 1), in Chromium: the demo
 * social worker opens Eve's details from the overview, changes her last name with the reason,
 * records her move to a new address with her mother living there too, and sees the earlier name
 * and address kept with their dates, who changed them and why; the overview shows the new address.
 * Every page is scanned with axe-core.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import { person } from '../../src/db/schema/index.ts'
import { familyMemberInput } from '../../src/services/journey/family-input.ts'
import { addFamilyMember } from '../../src/services/journey/family.ts'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { formatDate } from '../../src/web/common/nunjucks.ts'
import { demoCase, demoServiceContext, demoUser, errorSummaryLinks, fillDate, isoToday, mainText, navigateBy, postForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let caseId: string

before(async () => {
  app = await startBrowserApp()
  const eve = await demoCase(app, 'Eve', 'Pretendson')
  caseId = eve.caseId
  // An address held before its history was kept (the demo may already have given Eve one with history).
  await app.running.database.db.update(person).set({ address: '7 Imaginary Close, Demoshire', postcode: 'ZZ99 3CC' }).where(eq(person.id, eve.personId))
  const ctx = await demoServiceContext(app, 'social-worker')
  await addFamilyMember(
    ctx,
    caseId,
    familyMemberInput.parse({
      person: { givenName: 'Mara', familyName: 'Pretendson', dateOfBirth: '1998-04-05', sex: 'F' },
      kind: 'parent',
      sameHousehold: 'yes',
      parentalResponsibility: 'yes',
      notes: '',
    }),
  )
})
after(async () => {
  await app?.close()
})

test('the social worker changes the child’s name and address; the history shows the earlier ones', async () => {
  const page = await app.newPage()
  await app.signIn(page, demoUser('social-worker').email)
  await page.goto(`${app.url}/cases/${caseId}`)
  await navigateBy(page, page.locator('[data-qa=details-link]'))
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/details`)
  assert.match(await page.locator('[data-qa=detail-familyName]').innerText(), /Pretendson/)
  await app.expectAccessible(page, 'the child’s details before any change')

  // The name: a reason is asked for; saved, the earlier name is kept.
  await navigateBy(page, page.locator('[data-qa=change-details]'))
  await app.expectAccessible(page, 'the change of details form')
  await page.getByLabel('Last name').fill('Brightwater')
  const refused = await postForm(page, () => page.getByRole('button', { name: 'Save the details' }).click())
  assert.equal(refused.status(), 400)
  assert.deepEqual(await errorSummaryLinks(page), [['Enter why the details changed', '#reason']])
  assert.equal(await page.getByLabel('Last name').inputValue(), 'Brightwater', 'what was typed is kept')
  await app.expectAccessible(page, 'the change of details form with an error')
  await page.getByLabel('Why are the details changing?').fill('Name changed by deed poll (fictional)')
  const saved = await postForm(page, () => page.getByRole('button', { name: 'Save the details' }).click())
  assert.equal(saved.status(), 302)
  assert.match(await page.locator('[data-qa=saved]').innerText(), /details were saved/)
  assert.match(await page.locator('[data-qa=detail-familyName]').innerText(), /Brightwater/)
  const history = (await page.locator('[data-qa=details-history]').innerText()).replace(/\s+/g, ' ')
  assert.match(history, /Last name Pretendson .*Brightwater/)
  assert.match(history, new RegExp(`${demoUser('social-worker').displayName.replace(/[()]/g, '\\$&')}: Name changed by deed poll \\(fictional\\)`))
  await app.expectAccessible(page, 'the child’s details with their history')

  // The address: a move, with her mother living there too. The address held now is kept as an earlier one.
  const held = page.locator('[data-qa=addresses] tbody tr').first()
  const earlier = (await held.count()) ? (await held.locator('td').first().innerText()).replace('Current', '').replace(/\s+/g, ' ').trim() : '7 Imaginary Close, Demoshire ZZ99 3CC'
  await navigateBy(page, page.locator('[data-qa=new-address]'))
  await app.expectAccessible(page, 'the new address form')
  const moved = addDays(isoToday(), -3)
  await page.getByLabel('Address', { exact: true }).fill('12 Fictional Gardens\nDemoshire')
  await page.getByLabel('Postcode').fill('zz99 4dd')
  await fillDate(page, 'fromDate', moved)
  assert.ok(await page.getByLabel(/Mara Pretendson/).isChecked(), 'the household is offered, ticked')
  await page.getByLabel('Why has the address changed?').fill('Moved with her mother to a new tenancy')
  const movedResponse = await postForm(page, () => page.getByRole('button', { name: 'Save the address' }).click())
  assert.equal(movedResponse.status(), 302)
  const rows = (await page.locator('[data-qa=addresses] tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim())
  assert.ok(rows.length >= 2, rows.join(' | '))
  assert.match(rows[0]!, new RegExp(`Current 12 Fictional Gardens Demoshire ZZ99 4DD ${formatDate(moved)} Now Mara Pretendson`))
  assert.ok(rows[1]!.startsWith(earlier), `${rows[1]} starts with ${earlier}`)
  assert.match(rows[1]!, new RegExp(` ${formatDate(moved)} `), 'the earlier address ends the day the new one starts')
  await app.expectAccessible(page, 'the child’s details with their address history')

  await page.goto(`${app.url}/cases/${caseId}`)
  assert.match((await page.locator('[data-qa=summary-address]').innerText()).replace(/\s+/g, ' '), /12 Fictional Gardens Demoshire ZZ99 4DD/)
  assert.match(await mainText(page), /Eve Brightwater/)
})
