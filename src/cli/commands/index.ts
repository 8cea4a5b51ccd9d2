import type { Command } from 'commander'
import { registerAuditCommand } from './audit.ts'
import { registerDueCommand } from './due.ts'
import { registerMigrateCommand } from './migrate.ts'
import { registerRulesCommand } from './rules.ts'
import { registerSeedCommand } from './seed.ts'
import { registerServeCommand } from './serve.ts'
import { registerUsersCommand } from './users.ts'
import { registerTokensCommand } from './tokens.ts'

/** Adds every `together` subcommand to the program. Each command lives in its own module. */
export function registerCommands(program: Command): void {
  registerServeCommand(program)
  registerMigrateCommand(program)
  registerSeedCommand(program)
  registerUsersCommand(program)
  registerAuditCommand(program)
  registerDueCommand(program)
  registerRulesCommand(program)
  registerTokensCommand(program)
}
