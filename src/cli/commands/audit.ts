import type { Command } from 'commander'
import { EXIT_FAILURE } from '../errors.ts'

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the audit log')
  audit
    .command('verify')
    .description('check the hash chain of the whole audit log; exits 1 and names the first bad entry if it was tampered with')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const { verifyAuditLog } = await import('../../services/access/audit.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        const result = await verifyAuditLog(database.db)
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`)
        } else if (result.ok) {
          process.stdout.write(`Audit log verified: ${result.entries} entries, chain intact.\n`)
        } else {
          process.stdout.write(
            `Audit log FAILED verification at entry ${result.seq}: ${result.problem}. ` +
              `${result.entries} entries before it are intact.\n`,
          )
        }
        if (!result.ok) process.exitCode = EXIT_FAILURE
      })
    })
}
