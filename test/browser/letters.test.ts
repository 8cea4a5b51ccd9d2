/**
 * Browser (issue 18 §2): a conference invitation on Eve's case, by the social worker, scanned with
 * axe at each step: the template, the conference and the recipient chosen; an address too short
 * refused with the words kept; the letter previewed, made as a PDF kept in Documents, and sent by
 * post through the local GOV.UK Notify double (which checks the PDF as Notify would).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import { letter } from '../../src/db/schema/index.ts'
import { demoCase, demoUser, errorSummaryLinks, navigateBy, postForm, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

test('a conference invitation made and sent through the Notify double', async () => {
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}`)
  await navigateBy(worker, worker.getByRole('navigation', { name: 'Sections of this case' }).getByRole('link', { name: 'Letters' }))
  await app.expectAccessible(worker, 'letters, none yet')
  await navigateBy(worker, worker.locator('[data-qa=write-letter]'))
  await app.expectAccessible(worker, 'write a letter: choose')

  await worker.getByLabel('Template').selectOption({ label: 'Invitation to a child protection conference (English)' })
  await worker.getByLabel('What the letter is about').selectOption({ index: 1 })
  await worker.getByLabel('Someone else (type the name and address)').check()
  await postForm(worker, () => worker.getByRole('button', { name: 'Continue' }).click())
  await app.expectAccessible(worker, 'write a letter: the merged letter')
  const words = await worker.getByLabel('The letter').inputValue()
  assert.match(words, /Where: Room 2, Demoshire Civic Centre \(demo\)/)
  assert.match(words, /about Eve Pretendson/)

  // Someone else: their name is not on the record, so the page says to write it in.
  assert.match(await worker.locator('[data-qa=unfilled]').innerText(), /\(\(recipient name\)\)/)
  await worker.getByLabel('Name and address').fill('Alex Pretendson (fictional)\nZZ99 1AA')
  const edited = `${words.replace('((recipient name))', 'Alex Pretendson')}\n\nI will phone you the day before to check you can come.`
  await worker.getByLabel('The letter').fill(edited)
  await postForm(worker, () => worker.getByRole('button', { name: 'Make the letter' }).click())
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#address'])
  assert.equal(await worker.getByLabel('The letter').inputValue(), edited)
  await app.expectAccessible(worker, 'write a letter: an address too short')

  await worker.getByLabel('Name and address').fill('Alex Pretendson (fictional)\n1 Pretend Street\nDemoshire\nZZ99 1AA')
  await postForm(worker, () => worker.getByRole('button', { name: 'Preview' }).click())
  assert.match(await worker.locator('[data-qa=letter-preview]').innerText(), /I will phone you the day before/)
  await app.expectAccessible(worker, 'write a letter: the preview')

  const letterPath = await sendForm(worker, worker.getByRole('button', { name: 'Make the letter' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /kept as a PDF in Documents/)
  await app.expectAccessible(worker, 'a letter, made')

  await worker.getByLabel('First class').check()
  assert.equal(await sendForm(worker, worker.getByRole('button', { name: 'Send by post' })), letterPath)
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /sent by post/)
  assert.match(await worker.locator('[data-qa=letter-summary]').innerText(), /Sent by post through GOV.UK Notify \(first class\)/)
  assert.equal(await worker.locator('[data-qa=send-form]').count(), 0)
  await app.expectAccessible(worker, 'a letter, sent')

  const letterId = letterPath.split('/').pop()!
  const [row] = await app.running.database.db.select().from(letter).where(eq(letter.id, letterId))
  assert.deepEqual([row!.status, row!.provider, row!.postage], ['sent', 'local', 'first'])

  await navigateBy(worker, worker.getByRole('link', { name: 'All letters' }))
  assert.match(await worker.locator('[data-qa=letters]').innerText(), /Alex Pretendson \(fictional\)[\s\S]*Sent by post/)
  await app.expectAccessible(worker, 'letters, one sent')
})
