import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { matchReview, person, plan, sourceRecord } from '../../../db/schema/index.ts'
import type { Actor } from '../../../services/common/context.ts'
import { importRows } from '../../../services/person-index/import-run.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let practitioner: Actor & { email: string }
before(async () => {
  ({ database, world, app } = await openTestApp(FIXED_NOW))
  practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
  const row = { source_system: 'gp', source_id: 'WG1', given_name: 'Percival', family_name: 'Thimbleton', date_of_birth: '2016-05-04', sex: 'M', nhs_number: '9990000034', postcode: 'ZZ3 3CC' }
  await importRows(database.db, { partnershipId: world.partnershipId, userId: null, now: FIXED_NOW }, [
    { line: 2, record: row },
    { line: 3, record: { ...row, source_system: 'school', source_id: 'WS1', given_name: 'Percy', nhs_number: '' } },
  ], { today: '2026-11-20' })
})
after(() => database.close())

async function signedIn(email = practitioner.email) {
  const agent = app.agent()
  await signIn(agent, email, PASSWORD)
  return agent
}

describe('the contact screen search with the person index', () => {
  test('shows each candidate with its band in words and the reasons in a details element', async () => {
    const agent = await signedIn()
    const res = await agent.get('/contacts/new?search=1&givenName=Percy&familyName=Thimbleton&dateOfBirth-day=4&dateOfBirth-month=5&dateOfBirth-year=2016').expect(200)
    const page = $(res.text)
    const [gp] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'WG1'))
    const cell = page(`[data-qa=match-${gp!.personId}]`)
    assert.match(cell.text(), /(Probable|Possible) match/)
    assert.match(cell.find('details summary').text(), /Why/)
    assert.match(cell.find('details li').text(), /‘Percy’ is a known short form of ‘Percival’/)
  })
})

describe('the review queue page', () => {
  test('lists the pair with reasons; same person links it, and unlink undoes it', async () => {
    const agent = await signedIn()
    const page = $((await agent.get('/person-review').expect(200)).text)
    const [review] = await database.db.select().from(matchReview).where(eq(matchReview.partnershipId, world.partnershipId))
    assert.ok(review, 'the nickname record was queued')
    const section = page(`[data-qa=review-${review!.id}]`)
    assert.match(section.text(), /Percy/)
    assert.match(section.text(), /Why they may be the same person/)
    const linked = await submitForm(agent, '/person-review', `/person-review/${review!.id}/link`, { version: String(review!.version) })
    assert.equal(linked.status, 303)
    const [school] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'WS1'))
    assert.equal(school!.personId, review!.candidatePersonId)
    const after = $((await agent.get(linked.headers.location as string).expect(200)).text)
    assert.match(after('.govuk-notification-banner').text(), /linked/)
    const stale = await submitForm(agent, '/person-review', `/person-review/${review!.id}/not-same`, { version: String(review!.version) })
    assert.equal(stale.status, 409)
    const noReason = await submitForm(agent, '/person-review', `/person-review/records/${school!.id}/unlink`, { reason: '' })
    assert.equal(noReason.status, 400)
    const unlinked = await submitForm(agent, '/person-review', `/person-review/records/${school!.id}/unlink`, { reason: 'A different Percy' })
    assert.equal(unlinked.status, 303)
    const [back] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.id, school!.id))
    assert.notEqual(back!.personId, review!.candidatePersonId)
    assert.ok((await database.db.select().from(person).where(eq(person.id, back!.personId!))).length === 1)
  })

  test('a child on a child protection plan: the first "same person" shows "Awaiting second reviewer" until another reviewer agrees', async () => {
    const { caseId, personId } = await world.childCase({ givenName: 'Hermione', familyName: 'Quadrangle' })
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId, kind: 'child-protection', startedOn: '2026-10-10', recordedBy: practitioner.userId })
    await importRows(database.db, { partnershipId: world.partnershipId, userId: null, now: FIXED_NOW }, [
      { line: 2, record: { source_system: 'police', source_id: 'WP-4E', given_name: 'Hermione', family_name: 'Quadrangle', date_of_birth: '2016-05-04' } },
    ], { today: '2026-11-20' })
    const [review] = await database.db.select().from(matchReview).where(eq(matchReview.candidatePersonId, personId))
    const agent = await signedIn()
    const first = await submitForm(agent, '/person-review', `/person-review/${review!.id}/link`, { version: String(review!.version) })
    assert.equal(first.status, 303)
    const mine = $((await agent.get(first.headers.location as string).expect(200)).text)
    assert.match(mine('.govuk-notification-banner').text(), /a second reviewer must agree/)
    assert.match(mine(`[data-qa=awaiting-second-${review!.id}]`).text(), /Awaiting second reviewer/)
    assert.equal(mine(`[data-qa=link-${review!.id}]`).length, 0, 'the first reviewer cannot agree with themself')
    const manager = await world.user(['team-manager'], { team: 'front-door' })
    const other = await signedIn(manager.email)
    const theirs = $((await other.get('/person-review').expect(200)).text)
    assert.match(theirs(`[data-qa=review-${review!.id}]`).text(), /Another reviewer said these are the same person/)
    const agreed = await submitForm(other, '/person-review', `/person-review/${review!.id}/link`, { version: String(review!.version + 1) })
    assert.equal(agreed.status, 303)
    const [record] = await database.db.select().from(sourceRecord).where(eq(sourceRecord.sourceId, 'WP-4E'))
    assert.equal(record!.personId, personId)
  })

  test('only roles with person:review see it in the navigation or can open it', async () => {
    const worker = await world.user(['social-worker'])
    const agent = await signedIn(worker.email)
    const home = $((await agent.get('/').expect(200)).text)
    assert.equal(home('a[href="/person-review"]').length, 0)
    assert.equal((await agent.get('/person-review')).status, 403)
    const practitionerHome = $((await (await signedIn()).get('/').expect(200)).text)
    assert.equal(practitionerHome('a[href="/person-review"]').length, 1)
  })
})
