import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { rename, rm } from 'node:fs/promises'
import type { Command } from 'commander'
import { EXIT_FAILURE, UsageError } from '../errors.ts'
import { censusYear, readableReport } from './validate.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'

interface ExportOptions {
  year: number
  out: string
  lea?: string
  partnership?: string
  json?: boolean
  draft2027?: boolean
}

/**
 * `together export cin-census`: the census file of a partnership's own data, validated by our
 * rules as it is written. The file appears only when complete; findings go to stdout (JSON lines
 * with --json), and the exit code is 1 when the data has errors DfE would reject.
 */
export function registerExportCommand(program: Command): Command {
  const exportCommand = program.command('export').description('write a statutory return from Together’s records')
  exportCommand
    .command('cin-census')
    .description('write the Children in Need census XML for a year, and report what our rules find')
    .requiredOption('--year <year>', 'census year, the year it ends in: 2024, 2025 or 2026', censusYear)
    .requiredOption('--out <file>', 'where to write the XML')
    .option('--lea <code>', 'the local authority’s three-digit DfE code for the header (default: the partnership’s setting, then $TOGETHER_LA_CODE)')
    .option('--partnership <id>', 'which partnership (needed when the database holds several)')
    .option('--json', 'findings as JSON lines (with the case id), then a summary line')
    .option('--draft-2027', 'allow --year 2027: the draft 2026-27 census with its pre-proceedings module')
    .action(async (options: ExportOptions) => {
      if (options.lea !== undefined && !/^\d{3}$/.test(options.lea)) throw new UsageError(`--lea must be three digits, not ${options.lea}`)
      const { isCensusYear } = await import('../../domain/returns/cin-census/validate.ts')
      if (!isCensusYear(options.year, options.draft2027)) {
        throw new UsageError(
          options.year === 2027
            ? 'the 2026-27 census is a draft: add --draft-2027'
            : `no CIN census for ${options.year}: census years are 2024, 2025 and 2026 (the year each ends in)`,
        )
      }
      const { recordCensusExport, runCinCensus } = await import('../../services/returns/cin-census-export.ts')
      const { createProgress } = await import('../progress.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        const partnershipId = await choosePartnership(database.db, options.partnership)
        const { laCodeOf } = await import('../../services/returns/la-code.ts')
        const lea = options.lea ?? (await laCodeOf(database.db, partnershipId))
        if (lea !== undefined && !/^\d{3}$/.test(lea)) throw new UsageError(`the LA code must be three digits, not ${lea}`)
        const partial = `${options.out}.partial`
        const file = createWriteStream(partial)
        const progress = createProgress('Exporting', { unit: 'children' })
        const began = performance.now()
        let result
        try {
          result = await runCinCensus(
            database.db,
            partnershipId,
            { year: options.year, draft: options.draft2027, lea, now: new Date(), onProgress: (done, total) => progress.update(done, total) },
            async (chunk) => {
              if (!file.write(chunk)) await once(file, 'drain')
            },
          )
          file.end()
          await once(file, 'finish')
          await rename(partial, options.out)
        } catch (err) {
          file.destroy()
          await rm(partial, { force: true })
          throw err
        }
        progress.finish()
        if (lea === undefined) process.stderr.write('together: no LA code: the header says LEA 000; set one (together returns la-code, TOGETHER_LA_CODE or --lea) before sending it to DfE\n')
        // Recorded as the page and the API record it: the run, each child, each child's sharing ledger.
        await recordCensusExport(database.db, { partnershipId, actorUserId: null, now: new Date(), via: 'cli' }, result)
        const seconds = Math.round(performance.now() - began) / 1000
        if (options.json) {
          for (const f of result.findings) process.stdout.write(`${JSON.stringify(f)}\n`)
          process.stdout.write(`${JSON.stringify({ summary: { ...result.summary, file: options.out, seconds } })}\n`)
        } else {
          process.stdout.write(`Wrote ${options.out} in ${seconds} s.\n${readableReport('Our rules', result.summary, result.findings)}\n`)
        }
        if (result.summary.errors > 0) process.exitCode = EXIT_FAILURE
      })
    })
  exportCommand
    .command('ssda903')
    .description('write the SSDA903 (children looked after) CSV files for a year into a directory, and report what our rules find')
    .requiredOption('--year <year>', 'collection year, the year it ends in (2026 for 2025-26): a year with 903 rules, or the year in progress, as the page offers', ssda903Year)
    .requiredOption('--out <dir>', 'the directory to write header.csv, episodes.csv ... into (made if absent)')
    .option('--partnership <id>', 'which partnership (needed when the database holds several)')
    .option('--json', 'findings as JSON lines (with the case id), then a summary line')
    .action(async (options: { year: number; out: string; partnership?: string; json?: boolean }) => {
      const { mkdir, writeFile } = await import('node:fs/promises')
      const { join } = await import('node:path')
      const { buildSsda903, recordSsda903Export, validateFiles } = await import('../../services/returns/ssda903-export/index.ts')
      await checkSsda903Year(options.year, londonDate(new Date()))
      const { authorityArea } = await import('../../services/care/placements.ts')
      const { createProgress } = await import('../progress.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        const partnershipId = await choosePartnership(database.db, options.partnership)
        const progress = createProgress('Exporting', { unit: 'children' })
        const began = performance.now()
        const result = await buildSsda903(database.db, partnershipId, options.year, (done, total) => progress.update(done, total))
        progress.finish()
        await mkdir(options.out, { recursive: true })
        for (const file of result.files) await writeFile(join(options.out, file.name), file.text)
        await recordSsda903Export(database.db, { partnershipId, actorUserId: null, now: new Date(), via: 'cli' }, result)
        const la = await authorityArea(database.db, partnershipId)
        const { summary, findings } = validateFiles(result.files, undefined, { year: options.year, la, cases: new Map(result.cases.map((c) => [c.child, c.caseId])) })
        const seconds = Math.round(performance.now() - began) / 1000
        if (options.json) {
          for (const f of findings) process.stdout.write(`${JSON.stringify(f)}\n`)
          process.stdout.write(`${JSON.stringify({ summary: { ...summary, directory: options.out, files: result.files.map((f) => ({ file: f.name, rows: f.rows })), seconds } })}\n`)
        } else {
          const { findingsReport } = await import('../findings-report.ts')
          process.stdout.write(`Wrote ${result.files.length} files for ${result.children} children to ${options.out} in ${seconds} s.\n${findingsReport('Our rules', summary, findings)}\n`)
        }
        if (summary.errors > 0) process.exitCode = EXIT_FAILURE
      })
    })
  return exportCommand
}

