import { InvalidArgumentError, type Command } from 'commander'
import { UsageError } from '../errors.ts'

interface SeedOptions {
  demo?: boolean
  synthetic?: boolean
  children?: number
  seed?: number
  years?: number
  until?: string
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number')
  return Number(value)
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('load data into the database')
    .option('--demo', 'load the fictional demo partnership (one user per role, fictional children)')
    .option('--synthetic', 'load a synthetic partnership with --children children and years of their journeys (for load tests)')
    .option('--children <n>', 'with --synthetic: how many children', wholeNumber)
    .option('--seed <s>', 'with --synthetic: the random seed; the same seed gives the same data (default 1)', wholeNumber)
    .option('--years <y>', 'with --synthetic: years of journeys before --until (default 5)', wholeNumber)
    .option('--until <date>', 'with --synthetic: the last day of the journeys, YYYY-MM-DD (default 2026-11-01)')
    .action(async (options: SeedOptions) => {
      if (options.demo && options.synthetic) throw new UsageError('choose one data set: --demo or --synthetic')
      if (options.synthetic) return seedSyntheticData(options)
      if (!options.demo) throw new UsageError('say what to load: --demo, or --synthetic --children N')
      const syntheticOnly = (['children', 'seed', 'years', 'until'] as const).filter((k) => options[k] !== undefined)
      if (syntheticOnly.length > 0) throw new UsageError(`--${syntheticOnly[0]} goes with --synthetic`)
      const { londonDate } = await import('../../domain/timescales/calendar/london-time.ts')
      const { DEMO_USERS, seedDemo } = await import('../../services/demo/demo-seed.ts')
      const { hasDemoPartnership } = await import('../../services/access/instance.ts')
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

/**
 * `seed --synthetic`: progress on stderr, and one JSON line on stdout with what was loaded and
 * how fast (children, rows, seconds, children per second).
 */
async function seedSyntheticData(options: SeedOptions): Promise<void> {
  if (options.children === undefined) throw new UsageError('seed --synthetic needs --children N')
  const { planSynthetic, seedSynthetic, SyntheticSeedError } = await import('../../services/demo/synthetic/seed.ts')
  const { createProgress } = await import('../progress.ts')
  const { withDatabase } = await import('../database.ts')
  const settings = { children: options.children, seed: options.seed ?? 1, years: options.years, until: options.until }
  try {
    planSynthetic(settings)
  } catch (err) {
    if (err instanceof SyntheticSeedError) throw new UsageError(err.message)
    throw err
  }
  await withDatabase(async (database) => {
    const progress = createProgress('Seeding', { unit: 'children' })
    const result = await seedSynthetic(database, { ...settings, onProgress: (done, total) => progress.update(done, total) })
    progress.finish()
    const { partnershipId, partnershipName, seed, children, from, until, rows, seconds, childrenPerSecond, rowsByTable } = result
    process.stdout.write(
      `${JSON.stringify({ partnershipId, partnershipName, seed, from, until, children, rows, seconds, childrenPerSecond, rowsByTable })}\n`,
    )
  })
}
