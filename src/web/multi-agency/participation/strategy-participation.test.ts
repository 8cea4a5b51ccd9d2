import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { cinEpisode } from '../../../db/schema/index.ts'
import { recordStrategyDiscussion } from '../../../services/journey/strategy-discussions.ts'
import { inviteToStrategyDiscussion } from '../../../services/multi-agency/participation.ts'
import { $, apiClient, dateFields, openTestApp, problemOf, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  await world.agency('health', 'health-trust')
})
after(() => database.close())

/** A case whose worker invited a health visitor to a strategy discussion held this morning and recorded. */
async function recorded() {
  const worker = await world.user(['social-worker'])
  const visitor = await world.user(['partner-practitioner'], { agency: 'health', team: null })
  const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  const { caseId } = await world.childCase({ worker: worker.userId, givenName: 'Webby' })
  await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-11-18', referralSource: '2A', recordedBy: worker.userId })
  const inv = await inviteToStrategyDiscussion(world.ctx(worker), caseId, { userId: visitor.userId, meetingOn: '2026-11-20', meetingTime: '09:00', purpose: 'Bruising' })
  const { strategyDiscussion: d } = await recordStrategyDiscussion(world.ctx(worker), caseId, {
    heldOn: '2026-11-20',
    heldAtTime: '09:00',
    attendees: [
      { name: 'Sam Fictional', agencyId: world.agencies.council!, role: 'Social worker' },
      { name: 'DC Imaginary', agencyId: world.agencies.police!, role: null },
      { name: 'Nurse Pretend', agencyId: world.agencies.health!, role: null },
    ],
    informationShared: 'Police hold a previous incident.',
    decision: 's47-single',
    decisionDetail: 'Visit today.',
    immediateSafetyActions: 'Child stays with grandparent.',
  } as never)
  return { worker, visitor, teacher, caseId, inv, d }
}

