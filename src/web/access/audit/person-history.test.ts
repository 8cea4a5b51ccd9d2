/**
 * The auditor's "who has looked at this child's record" page and its API (issue 16, item 14a):
 * plain words instead of action codes and grounds, every entry reachable a page at a time with the
 * total, and filters by date range and by user.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, type World } from '../../../../test/support/fixtures.ts'
import { $, openTestApp, signedInAgent, type TestApp } from '../../../../test/support/web.ts'
import { viewCase } from '../../../services/journey/cases.ts'
import { auditMany } from '../../../services/access/audit.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => {
  ({ database, world, app } = await openTestApp())
})
after(() => database.close())

const rowsOf = (html: string) => $(html)('[data-qa=history] tbody tr').map((_, tr) => $(html)(tr).text().replace(/\s+/g, ' ').trim()).get()

test('the history is in plain words, counted, paged to its last entry and filtered by day and by user', async () => {
  const worker = await world.user(['social-worker'])
  const manager = await world.user(['team-manager'])
  const auditor = await world.user(['auditor'], { team: null })
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  // 60 views by the worker on 2 November (one through the case page, 59 written at once), one by the manager on 10 November.
  const on2November = world.ctx(worker, new Date('2026-11-02T09:00:00Z'))
  await viewCase(on2November, caseId)
  await database.db.transaction((tx) =>
    auditMany(on2November, tx, Array.from({ length: 59 }, () => ({ action: 'case.view', recordType: 'case', recordId: caseId, subjectPersonId: personId, ground: 'team' }))),
  )
  await viewCase(world.ctx(manager, new Date('2026-11-10T12:00:00Z')), caseId)

  const agent = await signedInAgent(app, auditor, PASSWORD)
  const first = await agent.get(`/audit/people/${personId}`).expect(200)
  assert.match($(first.text)('[data-qa=history-total]').text(), /62 entries, newest first: page 1 of 2/)
  const rows = rowsOf(first.text)
  assert.equal(rows.length, 50)
  assert.ok(rows.some((r) => r.includes('Viewed the case') && r.includes('as a member of the case’s team')), rows[1])
  assert.ok(rows[0]!.includes('Looked at who has viewed this record') && rows[0]!.includes('as the auditor'), rows[0])
  assert.doesNotMatch(first.text, /case\.view|role:auditor|allocated-worker/)

  const nextHref = $(first.text)('.govuk-pagination__next a').attr('href')
  assert.ok(nextHref, 'a link to the next page')
  const second = await agent.get(nextHref).expect(200)
  const last = rowsOf(second.text)
  assert.equal(last.length, 13) // 63 entries now: this view of page 2 is one more
  assert.ok(rowsOf(second.text).some((r) => r.includes('as the child’s allocated worker')), last.join('\n'))

  const byUser = await agent.get(`/audit/people/${personId}?user=${manager.userId}`).expect(200)
  assert.match($(byUser.text)('[data-qa=history-total]').text(), /^1 entry match/)
  assert.ok(rowsOf(byUser.text)[0]!.includes(manager.displayName))

  const byDays = await agent.get(`/audit/people/${personId}?from-day=1&from-month=11&from-year=2026&to-day=2&to-month=11&to-year=2026`).expect(200)
  assert.match($(byDays.text)('[data-qa=history-total]').text(), /^60 entries match/)

  const bad = await agent.get(`/audit/people/${personId}?from-day=3&from-month=11&from-year=2026&to-day=2&to-month=11&to-year=2026`).expect(400)
  assert.match(bad.text, /on or after the “from” date/)

  const api = await agent.get(`/api/v1/audit/people/${personId}/history?userId=${worker.userId}&to=2026-11-02&page=2`).expect(200)
  assert.equal(api.body.total, 60)
  assert.equal(api.body.page, 2)
  assert.equal(api.body.entries.length, 10)
  assert.equal(api.body.entries[0].actionLabel, 'Viewed the case')
  await (await signedInAgent(app, worker, PASSWORD)).get(`/audit/people/${personId}`).expect(403)
})
