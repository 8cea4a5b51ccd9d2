/**
 * Prometheus metrics (prom-client), served at `/metrics` only when TOGETHER_METRICS_TOKEN is set
 * (web/common/metrics/routes.ts; docs/deployment.md lists the series). Labels never carry personal
 * data: a request is labelled with its route's pattern (`/cases/:id`), never its URL; the other
 * labels are fixed words. Counting is always on (it costs a few additions per request); only the
 * endpoint is configured.
 */
import cluster from 'node:cluster'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client'

export const registry = new Registry()

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

const httpRequests = new Counter({
  name: 'together_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
})

const httpDuration = new Histogram({
  name: 'together_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: SECONDS,
  registers: [registry],
})

const auditAppend = new Histogram({
  name: 'together_audit_append_duration_seconds',
  help: "Time to append to the audit log: inside the caller's transaction, or by group commit",
  labelNames: ['mode'] as const,
  buckets: [0.001, 0.0025, ...SECONDS],
  registers: [registry],
})

const jobRuns = new Counter({
  name: 'together_job_runs_total',
  help: 'Runs of the periodic jobs: ran, skipped (another process held the lock) or failed',
  labelNames: ['outcome'] as const,
  registers: [registry],
})

const jobDuration = new Histogram({
  name: 'together_job_run_duration_seconds',
  help: 'Time a run of the periodic jobs took',
  buckets: SECONDS,
  registers: [registry],
})

const jobItems = new Counter({
  name: 'together_job_items_total',
  help: 'What the periodic jobs did, by job and result (e.g. emails failed)',
  labelNames: ['job', 'result'] as const,
  registers: [registry],
})

/** A connection pool's counts, as node-postgres's Pool gives them. */
export interface PoolCounts {
  totalCount: number
  idleCount: number
  waitingCount: number
}

let pool: PoolCounts | null = null

new Gauge({
  name: 'together_db_pool_connections',
  help: 'PostgreSQL connections of the pool: total open, idle, and requests waiting for one (absent on the embedded database)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.reset()
    if (!pool) return
    this.set({ state: 'total' }, pool.totalCount)
    this.set({ state: 'idle' }, pool.idleCount)
    this.set({ state: 'waiting' }, pool.waitingCount)
  },
})

/** The pool `/metrics` reports on: node-postgres's, which drizzle keeps as `$client`; PGlite's client has none. */
export function observeDatabasePool(db: object): void {
  const client = (db as { $client?: Partial<PoolCounts> }).$client
  pool = client && typeof client.totalCount === 'number' && typeof client.idleCount === 'number' ? (client as PoolCounts) : null
}

/** What the replica gauges read (db/replicas.ts's ReplicaSet.states): host:port, never credentials. */
export interface ReplicaStates {
  states(): { replica: string; status: string; lagSeconds: number | null; reads: number; fellBack: number }[]
}

let replicas: ReplicaStates | null = null

new Gauge({
  name: 'together_db_replica_lag_seconds',
  help: 'How far each read replica is behind the primary, at most (0: it has replayed everything; absent while not known)',
  labelNames: ['replica'] as const,
  registers: [registry],
  aggregator: 'max',
  collect() {
    this.reset()
    for (const r of replicas?.states() ?? []) if (r.lagSeconds !== null) this.set({ replica: r.replica }, r.lagSeconds)
  },
})

new Gauge({
  name: 'together_db_replica_up',
  help: 'Whether each read replica is read from (1), or skipped as down or too far behind (0)',
  labelNames: ['replica'] as const,
  registers: [registry],
  aggregator: 'min',
  collect() {
    this.reset()
    for (const r of replicas?.states() ?? []) this.set({ replica: r.replica }, r.status === 'up' ? 1 : 0)
  },
})

new Counter({
  name: 'together_db_replica_queries_total',
  help: 'Queries sent to each read replica: answered by it, or (it could not) by the primary',
  labelNames: ['replica', 'outcome'] as const,
  registers: [registry],
  collect() {
    this.reset()
    for (const r of replicas?.states() ?? []) {
      this.inc({ replica: r.replica, outcome: 'answered' }, r.reads)
      this.inc({ replica: r.replica, outcome: 'primary' }, r.fellBack)
    }
  },
})

/** The read replicas `/metrics` reports on, when there are any. */
export function observeReplicas(set: ReplicaStates | null | undefined): void {
  replicas = set ?? null
}

let processMetrics = false

