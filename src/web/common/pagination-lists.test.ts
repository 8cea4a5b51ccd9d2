/**
 * Every list that can grow is paged (issue 16, item 12): the home page's case lists, the caseload
 * and the team view, over HTTP and the JSON API. Each page says how many there are, links to the
 * other pages keeping the list's filters and the other lists' pages, and the API answers
 * {items, total, offset, limit}.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, World } from '../../../test/support/fixtures.ts'
import { clock, informationRequest, informationShare, matchReview, plan, planItem, sourceRecord, task } from '../../db/schema/index.ts'
import { audit } from '../../services/access/audit.ts'
import { $, openTestApp, signedInAgent, type TestApp } from '../../../test/support/web.ts'
import { PASSWORD } from '../../../test/support/fixtures.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const names = (html: string, qa: string) =>
  $(html)(`[data-qa=${qa}] tbody tr td:first-child a`)
    .map((_, a) => $(html)(a).text().trim())
    .get()

async function overdueClock(caseId: string) {
  await database.db.insert(clock).values({
    partnershipId: world.partnershipId,
    caseId,
    rule: 'assessment',
    edition: 2023,
    startOn: '2026-09-01',
    dueOn: '2026-11-03',
    subjectType: 'cin-episode',
    subjectId: caseId,
  })
}

describe('the home page’s case lists', () => {
  test('a worker with 45 allocated cases and 23 more in the team: each list paged by its own parameter, the other kept', async () => {
    const key = 'home-paging'
    await world.team(key, 'council')
    const worker = await world.user(['social-worker'], { team: key })
    for (let i = 0; i < 45; i++) await world.childCase({ team: key, worker: worker.userId, givenName: 'Mine', familyName: `Home${String(i).padStart(2, '0')}` })
    for (let i = 0; i < 23; i++) await world.childCase({ team: key, givenName: 'Team', familyName: `Home${String(i).padStart(2, '0')}` })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const first = $((await agent.get('/').expect(200)).text)
    const allocated = first('[data-qa=allocated-cases]')
    assert.equal(allocated.find('tbody tr').length, 20)
    assert.equal(allocated.find('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 20 of 45 cases')
    assert.equal(allocated.find('nav').attr('aria-label'), 'Pages of your allocated cases')
    assert.equal(allocated.find('.govuk-pagination__next a').attr('href'), '/?allocatedPage=2#allocated-cases')
    // The team's list counts its 68 open cases (the 45 allocated are the team's too).
    assert.equal(first('[data-qa=team-cases] [data-qa=pagination-count]').text().trim(), 'Showing 1 to 20 of 68 cases')
    const res = await agent.get('/?allocatedPage=3&teamPage=2').expect(200)
    const third = $(res.text)
    assert.equal(third('[data-qa=allocated-cases] [data-qa=pagination-count]').text().trim(), 'Showing 41 to 45 of 45 cases')
    assert.equal(third('[data-qa=allocated-cases] .govuk-pagination__prev a').attr('href'), '/?teamPage=2&allocatedPage=2#allocated-cases')
    assert.equal(third('[data-qa=team-cases] [data-qa=pagination-count]').text().trim(), 'Showing 21 to 40 of 68 cases')
    await agent.get('/?allocatedPage=0').expect(400)
    const beyond = await agent.get('/?teamPage=9').expect(404)
    assert.match($(beyond.text)('[data-qa=team-cases] [data-qa=pagination-beyond]').text(), /There is no page 9: there are 4 pages of cases/)

    const api = await agent.get('/api/v1/cases?list=allocated&offset=40').expect(200)
    assert.deepEqual([api.body.items.length, api.body.total, api.body.offset, api.body.limit], [5, 45, 40, 25])
    assert.deepEqual(api.body.items.map((c: { familyName: string }) => c.familyName), ['Home40', 'Home41', 'Home42', 'Home43', 'Home44'])
    await agent.get('/api/v1/cases').expect(422)
    await agent.get('/api/v1/cases?list=everyone').expect(422)
  })
})

describe('the caseload', () => {
  test('25 allocated cases: 20 on the first page, overdue first, the summary counts all; the API pages them', async () => {
    const key = 'caseload-paging'
    await world.team(key, 'council')
    const worker = await world.user(['social-worker'], { team: key })
    const ids: string[] = []
    for (let i = 0; i < 25; i++) ids.push((await world.childCase({ team: key, worker: worker.userId, familyName: `Load${String(i).padStart(2, '0')}` })).caseId)
    await overdueClock(ids[24]!)
    const agent = await signedInAgent(app, worker, PASSWORD)
    const first = await agent.get('/caseload').expect(200)
    const page = $(first.text)
    assert.equal(page('[data-qa=caseload-case]').length, 20)
    assert.match(page('[data-qa=caseload-summary]').text(), /25 open cases are allocated to you; 1 has an overdue timescale/)
    assert.equal(names(first.text, 'caseload')[0], 'Testy Load24')
    assert.equal(page('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 20 of 25 cases')
    const second = await agent.get('/caseload?page=2').expect(200)
    assert.deepEqual(names(second.text, 'caseload'), ['Testy Load19', 'Testy Load20', 'Testy Load21', 'Testy Load22', 'Testy Load23'])
    await agent.get('/caseload?page=3').expect(404)
    const api = await agent.get('/api/v1/caseload?limit=10&offset=20').expect(200)
    assert.deepEqual([api.body.items.length, api.body.total, api.body.overdueCases], [5, 25, 1])
  })
})

describe('the team view', () => {
  test('each list paged on its own: links keep the worker chosen and the other lists’ pages; the API pages the list it names', async () => {
    const key = 'team-paging'
    await world.team(key, 'council')
    const manager = await world.user(['team-manager'], { team: key })
    const worker = await world.user(['social-worker'], { team: key })
    for (let i = 0; i < 14; i++) await world.childCase({ team: key, worker: worker.userId, familyName: `Held${String(i).padStart(2, '0')}` })
    for (let i = 0; i < 23; i++) {
      const { caseId } = await world.childCase({ team: key, familyName: `Free${String(i).padStart(2, '0')}` })
      if (i < 12) await overdueClock(caseId)
    }
    const agent = await signedInAgent(app, manager, PASSWORD)
    const res = await agent.get(`/team?worker=${worker.userId}`).expect(200)
    const page = $(res.text)
    assert.equal(page('[data-qa=unallocated] tbody tr').length, 5)
    assert.equal(page('#unallocated [data-qa=pagination-count]').text().trim(), 'Showing 1 to 5 of 23 cases')
    assert.equal(page('#unallocated .govuk-pagination__next a').attr('href'), `/team?worker=${worker.userId}&unallocatedPage=2#unallocated`)
    assert.equal(page('#worker-cases [data-qa=pagination-count]').text().trim(), 'Showing 1 to 5 of 14 cases')
    assert.equal(page('#overdue [data-qa=pagination-count]').text().trim(), 'Showing 1 to 5 of 12 timescales')
    // Every pagination on the page has its own name.
    const labels = page('nav.govuk-pagination').map((_, n) => page(n).attr('aria-label')).get()
    assert.equal(new Set(labels).size, labels.length)
    const third = $((await agent.get(`/team?worker=${worker.userId}&unallocatedPage=3&overduePage=2`).expect(200)).text)
    assert.equal(third('#unallocated [data-qa=pagination-count]').text().trim(), 'Showing 11 to 15 of 23 cases')
    assert.equal(third('#overdue [data-qa=pagination-count]').text().trim(), 'Showing 6 to 10 of 12 timescales')
    assert.equal(third('#worker-cases [data-qa=pagination-count]').text().trim(), 'Showing 1 to 5 of 14 cases')
    await agent.get('/team?overduePage=x').expect(400)
    await agent.get('/team?unallocatedPage=6').expect(404)

    const api = await agent.get(`/api/v1/team?worker=${worker.userId}&list=unallocated&offset=20&limit=10`).expect(200)
    assert.deepEqual([api.body.unallocated.items.length, api.body.unallocated.total, api.body.unallocated.offset], [3, 23, 20])
    assert.deepEqual([api.body.overdue.items.length, api.body.overdue.offset], [10, 0])
    assert.deepEqual([api.body.worker.cases.items.length, api.body.worker.cases.total], [10, 14])
    await agent.get('/api/v1/team?list=nothing').expect(422)
  })
})

describe('your tasks', () => {
  test('30 tasks for you and 4 for the team: each list paged by its own parameter; the summary counts all; the API pages the list it names', async () => {
    const key = 'tasks-paging'
    await world.team(key, 'council')
    const worker = await world.user(['social-worker'], { team: key })
    const { caseId } = await world.childCase({ team: key, worker: worker.userId })
    await database.db.insert(task).values([
      ...Array.from({ length: 30 }, (_, i) => ({ partnershipId: world.partnershipId, caseId, title: `Mine ${i}`, dueOn: '2026-12-01', assigneeUserId: worker.userId, createdBy: worker.userId })),
      ...Array.from({ length: 4 }, (_, i) => ({ partnershipId: world.partnershipId, caseId, title: `Team ${i}`, assigneeTeamId: world.teams[key]!, createdBy: worker.userId })),
    ])
    const agent = await signedInAgent(app, worker, PASSWORD)
    const first = $((await agent.get('/tasks').expect(200)).text)
    assert.match(first('[data-qa=task-summary]').text(), /You have 30 open tasks/)
    assert.equal(first('[data-qa=my-tasks] tbody tr').length, 20)
    assert.equal(first('#mine-tasks [data-qa=pagination-count]').text().trim(), 'Showing 1 to 20 of 30 tasks')
    assert.equal(first('#mine-tasks .govuk-pagination__next a').attr('href'), '/tasks?minePage=2#mine-tasks')
    assert.equal(first('#team-tasks nav').length, 0)
    const second = $((await agent.get('/tasks?minePage=2').expect(200)).text)
    assert.equal(second('[data-qa=my-tasks] tbody tr').length, 10)
    assert.equal(second('[data-qa=team-tasks] tbody tr').length, 4)
    await agent.get('/tasks?minePage=3').expect(404)
    await agent.get('/tasks?teamPage=-1').expect(400)
    const api = await agent.get('/api/v1/tasks?list=mine&offset=25&limit=10').expect(200)
    assert.deepEqual([api.body.mine.items.length, api.body.mine.total, api.body.mine.offset, api.body.team.items.length, api.body.team.offset], [5, 30, 25, 4, 0])
    await agent.get('/api/v1/tasks?list=others').expect(422)
  })
})

describe('the administrator’s lists', () => {
  test('users 25 a page by name, counted in SQL; agencies and teams paged alike; the API answers pages', async () => {
    const own = await World.create(database.db)
    const admin = await own.user(['administrator'], { team: null })
    for (let i = 0; i < 30; i++) await own.user(['social-worker'])
    const agent = await signedInAgent(app, admin, PASSWORD)
    const first = $((await agent.get('/admin/users').expect(200)).text)
    assert.equal(first('tbody tr').length, 25)
    assert.equal(first('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 25 of 31 users')
    const second = $((await agent.get('/admin/users?page=2').expect(200)).text)
    assert.equal(second('tbody tr').length, 6)
    await agent.get('/admin/users?page=3').expect(404)
    assert.equal($((await agent.get('/admin/teams').expect(200)).text)('tbody tr').length, 2)
    const api = await agent.get('/api/v1/users?offset=30').expect(200)
    assert.deepEqual([api.body.items.length, api.body.total, api.body.offset, api.body.limit], [1, 31, 30, 25])
    const agencies = await agent.get('/api/v1/agencies?limit=2').expect(200)
    assert.deepEqual([agencies.body.items.length, agencies.body.total], [2, 3])
  })
})

describe('the auditor’s lists', () => {
  test('break-glass and account changes 50 a page with their totals; a search cut at 50 says how many matched; the API answers the same', async () => {
    const own = await World.create(database.db)
    const auditor = await own.user(['auditor'], { team: null })
    const worker = await own.user(['social-worker'])
    const ctx = own.ctx(worker)
    for (let i = 0; i < 55; i++) {
      await audit(ctx, database.db, { action: 'case.view', recordType: 'case', recordId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, ground: 'break-glass', breakGlass: true })
      await audit(ctx, database.db, { action: 'user.update', recordType: 'user', recordId: worker.userId, detail: { fields: ['displayName'] } })
    }
    for (let i = 0; i < 52; i++) await own.childCase({ givenName: 'Many', familyName: `Searchcut${String(i).padStart(2, '0')}` })
    const agent = await signedInAgent(app, auditor, PASSWORD)
    const glass = $((await agent.get('/audit/break-glass').expect(200)).text)
    assert.equal(glass('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 50 of 55 entries')
    assert.equal($((await agent.get('/audit/break-glass?page=2').expect(200)).text)('tbody tr').length, 5)
    await agent.get('/audit/break-glass?page=3').expect(404)
    const accounts = $((await agent.get('/audit/accounts?page=2').expect(200)).text)
    assert.match(accounts('[data-qa=pagination-count]').text(), /Showing 51 to \d+ of \d+ entries/)
    const search = $((await agent.get('/audit?q=searchcut').expect(200)).text)
    assert.equal(search('tbody tr').length, 50)
    assert.match(search('caption').text(), /52 people found/)
    assert.match(search('[data-qa=search-cut]').text(), /Showing the first 50 of 52/)

    const api = await agent.get('/api/v1/audit/break-glass?offset=50').expect(200)
    assert.deepEqual([api.body.items.length, api.body.total, api.body.offset], [5, 55, 50])
    const changes = await agent.get('/api/v1/audit/accounts?limit=10').expect(200)
    assert.equal(changes.body.items.length, 10)
    assert.ok(changes.body.total >= 55)
    const found = await agent.get('/api/v1/audit/people?q=searchcut').expect(200)
    assert.deepEqual([found.body.people.length, found.body.total], [50, 52])
    await agent.get('/api/v1/audit/people?q=s').expect(422)
  })
})

describe('partners’ lists', () => {
  test('requests to an agency, its plan actions and the sharing report: 30 of each, paged with their totals; restricted children never counted', async () => {
    const own = await World.create(database.db)
    const officer = await own.user(['partner-practitioner'], { agency: 'police', team: null })
    const manager = await own.user(['team-manager'])
    const { caseId, personId } = await own.childCase({ familyName: 'Partnerlists' })
    const secret = await own.childCase({ restricted: true })
    const [p] = await database.db
      .insert(plan)
      .values({ partnershipId: own.partnershipId, caseId, kind: 'child-protection', startedOn: '2026-10-01', recordedBy: manager.userId })
      .returning({ id: plan.id })
    const [hidden] = await database.db
      .insert(plan)
      .values({ partnershipId: own.partnershipId, caseId: secret.caseId, kind: 'child-protection', startedOn: '2026-10-01', recordedBy: manager.userId })
      .returning({ id: plan.id })
    const action = (planId: string, onCase: string, i: number) => ({
      partnershipId: own.partnershipId,
      caseId: onCase,
      planId,
      kind: 'action',
      description: `Action ${i}`,
      ownerAgencyId: own.agencies.police!,
      dueOn: '2026-12-01',
      recordedBy: manager.userId,
    })
    await database.db.insert(planItem).values([...Array.from({ length: 30 }, (_, i) => action(p!.id, caseId, i)), action(hidden!.id, secret.caseId, 99)])
    await database.db.insert(informationRequest).values(
      Array.from({ length: 30 }, (_, i) => ({
        partnershipId: own.partnershipId,
        caseId,
        toAgencyId: own.agencies.police!,
        personIds: [personId],
        question: `Question ${i}`,
        urgency: 'green',
        sentAt: new Date('2026-11-19T10:00:00Z'),
        dueAt: new Date(Date.parse('2026-11-25T10:00:00Z') + i * 60_000),
        recordedBy: manager.userId,
      })),
    )
    await database.db.insert(informationShare).values(
      Array.from({ length: 30 }, (_, i) => ({
        partnershipId: own.partnershipId,
        caseId,
        decision: 'shared',
        decidedOn: '2026-11-10',
        information: `Shared ${i}`,
        recipientAgencyId: own.agencies.police!,
        recipient: 'Police',
        purpose: 'Safeguarding',
        consent: 'not-sought',
        recordedBy: manager.userId,
      })),
    )
    const police = await signedInAgent(app, officer, PASSWORD)
    const actions = $((await police.get('/my-agency-actions').expect(200)).text)
    assert.equal(actions('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 25 of 30 actions')
    assert.equal($((await police.get('/my-agency-actions?page=2').expect(200)).text)('tbody tr').length, 5)
    const requests = $((await police.get('/information-requests').expect(200)).text)
    assert.equal(requests('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 25 of 30 requests')
    await police.get('/information-requests?page=3').expect(404)
    const apiActions = await police.get('/api/v1/my-agency-actions?offset=25').expect(200)
    assert.deepEqual([apiActions.body.items.length, apiActions.body.total], [5, 30])
    const apiRequests = await police.get('/api/v1/information-requests?limit=100').expect(200)
    assert.deepEqual([apiRequests.body.items.length, apiRequests.body.total], [30, 30])

    const managerAgent = await signedInAgent(app, manager, PASSWORD)
    const report = $((await managerAgent.get(`/information-sharing?agency=${own.agencies.police}`).expect(200)).text)
    assert.equal(report('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 25 of 30 decisions')
    assert.equal(report('.govuk-pagination__next a').attr('href'), `/information-sharing?agency=${own.agencies.police}&page=2`)
    const apiShares = await managerAgent.get(`/api/v1/agencies/${own.agencies.police}/information-sharing?offset=20`).expect(200)
    assert.deepEqual([apiShares.body.items.length, apiShares.body.total], [10, 30])
  })
})

describe('the review queue of possible duplicates', () => {
  test('pairs 5 a page with how many are still to decide; the API pages them', async () => {
    const own = await World.create(database.db)
    const reviewer = await own.user(['front-door-practitioner'], { team: 'front-door' })
    for (let i = 0; i < 7; i++) {
      const { personId } = await own.childCase({ familyName: `Pair${i}` })
      const [record] = await database.db
        .insert(sourceRecord)
        .values({ partnershipId: own.partnershipId, sourceSystem: 'Fictional GP', sourceId: `GP-${i}`, givenName: 'Testy', familyName: `Pair${i}` })
        .returning({ id: sourceRecord.id })
      await database.db.insert(matchReview).values({ partnershipId: own.partnershipId, sourceRecordId: record!.id, candidatePersonId: personId, score: '12.5', band: 'probable' })
    }
    const agent = await signedInAgent(app, reviewer, PASSWORD)
    const first = $((await agent.get('/person-review').expect(200)).text)
    assert.match(first('#open-pairs h2').first().text(), /To decide \(7\)/)
    assert.equal(first('#open-pairs section').length, 5)
    assert.equal(first('#open-pairs [data-qa=pagination-count]').text().trim(), 'Showing 1 to 5 of 7 pairs')
    assert.equal(first('#open-pairs .govuk-pagination__next a').attr('href'), '/person-review?openPage=2#open-pairs')
    assert.equal($((await agent.get('/person-review?openPage=2').expect(200)).text)('#open-pairs section').length, 2)
    await agent.get('/person-review?openPage=3').expect(404)
    const api = await agent.get('/api/v1/person-index/reviews?offset=5').expect(200)
    assert.deepEqual([api.body.items.length, api.body.total], [2, 7])
  })
})
