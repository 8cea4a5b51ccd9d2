/**
 * A late clock's reason for delay as the case shows it (issue 17): a coded reason given alone
 * (DELAY_REASON, no words) reads as its label in the case's clock table and the worker's caseload,
 * "<label>: <words>" with words, and the case read (API) carries the code beside the words.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { clock } from '../../../db/schema/index.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

test('a coded reason alone shows as its label on the case and the caseload; the case read carries the code', async () => {
  await world.team('late-reasons', 'council')
  const worker = await world.user(['social-worker'], { team: 'late-reasons' })
  const { caseId } = await world.childCase({ team: 'late-reasons', worker: worker.userId })
  const [k] = await database.db.insert(clock).values({
    partnershipId: world.partnershipId, caseId, rule: 'assessment', edition: 2023, startOn: '2026-08-01', dueOn: '2026-10-02', completedOn: '2026-10-09',
    subjectType: 'cin-episode', subjectId: caseId, delayReasonCode: 'awaiting-agency',
  }).returning()
  const agent = await signedInAgent(app, worker, PASSWORD)

  const overview = $((await agent.get(`/cases/${caseId}`).expect(200)).text)
  assert.equal(overview('[data-qa=clock-assessment] [data-qa=delay-reason]').text(), 'Reason: Waiting for information or attendance from another agency')
  assert.match(overview('[data-qa=delay-reason-link]').text(), /Change the reason/)

  await database.db.update(clock).set({ completedOn: null, delayReason: 'Police checks' }).where(eq(clock.id, k!.id))
  const caseload = $((await agent.get('/caseload').expect(200)).text)
  assert.match(caseload('main').text(), /Reason: Waiting for information or attendance from another agency: Police checks/)

  const read = await agent.get(`/api/v1/cases/${caseId}`).expect(200)
  const shown = read.body.clocks.find((c: { id: string }) => c.id === k!.id)
  assert.deepEqual([shown.delayReasonCode, shown.delayReason, shown.needsReason], ['awaiting-agency', 'Police checks', false])
})