describe('strategy discussions as a multi-agency record (pages)', () => {
  test('the invited partner sees the decision, adds their agency’s information and updates their action; the social worker sees both; an uninvited partner gets nothing', async () => {
    const s = await recorded()
    const sw = await signedInAgent(app, s.worker, PASSWORD)
    const recordPath = `/cases/${s.caseId}/strategy-discussions/${s.d.id}`
    const cp = $((await sw.get(`/cases/${s.caseId}/child-protection`).expect(200)).text)
    assert.equal(cp(`a[href="${recordPath}"]`).length, 1, 'the child protection page links to the record')

    // The social worker adds an action for health; a missing agency is a field error.
    const missing = await submitForm(sw, recordPath, `${recordPath}/actions`, { description: 'Visit', ownerAgencyId: '' })
    assert.equal(missing.status, 400)
    assert.match($(missing.text)('.govuk-error-summary').text(), /Select the agency that owns the action/)
    const added = await submitForm(sw, recordPath, `${recordPath}/actions`, {
      description: 'Health visitor to visit at home',
      ownerAgencyId: world.agencies.health!,
      ownerUserId: s.visitor.userId,
      ...dateFields('dueOn', '2026-11-23'),
    })
    assert.equal(added.status, 302)

    const partner = await signedInAgent(app, s.visitor, PASSWORD)
    const participation = $((await partner.get(`/cases/${s.caseId}/participation`).expect(200)).text)
    const pagePath = `/cases/${s.caseId}/participation/strategy-discussions/${s.inv.id}`
    assert.equal(participation(`[data-qa=meetings] a[href="${pagePath}"]`).length, 1)
    const page = $((await partner.get(pagePath).expect(200)).text)
    assert.match(page('[data-qa=decision]').text(), /Section 47 enquiry by children’s social care[\s\S]*Child stays with grandparent/)
    assert.doesNotMatch(page.root().text(), /Police hold a previous incident/, 'not what was shared')
    assert.match(page('[data-qa=strategy-actions]').text(), /Health visitor to visit at home/)

    const empty = await submitForm(partner, pagePath, pagePath, { body: '', version: '' })
    assert.equal(empty.status, 400)
    const saved = await submitForm(partner, pagePath, pagePath, { body: 'Seen at home last week.', version: '' })
    assert.equal(saved.status, 302)
    const after_ = $((await partner.get(`${pagePath}?saved=information`).expect(200)).text)
    assert.match(after_('[data-qa=contribution-by]').text(), /Added by/)
    const stale = await submitForm(partner, pagePath, pagePath, { body: 'Stale', version: '' })
    assert.equal(stale.status, 409, 'a second first save is a conflict, nothing overwritten')

    // Progress on the agency's action, through the plan action form.
    const actionLink = after_('[data-qa=strategy-actions] a').attr('href')!
    const progress = await submitForm(partner, actionLink, actionLink, {
      version: '1',
      status: 'in-progress',
      note: 'Visit booked for Monday',
      ...dateFields('progressOn', '2026-11-20'),
    })
    assert.equal(progress.status, 302)

    const rec = $((await sw.get(recordPath).expect(200)).text)
    assert.match(rec('[data-qa=contribution]').text(), /Seen at home last week\.[\s\S]*Added by/)
    assert.match(rec('[data-qa=strategy-actions]').text(), /Visit booked for Monday[\s\S]*In progress/)

    // An uninvited partner: refused the page, the save, and the record.
    const school = await signedInAgent(app, s.teacher, PASSWORD)
    await school.get(pagePath).expect(403)
    await school.get(recordPath).expect(403)
    assert.equal((await submitForm(school, '/', pagePath, { body: 'x', version: '' })).status, 403)
    // The partner does not see the social worker's record page either.
    await partner.get(recordPath).expect(403)

    // Closing the record ends the partner's access at once.
    const closed = await submitForm(sw, recordPath, `${recordPath}/close`, { version: rec('[data-qa=close-record] input[name=version]').val() as string })
    assert.equal(closed.status, 302)
    await partner.get(pagePath).expect(403)
    const afterClose = $((await sw.get(recordPath).expect(200)).text)
    assert.equal(afterClose('[data-qa=add-action]').length, 0)
  })

  test('the API: the partner reads their invitation and sends their information (naming the version); the worker adds an action and closes the record', async () => {
    const s = await recorded()
    const partner = await apiClient(app, s.visitor, PASSWORD)
    const sw = await apiClient(app, s.worker, PASSWORD)
    const view = (await partner.get(`/cases/${s.caseId}/strategy-invitations/${s.inv.id}`).expect(200)).body
    assert.equal(view.discussion.decision, 's47-single')
    assert.equal(view.discussion.informationShared, undefined)
    const first = (await partner.put(`/cases/${s.caseId}/strategy-invitations/${s.inv.id}/information`, { body: 'Known since birth.' }).expect(200)).body
    problemOf(await partner.put(`/cases/${s.caseId}/strategy-invitations/${s.inv.id}/information`, { body: 'Stale', version: first.version + 3 }), 409)
    await partner.put(`/cases/${s.caseId}/strategy-invitations/${s.inv.id}/information`, { body: 'Changed.', version: first.version }).expect(200)
    problemOf(await partner.post(`/cases/${s.caseId}/strategy-discussions/${s.d.id}/actions`, { description: 'x', ownerAgencyId: world.agencies.health }), 403)

    const action = (await sw.post(`/cases/${s.caseId}/strategy-discussions/${s.d.id}/actions`, { description: 'Visit', ownerAgencyId: world.agencies.health }).expect(201)).body
    assert.equal(action.strategyDiscussionId, s.d.id)
    const mine = (await partner.get('/my-agency-actions').expect(200)).body
    assert.ok(mine.items.some((a: { id: string }) => a.id === action.id))
    await partner.post(`/cases/${s.caseId}/plan-actions/${action.id}/progress`, { version: 1, status: 'done', note: 'Visited', progressOn: '2026-11-20' }).expect(200)
    const record = (await sw.get(`/cases/${s.caseId}/strategy-discussions/${s.d.id}`).expect(200)).body
    assert.equal(record.contributions[0].body, 'Changed.')
    assert.equal(record.actions[0].status, 'done')

    const teacher = await apiClient(app, s.teacher, PASSWORD)
    problemOf(await teacher.get(`/cases/${s.caseId}/strategy-invitations/${s.inv.id}`), 403)
    problemOf(await teacher.get(`/cases/${s.caseId}/strategy-discussions/${s.d.id}`), 403)

    await sw.post(`/cases/${s.caseId}/strategy-discussions/${s.d.id}/close`, { version: record.discussion.version }).expect(200)
    problemOf(await partner.get(`/cases/${s.caseId}/strategy-invitations/${s.inv.id}`), 403)
  })
})
