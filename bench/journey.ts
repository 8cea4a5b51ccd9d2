// Benchmark: the child's journey at scale. Creates a throwaway PostgreSQL database (on the server of
// DATABASE_URL, else 127.0.0.1:5432 as postgres), migrates it, seeds N synthetic children
// (`together seed --synthetic`'s generator; the seeding rate is a figure of its own), starts the real
// server as a child process (`node bin/together.js serve`, so its memory is measured apart from the
// load generator), signs 50 virtual users in through the sign-in form, and drives each page with
// autocannon: a floor (GET /health/ready, one primary-key read), the case page, the chronology and
// the team view. Each page is measured twice:
//   - users: 50 concurrent users (one connection each), each asking for a page about once a second
//     (random think times averaging 1/--rate s; a practitioner reading a record asks far less
//     often): the targets' figures;
//   - saturation: the same 50 connections asking as fast as answers come, for the throughput.
// Prints one JSON object (p50/p95/p99 latency, requests per second, the server's peak resident
// memory, the machine) and exits 1 if a target is missed. Progress goes to stderr.
//   node --import tsx bench/journey.ts [--children 300000] [--duration 20] [--connections 50] [--rate 1] [--seed 1] [--keep | --reuse URL]
// Issue 20's cluster (several app servers, a streaming replica), e.g. 200 users:
//   node --import tsx bench/journey.ts --servers 2 --replica --users 200 --connections 200 [--children 100000]
// --servers N starts N servers on the database, sharing one session secret; the users sign in on
// them round robin and each keeps to their own (as behind a load balancer with sticky connections).
// --replica starts a primary and a streaming replica of its own (bench/pg-cluster.ts, as the replica
// test does: the system PostgreSQL allows no replication connections), seeds the primary, waits for
// the replica to replay all of it, and gives the servers DATABASE_REPLICA_URL; with --keep the cluster
// is kept too (stop it with `bench/pg-cluster.ts stop DIR`), and --reuse URL --replica-url URL
// measures a kept one again. Issue 20's targets apply when there is more than one server or a replica.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import autocannon, { type Request as CannonRequest, type Result as CannonResult } from 'autocannon'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows, type Db } from '../src/db/connection.ts'
import { runMigrations } from '../src/db/migrate.ts'
import { createProgress } from '../src/cli/progress.ts'
import { insertUser } from '../src/services/organisation/organisation.ts'
import { seedSynthetic, type SyntheticSeedResult } from '../src/services/demo/synthetic/seed.ts'
import { syntheticPartnershipName } from '../src/services/demo/synthetic/organisation.ts'
import pg from 'pg'
import { cpuSeconds, createThrowawayDatabase, rssMiB, signIn, startServer, stopServer } from './server-harness.ts'
import { startCluster, type Cluster } from './pg-cluster.ts'

const { values: args } = parseArgs({
  options: {
    children: { type: 'string', default: '300000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1' },
    users: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    /** A database an earlier run kept (--keep): measure the pages again without seeding. */
    reuse: { type: 'string' },
    /** App servers on the database (issue 20: two). */
    servers: { type: 'string', default: '1' },
    /** Start a primary with a streaming replica of its own and read from the replica. */
    replica: { type: 'boolean', default: false },
    /** With --reuse: the kept database's replica. */
    'replica-url': { type: 'string' },
  },
})
const CHILDREN = Number(args.children)
const DURATION = Number(args.duration)
const CONNECTIONS = Number(args.connections)
/** Page requests per second from each virtual user in the users measurement. */
const USER_RATE = Number(args.rate)
const USERS = Number(args.users)
const SEED = Number(args.seed)
const WARM_UP_SECONDS = 3
const PASSWORD = `bench-${randomBytes(9).toString('base64url')}`
/** Names this run's users apart from an earlier run's in a reused database. */
const RUN = randomBytes(3).toString('hex')

const SERVERS = Number(args.servers)
const CLUSTER = SERVERS > 1 || args.replica || args['replica-url'] !== undefined
/** Lets the bench read each server's /metrics (how many reads the replica answered). */
const METRICS_TOKEN = randomBytes(24).toString('hex')

/**
 * The issue's targets (Speed section): issue 4's on one server; issue 20's (at 200 users, 1M
 * children seeded in under 8 minutes) with several servers or a replica.
 */
