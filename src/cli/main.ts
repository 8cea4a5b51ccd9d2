import { Command, CommanderError } from 'commander'
import { EXIT_FAILURE, EXIT_USAGE, UsageError, failureMessage } from './errors.ts'
import { registerCommands } from './commands/index.ts'

const program = new Command()
  .name('together')
  .description("Together: the multi-agency children's safeguarding platform")
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) })

await registerCommands(program)

// Commander's own usage errors exit 1 by default; we use 2 for every bad argument.
for (const cmd of [program, ...allSubcommands(program)]) cmd.exitOverride()

function allSubcommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allSubcommands(c)])
}

try {
  await program.parseAsync(process.argv)
} catch (err) {
  if (err instanceof CommanderError) {
    const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
    process.exitCode = ok ? 0 : EXIT_USAGE
  } else if (err instanceof UsageError) {
    process.stderr.write(`together: ${err.message}\n`)
    process.exitCode = EXIT_USAGE
  } else {
    process.stderr.write(`together: ${failureMessage(err)}\n`)
    process.exitCode = EXIT_FAILURE
  }
}
