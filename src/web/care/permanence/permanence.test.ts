/**
 * The permanence pages through the saving they share with the placement pages: the care plan's
 * form refuses what is missing with the errors on the fields and what was typed kept, then saves
 * and returns to the looked-after page, which shows it.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { CARE_START_FORM } from '../../../../test/support/care.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { lookedAfterOfCase } from '../../../services/journey/looked-after.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

test('the care plan page: errors kept on the fields, then saved and shown on the looked-after page', async () => {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const agent = await signedInAgent(app, worker, PASSWORD)
  const base = `/cases/${caseId}/looked-after`
  let res = await submitForm(agent, `${base}/start`, `${base}/start`, { ...dateFields('startedOn', '2026-05-12'), legalStatus: 'L2', ...CARE_START_FORM })
  assert.equal(res.status, 302, res.text)
  const period = (await lookedAfterOfCase(world.ctx(worker), caseId)).periods[0]!
  const path = `${base}/${period.id}/care-plan`

  res = await submitForm(agent, path, path, { ...dateFields('agreedOn', '2026-05-20'), permanencePlan: '' })
  assert.equal(res.status, 400)
  assert.match($(res.text)('.govuk-error-summary').text(), /Select the permanence plan/)
  assert.equal($(res.text)('#agreedOn-day').val(), '20')

  res = await submitForm(agent, path, path, { ...dateFields('agreedOn', '2026-05-20'), permanencePlan: 'adoption' })
  assert.equal(res.status, 302, res.text)
  assert.match(res.headers.location ?? '', new RegExp(`^${base}\\?saved=`))
  const plan = (await lookedAfterOfCase(world.ctx(worker), caseId)).permanence[period.id]!
  assert.equal(JSON.stringify(plan).includes('"adoption"'), true, 'the care plan is recorded')
})
