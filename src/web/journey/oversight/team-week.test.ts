/** The team view on a Sunday: "due by the end of this week" is the coming week, and the page says so. */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { clock } from '../../../db/schema/index.ts'
import { $, openTestApp, signIn, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
// Sunday 22 November 2026, 10 pm: still Sunday in London (Greenwich Mean Time).
before(async () => ({ database, world, app } = await openTestApp(new Date('2026-11-22T22:00:00Z'))))
after(() => database.close())

test('on a Sunday the team view lists what is due by the end of the coming week, and names it so', async () => {
  const manager = await world.user(['team-manager'])
  const { caseId } = await world.childCase({ familyName: 'Weekahead' })
  await database.db.insert(clock).values({
    partnershipId: world.partnershipId, caseId, rule: 'assessment', edition: 2023, startOn: '2026-09-01', dueOn: '2026-11-25', subjectType: 'cin-episode', subjectId: caseId,
  })
  const agent = app.agent()
  await signIn(agent, manager.email, PASSWORD)
  const page = $((await agent.get('/team').expect(200)).text)
  const due = page('[data-qa=due-this-week]')
  assert.equal(due.find('caption').text().trim(), 'Timescales due by the end of the coming week (23 November 2026 to 29 November 2026)')
  assert.match(due.find('tbody').text(), /Weekahead/)
})
