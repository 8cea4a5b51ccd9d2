/**
 * Imported identifiers and names are data from other systems: the review queue shows them as
 * text, never as markup, wherever they are put (table cells, buttons' hidden text, headings).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { importRows } from '../../../services/person-index/import-run.ts'
import { $, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
})
after(() => database.close())

const SCRIPT = '<script>alert(1)</script>'
const IMG = '<img src=x onerror=alert(2)>'

test('a <script> in an imported source id, source system or name is shown escaped on /person-review', async () => {
  const row = { source_system: `gp${IMG}`, source_id: `WG1${SCRIPT}`, given_name: 'Percival', family_name: 'Thimbleton', date_of_birth: '2016-05-04', sex: 'M', nhs_number: '9990000034', postcode: 'ZZ3 3CC' }
  const summary = await importRows(database.db, { partnershipId: world.partnershipId, userId: null, now: FIXED_NOW }, [
    { line: 2, record: row },
    { line: 3, record: { ...row, source_system: 'school', source_id: `WS1${SCRIPT}`, given_name: `Percy${SCRIPT}`, nhs_number: '' } },
  ], { today: '2026-11-20' })
  assert.deepEqual(summary.skipped, [])
  const practitioner = await world.user(['front-door-practitioner'], { team: 'front-door' })
  const agent = await signedInAgent(app, practitioner, PASSWORD)
  const res = await agent.get('/person-review').expect(200)
  const page = $(res.text)
  assert.equal(page('script:not([src]):not([nonce])').length, 0, 'no script element came from the data')
  assert.equal(page('img[onerror]').length, 0)
  assert.ok(!res.text.includes(SCRIPT) && !res.text.includes(IMG), 'the markup appears only escaped')
  assert.ok(res.text.includes('WS1&lt;script&gt;alert(1)&lt;/script&gt;'))
  assert.match(page('button .govuk-visually-hidden').text(), /WS1<script>alert\(1\)<\/script>/, 'and reads as the text it is')
})
