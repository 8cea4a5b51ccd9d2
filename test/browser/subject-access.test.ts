/**
 * Browser (issue 18 §3), scanned with axe: a subject access request about Eve recorded by the data
 * protection officer (an error first, what was typed kept), compiled, one item redacted with its
 * exemption, sent for approval, refused to the reviewer and approved by a team manager, the PDF
 * downloaded; and a request to correct a record of Eve's case decided by the team manager as kept,
 * its statement of disagreement then shown in the chronology.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, test } from 'node:test'
import { noteInput } from '../../src/services/journey/case-notes-input.ts'
import { addNote } from '../../src/services/journey/case-notes.ts'
import { subjectAccessItemDecision } from '../../src/services/records/subject-access-input.ts'
import { decideSubjectAccessItem, getSubjectAccessRequest } from '../../src/services/records/subject-access.ts'
import { recordLadoReferral } from '../../src/services/partnership/lado/cases.ts'
import { ladoReferral } from '../support/lado.ts'
import { demoCase, demoServiceContext, demoUser, errorSummaryLinks, fillDate, isoToday, mainText, navigateBy, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
let eve: { caseId: string; partnershipId: string; personId: string }
before(async () => {
  app = await startBrowserApp()
  eve = await demoCase(app, 'Eve', 'Pretendson')
  // A note on Eve's case (the demo's records carry no history of their own): an item of the bundle, and the record a request to correct is about.
  const note = { kind: 'note', occurredOn: isoToday(), title: 'Call from nursery (fictional)', body: 'Mother said the neighbour Sam Example (fictional) was at home.' }
  await addNote(await demoServiceContext(app, 'social-worker'), eve.caseId, noteInput.parse(note))
  // An allegation to the designated officer naming Eve as the person it is about: in the bundle, flagged for review.
  await recordLadoReferral(await demoServiceContext(app, 'designated-officer'), ladoReferral({ subjectName: 'Eve Pretendson', knownOn: isoToday(), referredOn: isoToday() }))
})
after(async () => {
  await app?.close()
})

test('a subject access request completed with a redaction, approved by a second person', async () => {
  const dpo = await app.newPage()
  await app.signIn(dpo, demoUser('auditor').email)
  await navigateBy(dpo, dpo.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Subject access' }))
  await app.expectAccessible(dpo, 'subject access requests, none yet')
  await navigateBy(dpo, dpo.locator('[data-qa=new-request]'))
  await dpo.getByLabel('Find a person by name or NHS number').fill('Pretendson')
  await navigateBy(dpo, dpo.locator('[data-qa=search]'))
  await dpo.getByLabel('Eve Pretendson').check()
  await dpo.getByLabel('Name of the person asking').fill('Pat Pretendson (fictional)')
  await dpo.getByLabel('A parent or someone with parental responsibility').check()
  await navigateBy(dpo, dpo.locator('[data-qa=record-request]'))
  const errors = (await errorSummaryLinks(dpo)).map((l) => l[1])
  assert.deepEqual(errors, ['#receivedOn-day'])
  assert.equal(await dpo.getByLabel('Name of the person asking').inputValue(), 'Pat Pretendson (fictional)')
  assert.ok(await dpo.getByLabel('Eve Pretendson').isChecked(), 'the person ticked is kept')
  await app.expectAccessible(dpo, 'new subject access request, with errors')
  await fillDate(dpo, 'receivedOn', isoToday())
  await navigateBy(dpo, dpo.locator('[data-qa=record-request]'))
  assert.deepEqual((await errorSummaryLinks(dpo)).map((l) => l[1]), ['#requesterRelationship'])
  await dpo.getByLabel(/Their relationship to the person/).fill('Mother')
  await sendForm(dpo, dpo.locator('[data-qa=record-request]'))
  assert.match(await mainText(dpo), /Due/)
  await app.expectAccessible(dpo, 'subject access request, recorded')

  await sendForm(dpo, dpo.locator('[data-qa=compile]'))
  const requestId = new URL(dpo.url()).pathname.split('/')[2]!
  assert.match(await dpo.locator('[data-qa=review-flag]').first().innerText(), /Found by name only/)
  await app.expectAccessible(dpo, 'subject access request, compiled, an item flagged for review')

  // Every item but the first case note released through the service; that one redacted on the page.
  const ctx = await demoServiceContext(app, 'auditor')
  const view = await getSubjectAccessRequest(ctx, requestId)
  const note = view.items.find((i) => i.source === 'Case note')!
  for (const item of view.items.filter((i) => i.id !== note.id)) {
    await decideSubjectAccessItem(ctx, requestId, item.id, subjectAccessItemDecision.parse({ decision: 'released', version: item.version }))
  }
  await dpo.reload()
  const card = dpo.locator(`[data-qa=item-${note.id}]`)
  await card.getByLabel('Released with parts redacted').check()
  await navigateBy(dpo, card.getByRole('button', { name: /Save the decision/ }))
  assert.deepEqual((await errorSummaryLinks(dpo)).map((l) => l[1]).sort(), ['#exemption', '#redactedText'])
  await app.expectAccessible(dpo, 'an item decision refused')
  const again = dpo.locator(`[data-qa=item-${note.id}]`)
  await again.getByLabel('Exemption relied on').selectOption('third-party')
  await again.getByLabel('The text as released, if redacted').fill(note.text.replace('Sam Example (fictional)', '[Redacted]'))
  await sendForm(dpo, again.getByRole('button', { name: /Save the decision/ }))
  assert.match(await dpo.locator(`[data-qa=item-${note.id}] [data-qa=redacted-text]`).innerText(), /\[Redacted\]/)

  await sendForm(dpo, dpo.locator('[data-qa=submit]'))
  await app.expectAccessible(dpo, 'subject access request, awaiting approval')
  // The reviewer may not approve their own review.
  await navigateBy(dpo, dpo.locator('[data-qa=approve]'))
  assert.match(await dpo.locator('[data-qa=error-approve]').innerText(), /second person/)
  await app.expectAccessible(dpo, 'approval refused to the reviewer')

  const manager = await app.newPage()
  await app.signIn(manager, demoUser('team-manager').email)
  await manager.goto(`/subject-access/${requestId}`)
  await sendForm(manager, manager.locator('[data-qa=approve]'))
  assert.match(await mainText(manager), /Completed/)
  await app.expectAccessible(manager, 'subject access request, released')
  const [download] = await Promise.all([manager.waitForEvent('download'), manager.locator('[data-qa=download-bundle]').click()])
  const pdf = await readFile((await download.path())!)
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
})

test('a request to correct a record kept with a statement of disagreement, shown in the chronology and on every page of the case', async () => {
  const worker = await app.newPage()
  await app.signIn(worker, demoUser('social-worker').email)
  await worker.goto(`/cases/${eve.caseId}/chronology`)
  await navigateBy(worker, worker.locator('[data-qa=rectifications-link]'))
  await app.expectAccessible(worker, 'requests to correct a record, none yet')
  await navigateBy(worker, worker.locator('[data-qa=new-rectification]'))
  const record = worker.getByLabel('The record to correct')
  const option = record.locator('option', { hasText: 'Call from nursery (fictional)' })
  await record.selectOption((await option.getAttribute('value'))!)
  await worker.getByLabel('Name of the person asking').fill('Pat Pretendson (fictional)')
  await fillDate(worker, 'receivedOn', isoToday())
  await worker.getByLabel('What they say is wrong').fill('I was not at home that day.')
  await worker.getByLabel('What they want it to say').fill('That I was at work.')
  await sendForm(worker, worker.locator('[data-qa=record-rectification]'))
  await app.expectAccessible(worker, 'requests to correct a record, one recorded')

  const manager = await app.newPage()
  await app.signIn(manager, demoUser('team-manager').email)
  await manager.goto(`/cases/${eve.caseId}/rectifications`)
  await manager.getByLabel(/Kept as recorded/).check()
  await navigateBy(manager, manager.getByRole('button', { name: 'Record the decision' }))
  assert.deepEqual((await errorSummaryLinks(manager)).map((l) => l[1]).sort(), ['#reason', '#statement'])
  await app.expectAccessible(manager, 'rectification decision refused')
  await manager.getByLabel('What was corrected, or why the record is kept').fill('The record is what the health visitor reported at the time.')
  await manager.getByRole('textbox', { name: /statement of disagreement/ }).fill('I was at work that day and was not at home.')
  await sendForm(manager, manager.getByRole('button', { name: 'Record the decision' }))
  assert.match(await manager.locator('[data-qa=disagreement]').innerText(), /I was at work/)

  await worker.goto(`/cases/${eve.caseId}/chronology`)
  assert.match(await worker.locator('[data-qa=disagreement]').first().innerText(), /disagrees with this record[\s\S]*I was at work/)
  await app.expectAccessible(worker, 'chronology with a statement of disagreement')
  // And on every page of the case, where the record itself is shown.
  await worker.goto(`/cases/${eve.caseId}/notes`)
  assert.match(await worker.locator('[data-qa=case-disagreements]').innerText(), /disagrees with a record[\s\S]*Call from nursery \(fictional\)[\s\S]*I was at work that day/)
  await app.expectAccessible(worker, 'notes with a statement of disagreement')
})
