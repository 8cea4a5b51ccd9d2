import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../test/support/fixtures.ts'
import { caseNote, notification, task } from '../../db/schema/index.ts'
import { $, openTestApp, signIn, type TestApp } from '../../../test/support/web.ts'
import { pageRequestOf, paginationOf, BadPageNumber } from './pagination.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

describe('the shared pagination', () => {
  test('?page= is read as a whole number from 1; anything else is refused', () => {
    assert.deepEqual(pageRequestOf({}), { page: 1, offset: 0, limit: 25 })
    assert.deepEqual(pageRequestOf({ page: '3' }, 50), { page: 3, offset: 100, limit: 50 })
    for (const page of ['0', '-1', 'x', '1.5', '1e3', ['1', '2']]) assert.throws(() => pageRequestOf({ page }), BadPageNumber, String(page))
  })

  test('page links: the first, the last and two either side, with gaps; a page beyond the last is said to be', () => {
    const href = (n: number) => `/list?page=${n}`
    const view = paginationOf({ items: new Array(25), total: 300, offset: 125, limit: 25 }, href)
    assert.equal(view.page, 6)
    assert.equal(view.pages, 12)
    assert.deepEqual([view.from, view.to], [126, 150])
    assert.deepEqual(
      view.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : String(i.number))),
      ['1', '…', '4', '5', '[6]', '7', '8', '…', '12'],
    )
    assert.equal(view.previous, '/list?page=5')
    assert.equal(view.next, '/list?page=7')
    const beyond = paginationOf({ items: [], total: 30, offset: 200, limit: 25 }, href)
    assert.equal(beyond.beyond, true)
    assert.equal(beyond.status, 404)
    assert.equal(beyond.last, '/list?page=2')
  })
})

