/**
 * `together serve --workers N` (TOGETHER_WORKERS): several server processes on one port
 * (web/workers.ts). On PostgreSQL: the workers share the requests, `/metrics` answers for all of
 * them, a worker killed is replaced while the others go on answering, and stopping the server
 * stops them all. The embedded database is open in one process only, so there it is refused.
 */
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { partnershipWithToken, pgliteEngine, postgresEngine, serve, together, writePerson, type Engine, type Served } from '../crash/server-process.ts'
import { until } from '../support/until.ts'
import { serverProcesses } from '../../bench/server-harness.ts'

const METRICS_TOKEN = 'workers-test-metrics-token-0123456789abcdef'

/** The worker processes of the server `pid`: its children running `together` (not, say, tsx's esbuild). */
const childrenOf = (pid: number): number[] => serverProcesses(pid).slice(1)

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A GET on a connection of its own (no keep-alive), so that each may go to another worker. */
function getOnNewConnection(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.once('error', reject)
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${url} within 20 s`)))
    req.end()
  })
}


describe('together serve --workers on PostgreSQL', { skip: process.env.DATABASE_URL ? false : 'several workers need PostgreSQL (set DATABASE_URL)' }, () => {
  let engine: Engine
  let token: string
  let served: Served

  before(async () => {
    engine = await postgresEngine(process.env.DATABASE_URL!)
    token = await partnershipWithToken(engine)
    served = await serve(engine, { TOGETHER_WORKERS: '2', TOGETHER_METRICS_TOKEN: METRICS_TOKEN})
  })

  after(async () => {
    if (served && alive(served.child.pid!)) {
      const workers = childrenOf(served.child.pid!)
      served.child.kill('SIGKILL')
      for (const pid of workers) if (alive(pid)) process.kill(pid, 'SIGKILL')
    }
    await engine?.cleanup()
  })

  test('two workers share the requests; /metrics counts every worker’s; a worker killed is replaced; stopping the server stops them all', async () => {
    const primary = served.child.pid!
    const workers = childrenOf(primary)
    assert.equal(workers.length, 2, 'the server is announced once both workers listen')

    // Every request answered, reads and writes, each on a connection of its own.
    for (let i = 0; i < 20; i++) assert.equal((await getOnNewConnection(`${served.url}/health`)).status, 200)
    for (let n = 0; n < 10; n++) assert.equal((await writePerson(served.url, token, n)).kind, 'acknowledged')

    // The connections go to the workers in turn, so each answered some; /metrics, whichever worker
    // answers it, adds up both: 20 health checks, and 10 people created.
    const metrics = await getOnNewConnection(`${served.url}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` })
    assert.equal(metrics.status, 200, metrics.body)
    assert.match(metrics.body, /^together_http_requests_total\{method="GET",route="\/health",status="200"\} 20$/m)
    assert.match(metrics.body, /^together_http_requests_total\{method="POST",route="\/api\/v1\/people",status="201"\} 10$/m)

    // kill -9 one worker: another takes its place, and the other answers meanwhile. (A connection
    // the primary hands to the worker in the instant it dies is lost, as with any server killed;
    // those after the primary has seen it die are not.)
    process.kill(workers[0]!, 'SIGKILL')
    const replaced = await until('a worker in place of the one killed', () => {
      const now = childrenOf(primary)
      return now.length === 2 && !now.includes(workers[0]!) && now
    })
    assert.ok(replaced.includes(workers[1]!), 'the other worker went on')
    for (let i = 0; i < 10; i++) assert.equal((await getOnNewConnection(`${served.url}/health`)).status, 200)
    assert.equal((await writePerson(served.url, token, 10)).kind, 'acknowledged')

    served.child.kill('SIGTERM')
    assert.equal(await served.exited, 0)
    for (const pid of replaced) assert.equal(alive(pid), false, `worker ${pid} has stopped with the server`)
  })
})

describe('together serve --workers on the embedded database', () => {
  test('is refused with the reason (exit 2): the embedded database is open in one process only', () => {
    const engine = pgliteEngine()
    try {
      const r = together(engine, ['serve', '--port', '0', '--workers', '2'])
      assert.equal(r.code, 2, r.stderr)
      assert.match(r.stderr, /several workers \(--workers, TOGETHER_WORKERS\) need PostgreSQL/)
    } finally {
      void engine.cleanup()
    }
  })
})
