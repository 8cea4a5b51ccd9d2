/**
 * PostgreSQL read replicas (issue 20, item 2) against a real streaming replica this test starts:
 * its own primary (initdb, as the `postgres` user, on a spare port) and a replica of it
 * (`pg_basebackup -R`), which applies what it receives 2 s late (recovery_min_apply_delay), so
 * that it is measurably behind after each write. The application runs in-process on the primary
 * with the replica (DATABASE_REPLICA_URL's ReplicaSet). It shows that the scorecard's reads go to
 * the replica once it has caught up; that a user reads their own write at once (the primary, while
 * the replica has not replayed it); that `/health` shows the replica and its lag; and that with
 * the replica stopped mid-test every request is still answered, from the primary, `/health` says
 * it is down, and once it is started again it is read from again. And that search, the case lists
 * and the chronology come from the replica, yet a case taken from the user on the primary a moment
 * ago (restricted, or moved to another team and worker) is not shown from the lagging replica.
 * The system PostgreSQL allows no replication connections, hence a cluster of the test's own; it
 * runs on the PostgreSQL pass only (DATABASE_URL set), and needs PostgreSQL's server programs.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { childCase, partnership, person } from '../../src/db/schema/index.ts'
import { openDatabase, type Database } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { ReplicaSet } from '../../src/db/replicas.ts'
import { londonDate } from '../../src/domain/timescales/calendar/london-time.ts'
import { PASSWORD, World } from '../support/fixtures.ts'
import { clusterUnavailable, startCluster, type Cluster } from '../../bench/pg-cluster.ts'
import { apiClient, createTestApp, type TestApp } from '../support/web.ts'
import { serve, type Engine } from '../crash/server-process.ts'
import { until } from '../support/until.ts'

const METRICS_TOKEN = 'replica-test-metrics-token-0123456789abcdef'
const skip = !process.env.DATABASE_URL ? 'needs PostgreSQL (set DATABASE_URL): the replica test runs on the PostgreSQL pass' : clusterUnavailable()


describe('read replicas: a real streaming replica', { skip }, () => {
  let cluster: Cluster
  let replicaPort: number
  let database: Database
  let replicas: ReplicaSet
  let app: TestApp
  let client: Awaited<ReturnType<typeof apiClient>>
  let primaryUrl: string
  const today = londonDate(new Date())

  const replicaState = () => replicas.states()[0]!

  before(async () => {
    // The replica applies what it receives 2 s late, so that it is measurably behind after each write.
    cluster = await startCluster({ replicaDelay: '2s' })
    replicaPort = cluster.replicaPort
    primaryUrl = cluster.primaryUrl()
    database = await openDatabase({ kind: 'postgres', url: primaryUrl })
    await runMigrations(database)
    replicas = new ReplicaSet(database, { urls: [`postgres://postgres:not-shown@127.0.0.1:${replicaPort}/postgres`], maxLagSeconds: 30 }, {
      timeouts: { statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000, connectMs: 3_000 },
    })
    await replicas.start()
    const world = await World.create(database.db)
    const manager = await world.user(['team-manager'], { team: 'front-door' })
    const testDatabase = { ...database, engine: 'postgres' as const, exec: async (text: string) => void (await database.db.execute(sql.raw(text))) }
    app = await createTestApp(testDatabase, { TOGETHER_METRICS_TOKEN: METRICS_TOKEN }, { replicas })
    client = await apiClient(app, manager, PASSWORD)
  })

  after(async () => {
    await replicas?.close()
    await database?.close()
    cluster?.stop()
  })

  /** The scorecard (a read that goes to a replica when one qualifies): its contacts in the period, and whether the replica answered. */
  async function scorecardContacts(): Promise<{ contacts: number; fromReplica: boolean }> {
    const before = replicaState().reads
    const res = await client.get(`/partnership/scorecard?from=2020-01-01&to=${today}`)
    assert.equal(res.status, 200, res.text)
    const contacts = (res.body.contactsBySource as { contacts: number }[]).reduce((n, s) => n + s.contacts, 0)
    return { contacts, fromReplica: replicaState().reads > before }
  }

  async function recordContact(n: number): Promise<void> {
    await client.post('/contacts', {
      receivedDate: today, receivedTime: '00:01', source: '1A', referrerName: 'A Relative', concern: `Replica test contact ${n}`,
      consent: 'given', urgency: 'standard',
      children: [{ newPerson: { givenName: 'Rep', familyName: `Lica${n}`, dateOfBirth: '2016-01-01', sex: 'U' } }],
    }).expect(201)
  }

  test('reads go to the replica once it has caught up, and a user reads their own write at once', async () => {
    // Signing in wrote (the session): the replica is read from once it has replayed that far.
    const first = await until('a read answered by the replica', async () => {
      const read = await scorecardContacts()
      return read.fromReplica && read
    })
    assert.equal(first.contacts, 0)

    await recordContact(1)
    const written = Date.now()
    const afterWrite = await scorecardContacts()
    assert.equal(afterWrite.contacts, 1, 'the user sees their own contact straight after recording it')
    // (Unless this machine took longer than the replica's delay to ask.)
    if (Date.now() - written < 1500) assert.equal(afterWrite.fromReplica, false, 'the replica (2 s behind) has not replayed the write: the primary answered')
    assert.ok(replicaState().lagSeconds !== null, 'the replica was answering all along')

    const caughtUp = await until('the replica to replay the write and be read from again', async () => {
      const read = await scorecardContacts()
      return read.fromReplica && read
    })
    assert.equal(caughtUp.contacts, 1, 'the replica has the contact by streaming replication')
  })

  test('/health shows the replica (host and port only) and its lag', async () => {
    const res = await app.agent().get('/health').expect(200)
    assert.equal(res.body.status, 'ok')
    const [state] = res.body.replicas as { replica: string; status: string; lagSeconds: number | null; replayLsn: string }[]
    assert.equal(state!.replica, `127.0.0.1:${replicaPort}`)
    assert.equal(state!.status, 'up')
    assert.equal(typeof state!.lagSeconds, 'number')
    assert.ok(state!.lagSeconds! >= 0 && state!.lagSeconds! <= 30)
    assert.match(state!.replayLsn, /^[0-9A-F]+\/[0-9A-F]+$/)
    assert.doesNotMatch(res.text, /not-shown|postgres:\/\//, 'no credentials or URLs')
    const metrics = await app.agent().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200)
    assert.match(metrics.text, new RegExp(`together_db_replica_lag_seconds\\{replica="127.0.0.1:${replicaPort}"\\} \\d`))
    assert.match(metrics.text, new RegExp(`together_db_replica_up\\{replica="127.0.0.1:${replicaPort}"\\} 1`))
    assert.match(metrics.text, /together_db_replica_queries_total\{replica="[^"]+",outcome="answered"\} [1-9]/)
    assert.doesNotMatch(metrics.text, /not-shown/)
  })

  test('search, the case lists and the chronology are read from the replica; a case taken from the user on the primary a moment ago is not shown from it', async () => {
    const world = await World.create(database.db)
    const worker = await world.user(['social-worker'])
    const manager = await world.user(['team-manager'])
    const colleague = await world.user(['social-worker'], { team: 'front-door' })
    const family = `Replicaread${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!)}`
    const kept = await world.childCase({ worker: worker.userId, givenName: 'Kept', familyName: family })
    const restricted = await world.childCase({ worker: worker.userId, givenName: 'Restricted', familyName: family })
    const moved = await world.childCase({ worker: worker.userId, givenName: 'Moved', familyName: family })
    const asWorker = await apiClient(app, worker, PASSWORD)
    const asManager = await apiClient(app, manager, PASSWORD)
    await asWorker.post(`/cases/${kept.caseId}/notes`, { kind: 'note', occurredOn: today, title: 'Replica chronology', body: 'A note the chronology shows.' }).expect(201)

    /** A read, and whether the replica answered any of its queries. */
    async function read(client: typeof asWorker, path: string, status = 200) {
      const before = replicaState().reads
      const res = await client.get(path)
      assert.equal(res.status, status, `${path}: ${res.text}`)
      return { body: res.body, fromReplica: replicaState().reads > before }
    }
    const reads = async () => {
      const search = await read(asWorker, `/child-search?familyName=${family}`)
      const allocated = await read(asWorker, '/cases?list=allocated')
      const team = await read(asWorker, '/cases?list=team')
      const caseload = await read(asWorker, '/caseload')
      const teamView = await read(asManager, `/team?worker=${worker.userId}`)
      const chronology = await read(asWorker, `/cases/${kept.caseId}/chronology`)
      const ofFamily = (ids: string[]) => ids.filter((id) => [kept.caseId, restricted.caseId, moved.caseId].includes(id)).sort()
      return {
        all: [search, allocated, team, caseload, teamView, chronology],
        searched: (search.body.people as { givenName: string; familyName: string; caseId: string; mayOpenCase: boolean }[]).filter((p) => p.familyName === family),
        restrictedMatches: search.body.restrictedMatches as number,
        allocated: ofFamily((allocated.body.items as { id: string }[]).map((c) => c.id)),
        team: ofFamily((team.body.items as { id: string }[]).map((c) => c.id)),
        caseload: ofFamily((caseload.body.items as { caseId: string }[]).map((c) => c.caseId)),
        workerCases: ofFamily((teamView.body.worker.cases.items as { caseId: string }[]).map((c) => c.caseId)),
        chronology: chronology.body.entries as unknown[],
      }
    }
    const names = (people: { givenName: string }[]) => people.map((p) => p.givenName).sort()

    // The new children reach the replica (and the person index, indexed by the first search, too).
    const before = await until('search, lists and chronology all answered by the replica with the new children', async () => {
      const r = await reads()
      return r.all.every((x) => x.fromReplica) && r.searched.length === 3 && r.allocated.length === 3 && r.chronology.length > 0 && r
    })
    const three = [kept.caseId, restricted.caseId, moved.caseId].sort()
    assert.deepEqual(before.allocated, three)
    assert.deepEqual(before.team, three)
    assert.deepEqual(before.caseload, three)
    assert.deepEqual(before.workerCases, three)
    assert.ok(JSON.stringify(before.chronology).includes('Replica chronology'), 'the chronology has the note, from the replica')
    assert.deepEqual(names(before.searched), ['Kept', 'Moved', 'Restricted'])

    // On the primary, outside the worker's session (so their reads may still go to the replica):
    // one child is restricted, another case moved to another team and worker.
    await database.db.update(person).set({ restricted: true }).where(eq(person.id, restricted.personId))
    await database.db.update(childCase).set({ teamId: world.teams['front-door']!, allocatedWorkerId: colleague.userId }).where(eq(childCase.id, moved.caseId))
    const changed = Date.now()
    const after = await reads()
    // (Unless this machine took longer than the replica's delay to ask.)
    if (Date.now() - changed < 1500) {
      assert.ok(after.all.every((x) => x.fromReplica), 'the replica (2 s behind) answered the reads')
      const [onReplica] = await replicas.pick(undefined)!.select({ restricted: person.restricted }).from(person).where(eq(person.id, restricted.personId))
      assert.equal(onReplica!.restricted, false, 'the replica has not replayed the restriction yet')
    }
    assert.deepEqual(after.allocated, [kept.caseId], 'neither the restricted child nor the moved case is on the worker’s list')
    assert.deepEqual(after.team, [kept.caseId], 'nor on their team’s')
    assert.deepEqual(after.caseload, [kept.caseId], 'nor on their caseload')
    assert.deepEqual(after.workerCases, [kept.caseId], 'nor on the team view of the worker’s cases')
    assert.deepEqual(names(after.searched), ['Kept', 'Moved'], 'the restricted child is not found by the search')
    assert.equal(after.restrictedMatches, 1, 'the worker is told a restricted record of a child of theirs matches')
    assert.equal(after.searched.find((p) => p.givenName === 'Moved')!.mayOpenCase, false, 'the moved case no longer opens for the worker')
    assert.equal(after.searched.find((p) => p.givenName === 'Kept')!.mayOpenCase, true)
    const refused = await asWorker.get(`/cases/${moved.caseId}/chronology`)
    assert.equal(refused.status, 403, 'the moved case’s chronology is refused on the primary’s decision')
  })

  test('with the replica stopped mid-test every request is answered by the primary; started again, it is read from again', async () => {
    await until('the replica to be read from', async () => (await scorecardContacts()).fromReplica)
    // Taken while the replica qualifies, so that a query is sent to it after it stops whatever the
    // monitor has noticed by then (a page read may find it marked down first and go straight to the primary).
    const replicaDb = replicas.pick(undefined)!
    cluster.stopReplica()
    try {
      const fellBackBefore = replicaState().fellBack
      const [answered] = await replicaDb.select({ one: sql<number>`1` }).from(partnership).limit(1)
      assert.equal(answered!.one, 1, 'a query sent to the stopped replica is answered')
      assert.equal(replicaState().fellBack, fellBackBefore + 1, 'by the primary, counted as a fall-back')
      for (let i = 0; i < 5; i++) {
        const read = await scorecardContacts()
        assert.equal(read.contacts, 1)
        assert.equal(read.fromReplica, false)
      }
      const down = await until('/health to show the replica down', async () => {
        const res = await app.agent().get('/health').expect(200)
        return res.body.replicas[0].status === 'down' && res.body
      })
      assert.equal(down.status, 'ok', 'a replica down costs speed, not service')
      await recordContact(2)
      assert.equal((await scorecardContacts()).contacts, 2)
    } finally {
      cluster.startReplica()
    }
    await until('/health to show the replica up again', async () => (await app.agent().get('/health').expect(200)).body.replicas[0].status === 'up')
    const back = await until('the replica to be read from again', async () => {
      const read = await scorecardContacts()
      return read.fromReplica && read
    })
    assert.equal(back.contacts, 2, 'the replica caught up with what was written while it was down')
  })

  test('`together serve` with DATABASE_REPLICA_URL checks the replica and shows it in /health', async () => {
    const engine = { env: { DATABASE_URL: primaryUrl } } as unknown as Engine
    const served = await serve(engine, { DATABASE_REPLICA_URL: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`, TOGETHER_REPLICA_MAX_LAG_SECONDS: '20' })
    try {
      const body = await until('the served /health to show the replica up', async () => {
        const health = (await (await fetch(`${served.url}/health`)).json()) as { replicas?: { replica: string; status: string }[] }
        return health.replicas?.[0]?.status === 'up' && health
      })
      assert.deepEqual(body.replicas!.map((r) => r.replica), [`127.0.0.1:${replicaPort}`])
    } finally {
      served.child.kill('SIGTERM')
      await served.exited
    }
  })
})