describe('a paginated list over HTTP (the notes of a case)', () => {
  async function caseWithNotes(n: number) {
    const user = await world.user(['social-worker'])
    const agent = app.agent()
    await signIn(agent, user.email, PASSWORD)
    const { caseId } = await world.childCase({ worker: user.userId })
    const rows = Array.from({ length: n }, (_, i) => ({
      partnershipId: world.partnershipId,
      caseId,
      kind: 'note',
      occurredOn: `2026-0${1 + Math.floor(i / 28)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      title: `Note ${i + 1}`,
      body: 'Fictional text.',
      recordedBy: user.userId,
    }))
    await world.db.insert(caseNote).values(rows)
    return { agent, caseId }
  }

  test('30 notes are four pages of 8, newest first, with a count and links in a Pagination nav', async () => {
    const { agent, caseId } = await caseWithNotes(30)
    const first = $((await agent.get(`/cases/${caseId}/notes`).expect(200)).text)
    assert.equal(first('[data-qa=note]').length, 8)
    assert.match(first('[data-qa=note-count]').text(), /30 notes/)
    assert.equal(first('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 8 of 30 notes')
    const nav = first('nav[aria-label=Pagination]')
    assert.equal(nav.length, 1)
    assert.equal(nav.find('.govuk-pagination__next a').attr('href'), `/cases/${caseId}/notes?page=2`)
    const second = $((await agent.get(`/cases/${caseId}/notes?page=4`).expect(200)).text)
    assert.equal(second('[data-qa=note]').length, 6)
    assert.equal(second('[data-qa=pagination-count]').text().trim(), 'Showing 25 to 30 of 30 notes')
    assert.equal(second('nav[aria-label=Pagination] .govuk-pagination__prev a').attr('href'), `/cases/${caseId}/notes?page=3`)
    // A filter is kept in the links.
    const filtered = $((await agent.get(`/cases/${caseId}/notes?kind=note`).expect(200)).text)
    assert.equal(filtered('nav[aria-label=Pagination] .govuk-pagination__next a').attr('href'), `/cases/${caseId}/notes?kind=note&page=2`)
  })

  test('page 0, -1 and x are a 400 that says why; a page beyond the last is a 404 naming the last page; never a 500', async () => {
    const { agent, caseId } = await caseWithNotes(3)
    for (const page of ['0', '-1', 'x', '2.5']) {
      const res = await agent.get(`/cases/${caseId}/notes?page=${page}`)
      assert.equal(res.status, 400, page)
      assert.match($(res.text)('[data-qa=detail]').text(), /page number must be a whole number from 1/)
    }
    const beyond = await agent.get(`/cases/${caseId}/notes?page=9`).expect(404)
    const text = $(beyond.text)('[data-qa=pagination-beyond]')
    assert.match(text.text(), /There is no page 9: there is 1 page of notes/)
    assert.equal(text.find('a').attr('href'), `/cases/${caseId}/notes`)
    await agent.get(`/cases/${caseId}/notes?page=1`).expect(200)
  })

  test('the API answers the same pages: offset and limit, the total; bad values are a 422', async () => {
    const { agent, caseId } = await caseWithNotes(30)
    const first = await agent.get(`/api/v1/cases/${caseId}/notes`).expect(200)
    assert.equal(first.body.total, 30)
    assert.equal(first.body.items.length, 25)
    assert.deepEqual([first.body.offset, first.body.limit], [0, 25])
    const last = await agent.get(`/api/v1/cases/${caseId}/notes?offset=20&limit=50`).expect(200)
    assert.deepEqual(last.body.items.map((n: { title: string }) => n.title).slice(0, 2), ['Note 10', 'Note 9'])
    assert.equal(last.body.items.length, 10)
    const beyond = await agent.get(`/api/v1/cases/${caseId}/notes?offset=500`).expect(200)
    assert.deepEqual([beyond.body.items.length, beyond.body.total], [0, 30])
    for (const q of ['offset=-1', 'offset=x', 'limit=0', 'limit=101', 'limit=x']) {
      const res = await agent.get(`/api/v1/cases/${caseId}/notes?${q}`)
      assert.equal(res.status, 422, q)
    }
  })
})

describe('the other paged lists: a case\'s tasks and your notifications', () => {
  test('30 tasks of a case: 25 on the page with the pagination, the rest on page 2; the API pages them', async () => {
    const user = await world.user(['social-worker'])
    const agent = app.agent()
    await signIn(agent, user.email, PASSWORD)
    const { caseId } = await world.childCase({ worker: user.userId })
    await world.db.insert(task).values(
      Array.from({ length: 30 }, (_, i) => ({ partnershipId: world.partnershipId, caseId, title: `Task ${i + 1}`, assigneeUserId: user.userId, createdBy: user.userId })),
    )
    const first = $((await agent.get(`/cases/${caseId}/tasks`).expect(200)).text)
    assert.equal(first('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 25 of 30 tasks')
    const second = $((await agent.get(`/cases/${caseId}/tasks?page=2`).expect(200)).text)
    assert.equal(second('[data-qa=pagination-count]').text().trim(), 'Showing 26 to 30 of 30 tasks')
    await agent.get(`/cases/${caseId}/tasks?page=0`).expect(400)
    await agent.get(`/cases/${caseId}/tasks?page=3`).expect(404)
    const api = await agent.get(`/api/v1/cases/${caseId}/tasks?offset=25`).expect(200)
    assert.deepEqual([api.body.items.length, api.body.total, api.body.offset, api.body.limit], [5, 30, 25, 25])
  })

  test('30 notifications: two pages, and the API answers a page with the total', async () => {
    const user = await world.user(['social-worker'])
    const agent = app.agent()
    await signIn(agent, user.email, PASSWORD)
    await world.db.insert(notification).values(
      Array.from({ length: 30 }, (_, i) => ({ partnershipId: world.partnershipId, userId: user.userId, kind: 'referral-received', title: `Notice ${i + 1}`, link: null })),
    )
    const first = $((await agent.get('/notifications').expect(200)).text)
    assert.equal(first('[data-qa=notifications] tbody tr').length, 25)
    assert.equal(first('[data-qa=pagination-count]').text().trim(), 'Showing 1 to 25 of 30 notifications')
    await agent.get('/notifications?page=x').expect(400)
    const api = await agent.get('/api/v1/notifications?limit=10&offset=20').expect(200)
    assert.deepEqual([api.body.items.length, api.body.total], [10, 30])
    await agent.get('/api/v1/notifications?limit=1000').expect(422)
  })
})
