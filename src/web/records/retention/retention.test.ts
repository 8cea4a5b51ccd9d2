/**
 * Retention pages and API (issue 18 §4): the schedules with their unconfirmed defaults, the form
 * keeping what was typed on an error, the review list, the two-person erasure through the pages,
 * a hold refusing an approval, and the same operations in the JSON API.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, apiClient, openTestApp, problemOf, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { childCase, cinEpisode, person } from '../../../db/schema/index.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp()))
after(() => database.close())

/** A child in need case closed in 2019 of a child born in 2000: past its 25th birthday on the test day. */
async function closedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2018-06-01', referralSource: '2A', closureDate: '2019-01-31', recordedBy: worker.userId })
  await database.db.update(childCase).set({ status: 'closed', closedOn: '2019-01-31' }).where(eq(childCase.id, caseId))
  await database.db.update(person).set({ dateOfBirth: '2000-02-03' }).where(eq(person.id, personId))
  return { caseId, personId }
}

describe('pages', () => {
  test('the schedules show defaults to confirm; a wrong period is refused with what was typed kept; saving confirms it', async () => {
    const dpo = await world.user(['auditor'])
    const agent = await signedInAgent(app, dpo, PASSWORD)
    const page = $((await agent.get('/retention').expect(200)).text)
    const row = page('tr').filter((_, el) => page(el).text().includes('A contact that went no further'))
    assert.match(row.text(), /6 years from the day the record was closed\s+default — to confirm/)
    assert.match(row.text(), /LGA\/IRMS retention guidelines for local authorities — confirm locally/)

    const refused = await submitForm(agent, '/retention/schedules/contact-no-further-action', '/retention/schedules/contact-no-further-action', { basis: 'closure', years: 'seven', months: '0', source: 'Our policy 2026', version: '' })
    assert.equal(refused.status, 400)
    const form = $(refused.text)
    assert.match(form('.govuk-error-summary').text(), /Years must be a whole number/)
    assert.equal(form('#years').val(), 'seven')
    assert.equal(form('#source').val(), 'Our policy 2026')

    const saved = await submitForm(agent, '/retention/schedules/contact-no-further-action', '/retention/schedules/contact-no-further-action', { basis: 'closure', years: '7', months: '0', source: 'Our policy 2026', version: '' })
    assert.equal(saved.status, 302)
    const after = $((await agent.get('/retention').expect(200)).text)
    const confirmed = after('tr').filter((_, el) => after(el).text().includes('A contact that went no further'))
    assert.match(confirmed.text(), /7 years from the day the record was closed/)
    assert.doesNotMatch(confirmed.text(), /to confirm/)
  })

  test('a social worker may not open them', async () => {
    const sw = await world.user(['social-worker'])
    const agent = await signedInAgent(app, sw, PASSWORD)
    await agent.get('/retention').expect(403)
    await agent.get('/retention/review').expect(403)
  })

  test('one person proposes from the review list, a hold placed since blocks the approval, and once lifted a second person erases the record', async () => {
    const { caseId } = await closedCase()
    const admin = await world.user(['administrator'], { team: null })
    const dpo = await world.user(['auditor'])
    const proposer = await signedInAgent(app, admin, PASSWORD)
    const review = $((await proposer.get('/retention/review').expect(200)).text)
    assert.equal(review(`input[name=recordId][value=${caseId}]`).length, 1, 'the case is on the review list')
    const proposed = await submitForm(proposer, '/retention/review', '/retention/erasures', { recordType: 'case', recordId: caseId })
    assert.equal(proposed.status, 302)
    const erasurePath = proposed.headers.location!.replace(/\?.*$/, '')
    // The proposer sees no decision form.
    assert.equal($((await proposer.get(erasurePath).expect(200)).text)('form[action$="/decision"]').length, 0)

    const approver = await signedInAgent(app, dpo, PASSWORD)
    const placed = await submitForm(approver, '/retention/holds/new', '/retention/holds', { on: 'case', caseId, reason: 'Civil claim notified' })
    assert.equal(placed.status, 302)
    const holdPath = placed.headers.location!.replace(/\?.*$/, '')
    const blockedPage = $((await approver.get(erasurePath).expect(200)).text)
    assert.match(blockedPage('.govuk-warning-text').text(), /A legal hold covers this record/)
    const blocked = await submitForm(approver, erasurePath, `${erasurePath}/decision`, { decision: 'approve', version: '1' })
    assert.equal(blocked.status, 400)
    assert.match($(blocked.text)('.govuk-error-summary').text(), /legal hold covers this record/)

    const holdPage = await approver.get(holdPath).expect(200)
    const version = String($(holdPage.text)('input[name=version]').val())
    assert.equal((await submitForm(approver, holdPath, `${holdPath}/lift`, { reason: 'Claim withdrawn', version })).status, 302)
    const approved = await submitForm(approver, erasurePath, `${erasurePath}/decision`, { decision: 'approve', version: '1' })
    assert.equal(approved.status, 302)
    const tomb = $((await approver.get(erasurePath).expect(200)).text)
    assert.match(tomb('h1').text(), /Erased: a child's case/i)
    assert.match(tomb('.govuk-summary-list').text(), /25 years from the date of birth/)
  })

  test('the hold form says what is missing and keeps the reason typed', async () => {
    const dpo = await world.user(['auditor'])
    const agent = await signedInAgent(app, dpo, PASSWORD)
    const res = await submitForm(agent, '/retention/holds/new', '/retention/holds', { on: 'kind', kind: '', reason: 'Inquiry instruction' })
    assert.equal(res.status, 400)
    assert.match($(res.text)('.govuk-error-summary').text(), /Select the kind of record/)
    assert.equal($(res.text)('#reason').text().trim(), 'Inquiry instruction')
  })
})

describe('API', () => {
  test('propose, refuse the proposer, approve by a second person; the tombstone answers with no personal details', async () => {
    const { caseId } = await closedCase()
    const a = await apiClient(app, await world.user(['auditor']), PASSWORD)
    const b = await apiClient(app, await world.user(['auditor']), PASSWORD)
    const schedules = (await a.get('/retention/schedules').expect(200)).body as { kind: string; confirmed: boolean }[]
    assert.ok(schedules.some((s) => s.kind === 'looked-after-child' && !s.confirmed))
    const review = (await a.get('/retention/review?limit=100').expect(200)).body as { page: { items: { recordId: string }[] } }
    assert.ok(review.page.items.some((i) => i.recordId === caseId))
    const proposed = (await a.post('/retention/erasures', { recordType: 'case', recordId: caseId }).expect(201)).body as { id: string; version: number }
    problemOf(await a.post(`/retention/erasures/${proposed.id}/decision`, { decision: 'approve', version: proposed.version }), 403)
    const done = (await b.post(`/retention/erasures/${proposed.id}/decision`, { decision: 'approve', version: proposed.version }).expect(200)).body as { status: string; erased: Record<string, number> }
    assert.equal(done.status, 'erased')
    assert.equal(done.erased.person, 1)
    const hold = (await a.post('/retention/holds', { on: 'kind', kind: 'document', reason: 'Inquiry' }).expect(201)).body as { id: string; version: number }
    await a.post(`/retention/holds/${hold.id}/lift`, { reason: 'Inquiry ended', version: hold.version }).expect(200)
    problemOf(await a.put('/retention/schedules/not-a-kind', { basis: 'closure', years: 1, source: 'x' }), 404)
  })
})
