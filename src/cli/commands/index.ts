import type { Command } from 'commander'

/**
 * Each `together` subcommand, by name, with the module that adds it (each command lives in its
 * own module). Loaded when needed: a run of one command loads only that command's module, not
 * every other command's (nor what they import), which keeps start-up short.
 */
const COMMANDS: Record<string, (program: Command) => Promise<void>> = {
  serve: async (program) => (await import('./serve.ts')).registerServeCommand(program),
  migrate: async (program) => (await import('./migrate.ts')).registerMigrateCommand(program),
  seed: async (program) => (await import('./seed.ts')).registerSeedCommand(program),
  users: async (program) => (await import('./users.ts')).registerUsersCommand(program),
  audit: async (program) => (await import('./audit.ts')).registerAuditCommand(program),
  due: async (program) => (await import('./due.ts')).registerDueCommand(program),
  rules: async (program) => (await import('./rules.ts')).registerRulesCommand(program),
  tokens: async (program) => (await import('./tokens.ts')).registerTokensCommand(program),
  import: async (program) => {
    const [{ registerImportCommand }, { registerImportCensusCommand }] = await Promise.all([import('./import-people.ts'), import('./import-cin-census.ts')])
    registerImportCensusCommand(registerImportCommand(program))
  },
  match: async (program) => (await import('./match.ts')).registerMatchCommand(program),
  validate: async (program) => (await import('./validate.ts')).registerValidateCommand(program),
  export: async (program) => {
    const [{ registerExportCommand }, { registerExportAnnexACommand }] = await Promise.all([import('./export.ts'), import('./export-annex-a.ts')])
    registerExportAnnexACommand(registerExportCommand(program))
  },
  returns: async (program) => (await import('./returns.ts')).registerReturnsCommand(program),
  'csc-feed': async (program) => (await import('./csc-feed.ts')).registerCscFeedCommand(program),
  jobs: async (program) => (await import('./jobs.ts')).registerJobsCommand(program),
  backup: async (program) => (await import('./backup.ts')).registerBackupCommand(program),
  restore: async (program) => (await import('./backup.ts')).registerRestoreCommand(program),
}

/**
 * Adds the subcommand `argv` names to the program, or every subcommand (in this order, as the help
 * lists them) when it names none (help, an option, an unknown word: commander then suggests one).
 */
export async function registerCommands(program: Command, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const named = argv[0] === undefined ? undefined : Object.hasOwn(COMMANDS, argv[0]) ? COMMANDS[argv[0]] : undefined
  if (named !== undefined) return named(program)
  for (const register of Object.values(COMMANDS)) await register(program)
}
