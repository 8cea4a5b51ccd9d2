/** The scorecard pages over HTTP: tables and charts, the CSV, the print view, one agency's view, the API, and who is refused. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signIn, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp

before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

async function signedIn(roles: Parameters<World['user']>[0]) {
  const user = await world.user(roles, { team: null })
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  return agent
}

describe('scorecard pages', () => {
  test('the business unit sees charts beside tables, downloads the CSV, prints, and filters by agency', async () => {
    const agent = await signedIn(['business-unit'])
    const page = $((await agent.get('/partnership/scorecard').expect(200)).text)
    for (const id of ['by-source', 'timeliness', 'late-by-reason', 'plans-by-category', 'plans-by-duration', 'children-in-care', 'information-requests', 'actions', 'section-11']) {
      assert.equal(page(`[data-qa=figure-${id}] table[data-qa=${id}]`).length, 1, id)
    }
    assert.equal(page('[data-qa=chart-timeliness][role=img]').length, 1)
    const csvHref = page('[data-qa=scorecard-csv]').attr('href')!
    const csv = await agent.get(csvHref).expect(200)
    assert.match(String(csv.headers['content-type']), /text\/csv/)
    assert.match(csv.text, /^Section,Measure,Breakdown,Count,Of,Percent\r\n/)
    assert.match(csv.text, /Timescales completed late,By reason for delay,No coded reason given yet,\d+/, 'late completions by reason (issue 17)')
    assert.match(csv.text, /Children in care and care leavers,3 or more placements in 12 months,,\d+,\d+,/, 'placement stability (issue 19)')
    const print = $((await agent.get(page('[data-qa=scorecard-print]').attr('href')!).expect(200)).text)
    assert.equal(print('[data-qa=scorecard-filters]').length, 0)
    assert.match(print('h1').text(), /Multi-agency scorecard: /)

    const agency = await agent.get(`/partnership/scorecard?from-day=1&from-month=4&from-year=2026&to-day=20&to-month=11&to-year=2026&agency=${world.agencies.police}`).expect(200)
    assert.match($(agency.text)('[data-qa=scorecard-scope]').text(), /police/)
    const bad = await agent.get('/partnership/scorecard?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026').expect(400)
    assert.equal($(bad.text)('.govuk-error-summary a[href="#from"]').length, 1)
    assert.equal($(bad.text)('#from-day').val(), '31', 'what was typed is kept')

    const api = await agent.get('/api/v1/partnership/scorecard?from=2026-04-01&to=2026-11-20').expect(200)
    assert.equal(api.body.period.from, '2026-04-01')
    await agent.get('/api/v1/partnership/scorecard?from=2026-04-01&to=2026-01-01').expect(422)
  })

  test('performance analysts may read it; partners and social workers may not', async () => {
    await (await signedIn(['performance-analyst'])).get('/partnership/scorecard').expect(200)
    for (const role of ['partner-practitioner', 'social-worker'] as const) {
      const agent = await signedIn([role])
      await agent.get('/partnership/scorecard').expect(403)
      await agent.get('/partnership/scorecard/export.csv').expect(403)
      await agent.get('/api/v1/partnership/scorecard?from=2026-04-01&to=2026-11-20').expect(403)
    }
  })
})
