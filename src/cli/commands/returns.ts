/**
 * `together returns la-code [CODE]`: show or set the partnership's LA code for statutory return headers.
 * `together returns la-child-id-format [FORMAT]`: show or set the format of the LA child IDs Together gives.
 */
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
  returns
    .command('la-child-id-format [format]')
    .description('show, or set, the format of the LA child IDs given when a child first gets an episode: letters and digits around one run of # (the number), default C#######')
    .option('--partnership <id-or-name>', 'which partnership (needed when there are several)')
    .action(async (format: string | undefined, options: { partnership?: string }) => {
      const { laChildIdFormatProblem } = await import('../../domain/journey/la-child-id.ts')
      const problem = format === undefined ? null : laChildIdFormatProblem(format)
      if (problem) throw new UsageError(problem)
      const { laChildIdFormatOf, setLaChildIdFormat } = await import('../../services/journey/la-child-id.ts')
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      await withDatabase(async (database) => {
        const { id } = await choosePartnership(database.db, options.partnership)
        if (format !== undefined) await setLaChildIdFormat(database.db, id, format)
        process.stdout.write(`${await laChildIdFormatOf(database.db, id)}\n`)
      })
    })
}
