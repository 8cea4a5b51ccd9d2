import type { Command } from 'commander'

export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('the periodic jobs the server runs (reminders, escalations, e-mail, the DfE daily feed, rescanning documents)')
  jobs
    .command('run')
    .description('run the jobs once: remind and escalate overdue information requests, send pending e-mails, send the DfE daily feed where it is on and not yet sent today, rescan documents clamd could not scan (TOGETHER_CLAMD_*; from the object store too when TOGETHER_S3_* is set); prints a JSON summary')
    .action(async () => {
      const { runJobs } = await import('../../services/common/jobs.ts')
      const { emailProviderFor } = await import('../../services/multi-agency/email/provider.ts')
      const { createLogger } = await import('../../logger.ts')
      const { withDatabase } = await import('../database.ts')
      const { scannerFor } = await import('../../services/records/clamd.ts')
      const { objectStoreFor } = await import('../../services/records/document-store.ts')
      await withDatabase(async (database, config) => {
        const logger = createLogger(config.logLevel, process.stderr)
        const result = await runJobs(database.db, { now: new Date(), emailProvider: emailProviderFor(config.email, logger), baseUrl: config.baseUrl, scanner: scannerFor(config.clamd), objectStore: objectStoreFor(config.objectStore) })
        process.stdout.write(`${JSON.stringify(result)}\n`)
      })
    })
}
