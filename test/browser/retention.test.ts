/**
 * Browser (issue 18 §4): two closed cases past their retention date in the demo partnership. The
 * administrator proposes erasing both from the review list; the data protection officer (auditor)
 * places a legal hold on the second, approves the first (its tombstone shown) and is refused on the
 * second, the hold named. axe on every page.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { childCase, cinEpisode, person } from '../../src/db/schema/index.ts'
import { demoServiceContext, demoUser, errorSummaryLinks, mainText, navigateBy, sendForm, startBrowserApp, type BrowserApp } from './support.ts'

let app: BrowserApp
const cases: string[] = []
before(async () => {
  app = await startBrowserApp()
  const ctx = await demoServiceContext(app, 'auditor')
  const db = app.running.database.db
  for (const given of ['Ada', 'Bea']) {
    // Fictional children born in 2000 whose cases closed in 2019: past their 25th birthdays.
    const [p] = await db
      .insert(person)
      .values({ partnershipId: ctx.actor.partnershipId, givenName: given, familyName: 'Retentionson', dateOfBirth: '2000-02-03', nhsNumber: given === 'Ada' ? '9990000301' : '9990000302' })
      .returning({ id: person.id })
    const [c] = await db
      .insert(childCase)
      .values({ partnershipId: ctx.actor.partnershipId, personId: p!.id, status: 'closed', openedOn: '2018-06-01', closedOn: '2019-01-31' })
      .returning({ id: childCase.id })
    await db.insert(cinEpisode).values({ partnershipId: ctx.actor.partnershipId, caseId: c!.id, referralDate: '2018-06-01', referralSource: '2A', closureDate: '2019-01-31', recordedBy: ctx.actor.userId })
    cases.push(c!.id)
  }
})
after(async () => {
  await app?.close()
})

test('a record past retention erased by two people while a hold blocks another', async () => {
  const [erased, held] = cases as [string, string]
  const admin = await app.newPage()
  await app.signIn(admin, demoUser('administrator').email)
  await admin.goto('/retention')
  assert.match(await mainText(admin), /default — to confirm/)
  await app.expectAccessible(admin, 'retention schedules')
  await navigateBy(admin, admin.getByRole('navigation', { name: 'Retention' }).getByRole('link', { name: 'Review list' }))
  await app.expectAccessible(admin, 'review list')
  const proposals: string[] = []
  for (const id of cases) {
    await admin.goto('/retention/review?page=1')
    const path = await sendForm(admin, admin.getByRole('button', { name: `Propose erasure of case ${id}` }))
    assert.match(path, /^\/retention\/erasures\/[0-9a-f-]{36}$/)
    proposals.push(path)
  }
  assert.match(await mainText(admin), /A data protection officer other than the person who proposed it decides/)
  await app.expectAccessible(admin, 'an erasure proposed')

  const dpo = await app.newPage()
  await app.signIn(dpo, demoUser('auditor').email)
  await dpo.goto('/retention/holds')
  await navigateBy(dpo, dpo.getByRole('button', { name: 'Place a hold' }))
  await app.expectAccessible(dpo, 'place a legal hold')
  await dpo.getByLabel('A case', { exact: true }).check()
  await dpo.getByLabel('The case’s identifier').fill(held)
  await dpo.getByLabel('Why the records must be kept').fill('Civil claim notified by solicitors (fictional)')
  await sendForm(dpo, dpo.getByRole('button', { name: 'Place the hold' }))
  assert.match(await mainText(dpo), /The hold was placed/)
  await app.expectAccessible(dpo, 'a legal hold')

  // The first: approved, and its tombstone shown.
  await dpo.goto(proposals[0]!)
  await app.expectAccessible(dpo, 'an erasure to decide')
  await dpo.getByLabel('Approve: erase the record').check()
  await sendForm(dpo, dpo.getByRole('button', { name: 'Save the decision' }))
  const tomb = await mainText(dpo)
  assert.match(tomb, /The record was erased/)
  assert.match(tomb, /Erased: a child's case/)
  assert.match(tomb, /25 years from the date of birth/)
  assert.ok(tomb.includes(erased))
  assert.doesNotMatch(tomb, /Ada|Retentionson/)
  await app.expectAccessible(dpo, 'a tombstone')

  // The second: the hold placed since the proposal blocks the approval.
  await dpo.goto(proposals[1]!)
  assert.match(await mainText(dpo), /A legal hold covers this record/)
  await dpo.getByLabel('Approve: erase the record').check()
  await navigateBy(dpo, dpo.getByRole('button', { name: 'Save the decision' }))
  const links = await errorSummaryLinks(dpo)
  assert.equal(links.length, 1)
  assert.match(links[0]![0], /A legal hold covers this record \(Case [0-9a-f-]{36}\)/)
  await app.expectAccessible(dpo, 'an erasure refused by a hold')

  await dpo.goto('/retention/erasures')
  assert.match(await mainText(dpo), /Waiting for approval/)
  await app.expectAccessible(dpo, 'erasures')
})
