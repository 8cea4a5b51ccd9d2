// Benchmark: the server under many concurrent connections with a realistic read/write mix (issue 15,
// item 28). Creates a throwaway PostgreSQL database (on the server of DATABASE_URL, else
// 127.0.0.1:5432 as postgres; dropped at the end) or, with --engine pglite, a throwaway embedded
// data directory; migrates it and seeds a synthetic partnership (`together seed --synthetic`'s
// generator); then, for each connection count (20, then 200), starts the real server afresh as a
// child process (so its memory high-water mark is that run's), signs in social workers, team
// managers and front door practitioners through the sign-in form, and drives this mix with
// autocannon, as fast as answers come, each connection being one of those users:
//   reads: home, my tasks, case overview, chronology, person search (JSON API), front door queue
//   writes: a case note added through the JSON API (session cookie and x-csrf-token, from GET /api/v1/me)
// Prints one JSON object per run and a summary (requests, errors: status >= 400 and socket errors and
// time-outs, p50/p95/p99 latency overall and per kind, the server's CPU per request from
// /proc/<pid>/stat, its peak RSS from /proc VmHWM) and exits 1 when a target is missed: no errors
// at 200 connections, p99 < 1 s, server RSS < 512 MiB.
//   node --import tsx bench/load.ts [--connections 20,200] [--seconds 30] [--children 3000] [--engine postgres|pglite] [--workers N]
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon, { type Result as CannonResult } from 'autocannon'
import { inArray, sql } from 'drizzle-orm'
import { childCase } from '../src/db/schema/index.ts'
import { openDatabase, queryRows, type Database, type Db } from '../src/db/connection.ts'
import { runMigrations } from '../src/db/migrate.ts'
import { insertUser } from '../src/services/organisation/organisation.ts'
import { indexPending } from '../src/services/person-index/store.ts'
import { seedSynthetic } from '../src/services/demo/synthetic/seed.ts'
import { syntheticPartnershipName } from '../src/services/demo/synthetic/organisation.ts'
import { cpuSeconds, createThrowawayDatabase, peakRssMiB, rssMiB, serverNodeArgs, serverProcesses, signIn, startServer, stopServer, summed, type ServerDatabase } from './server-harness.ts'

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '20,200' },
    seconds: { type: 'string', default: '30' },
    children: { type: 'string', default: '3000' },
    engine: { type: 'string', default: 'postgres' },
    seed: { type: 'string', default: '1' },
    /** Server processes on the port (`together serve --workers`; PostgreSQL only). */
    workers: { type: 'string', default: '1' },
  },
})
const CONNECTIONS = args.connections.split(',').map(Number)
const SECONDS = Number(args.seconds)
const CHILDREN = Number(args.children)
const ENGINE = args.engine
if (ENGINE !== 'postgres' && ENGINE !== 'pglite') throw new Error('--engine is postgres or pglite')
const SEED = Number(args.seed)
const WORKERS = Number(args.workers)
const WARM_UP_SECONDS = 3
const PASSWORD = `bench-${randomBytes(9).toString('base64url')}`
const RUN = randomBytes(3).toString('hex')
const TARGETS = { p99Ms: 1000, serverRssMiB: 512 }

const log = (message: string) => process.stderr.write(`${message}\n`)
const round = (n: number) => Math.round(n * 10) / 10

// ---- users

type Role = 'social-worker' | 'team-manager' | 'front-door-practitioner'
interface LoadUser {
  email: string
  userId: string
  teamId: string
  role: Role
  caseIds: string[]
  /** Open cases allocated to this user (social workers): the ones they write notes on. */
  ownCaseIds: string[]
  cookie?: string
  csrf?: string
}

