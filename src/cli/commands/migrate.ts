import type { Command } from 'commander'
import { withDatabase } from '../database.ts'

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations that have not been applied yet')
    .action(async () => {
      await withDatabase(async (database) => {
        process.stdout.write(`Migrations applied to ${database.describe()}\n`)
      })
    })
}
