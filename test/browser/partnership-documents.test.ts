/**
 * Browser (issue 18 §1): documents on the partnership's own records, scanned with axe. The
 * designated officer uploads a report to the demo LADO case (listed on the case's page and its
 * documents page, downloaded byte for byte); the business unit uploads to the demo practice review;
 * and a record of a child's case lists the documents about it, and a document's "About" is changed.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ladoCase, practiceReview } from '../../src/db/schema/index.ts'
import { documentDetails } from '../../src/services/records/documents-input.ts'
import { recordsForCaseDocuments, uploadDocuments } from '../../src/services/records/documents.ts'
import { demoCase, demoServiceContext, demoUser, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let app: BrowserApp
let dir: string
before(async () => {
  app = await startBrowserApp()
  dir = await mkdtemp(join(tmpdir(), 'partnership-documents-browser-'))
})
after(async () => {
  await app?.close()
  await rm(dir, { recursive: true, force: true })
})

const PDF = (what: string) => Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% ${what}\n%%EOF\n`)

/** Uploads one file on the upload page it is on, and lands on the documents list. */
async function upload(page: Page, title: string, name: string, bytes: Buffer) {
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Kind of document').selectOption('report-from-partner')
  await page.getByLabel('Files').setInputFiles([{ name, mimeType: 'application/pdf', buffer: bytes }])
  await navigateBy(page, page.getByRole('button', { name: 'Upload' }))
  assert.match(await page.locator('[data-qa=saved-banner]').innerText(), /uploaded/)
}

async function downloaded(page: Page, name: RegExp): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()])
  return readFile((await download.path())!)
}

test('the designated officer uploads a report to a LADO case, sees it on the case and downloads it', async () => {
  const [lado] = await app.running.database.db.select({ id: ladoCase.id }).from(ladoCase).where(eq(ladoCase.subjectName, 'Jordan Sample (fictional)'))
  const officer = await app.newPage()
  await app.signIn(officer, demoUser('designated-officer').email)
  await officer.goto(`/partnership/lado/${lado!.id}`)
  assert.match(await officer.locator('[data-qa=owner-documents-none]').innerText(), /No documents/)
  await navigateBy(officer, officer.locator('[data-qa=upload-about]'))
  await app.expectAccessible(officer, 'upload documents to a LADO case')
  const bytes = PDF('The employer’s investigation report (fictional)')
  await upload(officer, 'Employer’s investigation report', 'investigation.pdf', bytes)
  await app.expectAccessible(officer, 'documents of a LADO case')
  assert.ok((await downloaded(officer, /investigation\.pdf/)).equals(bytes), 'the same bytes')
  await navigateBy(officer, officer.getByRole('link', { name: 'Back to the LADO case' }))
  assert.match(await officer.locator('[data-qa=owner-documents]').innerText(), /Employer’s investigation report[\s\S]*Report from a partner agency/i)
  await app.expectAccessible(officer, 'a LADO case listing its documents')
})

test('the business unit uploads to a practice review and downloads it', async () => {
  const [review] = await app.running.database.db.select({ id: practiceReview.id }).from(practiceReview).where(eq(practiceReview.title, 'Child B (fictional)'))
  const unit = await app.newPage()
  await app.signIn(unit, demoUser('business-unit').email)
  await unit.goto(`/partnership/reviews/${review!.id}`)
  await navigateBy(unit, unit.locator('[data-qa=all-documents]'))
  await navigateBy(unit, unit.locator('[data-qa=upload-documents]'))
  const bytes = PDF('The reviewer’s first draft (fictional)')
  await upload(unit, 'Reviewer’s first draft', 'draft.pdf', bytes)
  assert.equal(await unit.locator('[data-qa^=versions-]').count(), 1)
  assert.ok((await downloaded(unit, /draft\.pdf/)).equals(bytes), 'the same bytes')
  await unit.goto(`/partnership/reviews/${review!.id}`)
  assert.match(await unit.locator('[data-qa=owner-documents]').innerText(), /Reviewer’s first draft/)
  await app.expectAccessible(unit, 'a practice review listing its documents')
})

test("a record of a child's case lists the documents about it; what a document is about can be changed", async () => {
  const eve = await demoCase(app, 'Eve', 'Pretendson')
  const ctx = await demoServiceContext(app, 'social-worker')
  const { records } = await recordsForCaseDocuments(ctx, eve.caseId)
  const record = records.find((r) => r.kind !== 'referral') ?? records[0]!
  const path = join(dir, 'minutes.pdf')
  await writeFile(path, PDF('Minutes (fictional)'))
  const [doc] = await uploadDocuments(ctx, eve.caseId, documentDetails.parse({ title: 'Minutes from the school (fictional)', kind: 'report-from-partner', recordKind: record.kind, recordId: record.id }), [{ name: 'minutes.pdf', path }])

  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(record.link)
  const listed = record.kind === 'referral' ? `[data-qa=documents-about-${record.id}]` : '[data-qa=documents-about]'
  assert.match(await worker.locator(listed).innerText(), /Minutes from the school \(fictional\)/)
  await app.expectAccessible(worker, `a ${record.kind} listing the documents about it`)

  await worker.goto(`/cases/${eve.caseId}/documents/${doc!.id}/about`)
  assert.equal(await worker.getByLabel('About', { exact: true }).locator('option:checked').innerText(), record.text)
  await app.expectAccessible(worker, 'what a document is about')
  await worker.getByLabel('About', { exact: true }).selectOption({ label: 'The case as a whole' })
  await navigateBy(worker, worker.getByRole('button', { name: 'Save' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /was changed/)
  assert.equal(await worker.locator(`[data-qa=about-${doc!.id}]`).count(), 0, 'about the case as a whole')
  await worker.goto(record.link)
  assert.doesNotMatch(await worker.locator('main').innerText(), /Minutes from the school \(fictional\)/)
})
