/** `together returns la-code [CODE]`: show or set the partnership's LA code for statutory return headers. */
import type { Command } from 'commander'
import { UsageError } from '../errors.ts'

export function registerReturnsCommand(program: Command): void {
  const returns = program.command('returns').description('settings of the statutory returns')
  returns
    .command('la-code [code]')
    .description('show, or set, the local authority’s three-digit DfE code written in return headers')
    .option('--partnership <id-or-name>', 'which partnership (needed when there are several)')
    .action(async (code: string | undefined, options: { partnership?: string }) => {
      const { LA_CODE_PATTERN, laCodeOf, setLaCode } = await import('../../services/returns/la-code.ts')
      if (code !== undefined && !LA_CODE_PATTERN.test(code)) throw new UsageError(`an LA code is three digits, not ${code}`)
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      await withDatabase(async (database) => {
        const { id } = await choosePartnership(database.db, options.partnership)
        if (code !== undefined) await setLaCode(database.db, id, code)
        process.stdout.write(`${(await laCodeOf(database.db, id)) ?? 'not set'}\n`)
      })
    })
}
