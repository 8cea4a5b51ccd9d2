/**
 * `together import cin-census FILE.xml`: loads a CIN census file into the partnership's records as
 * the administrator named by --user (default: the partnership's first administrator). Progress on
 * stderr; on stdout a line per rejected child with its reason, then the report (JSON lines with
 * --json). Exit 1 when any child was rejected, 2 on a bad file or arguments.
 */
import { createHash } from 'node:crypto'
import { createReadStream, readFileSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { EXIT_FAILURE, UsageError } from '../errors.ts'

interface ImportCensusOptions {
  partnership?: string
  user?: string
  json?: boolean
}

export function registerImportCensusCommand(importCommand: Command): void {
  importCommand
    .command('cin-census <file>')
    .description('load a CIN census XML file into the records; importing the same file again changes nothing')
    .option('--partnership <id-or-name>', 'the partnership to load into (needed when there are several)')
    .option('--user <email>', 'the administrator the records are recorded by (default: the partnership’s first administrator)')
    .option('--json', 'rejected children and the report as JSON lines')
    .action(async (file: string, options: ImportCensusOptions) => {
      let size: number
      let sha256: string
      try {
        size = statSync(file).size
        sha256 = createHash('sha256').update(readFileSync(file)).digest('hex')
      } catch {
        throw new UsageError(`Cannot read ${file}`)
      }
      const { importCinCensus } = await import('../../services/returns/cin-census-import.ts')
      const { CensusFileError } = await import('../../domain/returns/cin-census/parse.ts')
      const { createProgress } = await import('../progress.ts')
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      const { importingActor } = await import('./importing-actor.ts')
      await withDatabase(async (database) => {
        const { id: partnershipId } = await choosePartnership(database.db, options.partnership)
        const actor = await importingActor(database.db, partnershipId, options.user)
        const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })
        const progress = createProgress('Importing', { unit: 'bytes' })
        let report
        try {
          report = await importCinCensus(
            { db: database.db, actor, now: () => new Date(), requestId: 'cli' },
            { name: file, sha256, chunks: stream as AsyncIterable<string> },
            { onProgress: () => progress.update(Math.min(stream.bytesRead, size), size) },
          )
        } catch (err) {
          if (err instanceof CensusFileError) throw new UsageError(`${file} is not a readable CIN census file: ${err.message}`)
          throw err
        }
        progress.update(size, size)
        progress.finish()
        const { rejected, ...counts } = report
        if (options.json) {
          for (const r of rejected) process.stdout.write(`${JSON.stringify({ rejected: r })}\n`)
          process.stdout.write(`${JSON.stringify({ summary: { ...counts, rejected: rejected.length } })}\n`)
        } else {
          for (const r of rejected) process.stdout.write(`Rejected child ${r.position} (${r.child ?? 'no LAchildID'}): ${r.reason}\n`)
          const matched = Object.entries(counts.matched).map(([by, n]) => `${n} by ${by}`).join(', ')
          const records = Object.entries(counts.records).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'none'
          process.stdout.write(
            `${counts.children} children in ${file}: ${counts.created} created${counts.toReview ? ` (${counts.toReview} may be children Together knows: see the person index's review queue)` : ''}, matched ${matched}, ${counts.unchanged} already imported, ${rejected.length} rejected.\nRecords created: ${records}.\n`,
          )
        }
        if (rejected.length > 0) process.exitCode = EXIT_FAILURE
      })
    })
}