/** 8 social workers, 4 team managers and 4 front door practitioners, in the synthetic teams. */
async function createUsers(db: Db, partnershipId: string): Promise<LoadUser[]> {
  const teams = await queryRows<{ id: string; agencyId: string; name: string }>(db, sql`
    select t.id, t.agency_id as "agencyId", t.name from team t
    where t.partnership_id = ${partnershipId} and (t.name like 'Assessment team %' or t.name like 'Child protection team %' or t.name = 'Front door (MASH)')
    order by t.name`)
  const frontDoor = teams.find((t) => t.name === 'Front door (MASH)')
  const caseTeams = teams.filter((t) => t !== frontDoor)
  if (!frontDoor || caseTeams.length === 0) throw new Error('the synthetic partnership has no front door or case teams')
  const plan: [Role, number][] = [['social-worker', 8], ['team-manager', 4], ['front-door-practitioner', 4]]
  const users: LoadUser[] = []
  for (const [role, count] of plan) {
    for (let i = 0; i < count; i++) {
      const team = role === 'front-door-practitioner' ? frontDoor : caseTeams[i % caseTeams.length]!
      const email = `load.${RUN}.${role}.${i + 1}@bench.together.invalid`
      const { id: userId } = await insertUser(db, partnershipId, { displayName: `Load ${role} ${i + 1} (synthetic)`, email, agencyId: team.agencyId, teamId: team.id, roles: [role], active: true, password: PASSWORD })
      const cases = await queryRows<{ id: string }>(db, sql`select id from child_case where team_id = ${team.id} and not restricted order by id limit 2000`)
      users.push({ email, userId, teamId: team.id, role, caseIds: cases.map((c) => c.id), ownCaseIds: [] })
    }
  }
  // A social worker writes on the open cases allocated to them: up to 40 each, shared out in turn
  // among the team's social workers so that no two write on one case and none is left without.
  for (const team of caseTeams) {
    const workers = users.filter((u) => u.role === 'social-worker' && u.teamId === team.id)
    if (workers.length === 0) continue
    const open = await queryRows<{ id: string }>(db, sql`
      select id from child_case where team_id = ${team.id} and status <> 'closed' and not restricted order by id limit ${40 * workers.length}`)
    open.forEach((c, i) => workers[i % workers.length]!.ownCaseIds.push(c.id))
    for (const w of workers) {
      if (w.ownCaseIds.length === 0) throw new Error(`${team.name} has too few open cases for its ${workers.length} social workers`)
      await db.update(childCase).set({ allocatedWorkerId: w.userId }).where(inArray(childCase.id, w.ownCaseIds))
    }
  }
  return users
}

// ---- the mix

interface Op {
  kind: string
  /** Relative weight among the operations this user does. */
  weight: number
  roles: Role[]
  request(user: LoadUser): { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }
}

const randomOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!
let familyNames: string[] = []
const today = new Date().toISOString().slice(0, 10)

const caseUsers: Role[] = ['social-worker', 'team-manager']
const MIX: Op[] = [
  { kind: 'home', weight: 10, roles: ['social-worker', 'team-manager', 'front-door-practitioner'], request: () => ({ method: 'GET', path: '/' }) },
  { kind: 'tasks', weight: 10, roles: ['social-worker', 'team-manager', 'front-door-practitioner'], request: () => ({ method: 'GET', path: '/tasks' }) },
  { kind: 'case overview', weight: 25, roles: caseUsers, request: (u) => ({ method: 'GET', path: `/cases/${randomOf(u.caseIds)}` }) },
  { kind: 'chronology', weight: 15, roles: caseUsers, request: (u) => ({ method: 'GET', path: `/cases/${randomOf(u.caseIds)}/chronology` }) },
  {
    kind: 'person search',
    weight: 10,
    roles: ['front-door-practitioner', 'social-worker'],
    request: () => ({ method: 'GET', path: `/api/v1/people?familyName=${encodeURIComponent(randomOf(familyNames).slice(0, 4))}` }),
  },
  { kind: 'front door queue', weight: 20, roles: ['front-door-practitioner'], request: () => ({ method: 'GET', path: '/front-door' }) },
  {
    kind: 'case note (write)',
    weight: 10,
    roles: ['social-worker'],
    request: (u) => ({
      method: 'POST',
      path: `/api/v1/cases/${randomOf(u.ownCaseIds)}/notes`,
      headers: { 'content-type': 'application/json', 'x-csrf-token': u.csrf! },
      body: JSON.stringify({ kind: 'note', occurredOn: today, title: 'Load test note', body: `Synthetic note written by the load benchmark (${RUN}).` }),
    }),
  },
]

function pickerFor(user: LoadUser): () => Op {
  const ops = MIX.filter((op) => op.roles.includes(user.role))
  const total = ops.reduce((s, op) => s + op.weight, 0)
  return () => {
    let r = Math.random() * total
    for (const op of ops) if ((r -= op.weight) < 0) return op
    return ops.at(-1)!
  }
}

// ---- one run