const TARGETS = CLUSTER
  ? { seedingChildrenPerSecond: Math.ceil(1_000_000 / 480), casePageP95: 50, chronologyP95: 50, teamViewP95: 100, serverRssMiB: 512 }
  : { seedingChildrenPerSecond: 2000, casePageP95: 100, chronologyP95: 100, teamViewP95: 150, serverRssMiB: 512 }

const log = (message: string) => process.stderr.write(`${message}\n`)

// ---- users with passwords in the synthetic teams

interface BenchUser {
  email: string
  role: 'social-worker' | 'team-manager'
  teamId: string
  caseIds: string[]
  cookie?: string
  /** The server this user signed in on (and keeps to). */
  base?: string
}

/** Social workers and one team manager per team, spread over the teams that hold the cases. */
async function createUsers(db: Db, partnershipId: string): Promise<BenchUser[]> {
  const teams = (await queryRows<{ id: string; agencyId: string; cases: number }>(db, sql`
    select t.id, t.agency_id as "agencyId", count(c.id)::int as cases
    from team t join child_case c on c.team_id = t.id
    where t.partnership_id = ${partnershipId} and (t.name like 'Assessment team %' or t.name like 'Child protection team %')
    group by t.id, t.agency_id order by cases desc`))
  const managers = Math.min(teams.length, Math.max(1, Math.round(USERS / 5)))
  const users: BenchUser[] = []
  for (let i = 0; i < USERS; i++) {
    const role = i < managers ? 'team-manager' : 'social-worker'
    const team = teams[i % teams.length]!
    const email = `bench.${RUN}.${role}.${i + 1}@bench.together.invalid`
    await insertUser(db, partnershipId, {
      displayName: `Bench ${role} ${i + 1} (synthetic)`,
      email,
      agencyId: team.agencyId,
      teamId: team.id,
      roles: [role],
      active: true,
      password: PASSWORD,
    })
    users.push({ email, role, teamId: team.id, caseIds: [] })
  }
  for (const team of new Set(users.map((u) => u.teamId))) {
    const rows = await queryRows<{ id: string }>(db, sql`select id from child_case where team_id = ${team} and not restricted order by id limit 5000`)
    for (const u of users.filter((x) => x.teamId === team)) u.caseIds = rows.map((r) => r.id)
  }
  return users
}

// ---- load

interface Measured {
  path: string
  available: true
  requests: number
  requestsPerSecond: number
  latencyMs: { p50: number; p95: number; p99: number; max: number }
  non2xx: number
  errors: number
  /** The most any one server had resident during the measurement. */
  serverRssMaxMiB: number | null
  /** The machine's 1-minute load average when the measurement began and ended (the machine is shared). */
  loadAverage: [number, number]
  /** The servers' CPU (user and system, all servers) per answered request: steadier than latency on a shared machine. */
  serverCpuMsPerRequest: number | null
}

type TargetResult = Measured | { path: string; available: false; status: number }

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

const round = (n: number) => Math.round(n * 10) / 10

/** autocannon on each user's server at once, the connections shared out as the users are: one result. */
async function cannonAll(
  users: readonly BenchUser[],
  requestFor: (user: BenchUser) => () => string,
  seconds: number,
  onResponse?: (ms: number) => void,
): Promise<Run> {
  const bases = [...new Set(users.map((u) => u.base!))]
  const results = await Promise.all(
    bases.map((base, i) => {
      const own = users.filter((u) => u.base === base)
      const connections = Math.floor(CONNECTIONS / bases.length) + (i < CONNECTIONS % bases.length ? 1 : 0)
      return cannon(base, own, requestFor, seconds, onResponse, connections).then((r) => r.result)
    }),
  )
  return {
    duration: Math.max(...results.map((r) => r.duration)),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
  }
}

/** Drives `requestFor` with autocannon as fast as answers come: each connection is one of `users`, round robin. */
function cannon(
  base: string,
  users: readonly BenchUser[],
  requestFor: (user: BenchUser) => () => string,
  seconds: number,
  onResponse?: (ms: number) => void,
  connections = CONNECTIONS,
): Promise<{ result: CannonResult }> {
  let next = 0
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        timeout: 30,
        setupClient(client) {
          const user = users[next++ % users.length]!
          const path = requestFor(user)
          const headers: Record<string, string> = user.cookie ? { cookie: user.cookie } : {}
          const request: CannonRequest = {
            method: 'GET',
            headers,
            setupRequest: (req) => ({ ...req, path: path() }),
          }
          client.setRequests([request])
        },
      },
      (err, result) => (err ? reject(err) : resolve({ result })),
    )
    if (onResponse) instance.on('response', (_client, _status, _bytes, ms) => onResponse(ms))
  })
}

