/**
 * Browser journey (issue 17, section 2): access administration in the demo partnership. The
 * assessment team's manager opens "Who can see this record" for the restricted Dee Notreal, records
 * the school's involvement, restricts Bea Fictional's record with a reason, and allocates Dee to
 * the social worker giving the permission in the same step; the social worker, who was refused
 * Dee before, then opens her case. Every new page is scanned with axe-core. The tests run in order.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { demoCase, demoUser, fillDate, isoToday, mainText, navigateBy, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let dee: string
let bea: string
let manager: Page

before(async () => {
  app = await startBrowserApp()
  dee = (await demoCase(app, 'Dee', 'Notreal')).caseId
  bea = (await demoCase(app, 'Bea', 'Fictional')).caseId
})
after(async () => {
  await app?.close()
})

const h1 = async (page: Page) => (await page.locator('h1').innerText()).trim()
const holderAccess = (page: Page, name: string) => page.locator('[data-qa=holder]', { hasText: name }).getAttribute('data-access')

test('before: the social worker is refused Dee and told who can give permission', async () => {
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  const response = await worker.goto(`/cases/${dee}`)
  assert.equal(response?.status(), 403)
  assert.match(await mainText(worker), /This is a restricted record\. Ask a manager of the case’s team to give you explicit permission/)
})

test('the manager sees who can see Dee’s record and why, and records the school’s involvement', async () => {
  manager = await app.newPage()
  await app.signIn(manager, demoUser('team-manager').email)
  await manager.goto(`/cases/${dee}`)
  await navigateBy(manager, manager.locator('[data-qa=who-can-see-link]'))
  assert.equal(new URL(manager.url()).pathname, `/cases/${dee}/access`)
  assert.match(await mainText(manager), /This record is restricted/)
  assert.match(await mainText(manager), /A relative of the family works in the council’s children’s services/)
  assert.equal(await holderAccess(manager, 'Tam Manager'), 'record')
  assert.equal(await holderAccess(manager, 'Sam Worker'), 'needs-permission')
  await app.expectAccessible(manager, 'who can see this record')

  await navigateBy(manager, manager.locator('[data-qa=record-involvement]'))
  assert.match(await h1(manager), /Dee Notreal\s*: Record an agency’s involvement/)
  await app.expectAccessible(manager, 'record an agency’s involvement')
  await manager.locator('#agencyId').selectOption({ label: 'Oakfield Primary School (demo)' })
  await manager.getByLabel('The agency’s part in the case').fill('School (designated safeguarding lead)')
  await manager.getByLabel('Why the agency is involved').fill('Dee attends the school, which shares attendance (fictional).')
  await fillDate(manager, 'startedOn', isoToday())
  assert.equal(await sendForm(manager, manager.locator('[data-qa=save-involvement]')), `/cases/${dee}/access`)
  assert.match(await mainText(manager), /The agency’s involvement was recorded/)
  assert.match(await manager.locator('[data-qa=involvement][data-current=yes]').innerText(), /Oakfield Primary School \(demo\)/)
  // Ending it is a page of its own (scanned, not sent here).
  await navigateBy(manager, manager.locator('[data-qa=involvement][data-current=yes] a'))
  assert.match(await h1(manager), /End the involvement of Oakfield Primary School \(demo\)/)
  await app.expectAccessible(manager, 'end an involvement')
})

test('the manager restricts Bea’s record with a reason', async () => {
  await manager.goto(`/cases/${bea}/access`)
  await navigateBy(manager, manager.locator('[data-qa=change-restriction]'))
  await app.expectAccessible(manager, 'restriction')
  await manager.getByLabel('Yes, restrict it').check()
  await manager.getByLabel('Why').fill('Bea’s mother has started work in the assessment team (fictional).')
  assert.equal(await sendForm(manager, manager.locator('[data-qa=save-restriction]')), `/cases/${bea}/access`)
  assert.match(await mainText(manager), /The record is now restricted/)
  // Sam, Bea's allocated worker, now needs permission like everyone else.
  assert.equal(await holderAccess(manager, 'Sam Worker'), 'needs-permission')
  await app.expectAccessible(manager, 'who can see this record (restricted)')
})

test('the manager allocates Dee to the social worker, giving the permission in the same step', async () => {
  await manager.goto(`/cases/${dee}/allocation`)
  await app.expectAccessible(manager, 'allocation of a restricted case')
  await manager.getByLabel(/Sam Worker/).check()
  assert.equal(await manager.locator('[data-qa=give-permission]').isChecked(), true)
  await fillDate(manager, 'permissionEndsOn', addDays(isoToday(), 90))
  await manager.getByLabel('Why the worker needs to see this record').fill('Allocated worker for Dee’s early help plan (fictional).')
  await sendForm(manager, manager.locator('[data-qa=allocate]'))
  await manager.goto(`/cases/${dee}/access`)
  assert.equal(await holderAccess(manager, 'Sam Worker'), 'record')
  assert.match(await manager.locator('[data-qa=permission][data-in-force=yes]', { hasText: 'Sam Worker' }).innerText(), /Allocated worker for Dee’s early help plan/)

  // Permission for someone else, on its own form; then the withdrawal page (scanned, not sent).
  await navigateBy(manager, manager.locator('[data-qa=give-permission]'))
  await app.expectAccessible(manager, 'give permission')
  const fran = await manager.locator('#userId option', { hasText: 'Fran Door (demo)' }).getAttribute('value')
  await manager.locator('#userId').selectOption(fran!)
  await manager.getByLabel('Why they need to see this record').fill('Covering the front door enquiry about Dee (fictional).')
  await fillDate(manager, 'endsOn', addDays(isoToday(), 7))
  assert.equal(await sendForm(manager, manager.locator('[data-qa=save-permission]')), `/cases/${dee}/access`)
  assert.match(await mainText(manager), /Permission was given/)
  await navigateBy(manager, manager.locator('[data-qa=permission][data-in-force=yes] a').first())
  assert.match(await h1(manager), /Withdraw .*’s permission/)
  await app.expectAccessible(manager, 'withdraw a permission')
})

test('the social worker then opens Dee’s case, by explicit permission', async () => {
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  const response = await worker.goto(`/cases/${dee}`)
  assert.equal(response?.status(), 200)
  assert.equal(await h1(worker), 'Dee Notreal')
  assert.match(await mainText(worker), /You can see this record because: explicit permission\./)
  await app.expectAccessible(worker, 'restricted case opened by permission')
})

test('the auditor sees who can see Dee’s records now, beside who has looked', async () => {
  const auditor = await app.newPage()
  await app.signIn(auditor, demoUser('auditor').email)
  const personId = (await demoCase(app, 'Dee', 'Notreal')).personId
  await auditor.goto(`/audit/people/${personId}`)
  assert.match(await auditor.locator('[data-qa=who-can-see]').innerText(), /Sam Worker \(demo\)[\s\S]*with explicit permission/)
  assert.match(await mainText(auditor), /Gave explicit permission to see the case/)
  await app.expectAccessible(auditor, 'access history with who can see the record')
})