function ssda903Year(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new UsageError(`--year must be the year the return ends in, e.g. 2026 for 2025-26, not ${value}`)
  return Number(value)
}

/** The years `export ssda903` takes on `today` are those the page and the API offer for our own data (ssda903OwnYears). */
export async function checkSsda903Year(year: number, today: string): Promise<void> {
  const { ssda903OwnYears } = await import('../../services/returns/ssda903-export/index.ts')
  const years = ssda903OwnYears(today)
  if (!years.includes(year)) throw new UsageError(`no SSDA903 export for ${year}: Together exports ${years.join(', ')} (the year each ends in)`)
}

export async function choosePartnership(db: import('../../db/connection.ts').Db, wanted: string | undefined): Promise<string> {
  const { partnership } = await import('../../db/schema/index.ts')
  const rows = await db.select({ id: partnership.id, name: partnership.name }).from(partnership)
  if (wanted !== undefined) {
    const found = rows.find((p) => p.id === wanted)
    if (!found) throw new UsageError(`no partnership with id ${wanted}`)
    return found.id
  }
  if (rows.length === 1) return rows[0]!.id
  if (rows.length === 0) throw new UsageError('the database has no partnership: load one first (together seed)')
  throw new UsageError(`the database holds ${rows.length} partnerships: choose one with --partnership (${rows.map((p) => `${p.id} ${p.name}`).join('; ')})`)
}
