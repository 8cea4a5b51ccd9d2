import { Command, InvalidArgumentError } from 'commander'

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
    .action(async (options: { port?: number; host?: string }) => {
      // Loaded on use so that other commands start quickly.
      const { createLogger } = await import('../../logger.ts')
      const { signInHelp, startServer } = await import('../../web/server.ts')
      const { cliConfig } = await import('../database.ts')
      const config = cliConfig()
      if (options.port !== undefined) config.port = options.port
      if (options.host) config.host = options.host
      const logger = createLogger(config.logLevel)
      const { DataDirectoryLocked } = await import('../../db/data-dir-lock.ts')
      const { UsageError } = await import('../errors.ts')
      const running = await startServer(config, logger).catch((err: unknown) => {
        throw err instanceof DataDirectoryLocked ? new UsageError(err.message) : err
      })
      process.stdout.write(`\n${signInHelp(running.url, running.isDemo, config.demoPassword)}\n\n`)
      const stop = async (signal: string) => {
        logger.info({ signal }, 'shutting down')
        await running.close()
        process.exit(0)
      }
      process.once('SIGINT', () => void stop('SIGINT'))
      process.once('SIGTERM', () => void stop('SIGTERM'))
    })
}