/** The process's own series (CPU, memory, event loop delay, garbage collection), once, for the server with metrics on. */
export function observeProcess(): void {
  if (processMetrics) return
  processMetrics = true
  collectDefaultMetrics({ register: registry })
}

/**
 * The messages a worker and the primary of several (web/workers.ts) exchange for `/metrics`: a
 * worker asked for them asks the primary, which asks every worker listening for its series and
 * answers with their sum.
 */
export const METRICS_REQUEST = 'together:metrics-request'
export const METRICS_ANSWER = 'together:metrics'
export const SERIES_REQUEST = 'together:series-request'
export const SERIES_ANSWER = 'together:series'
export interface SeriesAnswer {
  type: typeof SERIES_ANSWER
  id: number
  series?: MetricObjectWithValues<MetricValue<string>>[]
  error?: string
}

let asked = 0
const answers = new Map<number, (answer: { text?: string; error?: string }) => void>()
if (cluster.isWorker) {
  process.on('message', (message: { type?: string; id?: number; text?: string; error?: string }) => {
    if (message?.type === METRICS_ANSWER && message.id !== undefined) answers.get(message.id)?.(message)
    else if (message?.type === SERIES_REQUEST && message.id !== undefined) {
      const id = message.id
      registry.getMetricsAsJSON().then(
        (series) => process.send!({ type: SERIES_ANSWER, id, series } satisfies SeriesAnswer),
        (err: Error) => process.send!({ type: SERIES_ANSWER, id, error: err.message } satisfies SeriesAnswer),
      )
    }
  })
}

/**
 * The series in Prometheus's text format: this process's, or with several workers every worker's
 * added together (the primary gathers them; web/workers.ts).
 */
export async function metricsText(): Promise<string> {
  if (!cluster.isWorker) return registry.metrics()
  const answer = await askOverIpc(answers, asked++, (id) => process.send!({ type: METRICS_REQUEST, id }), 10_000, 'the primary process')
  if (answer.error !== undefined) throw new Error(`the workers' metrics could not be gathered: ${answer.error}`)
  return answer.text ?? ''
}

/**
 * Sends a request by `send` and waits for its answer, which the message handler hands to the
 * waiter kept in `waiting` under `id`; after `timeoutMs`, an answer of `{ error }` naming `who`.
 */
export async function askOverIpc<T extends { error?: string }>(
  waiting: Map<number, (answer: T) => void>,
  id: number,
  send: (id: number) => void,
  timeoutMs: number,
  who: string,
): Promise<T> {
  try {
    return await new Promise<T>((resolve) => {
      const timer = setTimeout(() => resolve({ error: `${who} did not answer within ${timeoutMs / 1000} s` } as T), timeoutMs)
      waiting.set(id, (answer) => {
        clearTimeout(timer)
        resolve(answer)
      })
      send(id)
    })
  } finally {
    waiting.delete(id)
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/**
 * A route label from what Express matched: the mount path and the route's pattern. Null (no
 * route matched: a 404, a static file) is a fixed word. Should an id ever reach it (a router
 * mounted at a path with a parameter gives the matched path, not the pattern), it is replaced.
 */
export function routeLabel(baseUrl: string, routePath: unknown, status: number): string {
  if (typeof routePath !== 'string') return status < 400 ? '(static)' : '(unmatched)'
  return `${baseUrl}${routePath}`.replace(UUID, ':id').replace(/\/\d+(?=\/|$)/g, '/:n') || '/'
}

export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  httpRequests.inc({ method, route, status: String(status) })
  httpDuration.observe({ method, route }, seconds)
}

/** Times an audit append; call the answer when it has finished. */
export function auditAppendTimer(mode: 'transaction' | 'group-commit'): () => void {
  const stop = auditAppend.startTimer({ mode })
  return () => {
    stop()
  }
}

/** Times a run of the periodic jobs: `done` with what it did, or `failed`. */
export function jobRunTimer(): { done(result: { ran: boolean; items: Record<string, Record<string, number>> }): void; failed(): void } {
  const stop = jobDuration.startTimer()
  return {
    done({ ran, items }) {
      stop()
      jobRuns.inc({ outcome: ran ? 'ran' : 'skipped' })
      for (const [job, results] of Object.entries(items)) {
        for (const [result, n] of Object.entries(results)) if (n > 0) jobItems.inc({ job, result }, n)
      }
    },
    failed() {
      stop()
      jobRuns.inc({ outcome: 'failed' })
    },
  }
}
