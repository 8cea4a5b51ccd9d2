/**
 * `together import people FILE.csv`: loads agencies' person records into the person index.
 * Columns (a header row, any order): source_system, source_id, given_name, middle_names,
 * family_name, date_of_birth, sex, nhs_number, postcode, address_line; only the first two are
 * required. Optional history columns: previous_family_names, aliases, previous_postcodes (lists
 * separated by semicolons). A bad row is reported on stderr with its line number and skipped; the summary is one
 * JSON line on stdout.
 */
import { createReadStream, statSync } from 'node:fs'
import type { Command } from 'commander'
import { UsageError } from '../errors.ts'

/** Adds `together import` with its `people` subcommand; returns it for the other importers. */
export function registerImportCommand(program: Command): Command {
  const importCommand = program.command('import').description('load records from other systems')
  importCommand
    .command('people <file>')
    .description('load person records (CSV) into the person index; re-importing a source_id updates it')
    .option('--partnership <id-or-name>', 'the partnership to load into (needed when there are several)')
    .action(async (file: string, options: { partnership?: string }) => {
      let size: number
      try {
        size = statSync(file).size
      } catch {
        throw new UsageError(`Cannot read ${file}`)
      }
      const { parse } = await import('csv-parse')
      const { importRows, IMPORT_COLUMNS } = await import('../../services/person-index/import.ts')
      const { londonDate } = await import('../../domain/timescales/calendar/london-time.ts')
      const { createProgress } = await import('../progress.ts')
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      await withDatabase(async (database) => {
        const { id: partnershipId } = await choosePartnership(database.db, options.partnership)
        const stream = createReadStream(file)
        const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }))
        const progress = createProgress('Importing', { unit: 'bytes' })
        let header: string[] | null = null
        async function* lines() {
          for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
            if (!header) {
              header = record.map((h) => h.trim().toLowerCase())
              const missing = ['source_system', 'source_id'].filter((c) => !header!.includes(c))
              if (missing.length > 0) throw new UsageError(`The header row lacks ${missing.join(' and ')} (columns: ${IMPORT_COLUMNS.join(',')})`)
              continue
            }
            if (record.length !== header.length) {
              yield { line: info.lines, record: {}, problem: `expected ${header.length} fields, found ${record.length}` }
              continue
            }
            yield { line: info.lines, record: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])) }
          }
        }
        const reported = new Set<number>()
        const summary = await importRows(database.db, { partnershipId, userId: null, now: new Date() }, lines(), {
          today: londonDate(new Date()),
          onRow: (s) => {
            for (const { line, problem } of s.skipped) {
              if (!reported.has(line)) process.stderr.write(`line ${line}: ${problem}; skipped\n`)
              reported.add(line)
            }
            progress.update(Math.min(stream.bytesRead, size), size)
          },
        })
        progress.finish()
        const { rows, created, updated, linked, reviews } = summary
        process.stdout.write(`${JSON.stringify({ rows, created, updated, linked, reviews, skipped: summary.skipped.length })}\n`)
      })
    })
  return importCommand
}
