import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { person } from '../../../db/schema/index.ts'
import type { Actor } from '../../../services/common/context.ts'
import { $, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let worker: Actor & { email: string }
let mine: { caseId: string; personId: string }
let other: { caseId: string; personId: string }
before(async () => {
  ({ database, world, app } = await openTestApp(FIXED_NOW))
  worker = await world.user(['social-worker'])
  mine = await world.childCase({ givenName: 'Ottoline', familyName: 'Brackenmoor' })
  other = await world.childCase({ givenName: 'Perpetua', familyName: 'Brackenmoor', team: 'front-door' })
  for (let i = 0; i < 22; i++) {
    await database.db.insert(person).values({ partnershipId: world.partnershipId, givenName: `Tester${i}`, familyName: 'Brackenmoor', dateOfBirth: `2012-03-${String(i + 1).padStart(2, '0')}` })
  }
})
after(() => database.close())

describe('the child search page', () => {
  test('every page’s header has a labelled search form for practitioners, and none for others', async () => {
    const agent = await signedInAgent(app, worker, PASSWORD)
    const form = $((await agent.get('/').expect(200)).text)('header form[role=search]')
    assert.equal(form.attr('action'), '/child-search')
    assert.equal(form.find('label[for=header-search]').text().trim(), 'Find a child')
    assert.equal(form.find('#header-search').attr('name'), 'q')
    const admin = await world.user(['administrator'], { team: null })
    const adminPage = $((await (await signedInAgent(app, admin, PASSWORD)).get('/').expect(200)).text)
    assert.equal(adminPage('form[role=search]').length, 0)
    await (await signedInAgent(app, admin, PASSWORD)).get('/child-search?q=Brackenmoor').expect(403)
  })

  test('shows how many matched, the first 20, what to add, and links only the cases the user may open', async () => {
    const agent = await signedInAgent(app, worker, PASSWORD)
    const page = $((await agent.get('/child-search?q=Brackenmoor').expect(200)).text)
    assert.match(page('title').text(), /^24 children match – Find a child/)
    assert.equal(page('[role=status] h2').text().trim(), '24 children match your search')
    assert.equal(page('[data-qa=refine]').text().trim(), 'Showing the first 20 of 24 — add a date of birth to narrow the search.')
    assert.equal(page('[data-qa=search-results] > li').length, 20)
    assert.equal(page(`[data-qa=result-${mine.personId}] a`).attr('href'), `/cases/${mine.caseId}`)
    assert.equal(page(`[data-qa=result-${other.personId}] a`).length, 0)
    assert.match(page(`[data-qa=result-${other.personId}]`).text(), /you do not have access to this case/)
    assert.equal(page('#familyName').val(), '')
    assert.equal(page('#name').val(), 'Brackenmoor')

    const narrowed = $((await agent.get('/child-search?name=Brackenmoor&dateOfBirth=4%2F5%2F2016').expect(200)).text)
    assert.equal(narrowed('[role=status] h2').text().trim(), '2 children match your search')
    assert.equal(narrowed('[data-qa=refine]').length, 0)
  })

  test('a search it cannot read is a 400 with the problem on the field', async () => {
    const agent = await signedInAgent(app, worker, PASSWORD)
    const page = $((await agent.get('/child-search?q=Ava+31%2F2%2F2016').expect(400)).text)
    assert.match(page('.govuk-error-summary').text(), /not a real date of birth/)
    assert.equal(page('#q').val(), 'Ava 31/2/2016')
    assert.equal($((await agent.get('/child-search').expect(200)).text)('[role=status]').length, 0)
  })
})

describe('the child search in the JSON API', () => {
  test('GET /api/v1/child-search answers the total and what to add; GET /api/v1/people says how many matched too', async () => {
    const agent = await signedInAgent(app, worker, PASSWORD)
    const found = (await agent.get('/api/v1/child-search?q=Brackenmoor').expect(200)).body
    assert.deepEqual([found.total, found.people.length, found.limit, found.refine], [24, 20, 20, 'add a date of birth'])
    assert.equal(found.people.find((p: { id: string }) => p.id === mine.personId).mayOpenCase, true)
    const people = (await agent.get('/api/v1/people?familyName=Brackenmoor').expect(200)).body
    assert.deepEqual([people.total, people.people.length], [24, 20])
    const bad = await agent.get('/api/v1/child-search?age=99').expect(422)
    assert.match(JSON.stringify(bad.body), /from 0 to 25/)
  })
})
