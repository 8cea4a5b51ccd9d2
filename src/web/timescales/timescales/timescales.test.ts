/** The timescales page in plain words (issue 16, item 14c): no rule ids, no working notes about what is unverified. */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { RULE_IDS } from '../../../domain/timescales/rules.ts'

let opened: { database: TestDatabase; world: World; app: TestApp }
before(async () => (opened = await openTestApp()))
after(() => opened.database.close())

test('the timescales page shows titles, plain strengths and sources, without rule ids or unverified notes', async () => {
  const worker = await opened.world.user(['social-worker'])
  const page = await (await signedInAgent(opened.app, worker, PASSWORD)).get('/timescales').expect(200)
  const text = $(page.text)('main').text().replace(/\s+/g, ' ')
  const words = text.replace(/https?:\/\/\S+/g, '') // sources' addresses may hold anything
  assert.match(text, /Decide the response to a referral/)
  for (const id of RULE_IDS.filter((i) => i.includes('-') || i === 'icpc' || i === 'lcspr')) assert.ok(!words.includes(id), `rule id ${id} shown`)
  assert.doesNotMatch(text, /unverified|\(Q\d\)|WT T\d|to be confirmed/i)
  assert.match(text, /Should \(statutory guidance expects it\)/)
  assert.match(text, /Set by the partnership/)
})