interface Run {
  duration: number
  non2xx: number
  errors: number
}

/**
 * 50 concurrent users as people use a system: each on a connection of their own asks for a page,
 * reads it for a while (a think time drawn at random, exponentially distributed around
 * 1/`rate` seconds, so the users do not act in step), then asks for the next.
 */
async function browse(
  users: readonly BenchUser[],
  requestFor: (user: BenchUser) => () => string,
  seconds: number,
  rate: number,
  onResponse?: (ms: number) => void,
): Promise<Run> {
  const started = performance.now()
  const deadline = started + seconds * 1000
  const run = { non2xx: 0, errors: 0 }
  const get = (url: URL, agent: http.Agent, path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
    })
  const think = () => new Promise((r) => setTimeout(r, (-Math.log(1 - Math.random()) / rate) * 1000))
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      const user = users[i % users.length]!
      const url = new URL(user.base!)
      const path = requestFor(user)
      const headers: Record<string, string> = user.cookie ? { cookie: user.cookie } : {}
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      try {
        for (await think(); performance.now() < deadline; await think()) {
          const at = performance.now()
          try {
            const status = await get(url, agent, path(), headers)
            if (status < 200 || status >= 300) run.non2xx++
            onResponse?.(performance.now() - at)
          } catch {
            run.errors++
          }
        }
      } finally {
        agent.destroy()
      }
    }),
  )
  return { ...run, duration: (performance.now() - started) / 1000 }
}

async function measure(
  name: string,
  users: readonly BenchUser[],
  requestFor: (user: BenchUser) => () => string,
  path: string,
  serverPids: readonly number[],
  rate?: number,
): Promise<Measured> {
  const how = rate ? `${CONNECTIONS} users at ${rate} request/s each` : `${CONNECTIONS} connections, no pause (saturation)`
  log(`${name}: warming up for ${WARM_UP_SECONDS} s`)
  const drive = (seconds: number, onResponse?: (ms: number) => void): Promise<Run> =>
    rate ? browse(users, requestFor, seconds, rate, onResponse) : cannonAll(users, requestFor, seconds, onResponse)
  await drive(WARM_UP_SECONDS)
  log(`${name}: measuring for ${DURATION} s, ${how}`)
  const latencies: number[] = []
  let peak: number | null = null
  const loadAtStart = round(loadavg()[0]!)
  const serverCpu = () => serverPids.reduce<number | null>((sum, pid) => (sum === null ? null : (cpuSeconds(pid) ?? Number.NaN) + sum), 0)
  const cpuAtStart = serverCpu()
  const sampler = setInterval(() => {
    for (const pid of serverPids) {
      const rss = rssMiB(pid)
      if (rss !== null) peak = Math.max(peak ?? 0, rss)
    }
  }, 100)
  try {
    const result = await drive(DURATION, (ms) => latencies.push(ms))
    latencies.sort((a, b) => a - b)
    return {
      path,
      available: true,
      requests: latencies.length,
      requestsPerSecond: Math.round(latencies.length / result.duration),
      latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? 0) },
      non2xx: result.non2xx,
      errors: result.errors,
      serverRssMaxMiB: peak === null ? null : round(peak),
      loadAverage: [loadAtStart, round(loadavg()[0]!)],
      serverCpuMsPerRequest: cpuAtStart === null || latencies.length === 0 ? null : round(((serverCpu()! - cpuAtStart) * 1000) / latencies.length),
    }
  } finally {
    clearInterval(sampler)
  }
}

/** Whether a page exists yet for this user (features are built in parallel): 200, or its status. */
async function probe(user: BenchUser, path: string): Promise<number> {
  const res = await fetch(`${user.base}${path}`, { headers: { cookie: user.cookie! }, redirect: 'manual' })
  await res.text()
  return res.status
}

const randomOf = (items: readonly string[]) => items[Math.floor(Math.random() * items.length)]!

// ---- the replica

