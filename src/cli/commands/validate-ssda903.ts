import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError, type Command } from 'commander'
import { EXIT_FAILURE, UsageError } from '../errors.ts'
import { findingsReport } from '../findings-report.ts'
import { LineWriter } from '../line-writer.ts'
import { LA_AREA_CODE, SSDA903_RULE_YEARS } from '../../domain/returns/ssda903/model.ts'

interface Options {
  previous?: string
  year: number
  la?: string
  postcodes?: string
  json?: boolean
}

type Finding = import('../../domain/returns/ssda903/model.ts').Finding
type Summary = import('../../domain/returns/ssda903/validate.ts').Ssda903Summary

/** The invented postcode lookup shipped for the synthetic files (docs/ssda903.md). */
export const SHIPPED_POSTCODES = fileURLToPath(new URL('../../domain/returns/ssda903/postcode_lookup_synthetic.csv', import.meta.url))

function collectionYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('must be the year the return ends in, e.g. 2026 for 2025-26')
  const year = Number(value)
  if (!SSDA903_RULE_YEARS.includes(year)) throw new InvalidArgumentError(`no 903 rules for ${year}: Together has the 2025-26 rules (--year 2026)`)
  return year
}

function laCode(value: string): string {
  if (!LA_AREA_CODE.test(value)) throw new InvalidArgumentError("must be the authority's 9-character code, e.g. E06000999")
  return value.toUpperCase()
}

/** Reads the 903 CSV files present in a directory (any may be absent). */
async function readDirectory(dir: string, alongside?: import('../../domain/returns/ssda903/model.ts').FileSet) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`no such directory: ${dir}`)
  const { readNamedFiles, FILE_NAMES } = await import('../../domain/returns/ssda903/files.ts')
  const files = FILE_NAMES.map((file) => join(dir, file))
    .filter((path) => existsSync(path))
    .map((path) => {
      try {
        return { name: path, content: readFileSync(path) }
      } catch (err) {
        throw new UsageError(`cannot read ${path}: ${(err as Error).message}`)
      }
    })
  return readNamedFiles(files, dir, alongside)
}

/**
 * `together validate ssda903 DIR`: our implementation of the 903 rules over a directory of the
 * return's CSV files. With --json, one JSON line per finding then {"summary":...}; exit 0 with no
 * errors, 1 with errors, 2 when a file or the arguments are bad (docs/ssda903.md).
 */
export function registerValidateSsda903(validate: Command): void {
  validate
    .command('ssda903 <dir>')
    .description('check a directory of SSDA903 CSV files (children looked after); exits 1 if it has errors')
    .option('--previous <dir>', "last year's files, for the rules that compare the two years")
    .option('--year <year>', 'collection year, the year the return ends in', collectionYear, 2026)
    .option('--la <code>', "the authority's 9-character code (default: the LA most home postcodes are in)", laCode)
    .option('--postcodes <file>', 'postcode lookup CSV (pcd, oseast1m, osnrth1m, laua, utla), e.g. ONS NSPL; default: the shipped synthetic one')
    .option('--json', 'one JSON line per finding, then a summary line')
    .action(async (dir: string, options: Options) => {
      const { Ssda903FileError } = await import('../../domain/returns/ssda903/csv.ts')
      const { parsePostcodeLookup } = await import('../../domain/returns/ssda903/postcodes.ts')
      const { validateSsda903, likelyLa } = await import('../../domain/returns/ssda903/validate.ts')
      const out = new LineWriter()
      const findings: Finding[] = []
      let summary: Summary
      try {
        const files = await readDirectory(dir)
        const previous = options.previous === undefined ? undefined : await readDirectory(options.previous, files)
        const postcodeFile = options.postcodes ?? SHIPPED_POSTCODES
        if (!existsSync(postcodeFile)) throw new UsageError(`no such file: ${postcodeFile}`)
        const postcodes = parsePostcodeLookup(readFileSync(postcodeFile, 'utf8'), postcodeFile)
        const la = options.la ?? likelyLa(files, postcodes)
        if (la === undefined) throw new UsageError('cannot tell the authority from the home postcodes: give --la')
        summary = validateSsda903(files, previous, { year: options.year, la, postcodes }, (f) => {
          if (options.json) out.line(JSON.stringify(f))
          else findings.push(f)
        })
      } catch (err) {
        if (err instanceof Ssda903FileError) throw new UsageError(err.message)
        throw err
      }
      if (options.json) out.line(JSON.stringify({ summary }))
      else out.line(readableReport(dir, summary, findings))
      await out.end()
      if (summary.errors > 0) process.exitCode = EXIT_FAILURE
    })
}

function readableReport(title: string, summary: Summary, findings: readonly Finding[]): string {
  return findingsReport(`${title}: SSDA903 ${summary.year - 1}-${String(summary.year).slice(2)} for ${summary.la}, ${summary.children} children`, summary, findings)
}
