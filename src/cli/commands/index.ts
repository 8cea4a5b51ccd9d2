import type { Command } from 'commander'

/** Adds every `together` subcommand to the program. Each command lives in its own module. */
export function registerCommands(program: Command): void {
  void program
}
