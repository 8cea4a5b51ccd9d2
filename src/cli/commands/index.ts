import type { Command } from 'commander'
import { registerAuditCommand } from './audit.ts'
import { registerDueCommand } from './due.ts'
import { registerImportCommand } from './import-people.ts'
import { registerImportCensusCommand } from './import-cin-census.ts'
import { registerMatchCommand } from './match.ts'
import { registerExportCommand } from './export.ts'
import { registerExportAnnexACommand } from './export-annex-a.ts'
import { registerMigrateCommand } from './migrate.ts'
import { registerRulesCommand } from './rules.ts'
import { registerReturnsCommand } from './returns.ts'
import { registerCscFeedCommand } from './csc-feed.ts'
import { registerSeedCommand } from './seed.ts'
import { registerServeCommand } from './serve.ts'
import { registerUsersCommand } from './users.ts'
import { registerValidateCommand } from './validate.ts'
import { registerTokensCommand } from './tokens.ts'
import { registerJobsCommand } from './jobs.ts'

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
  registerImportCensusCommand(registerImportCommand(program))
  registerMatchCommand(program)
  registerValidateCommand(program)
  registerExportAnnexACommand(registerExportCommand(program))
  registerReturnsCommand(program)
  registerCscFeedCommand(program)
  registerJobsCommand(program)
}
