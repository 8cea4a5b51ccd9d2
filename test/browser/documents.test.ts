/**
 * Browser (issue 18 §1): documents on Eve's case, by the social worker, scanned with axe: a
 * refused file (an HTML page named .pdf) is an error on the files field with what was typed kept,
 * two files uploaded at once, a new version of one added (the first kept), and a version
 * downloaded as an attachment, byte for byte; and the administrator's kinds of document, a kind
 * added there then offered on the upload form.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, test } from 'node:test'
import { demoCase, demoUser, errorSummaryLinks, fillDate, navigateBy, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
})
after(async () => {
  await app?.close()
})

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% A fictional school report\n%%EOF\n')

test('two files uploaded at once, a new version added, a version downloaded', async () => {
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}`)
  await navigateBy(worker, worker.getByRole('navigation', { name: 'Sections of this case' }).getByRole('link', { name: 'Documents' }))
  await app.expectAccessible(worker, 'documents, none yet')
  await navigateBy(worker, worker.locator('[data-qa=upload-documents]'))
  await app.expectAccessible(worker, 'upload documents')

  await worker.getByLabel('Title').fill('School report for the strategy discussion')
  await worker.getByLabel('Kind of document').selectOption('report-from-partner')
  assert.equal(await worker.getByLabel('About').locator('option:checked').innerText(), 'The case as a whole')
  await fillDate(worker, 'datedOn', '2026-11-02')
  await worker.getByLabel('Who it came from (optional)').fill('Hill Primary School (fictional)')
  await worker.getByLabel('Files').setInputFiles([{ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><html><body>Not a PDF</body></html>') }])
  await navigateBy(worker, worker.getByRole('button', { name: 'Upload' }))
  assert.deepEqual((await errorSummaryLinks(worker)).map((l) => l[1]), ['#files'])
  assert.equal(await worker.getByLabel('Title').inputValue(), 'School report for the strategy discussion')
  assert.equal(await worker.getByLabel('Who it came from (optional)').inputValue(), 'Hill Primary School (fictional)')
  await app.expectAccessible(worker, 'upload documents, a refused file')

  await worker.getByLabel('Files').setInputFiles([
    { name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF },
    { name: 'attendance.txt', mimeType: 'text/plain', buffer: Buffer.from('Attendance 82% this term (fictional).\n') },
  ])
  await navigateBy(worker, worker.getByRole('button', { name: 'Upload' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /uploaded/)
  assert.equal(await worker.locator('[data-qa^=versions-]').count(), 2)
  await app.expectAccessible(worker, 'documents, two uploaded')

  const textVersions = worker.locator('[data-qa^=versions-]').filter({ hasText: 'attendance.txt' })
  const documentId = (await textVersions.getAttribute('data-qa'))!.slice('versions-'.length)
  await navigateBy(worker, worker.locator(`a[href="/cases/${eve.caseId}/documents/${documentId}/versions/new"]`))
  await app.expectAccessible(worker, 'upload a new version')
  await worker.getByLabel('File', { exact: true }).setInputFiles([{ name: 'attendance-corrected.txt', mimeType: 'text/plain', buffer: Buffer.from('Attendance 84% this term (fictional).\n') }])
  await navigateBy(worker, worker.getByRole('button', { name: 'Upload' }))
  assert.match(await worker.locator('[data-qa=saved-banner]').innerText(), /earlier versions are kept/)
  const versions = await worker.locator('[data-qa^=versions-]').allInnerTexts()
  assert.ok(versions.some((t) => /attendance-corrected\.txt[\s\S]*attendance\.txt/.test(t)), 'both versions listed, newest first')
  await app.expectAccessible(worker, 'documents, a second version')

  const [download] = await Promise.all([worker.waitForEvent('download'), worker.getByRole('link', { name: /report\.pdf/ }).click()])
  assert.equal(download.suggestedFilename(), 'report.pdf')
  assert.ok((await readFile((await download.path())!)).equals(PDF), 'the same bytes')
})

test('an administrator adds a kind of document, with its own limit, and the upload form offers it', async () => {
  const admin = await app.newPage()
  await app.signIn(admin, demoUser('administrator').email)
  await admin.goto('/admin/document-kinds')
  await app.expectAccessible(admin, 'kinds of document')
  await navigateBy(admin, admin.locator('[data-qa=add-kind]'))
  await app.expectAccessible(admin, 'add a kind of document')
  await admin.getByLabel('Name').fill('Minutes of a meeting')
  await admin.getByLabel('Largest file').fill('5')
  await navigateBy(admin, admin.getByRole('button', { name: 'Save the kind' }))
  assert.match(await admin.locator('[data-qa=kind-minutes-of-a-meeting]').innerText(), /Minutes of a meeting[\s\S]*5 MB[\s\S]*Yes/)

  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}/documents/new`)
  assert.ok((await worker.getByLabel('Kind of document').locator('option').allInnerTexts()).includes('Minutes of a meeting (up to 5 MB)'))
})
