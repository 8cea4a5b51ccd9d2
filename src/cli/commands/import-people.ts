/**
 * `together import people FILE.csv`: loads agencies' person records into the person index.
 * Columns (a header row, any order): source_system, source_id, given_name, middle_names,
 * family_name, date_of_birth, sex, nhs_number, postcode, address_line; only the first two are
 * required. Optional: upn, and the history columns previous_family_names, aliases,
 * previous_postcodes (lists separated by semicolons).
 *
 * The whole file is read and parsed before anything is written. A file-level error (not UTF-8, a
 * quote never closed, a row with the wrong number of fields, a header without the required
 * columns) imports nothing: each problem is reported on stderr with its line, then "nothing was
 * imported", exit 2. A bad row (a date that is not one, an NHS number or UPN whose check fails) is
 * reported with the line it starts on and skipped. The summary is one JSON line on stdout and one
 * sentence on stderr ("imported N records, skipped M rows with errors").
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { UsageError } from '../errors.ts'

const imported = (n: number) => `${n} ${n === 1 ? 'record' : 'records'}`

/** Adds `together import` with its `people` subcommand; returns it for the other importers. */
export function registerImportCommand(program: Command): Command {
  const importCommand = program.command('import').description('load records from other systems')
  importCommand
    .command('people <file>')
    .description('load person records (CSV) into the person index; re-importing a source_id updates it')
    .option('--partnership <id-or-name>', 'the partnership to load into (needed when there are several)')
    .action(async (file: string, options: { partnership?: string }) => {
      let bytes: Buffer
      try {
        bytes = readFileSync(file)
      } catch {
        throw new UsageError(`Cannot read ${file}`)
      }
      const { readPeopleCsv } = await import('../../services/person-index/import-csv.ts')
      const { importRows } = await import('../../services/person-index/import-run.ts')
      const { londonDate } = await import('../../domain/timescales/calendar/london-time.ts')
      const { createProgress } = await import('../progress.ts')
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      const read = readPeopleCsv(bytes, ['source_system', 'source_id'])
      if (!read.ok) {
        for (const { line, problem } of read.problems) process.stderr.write(`line ${line}: ${problem}\n`)
        throw new UsageError(`${file} was refused (${read.problems.length === 1 ? 'one problem' : `${read.problems.length} problems`} in the file); nothing was imported`)
      }
      await withDatabase(async (database) => {
        const { id: partnershipId } = await choosePartnership(database.db, options.partnership)
        const progress = createProgress('Importing', { unit: 'rows' })
        const total = read.lines.length
        const reported = new Set<number>()
        let committed = { created: 0, updated: 0, linked: 0, skipped: 0 }
        const report = (s: { created: number; updated: number; linked: number; skipped: { line: number; problem: string }[] }) => {
          for (const { line, problem } of s.skipped) {
            if (!reported.has(line)) process.stderr.write(`line ${line}: ${problem}; skipped\n`)
            reported.add(line)
          }
          committed = { created: s.created, updated: s.updated, linked: s.linked, skipped: s.skipped.length }
        }
        let summary
        try {
          summary = await importRows(database.db, { partnershipId, userId: null, now: new Date() }, read.lines, {
            today: londonDate(new Date()),
            onRow: (s) => {
              report(s)
              progress.update(Math.min(s.created + s.updated + s.linked + s.skipped.length, total), total)
            },
          })
        } catch (err) {
          // Rows go in batches, each committed on its own: say how many were kept before the failure.
          const kept = committed.created + committed.updated + committed.linked
          process.stderr.write(`the import stopped: ${kept > 0 ? `${imported(kept)} were committed before the failure` : 'nothing was imported'}\n`)
          throw err
        }
        progress.finish()
        report(summary)
        const { rows, created, updated, linked, reviews } = summary
        const done = created + updated + linked
        const skipped = summary.skipped.length
        process.stderr.write(
          `${done === 0 ? 'nothing was imported' : `imported ${imported(done)} (${created} created, ${updated} updated, ${linked} linked)`}, skipped ${skipped} ${skipped === 1 ? 'row' : 'rows'} with errors\n`,
        )
        process.stdout.write(`${JSON.stringify({ rows, created, updated, linked, reviews, skipped })}\n`)
      })
    })
  return importCommand
}
