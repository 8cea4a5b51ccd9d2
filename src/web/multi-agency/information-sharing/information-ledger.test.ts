/**
 * The sharing ledger and the family group decision-making offer through HTTP (issue 17 §4): an
 * urgent share's basis completed in the API (200, a stale version 409, a missing basis 422) and on
 * its page; the managers' outstanding list; pre-proceedings issued without the offer is a 422.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'
import type { Role } from '../../../domain/access/roles.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

async function signedIn(roles: Role[] = ['social-worker']) {
  const user = await world.user(roles)
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  const me = await agent.get('/api/v1/me').expect(200)
  return { agent, user, csrf: me.body.csrfToken as string }
}

const urgent = {
  decision: 'shared',
  decidedOn: '2026-11-19',
  information: 'The address (fictional)',
  recipient: 'Duty sergeant',
  purpose: 'Risk that evening',
  consent: 'not-sought',
  consentReason: 'It would have put the child at risk',
  urgent: 'yes',
  specialCategory: 'no',
}

describe('the lawful basis of an urgent share, later', () => {
  test('API: outstanding on the case, completed at the version read (409 when stale, 422 without a basis); the managers’ list; the page', async () => {
    const s = await signedIn()
    const { caseId } = await world.childCase({ worker: s.user.userId })
    const share = await s.agent.post(`/api/v1/cases/${caseId}/information-sharing`).set('x-csrf-token', s.csrf).send(urgent).expect(201)
    assert.equal(share.body.article6Basis, null)
    const listed = await s.agent.get(`/api/v1/cases/${caseId}/information-sharing`).expect(200)
    assert.equal(listed.body[0].basisOutstanding, true)
    assert.equal((await s.agent.get(`/api/v1/cases/${caseId}`).expect(200)).body.outstandingBases, 1)

    const path = `/api/v1/cases/${caseId}/information-sharing/${share.body.id}/basis`
    const missing = await s.agent.put(path).set('x-csrf-token', s.csrf).send({ version: 1, specialCategory: 'no' }).expect(422)
    assert.ok(missing.body.errors.article6Basis)
    await s.agent.put(path).set('x-csrf-token', s.csrf).send({ version: 9, article6Basis: 'public-task', specialCategory: 'no' }).expect(409)
    const manager = await signedIn(['team-manager'])
    const outstanding = await manager.agent.get('/api/v1/information-sharing/outstanding').expect(200)
    assert.ok(outstanding.body.items.some((x: { id: string }) => x.id === share.body.id))
    await s.agent.get('/api/v1/information-sharing/outstanding').expect(403)
    const page = $((await manager.agent.get('/information-sharing/outstanding').expect(200)).text)
    assert.equal(page(`a[href="/cases/${caseId}/information-sharing"]`).length, 1, 'the row links to the case')
    assert.equal(page('[data-qa=basis-outstanding]').length >= 1, true)
    await s.agent.get('/information-sharing/outstanding').expect(403)

    const done = await s.agent.put(path).set('x-csrf-token', s.csrf).send({ version: 1, article6Basis: 'public-task', specialCategory: 'no' }).expect(200)
    assert.equal(done.body.article6Basis, 'public-task')
    assert.equal((await s.agent.get(`/api/v1/cases/${caseId}`).expect(200)).body.outstandingBases, 0)
    await s.agent.put(path).set('x-csrf-token', s.csrf).send({ version: 2, article6Basis: 'public-task', specialCategory: 'no' }).expect(422)
  })

  test('pages: the form for an outstanding basis, a stale version shown as a conflict; someone who may only read the case is refused the form', async () => {
    const s = await signedIn()
    const { caseId } = await world.childCase({ worker: s.user.userId })
    const share = await s.agent.post(`/api/v1/cases/${caseId}/information-sharing`).set('x-csrf-token', s.csrf).send(urgent).expect(201)
    const formPath = `/cases/${caseId}/information-sharing/${share.body.id}/basis`
    const list = $((await s.agent.get(`/cases/${caseId}/information-sharing`).expect(200)).text)
    assert.equal(list(`a[href="${formPath}"]`).length, 1)
    const stale = await submitForm(s.agent, formPath, formPath, { version: '5', article6Basis: 'vital-interests', specialCategory: 'no', article9Condition: '' })
    assert.equal(stale.status, 409)
    assert.equal($(stale.text)('[data-qa=edit-conflict]').length, 1)
    const saved = await submitForm(s.agent, formPath, formPath, { version: '1', article6Basis: 'vital-interests', specialCategory: 'no', article9Condition: '' })
    assert.equal(saved.status, 302)
    assert.equal(saved.headers.location, `/cases/${caseId}/information-sharing?saved=basis`)
    const auditor = await signedIn(['auditor'])
    await auditor.agent.get(formPath).expect(403)
  })
})

describe('the family group decision-making offer', () => {
  test('API: issuing proceedings without the offer or a reason is 422 naming the field; with the reason, 201', async () => {
    const s = await signedIn()
    const { caseId } = await world.childCase({ worker: s.user.userId })
    const body = { decisionOn: '2026-09-01', fgdmOffered: false, proceedingsIssuedOn: '2026-10-05', outcome: 'B' }
    const refused = await s.agent.post(`/api/v1/cases/${caseId}/pre-proceedings`).set('x-csrf-token', s.csrf).send(body).expect(422)
    assert.ok(refused.body.errors.fgdmNotOfferedReason, JSON.stringify(refused.body))
    const made = await s.agent
      .post(`/api/v1/cases/${caseId}/pre-proceedings`)
      .set('x-csrf-token', s.csrf)
      .send({ ...body, fgdmNotOfferedReason: 'Not in the child’s best interests (fictional)' })
      .expect(201)
    assert.equal(made.body.fgdmNotOfferedReason, 'Not in the child’s best interests (fictional)')
    const offered = await s.agent
      .patch(`/api/v1/cases/${caseId}/pre-proceedings/${made.body.id}`)
      .set('x-csrf-token', s.csrf)
      .send({ version: 1, fgdmOffered: true, fgdmOfferedOn: null, fgdmNotOfferedReason: null })
      .expect(422)
    assert.ok(offered.body.errors.fgdmOfferedOn)
  })
})
