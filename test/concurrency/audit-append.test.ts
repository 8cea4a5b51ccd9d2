/**
 * Issue 15, item 7: pages that audit a read must not fail when many arrive at once. Hundreds of
 * parallel GETs, by one user and by many, through the real application: no 5xx, and afterwards
 * the audit chain verifies with exactly one new entry per page view.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import type supertest from 'supertest'
import { contact, task } from '../../src/db/schema/index.ts'
import { queryRows } from '../../src/db/connection.ts'
import { verifyAuditLog } from '../../src/services/access/audit.ts'
import type { TestDatabase } from '../support/database.ts'
import { PASSWORD, type World } from '../support/fixtures.ts'
import { openTestApp, signedInAgent, type TestApp } from '../support/web.ts'

/** Pages that each append exactly one audit entry for this test's front-door practitioners. */
const PAGES = ['/', '/tasks', '/front-door', '/contacts/new?search=1&familyName=Parallel']

describe('audit entries under concurrency', () => {
  let database: TestDatabase
  let world: World
  let app: TestApp

  before(async () => {
    ;({ database, world, app } = await openTestApp())
  })
  after(() => database.close())

  async function frontDoorUser(): Promise<supertest.Agent> {
    const user = await world.user(['front-door-practitioner'], { team: 'front-door' })
    await world.db.insert(task).values({ partnershipId: world.partnershipId, caseId: caseId!, title: 'Visit', assigneeUserId: user.userId })
    return signedInAgent(app, user, PASSWORD)
  }

  let caseId: string | undefined
  before(async () => {
    ;({ caseId } = await world.childCase({ team: 'front-door', familyName: 'Parallel' }))
    const recorder = await world.user(['front-door-practitioner'], { team: 'front-door' })
    await world.db.insert(contact).values({
      partnershipId: world.partnershipId,
      receivedAt: new Date(),
      source: '1A',
      referrerName: 'A referrer',
      concern: 'A concern',
      consent: 'given',
      urgency: 'standard',
      teamId: world.teams['front-door']!,
      recordedBy: recorder.userId,
    })
  })

  const lastSeq = async () => (await queryRows<{ n: number }>(database.db, sql`select last_seq as n from audit_chain_head`))[0]!.n

  async function hammer(agents: supertest.Agent[], perPage: number) {
    const before = await lastSeq()
    const requests: Promise<{ path: string; status: number }>[] = []
    for (let i = 0; i < perPage; i++) {
      for (const [p, path] of PAGES.entries()) requests.push(agents[(i + p) % agents.length]!.get(path).then((r) => ({ path, status: r.status })))
    }
    const responses = await Promise.all(requests)
    const failures = responses.filter((r) => r.status !== 200).map((r) => `${r.path} ${r.status}`)
    assert.deepEqual(failures, [], `every page answers 200 (${failures.length} of ${responses.length} did not)`)
    const verified = await verifyAuditLog(database.db)
    assert.equal(verified.ok, true, JSON.stringify(verified))
    assert.equal((await lastSeq()) - before, responses.length, 'exactly one new entry per page view')
  }

  it('one user: 240 parallel page views', async () => {
    const agent = await frontDoorUser()
    // Each page once, in turn, to show each audits exactly one entry.
    for (const path of PAGES) {
      const before = await lastSeq()
      const res = await agent.get(path)
      assert.equal(res.status, 200, path)
      assert.equal((await lastSeq()) - before, 1, `${path} audits one entry`)
    }
    await hammer([agent], 60)
  })

  it('twelve users: 320 parallel page views', async () => {
    const agents: supertest.Agent[] = []
    for (let i = 0; i < 12; i++) agents.push(await frontDoorUser())
    await hammer(agents, 80)
  })
})
