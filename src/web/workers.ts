/**
 * Several server processes on one port (node:cluster), for a machine with more than one CPU: the
 * primary process serves nothing itself; it starts the workers, each of which is `together serve`
 * as one process would be (its own pool, admission limit and periodic jobs, which the advisory lock
 * runs once across them), and the operating system shares the connections out among them. They
 * share nothing but the database, as separate servers do (issue 20), so PostgreSQL only.
 *
 * The first worker applies the migrations before the others start, so that they never race. A
 * worker that ends after it was listening is replaced; one that ends before it ever listened ends
 * the server (the same failure would repeat). `/metrics` in any worker answers for all of them:
 * it asks the primary, which gathers the series of every worker listening and adds them up
 * (prom-client's AggregatorRegistry.aggregate: sums, or the gauge's own aggregator).
 */
import cluster, { type Worker } from 'node:cluster'
import { AggregatorRegistry } from 'prom-client'
import type { Logger } from 'pino'
import { askOverIpc, METRICS_ANSWER, METRICS_REQUEST, SERIES_ANSWER, SERIES_REQUEST, type SeriesAnswer } from '../metrics.ts'

/** What a worker tells the primary once it is listening. */
export interface WorkerListening {
  type: 'together:listening'
  /** What `together serve` prints for people (the address, and the demo's accounts). */
  help: string
}

export interface Supervisor {
  /** Stops every worker (SIGTERM, as to one server) and resolves when they have all ended. */
  stop(): Promise<void>
  /** Resolves when a worker failed to start, with what the server should exit with. */
  failed: Promise<number>
}

export function superviseWorkers(count: number, logger: Logger, onListening: (listening: WorkerListening) => void): Supervisor {
  const listened = new WeakSet<Worker>()
  const gatherings = new Map<number, (answer: SeriesAnswer) => void>()
  let gathered = 0

  /** Every listening worker's series, added up; a worker that does not answer within 5 s fails it. */
  const gather = async (): Promise<string> => {
    const listening = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && listened.has(w) && w.isConnected())
    const answers = await Promise.all(
      listening.map((w) => askOverIpc(gatherings, gathered++, (id) => w.send({ type: SERIES_REQUEST, id }), 5000, `worker ${w.id}`)),
    )
    const failed = answers.find((a) => a.error !== undefined)
    if (failed) throw new Error(failed.error)
    return AggregatorRegistry.aggregate(answers.map((a) => a.series!)).metrics()
  }
  let stopping = false
  let listening = 0
  let failWith: (code: number) => void = () => {}
  const failed = new Promise<number>((resolve) => (failWith = resolve))

  const start = (): Worker => {
    const worker = cluster.fork()
    worker.on('message', (message: { type?: string; id?: number }) => {
      if (message?.type === SERIES_ANSWER) return gatherings.get(message.id!)?.(message as SeriesAnswer)
      if (message?.type === 'together:listening') {
        listened.add(worker)
        listening++
        // The others start once the first has applied the migrations; the server is announced
        // (its address printed) once they are all listening.
        if (listening === 1) for (let i = 1; i < count; i++) start()
        if (listening === count) onListening(message as unknown as WorkerListening)
        logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker listening')
      } else if (message?.type === METRICS_REQUEST) {
        gather().then(
          (text) => worker.send({ type: METRICS_ANSWER, id: message.id, text }),
          (err: Error) => worker.send({ type: METRICS_ANSWER, id: message.id, error: err.message }),
        )
      }
    })
    worker.on('exit', (code, signal) => {
      if (stopping) return
      if (!listened.has(worker)) {
        logger.error({ worker: worker.id, code, signal }, 'a worker ended before it was listening; stopping the server')
        failWith(code || 1)
        return
      }
      logger.warn({ worker: worker.id, code, signal }, 'a worker ended; starting another in its place')
      start()
    })
    return worker
  }
  start()

  return {
    failed,
    stop: async () => {
      stopping = true
      const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead())
      await Promise.all(
        running.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve())
              w.process.kill('SIGTERM')
            }),
        ),
      )
    },
  }
}
