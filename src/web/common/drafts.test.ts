/**
 * The shared draft helper over HTTP (web/common/drafts.ts): a long form carries its draft key (the
 * form's name and its record's id), saving the record discards the draft the form sent, a form
 * shown again with errors keeps it, and nobody else's draft is touched.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../test/support/database.ts'
import { PASSWORD, World } from '../../../test/support/fixtures.ts'
import { assessment, cinEpisode } from '../../db/schema/index.ts'
import { $, dateFields, openTestApp, signIn, submitForm, type TestApp } from '../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp()))
after(() => database.close())

const TAB = 'tab-0a3c6a52-7a7e-4b7c-9d35-2f8d0c6a1e01'

async function workerWithEpisode() {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId, givenName: 'Drafty' })
  const [episode] = await database.db
    .insert(cinEpisode)
    .values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-10-01', referralSource: '3B', recordedBy: worker.userId })
    .returning()
  const agent = app.agent()
  await signIn(agent, worker.email, PASSWORD)
  const csrf = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
  return { worker, caseId, episodeId: episode!.id, agent, csrf }
}

describe('drafts of the long forms', () => {
  test('a new record’s form is drafted per tab under the case; saving it discards the draft it sent, errors keep it', async () => {
    const { caseId, episodeId, agent, csrf } = await workerWithEpisode()
    const list = $((await agent.get(`/cases/${caseId}/assessments`).expect(200)).text)
    const form = list('#start-assessment')
    assert.equal(form.attr('data-autosave'), `assessment-new:${caseId}`)
    assert.notEqual(form.attr('data-autosave-per-tab'), undefined)
    assert.notEqual(form.attr('data-autosave-restore'), undefined)

    const key = `assessment-new:${caseId}:${TAB}`
    const other = `assessment-new:${caseId}:tab-0a3c6a52-7a7e-4b7c-9d35-2f8d0c6a1e02`
    await agent.put(`/api/v1/drafts/${key}`).set('x-csrf-token', csrf).send({ kind: 'single', 'startedOn-day': '2' }).expect(200)
    await agent.put(`/api/v1/drafts/${other}`).set('x-csrf-token', csrf).send({ kind: 'single' }).expect(200)

    const invalid = await submitForm(agent, `/cases/${caseId}/assessments`, `/cases/${caseId}/assessments`, { kind: 'single', episodeId, _draftKey: key })
    assert.equal(invalid.status, 400)
    assert.equal($(invalid.text)('.govuk-error-summary').length, 1, 'the page shows what was sent, so the browser restores nothing over it')
    await agent.get(`/api/v1/drafts/${key}`).expect(200)

    const saved = await submitForm(agent, `/cases/${caseId}/assessments`, `/cases/${caseId}/assessments`, {
      kind: 'single',
      episodeId,
      ...dateFields('startedOn', '2026-10-02'),
      _draftKey: key,
    })
    assert.equal(saved.status, 302)
    await agent.get(`/api/v1/drafts/${key}`).expect(404)
    await agent.get(`/api/v1/drafts/${other}`).expect(200) // another tab's draft of the same form stays
  })

  test('a record’s form is drafted under the record; saving discards only the saver’s own draft', async () => {
    const { worker, caseId, episodeId, agent, csrf } = await workerWithEpisode()
    const [a] = await database.db
      .insert(assessment)
      .values({ partnershipId: world.partnershipId, caseId, episodeId, kind: 'single', startedOn: '2026-10-02', recordedBy: worker.userId })
      .returning()
    const path = `/cases/${caseId}/assessments/${a!.id}`
    const page = $((await agent.get(path).expect(200)).text)
    assert.equal(page('#progress-form').attr('data-autosave'), `assessment:${a!.id}`)
    assert.equal(page('#progress-form').attr('data-autosave-per-tab'), undefined, 'one draft per record: its version check catches two tabs')
    assert.equal(page('#completion-form').attr('data-autosave'), `assessment-completion:${a!.id}`)

    // A manager who can see the case keeps a draft under the same key: it is theirs alone.
    const manager = await world.user(['team-manager'])
    const managerAgent = app.agent()
    await signIn(managerAgent, manager.email, PASSWORD)
    const managerCsrf = (await managerAgent.get('/api/v1/me').expect(200)).body.csrfToken as string
    const key = `assessment:${a!.id}`
    await managerAgent.put(`/api/v1/drafts/${key}`).set('x-csrf-token', managerCsrf).send({ analysis: 'The manager’s words' }).expect(200)
    await agent.put(`/api/v1/drafts/${key}`).set('x-csrf-token', csrf).send({ analysis: 'The worker’s words' }).expect(200)
    assert.equal((await agent.get(`/api/v1/drafts/${key}`).expect(200)).body.data.analysis, 'The worker’s words')

    const saved = await submitForm(agent, path, path, {
      version: '1',
      developmentalNeeds: 'Thriving at nursery.',
      parentingCapacity: '',
      familyEnvironment: '',
      analysis: 'The worker’s words',
      'childSeenOn-day': '',
      'childSeenOn-month': '',
      'childSeenOn-year': '',
      'childSeenAloneOn-day': '',
      'childSeenAloneOn-month': '',
      'childSeenAloneOn-year': '',
      _draftKey: key,
    })
    assert.equal(saved.status, 302)
    await agent.get(`/api/v1/drafts/${key}`).expect(404)
    assert.equal((await managerAgent.get(`/api/v1/drafts/${key}`).expect(200)).body.data.analysis, 'The manager’s words')
  })

  test('a key that is not a draft key is ignored, and the record is still saved', async () => {
    const { caseId, episodeId, agent } = await workerWithEpisode()
    const saved = await submitForm(agent, `/cases/${caseId}/assessments`, `/cases/${caseId}/assessments`, {
      kind: 'single',
      episodeId,
      ...dateFields('startedOn', '2026-10-02'),
      _draftKey: '../../etc/passwd',
    })
    assert.equal(saved.status, 302)
  })
})