/** Waits until the replica has replayed everything the primary has written so far. */
async function replicaCaughtUp(primaryUrl: string, replicaUrl: string): Promise<number> {
  const started = performance.now()
  const one = async (url: string, text: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return (await client.query<{ lsn: string }>(text)).rows[0]!.lsn
    } finally {
      await client.end()
    }
  }
  const target = await one(primaryUrl, 'select pg_current_wal_lsn()::text as lsn')
  for (;;) {
    const behind = await one(replicaUrl, `select pg_wal_lsn_diff('${target}', pg_last_wal_replay_lsn())::text as lsn`)
    if (Number(behind) <= 0) return (performance.now() - started) / 1000
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Reads the replica has answered for each server so far (its /metrics). */
async function replicaReads(bases: readonly string[]): Promise<number[]> {
  return Promise.all(
    bases.map(async (base) => {
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      const text = await res.text()
      let n = 0
      for (const m of text.matchAll(/^together_db_replica_queries_total\{[^}]*outcome="answered"[^}]*\} (\d+)/gm)) n += Number(m[1])
      return n
    }),
  )
}

// ---- main

async function main(): Promise<number> {
  const machine = {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverageAtStart: loadavg().map(round),
  }
  let cluster: Cluster | null = null
  if (args.replica && !args.reuse) {
    cluster = await startCluster()
    log(`primary and streaming replica in ${cluster.dir} (ports ${cluster.primaryPort}, ${cluster.replicaPort})`)
  }
  const serverUrl = cluster?.primaryUrl() ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const servers: { child: ChildProcess; base: string }[] = []
  let throwaway: { url: string; name: string; drop(): Promise<void> } | null = null
  try {
    throwaway = args.reuse
      ? { url: args.reuse, name: new URL(args.reuse).pathname.slice(1), drop: async () => undefined }
      : await createThrowawayDatabase(serverUrl)
    const replicaUrl = args['replica-url'] ?? cluster?.replicaUrl(throwaway.name)
    log(`database ${throwaway.name}${replicaUrl ? `, replica ${new URL(replicaUrl).host}` : ''}`)
    const database = await openDatabase({ kind: 'postgres', url: throwaway.url })
    let seeded: SyntheticSeedResult | null = null
    let users: BenchUser[]
    let postgresVersion: string
    try {
      // A kept database gets the migrations added since it was seeded.
      await runMigrations(database)
      if (args.reuse) {
        log('reusing the seeded database: no seeding figure in this run')
      } else {
        const progress = createProgress('Seeding', { unit: 'children' })
        seeded = await seedSynthetic(database, { children: CHILDREN, seed: SEED, onProgress: (done, total) => progress.update(done, total) })
        progress.finish()
        log(`seeded ${seeded.children} children, ${seeded.rows} rows in ${seeded.seconds} s (${seeded.childrenPerSecond} children/s)`)
      }
      const [partnership] = await queryRows<{ id: string }>(database.db, sql`select id from partnership where name = ${syntheticPartnershipName(SEED)}`)
      if (!partnership) throw new Error(`no synthetic partnership of seed ${SEED} in ${throwaway.name}`)
      users = await createUsers(database.db, partnership.id)
      postgresVersion = (await queryRows<{ server_version: string }>(database.db, sql`show server_version`))[0]!.server_version
    } finally {
      await database.close()
    }
    let replicaCatchUpSeconds: number | null = null
    if (replicaUrl) {
      log('waiting for the replica to replay the seed')
      replicaCatchUpSeconds = round(await replicaCaughtUp(throwaway.url, replicaUrl))
      log(`the replica caught up ${replicaCatchUpSeconds} s after the seed`)
    }

    const env: NodeJS.ProcessEnv = { TOGETHER_METRICS_TOKEN: METRICS_TOKEN, ...(replicaUrl ? { DATABASE_REPLICA_URL: replicaUrl } : {}) }
    for (let i = 0; i < SERVERS; i++) servers.push(await startServer(throwaway.url, env))
    const pids = servers.map((s) => s.child.pid!)
    const bases = servers.map((s) => s.base)
    log(`${SERVERS} server(s): ${servers.map((s) => `pid ${s.child.pid} at ${s.base}, ${round(rssMiB(s.child.pid!) ?? 0)} MiB`).join('; ')}; signing ${users.length} users in`)
    // Round robin: user i keeps to server i mod N, as a load balancer with sticky connections does.
    users.forEach((u, i) => (u.base = bases[i % bases.length]))
    await Promise.all(users.map(async (u, i) => (u.cookie = await signIn(u.base!, u.email, PASSWORD, `198.51.100.${(i % 250) + 1}`))))
    const managers = users.filter((u) => u.role === 'team-manager')

    // The floor is an endpoint doing one indexed query.
    const floorPath = '/health/ready'
    const anonymous = users.map((u) => ({ ...u, cookie: undefined }))
    const casePath = (u: BenchUser) => () => `/cases/${randomOf(u.caseIds)}`
    const chronologyPath = (u: BenchUser) => () => `/cases/${randomOf(u.caseIds)}/chronology`
    const pages: [key: string, name: string, who: BenchUser[], path: (u: BenchUser) => () => string, label: string][] = [
      ['floor', `floor (GET ${floorPath})`, anonymous, () => () => floorPath, floorPath],
      ['casePage', 'case page', users, casePath, '/cases/:id'],
      ['chronology', 'chronology', users, chronologyPath, '/cases/:id/chronology'],
      ['teamView', 'team view', managers, () => () => '/team', '/team'],
    ]
    for (const [, name, who, path] of pages) {
      for (const user of who.slice(0, SERVERS)) {
        const status = await probe(user, path(user)())
        if (status !== 200) throw new Error(`${name} answered ${status} on ${user.base}`)
      }
    }
    const replicaReadsBefore = replicaUrl ? await replicaReads(bases) : null
    const targets: Record<string, TargetResult> = {}
    const saturation: Record<string, TargetResult> = {}
    for (const [key, name, who, path, label] of pages) targets[key] = await measure(name, who, path, label, pids, USER_RATE)
    for (const [key, name, who, path, label] of pages) saturation[key] = await measure(name, who, path, label, pids)
    const replicaReadsAfter = replicaUrl ? await replicaReads(bases) : null

    const measured = [...Object.values(targets), ...Object.values(saturation)].filter((t): t is Measured => t.available)
    const rssPeaks = measured.map((t) => t.serverRssMaxMiB).filter((n): n is number => n !== null)
    const serverRssMaxMiB = rssPeaks.length > 0 ? Math.max(...rssPeaks) : null
    const p95 = (t: TargetResult | undefined) => (t?.available ? t.latencyMs.p95 : null)
    const check = (value: number | null, limit: number, atLeast = false) =>
      value === null ? { target: limit, value, ok: null } : { target: limit, value, ok: atLeast ? value >= limit : value < limit }
    const checks = {
      seedingChildrenPerSecond: check(seeded?.childrenPerSecond ?? null, TARGETS.seedingChildrenPerSecond, true),
      casePageP95Ms: check(p95(targets.casePage), TARGETS.casePageP95),
      chronologyP95Ms: check(p95(targets.chronology), TARGETS.chronologyP95),
      teamViewP95Ms: check(p95(targets.teamView), TARGETS.teamViewP95),
      serverRssMiB: check(serverRssMaxMiB, TARGETS.serverRssMiB),
      noErrors: { ok: measured.every((t) => t.non2xx === 0 && t.errors === 0) },
    }
    const ok = Object.values(checks).every((c) => c.ok !== false)
    const report = {
      benchmark: 'journey',
      date: new Date().toISOString().slice(0, 10),
      machine,
      database: `PostgreSQL ${postgresVersion}`,
      children: CHILDREN,
      seed: SEED,
      seeding: seeded && {
        seconds: seeded.seconds,
        childrenPerSecond: seeded.childrenPerSecond,
        rows: seeded.rows,
        rowsPerSecond: Math.round(seeded.rows / seeded.seconds),
      },
      servers: SERVERS,
      replica: replicaUrl
        ? {
            catchUpSecondsAfterSeed: replicaCatchUpSeconds,
            readsAnsweredDuringMeasurement: replicaReadsAfter!.reduce((a, b) => a + b, 0) - replicaReadsBefore!.reduce((a, b) => a + b, 0),
          }
        : null,
      users: { socialWorkers: users.length - managers.length, teamManagers: managers.length },
      connections: CONNECTIONS,
      requestsPerSecondPerUser: USER_RATE,
      durationSeconds: DURATION,
      targets,
      saturation,
      serverRssMaxMiB,
      loadAverageAtEnd: loadavg().map(round),
      checks,
      ok,
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    return ok ? 0 : 1
  } finally {
    for (const server of servers) await stopServer(server)
    const keep = args.keep || args.reuse
    if (throwaway) {
      if (keep) log(`kept database ${throwaway.url}`)
      else await throwaway.drop()
    }
    if (cluster) {
      if (args.keep) log(`kept the primary and replica in ${cluster.dir}: node --import tsx bench/pg-cluster.ts stop ${cluster.dir}`)
      else cluster.stop()
    }
  }
}

process.exitCode = await main()
