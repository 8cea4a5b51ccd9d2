import cluster from 'node:cluster'
import { Command, InvalidArgumentError } from 'commander'
import type { WorkerListening } from '../../web/workers.ts'

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number, 0–65535')
  return n
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the web application (embedded PGlite, or PostgreSQL when DATABASE_URL is set)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)', port)
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .option('--workers <n>', 'server processes sharing the port, PostgreSQL only (default: TOGETHER_WORKERS or 1)', workerCount)
    .action(async (options: { port?: number; host?: string; workers?: number }) => {
      // Loaded on use so that other commands start quickly.
      const { createLogger } = await import('../../logger.ts')
      const { cliConfig } = await import('../database.ts')
      const config = cliConfig()
      if (options.port !== undefined) config.port = options.port
      if (options.host) config.host = options.host
      if (options.workers !== undefined) config.workers = options.workers
      const logger = createLogger(config.logLevel)
      if (config.workers > 1 && cluster.isPrimary) return superviseServer(config.workers, config.database.kind === 'postgres', logger)
      const { signInHelp, startServer } = await import('../../web/server.ts')
      const { DataDirectoryLocked } = await import('../../db/data-dir-lock.ts')
      const { UsageError } = await import('../errors.ts')
      const running = await startServer(config, logger).catch((err: unknown) => {
        throw err instanceof DataDirectoryLocked ? new UsageError(err.message) : err
      })
      const help = signInHelp(running.url, running.isDemo, config.demoPassword)
      const stop = async (signal: string) => {
        logger.info({ signal }, 'shutting down')
        await running.close()
        process.exit(0)
      }
      process.once('SIGTERM', () => void stop('SIGTERM'))
      // A worker leaves the help and Ctrl-C to the primary, which stops it with SIGTERM.
      if (cluster.isWorker) {
        process.send!({ type: 'together:listening', help } satisfies WorkerListening)
        process.on('SIGINT', () => {})
      } else {
        process.stdout.write(`\n${help}\n\n`)
        process.once('SIGINT', () => void stop('SIGINT'))
      }
    })
}

function workerCount(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number of processes, 1–64')
  return n
}

/** The primary of several workers (web/workers.ts): it starts them, prints the sign-in help once, and stops them when stopped. */
async function superviseServer(workers: number, postgres: boolean, logger: import('pino').Logger): Promise<void> {
  const { UsageError } = await import('../errors.ts')
  if (!postgres) throw new UsageError('several workers (--workers, TOGETHER_WORKERS) need PostgreSQL (DATABASE_URL): the embedded database is open in one process only')
  const { superviseWorkers } = await import('../../web/workers.ts')
  const supervisor = superviseWorkers(workers, logger, (listening) => {
    process.stdout.write(`\n${listening.help}\n${workers} worker processes share the port.\n\n`)
  })
  const stop = async (signal: string, code: number) => {
    logger.info({ signal }, 'shutting down the workers')
    await supervisor.stop()
    process.exit(code)
  }
  process.once('SIGINT', () => void stop('SIGINT', 0))
  process.once('SIGTERM', () => void stop('SIGTERM', 0))
  void supervisor.failed.then((code) => stop('a worker failed to start', code))
}
