/**
 * `/metrics` (issue 20, item 6): off (404) unless TOGETHER_METRICS_TOKEN is set; then only with the
 * token; and its labels name a request's route pattern, never its URL, so no id reaches them.
 */
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts'
import { createTestApp, type TestApp } from '../../../../test/support/web.ts'
import { appendAudit } from '../../../services/access/audit.ts'
import { scheduleJobs } from '../../../services/common/jobs.ts'
import { emailProviderFor } from '../../../services/multi-agency/email/provider.ts'

const TOKEN = 'metrics-token-'.padEnd(40, 'x')

let database: TestDatabase
before(async () => (database = await createTestDatabase()))
after(() => database.close())

describe('/metrics', () => {
  test('is a 404 when not configured', async () => {
    const app = await createTestApp(database)
    await app.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404)
  })

  describe('configured with a token', () => {
    let app: TestApp
    before(async () => (app = await createTestApp(database, { TOGETHER_METRICS_TOKEN: TOKEN })))

    test('is refused without the token, or with another', async () => {
      const none = await app.agent().get('/metrics').expect(401)
      assert.match(String(none.headers['www-authenticate']), /^Bearer/)
      await app.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}y`).expect(401)
      await app.agent().get('/metrics').set('Authorization', `Basic ${TOKEN}`).expect(401)
    })

    test('exposes requests by route pattern (never the id), audit append latency, job runs and the pool', async () => {
      const caseId = randomUUID()
      await app.agent().get(`/cases/${caseId}`).expect(302) // signed out: to the sign-in page
      await app.agent().get(`/api/v1/cases/${caseId}`).expect(401)
      await app.agent().get(`/no-such-page/${caseId}`).expect(404)
      await appendAudit(database.db, { partnershipId: null, actorUserId: null, action: 'test.event', detail: {}, occurredAt: new Date() })
      const jobs = scheduleJobs(database.db, {
        intervalSeconds: 0.05,
        now: () => new Date(),
        emailProvider: emailProviderFor({ notifyApiKey: undefined, notifyTemplateId: undefined }, { info() {} }),
        baseUrl: 'http://localhost',
        logger: { info() {}, error() {} },
      })
      await new Promise((resolve) => setTimeout(resolve, 500))
      await jobs.stop()

      const res = await app.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)
      assert.match(String(res.headers['content-type']), /^text\/plain/)
      const text = res.text
      assert.ok(!text.includes(caseId), 'no id in any label')
      assert.match(text, /together_http_requests_total\{method="GET",route="\/cases\/:id",status="302"\} 1/)
      assert.match(text, /together_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/cases\/:id"\}/)
      assert.match(text, /together_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} [1-9]/)
      assert.match(text, /together_audit_append_duration_seconds_count\{mode="group-commit"\} [1-9]/)
      assert.match(text, /together_job_runs_total\{outcome="ran"\} [1-9]/)
      assert.match(text, /together_job_run_duration_seconds_count [1-9]/)
      assert.match(text, /^process_cpu_seconds_total /m, "the process's own series")
      if (database.target.kind === 'postgres') assert.match(text, /together_db_pool_connections\{state="total"\} [1-9]/)
      else assert.doesNotMatch(text, /together_db_pool_connections\{/, 'the embedded database has no pool')
    })
  })
})