interface KindFigures {
  requests: number
  errors: number
  /** How many answers of each failing status. */
  errorStatuses: Record<string, number>
  latencyMs: { p50: number; p95: number; p99: number }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function drive(base: string, users: readonly LoadUser[], connections: number, seconds: number, record?: (kind: string, status: number, ms: number) => void): Promise<CannonResult> {
  let next = 0
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        timeout: 10,
        setupClient(client) {
          const user = users[next++ % users.length]!
          const pick = pickerFor(user)
          const state = client as unknown as { loadKind?: string }
          client.setRequests([
            {
              setupRequest: (req) => {
                const op = pick()
                state.loadKind = op.kind
                const r = op.request(user)
                return { ...req, method: r.method, path: r.path, headers: { ...r.headers, cookie: user.cookie! }, body: r.body }
              },
            },
          ])
        },
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    )
    if (record) instance.on('response', (client, status, _bytes, ms) => record((client as unknown as { loadKind?: string }).loadKind ?? '?', status, ms))
  })
}

async function run(database: ServerDatabase, users: LoadUser[], connections: number) {
  const server = await startServer(database, { TOGETHER_WORKERS: String(WORKERS) })
  // With several workers, the figures are the primary's and its workers' added up.
  const pids = serverProcesses(server.child.pid!)
  if (pids.length !== (WORKERS > 1 ? WORKERS + 1 : 1)) throw new Error(`expected ${WORKERS} worker(s), found processes ${pids.join(', ')}`)
  try {
    log(`${connections} connections: server pid(s) ${pids.join(', ')} at ${server.base}, resident ${round(summed(pids, rssMiB) ?? 0)} MiB; signing ${users.length} users in`)
    let address = 0
    for (const u of users) {
      u.cookie = await signIn(server.base, u.email, PASSWORD, `198.51.100.${++address}`)
      const me = await fetch(`${server.base}/api/v1/me`, { headers: { cookie: u.cookie } })
      u.csrf = ((await me.json()) as { csrfToken: string }).csrfToken
    }
    // Every operation must work once before it is measured.
    for (const op of MIX) {
      const u = users.find((x) => op.roles.includes(x.role))!
      const r = op.request(u)
      const res = await fetch(`${server.base}${r.path}`, { method: r.method, headers: { ...r.headers, cookie: u.cookie! }, body: r.body, redirect: 'manual' })
      const text = await res.text()
      if (res.status >= 300) throw new Error(`${op.kind} (${r.method} ${r.path}) answered ${res.status}: ${text.slice(0, 300)}`)
    }
    log(`${connections} connections: warming up for ${WARM_UP_SECONDS} s`)
    await drive(server.base, users, connections, WARM_UP_SECONDS)
    log(`${connections} connections: measuring for ${SECONDS} s`)
    const byKind = new Map<string, { latencies: number[]; errors: number; statuses: Record<string, number> }>()
    const all: number[] = []
    let statusErrors = 0
    let sampledPeak = 0
    const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, summed(pids, rssMiB) ?? 0)), 100)
    const started = performance.now()
    const cpuBefore = summed(pids, cpuSeconds)
    const result = await drive(server.base, users, connections, SECONDS, (kind, status, ms) => {
      let k = byKind.get(kind)
      if (!k) byKind.set(kind, (k = { latencies: [], errors: 0, statuses: {} }))
      k.latencies.push(ms)
      all.push(ms)
      if (status < 200 || status >= 400) {
        k.errors++
        k.statuses[status] = (k.statuses[status] ?? 0) + 1
        statusErrors++
      }
    })
    const elapsed = (performance.now() - started) / 1000
    const cpuAfter = summed(pids, cpuSeconds)
    const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore
    clearInterval(sampler)
    const peak = summed(pids, peakRssMiB)
    all.sort((a, b) => a - b)
    const kinds: Record<string, KindFigures> = {}
    for (const [kind, k] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
      k.latencies.sort((a, b) => a - b)
      kinds[kind] = { requests: k.latencies.length, errors: k.errors, errorStatuses: k.statuses, latencyMs: { p50: round(percentile(k.latencies, 50)), p95: round(percentile(k.latencies, 95)), p99: round(percentile(k.latencies, 99)) } }
    }
    const socketErrors = result.errors
    const timeouts = result.timeouts
    const figures = {
      connections,
      workers: WORKERS,
      seconds: SECONDS,
      requests: all.length,
      requestsPerSecond: Math.round(all.length / elapsed),
      errors: statusErrors + socketErrors,
      statusErrors,
      socketErrors,
      timeouts,
      latencyMs: { p50: round(percentile(all, 50)), p95: round(percentile(all, 95)), p99: round(percentile(all, 99)), max: round(all.at(-1) ?? 0) },
      serverCpuMsPerRequest: cpu === null || all.length === 0 ? null : round((cpu * 1000) / all.length),
      serverCpuPercent: cpu === null ? null : Math.round((cpu / elapsed) * 100),
      serverPeakRssMiB: peak === null ? null : round(peak),
      serverSampledMaxRssMiB: round(sampledPeak),
      loadAverageAfter: loadavg().map(round),
      kinds,
    }
    log(`${connections} connections: ${figures.requests} requests, ${figures.errors} errors, p50 ${figures.latencyMs.p50} ms, p95 ${figures.latencyMs.p95} ms, p99 ${figures.latencyMs.p99} ms, server CPU ${figures.serverCpuMsPerRequest} ms a request (${figures.serverCpuPercent} % of a CPU), peak RSS ${figures.serverPeakRssMiB} MiB`)
    return figures
  } finally {
    await stopServer(server)
  }
}

