import type { Command } from 'commander'

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations that have not been applied yet')
    .action(async () => {
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        process.stdout.write(`Migrations applied to ${database.describe()}\n`)
      })
    })
}
