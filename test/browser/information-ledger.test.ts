/**
 * Browser (issue 17 §4): on Eve's case, the social worker records an urgent share before its
 * lawful basis, sees it outstanding on the sharing page and the overview, and completes it (an
 * error first); then records pre-proceedings with care proceedings issued, which asks for the
 * family group decision-making offer or why none was made. Every page scanned with axe.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays } from '../../src/domain/timescales/calendar/iso-date.ts'
import { demoCase, demoUser, errorSummaryLinks, fillDate, isoToday, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

test('an urgent share’s basis is outstanding until the worker records it', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}/information-sharing`)
  const form = worker.locator('[data-qa=share-form]')
  await form.locator('input[name=decision][value=shared]').check()
  await form.locator('input[name=urgent][value=yes]').check()
  await fillDate(worker, 'decidedOn', today)
  await worker.getByLabel('What information').fill('Eve’s address and the concern (fictional)')
  await worker.getByLabel('With whom (name and role, or organisation)').fill('Duty sergeant, police')
  await worker.getByLabel('Why', { exact: true }).fill('Eve was at risk that evening (fictional)')
  await form.locator('input[name=specialCategory][value=yes]').check()
  await worker.getByLabel('Consent not sought').check()
  await worker.getByLabel('Why consent was refused or not sought').fill('Asking would have put Eve at risk (fictional)')
  await navigateBy(worker, worker.getByRole('button', { name: 'Record the decision' }))
  assert.match(await worker.locator('[data-qa=outstanding-bases]').innerText(), /1 urgent share needs its lawful basis recorded/)
  assert.equal(await worker.locator('[data-qa=basis-outstanding]').count(), 1)
  await app.expectAccessible(worker, 'information sharing with a basis to be recorded')

  await worker.goto(`/cases/${eve.caseId}`)
  assert.match(await worker.locator('[data-qa=outstanding-bases]').innerText(), /lawful basis recorded/)
  await navigateBy(worker, worker.locator('[data-qa=outstanding-bases] a'))
  await navigateBy(worker, worker.getByRole('link', { name: /Record the basis/ }))
  await app.expectAccessible(worker, 'record the lawful basis of an urgent share')
  assert.match(await worker.locator('[data-qa=share]').innerText(), /Duty sergeant/)
  await navigateBy(worker, worker.getByRole('button', { name: 'Record the basis' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#article6Basis'])
  await app.expectAccessible(worker, 'the basis form with its errors')
  await worker.locator('#article6Basis').selectOption('public-task')
  await worker.locator('#article9Condition').selectOption('safeguarding-children')
  await navigateBy(worker, worker.getByRole('button', { name: 'Record the basis' }))
  assert.match(await worker.locator('.govuk-notification-banner--success').innerText(), /The lawful basis was recorded/)
  assert.equal(await worker.locator('[data-qa=outstanding-bases]').count(), 0)
  assert.equal(await worker.locator('[data-qa=basis-outstanding]').count(), 0)
  assert.match(await worker.locator('[data-qa=shares]').innerText(), /Article 6\(1\)\(e\) public task; Article 9\(2\)\(g\)/)
  await worker.goto(`/cases/${eve.caseId}`)
  assert.equal(await worker.locator('[data-qa=outstanding-bases]').count(), 0)
})

test('issuing care proceedings asks for the family group decision-making offer, or why none was made', async () => {
  const today = isoToday()
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}/pre-proceedings/new`)
  await app.expectAccessible(worker, 'record pre-proceedings, with the family group decision-making offer')
  await fillDate(worker, 'decisionOn', addDays(today, -30))
  await worker.locator('input[name=fgdmOffered][value=no]').check()
  await fillDate(worker, 'proceedingsIssuedOn', addDays(today, -1))
  await worker.getByLabel('Care proceedings issued').check()
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#fgdmNotOfferedReason'])
  await app.expectAccessible(worker, 'proceedings issued without the offer')
  await worker.getByLabel('Why no meeting was offered (if not offered)').fill('A meeting would not be in Eve’s best interests (fictional)')
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=pre-proceedings]').innerText(), /Family group decision-making offered\s+No: A meeting would not be in Eve’s best interests/)
  await app.expectAccessible(worker, 'looked after and pre-proceedings, with the reason no meeting was offered')
})
