import { InvalidArgumentError, type Command } from 'commander'
import { EXIT_FAILURE } from '../errors.ts'

function sequenceNumber(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an entry number, 1 or more')
  return n
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the audit log')
  audit
    .command('verify')
    .description(
      'check the whole audit log: the hash chain, and each MAC with the audit key (TOGETHER_AUDIT_KEY or TOGETHER_AUDIT_KEY_FILE); exits 1 and names the first bad entry if it was tampered with',
    )
    .option('--signed-from <seq>', 'fail unless every entry from this number on carries a MAC (the number recorded when the key was introduced)', sequenceNumber)
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean; signedFrom?: number }) => {
      const { verifyAuditLog } = await import('../../services/access/audit.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        const result = await verifyAuditLog(database.db, { signedFrom: options.signedFrom })
        const keyed =
          result.signedFrom === null
            ? `no entry carries a MAC`
            : `entries from ${result.signedFrom} carry a MAC (audit key ${result.keyIds.join(', ')})` +
              (result.unsigned > 0 ? `; the ${result.unsigned} before were written without a key` : '')
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`)
        } else if (result.ok) {
          process.stdout.write(`Audit log verified: ${result.entries} entries, chain intact; ${keyed}.\n`)
        } else {
          process.stdout.write(
            `Audit log FAILED verification at entry ${result.seq}: ${result.problem}. ` +
              `${result.entries} entries before it are intact; ${keyed}.\n`,
          )
        }
        if (!result.ok) process.exitCode = EXIT_FAILURE
      })
    })
}
