/**
 * Case forms that complete a clock ask for the coded reason with the words when late (issue 17
 * §3): one macro (lateReasonFields) on the looked-after review, conference and core group forms;
 * the code is kept on the clock, where the team view and the scorecard count it.
 */
import { CARE_START } from '../../../../test/support/care.ts'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { clock } from '../../../db/schema/index.ts'
import { becomeLookedAfter } from '../../../services/journey/looked-after.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

test('a looked-after review held late: the form asks for the coded reason and the words; the code is kept on the clock', async () => {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const period = await becomeLookedAfter(world.ctx(worker, new Date('2026-09-01T10:00:00Z')), caseId, { startedOn: '2026-08-03', legalStatus: 'C2', ...CARE_START })
  const agent = await signedInAgent(app, worker, PASSWORD)
  const path = `/cases/${caseId}/looked-after/${period.id}/review`
  const form = $((await agent.get(path).expect(200)).text)
  assert.equal(form('[data-qa=late-reason-fields] select#delayReasonCode').length, 1)
  assert.equal(form('[data-qa=late-reason-fields] textarea#delayReason').length, 1)
  const saved = await submitForm(agent, path, path, { ...dateFields('heldOn', '2026-09-10'), delayReasonCode: 'rescheduled', delayReason: 'IRO on leave', participation: 'PN1' })
  assert.equal(saved.status, 302)
  const [k] = await database.db.select().from(clock).where(and(eq(clock.subjectId, period.id), eq(clock.rule, 'cla-first-review')))
  assert.deepEqual([k!.completedOn, k!.delayReasonCode, k!.delayReason], ['2026-09-10', 'rescheduled', 'IRO on leave'])
  const bad = await submitForm(agent, path, path, { ...dateFields('heldOn', '2026-09-11'), delayReasonCode: 'bedtime' })
  assert.equal(bad.status, 400)
})

test('every case form that completes a clock uses the same macro', async () => {
  const { readFileSync } = await import('node:fs')
  for (const view of [
    'child-protection/conference.njk', 'child-protection/core-group-form.njk', 'looked-after/review.njk', 'emergency-protection/form.njk', 'child-death/notification.njk',
    'child-protection/strategy-discussion-form.njk', 'assessments/show.njk', 'case-notes/form.njk', 'front-door/contact.njk',
  ]) {
    assert.match(readFileSync(new URL(`../${view}`, import.meta.url), 'utf8'), /lateReasonFields\(/, view)
  }
})
