import type { Command } from 'commander'
import { UsageError } from '../errors.ts'

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('load data into the database')
    .option('--demo', 'load the fictional demo partnership (one user per role, fictional children)')
    .action(async (options: { demo?: boolean }) => {
      if (!options.demo) throw new UsageError('say what to load: --demo is the only data set')
      const { londonDate } = await import('../../services/cases.ts')
      const { DEMO_USERS, seedDemo } = await import('../../services/demo-seed.ts')
      const { hasDemoPartnership } = await import('../../services/instance.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database, config) => {
        if (await hasDemoPartnership(database.db)) {
          process.stdout.write('The demo partnership is already loaded; nothing changed.\n')
          return
        }
        await seedDemo(database.db, config.demoPassword, londonDate(new Date()))
        process.stdout.write(
          `Loaded the fictional demo partnership into ${database.describe()}.\n` +
            `Sign in as any of these, password: ${config.demoPassword}\n` +
            DEMO_USERS.map((u) => `  ${u.email}  (${u.role})`).join('\n') +
            '\n',
        )
      })
    })
}
