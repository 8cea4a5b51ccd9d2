/**
 * The DfE daily feed as a scheduled job: off until the partnership turns it on; then sent once a
 * day to DfE's endpoint (a local fake server here: no outside network), every run kept with its
 * batches, a failed one with its error and tried again an hour later; each child sent is in their
 * access history. PGlite, or PostgreSQL with DATABASE_URL.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { World } from '../../../test/support/fixtures.ts'
import { queryRows } from '../../db/connection.ts'
import { cinEpisode } from '../../db/schema/index.ts'
import { accessHistoryForPerson } from '../access/audit.ts'
import { AccessDenied } from '../common/context.ts'
import { feedStatus, runDueFeeds, sendFeedNow, setFeedEnabled } from './csc-feed-schedule.ts'
import { setLaCode } from './la-code.ts'

let database: TestDatabase
let server: Server
let env: NodeJS.ProcessEnv
/** What DfE's fake endpoint answers to a batch: 200, or an error status. */
let answer = 200
const batches: unknown[][] = []

before(async () => {
  database = await createTestDatabase()
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      if (req.url === '/token') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok' }))
      if (req.headers.authorization !== 'Bearer tok') return res.writeHead(401).end()
      if (answer !== 200) return res.writeHead(answer).end()
      batches.push(JSON.parse(body) as unknown[])
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(`receipt-${batches.length}`))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  env = {
    TOGETHER_CSC_API_URL: `http://127.0.0.1:${port}/api`,
    TOGETHER_CSC_TOKEN_URL: `http://127.0.0.1:${port}/token`,
    TOGETHER_CSC_CLIENT_ID: 'together',
    TOGETHER_CSC_CLIENT_SECRET: 'sssh',
  }
})
after(async () => {
  await new Promise((resolve) => server.close(resolve))
  await database.close()
})

describe('the DfE daily feed as a scheduled job', () => {
  it('runs once a day when turned on, keeps every run (a failed one with its error, tried again an hour later), and puts each child sent in their access history', async () => {
    const world = await World.create(database.db)
    const analyst = await world.user(['performance-analyst'], { team: null })
    const auditor = await world.user(['auditor'], { team: null })
    const worker = await world.user(['social-worker'])
    const child = await world.childCase()
    await database.exec(`update person set la_child_id = 'FEED001' where id = '${child.personId}'`)
    await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId: child.caseId, referralDate: '2026-06-03', referralSource: '2A', recordedBy: analyst.userId })
    await setLaCode(database.db, world.partnershipId, '938')
    const day1 = new Date('2026-11-20T06:00:00Z')

    // Off: nothing is sent.
    assert.deepEqual(await runDueFeeds(database.db, { now: day1, env }), { sent: 0, failed: 0 })
    await assert.rejects(feedStatus(world.ctx(worker, day1), env), AccessDenied)

    const on = await setFeedEnabled(world.ctx(analyst, day1), true, env)
    assert.equal(on.enabled, true)
    assert.equal(on.configured, true)
    assert.equal(on.lastRun, null)
    assert.deepEqual(await runDueFeeds(database.db, { now: day1, env }), { sent: 1, failed: 0 })
    assert.equal(batches.length, 1)
    // Sent today: not again until tomorrow.
    assert.deepEqual(await runDueFeeds(database.db, { now: new Date('2026-11-20T22:00:00Z'), env }), { sent: 0, failed: 0 })

    // Tomorrow DfE fails: the run is kept with its error, and tried again only after an hour.
    const child2 = await world.childCase({ givenName: 'Second' })
    await database.exec(`update person set la_child_id = 'FEED002' where id = '${child2.personId}'`)
    await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId: child2.caseId, referralDate: '2026-11-01', referralSource: '2A', recordedBy: analyst.userId })
    answer = 500
    assert.deepEqual(await runDueFeeds(database.db, { now: new Date('2026-11-21T06:00:00Z'), env }), { sent: 0, failed: 1 })
    assert.deepEqual(await runDueFeeds(database.db, { now: new Date('2026-11-21T06:30:00Z'), env }), { sent: 0, failed: 0 })
    answer = 200
    assert.deepEqual(await runDueFeeds(database.db, { now: new Date('2026-11-21T07:01:00Z'), env }), { sent: 1, failed: 0 })

    const status = await feedStatus(world.ctx(analyst, new Date('2026-11-21T08:00:00Z')), env)
    assert.deepEqual(
      status.runs.map((r) => [r.trigger, r.kind, r.children, r.batches, r.status, r.error]),
      [
        ['scheduled', 'changes', 1, 1, 'sent', null],
        ['scheduled', 'changes', 1, 0, 'failed', "DfE's API answered 500 for a batch of 1 children"],
        ['scheduled', 'full', 1, 1, 'sent', null],
      ],
    )
    assert.deepEqual(status.lastRun, status.runs[0])

    // A user's "send it now" is a run like the schedule's; turned off, the schedule sends nothing.
    const manual = await sendFeedNow(world.ctx(analyst, new Date('2026-11-21T09:00:00Z')), { env })
    assert.equal(manual.trigger, 'manual')
    await setFeedEnabled(world.ctx(analyst, day1), false, env)
    assert.deepEqual(await runDueFeeds(database.db, { now: new Date('2026-11-22T06:00:00Z'), env }), { sent: 0, failed: 0 })

    // One audit entry per child per send, in the child's access history.
    const sends = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from audit_event where action = 'returns:csc-feed.child' and subject_person_id = ${child.personId}`,
    )
    assert.equal(sends[0]!.n, 1)
    const history = await accessHistoryForPerson(world.ctx(auditor, day1), child2.personId)
    assert.ok(history.entries.some((e) => e.action === 'returns:csc-feed.child' && /DfE daily data feed/.test(e.actionLabel)))
    const audit = await queryRows<{ action: string }>(database.db, sql`select action from audit_event where partnership_id = ${world.partnershipId} and action like 'returns:csc-feed.%' and action not like '%.child' order by seq`)
    assert.deepEqual(audit.map((a) => a.action), ['returns:csc-feed.turn-on', 'returns:csc-feed.failed', 'returns:csc-feed.turn-off'])
  })
})
