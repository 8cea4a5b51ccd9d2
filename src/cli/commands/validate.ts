import { existsSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import { EXIT_FAILURE, UsageError } from '../errors.ts'
import { findingsReport } from '../findings-report.ts'
import { LineWriter } from '../line-writer.ts'
import { registerValidateSsda903 } from './validate-ssda903.ts'

interface ValidateOptions {
  year?: number
  json?: boolean
  draft2027?: boolean
}

export function censusYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('must be the year the census ends in, e.g. 2025 for 2024-25')
  return Number(value)
}

/**
 * `together validate cin-census FILE`: our DfE rules over a census file, streamed. With --json,
 * one JSON line per finding then {"summary":...}; exit 0 with no errors, 1 with errors, 2 when the
 * file or the arguments are bad (docs/returns.md).
 */
export function registerValidateCommand(program: Command): void {
  const validate = program.command('validate').description('check a statutory return file against the DfE rules')
  validate
    .command('cin-census <file>')
    .description('check a CIN census XML file; exits 1 if it has errors')
    .option('--year <year>', 'census year, the year it ends in (default: the file header <Year>)', censusYear)
    .option('--json', 'one JSON line per finding, then a summary line')
    .option('--draft-2027', 'allow the draft 2026-27 census (pre-proceedings module and rules)')
    .action(async (file: string, options: ValidateOptions) => {
      if (!existsSync(file)) throw new UsageError(`no such file: ${file}`)
      const { validateCensusFile, CensusFileError, CensusYearError } = await import('../../services/returns/cin-census-file.ts')
      const out = new LineWriter()
      const findings: import('../../domain/returns/cin-census/model.ts').Finding[] = []
      let summary
      try {
        summary = await validateCensusFile(file, { year: options.year, draft: options.draft2027 }, (f) => {
          if (options.json) out.line(JSON.stringify(f))
          else findings.push(f)
        })
      } catch (err) {
        if (err instanceof CensusFileError || err instanceof CensusYearError) throw new UsageError(`${file}: ${err.message}`)
        if ((err as NodeJS.ErrnoException).code === 'EISDIR' || (err as NodeJS.ErrnoException).code === 'EACCES') {
          throw new UsageError(`cannot read ${file}: ${(err as Error).message}`)
        }
        throw err
      }
      if (options.json) out.line(JSON.stringify({ summary }))
      else out.line(readableReport(file, summary, findings))
      await out.end()
      if (summary.errors > 0) process.exitCode = EXIT_FAILURE
    })
  registerValidateSsda903(validate)
}

type Summary = import('../../domain/returns/cin-census/validate.ts').CensusSummary
type Finding = import('../../domain/returns/cin-census/model.ts').Finding

export function readableReport(title: string, summary: Summary, findings: readonly Finding[]): string {
  return findingsReport(`${title}: CIN census ${summary.year - 1}-${String(summary.year).slice(2)}, ${summary.children} children`, summary, findings)
}