// ---- main

async function main(): Promise<number> {
  const machine = { cpuModel: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, os: `${platform()} ${release()}`, loadAverageAtStart: loadavg().map(round) }
  let target: ServerDatabase
  let cleanUp: () => Promise<void>
  let database: Database
  if (ENGINE === 'postgres') {
    const throwaway = await createThrowawayDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
    log(`database ${throwaway.name}`)
    target = throwaway.url
    cleanUp = throwaway.drop
    database = await openDatabase({ kind: 'postgres', url: throwaway.url }).catch(async (e) => (await throwaway.drop(), Promise.reject(e)))
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'together-load-'))
    log(`embedded database in ${dataDir}`)
    target = { dataDir }
    cleanUp = async () => rmSync(dataDir, { recursive: true, force: true })
    database = await openDatabase({ kind: 'pglite', dataDir })
  }
  try {
    let users: LoadUser[]
    try {
      await runMigrations(database)
      const seeded = await seedSynthetic(database, { children: CHILDREN, seed: SEED })
      log(`seeded ${seeded.children} children, ${seeded.rows} rows in ${seeded.seconds} s`)
      const [partnership] = await queryRows<{ id: string }>(database.db, sql`select id from partnership where name = ${syntheticPartnershipName(SEED)}`)
      // The seeder leaves the person index's source records unindexed, and each person search
      // indexes up to 500 of them first: index them all now, as a live system would have.
      let indexed = 0
      for (let n; (n = await indexPending(database.db, partnership!.id)) > 0; ) indexed += n
      log(`indexed ${indexed} source records for person search`)
      users = await createUsers(database.db, partnership!.id)
      familyNames = (await queryRows<{ name: string }>(database.db, sql`select distinct family_name as name from person where partnership_id = ${partnership!.id} limit 500`)).map((r) => r.name)
    } finally {
      await database.close()
    }
    const runs = []
    for (const connections of CONNECTIONS) runs.push(await run(target, users, connections))
    const checks = runs.map((r) => ({
      connections: r.connections,
      noErrors: r.connections < 200 ? null : r.errors === 0,
      p99UnderOneSecond: r.latencyMs.p99 < TARGETS.p99Ms,
      rssUnder512MiB: r.serverPeakRssMiB === null ? null : r.serverPeakRssMiB < TARGETS.serverRssMiB,
    }))
    const ok = checks.every((c) => c.noErrors !== false && c.p99UnderOneSecond && c.rssUnder512MiB !== false)
    const report = {
      benchmark: 'load',
      date: new Date().toISOString().slice(0, 10),
      machine,
      engine: ENGINE,
      serverNodeArgs: serverNodeArgs(),
      children: CHILDREN,
      users: users.reduce<Record<string, number>>((n, u) => ((n[u.role] = (n[u.role] ?? 0) + 1), n), {}),
      mix: Object.fromEntries(MIX.map((op) => [op.kind, { weight: op.weight, roles: op.roles }])),
      runs,
      checks,
      ok,
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    return ok ? 0 : 1
  } finally {
    await cleanUp()
  }
}

process.exitCode = await main()
