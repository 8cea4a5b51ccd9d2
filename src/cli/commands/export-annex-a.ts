/**
 * `together export annex-a --from DATE --to DATE --out FILE.xlsx [--format csv]`: Ofsted's Annex A
 * lists for a period, as a workbook (one sheet per list) or, with --format csv, one CSV file per
 * list in the directory --out. Prints the rows per list.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import { join } from 'node:path'
import type { Command } from 'commander'
import { UsageError } from '../errors.ts'
import { choosePartnership } from './export.ts'

interface AnnexAOptions {
  from: string
  to: string
  out: string
  format: string
  partnership?: string
}

export function registerExportAnnexACommand(exportCommand: Command): void {
  exportCommand
    .command('annex-a')
    .description('write Ofsted’s Annex A lists for a period: an xlsx workbook, or CSV files')
    .requiredOption('--from <date>', 'first day of the period (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day of the period (YYYY-MM-DD)')
    .requiredOption('--out <path>', 'the workbook to write, or with --format csv the directory for the CSV files')
    .option('--format <format>', 'xlsx or csv', 'xlsx')
    .option('--partnership <id>', 'which partnership (needed when the database holds several)')
    .action(async (options: AnnexAOptions) => {
      const { annexAInput } = await import('../../services/returns/annex-a-input.ts')
      const parsed = annexAInput.safeParse(options)
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '))
      const { from, to, format } = parsed.data
      const { annexALists, annexACsvFiles, writeAnnexAWorkbook } = await import('../../services/returns/annex-a.ts')
      const { appendAuditCommitted } = await import('../../services/access/audit.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        const partnershipId = await choosePartnership(database.db, options.partnership)
        const lists = await annexALists(database.db, partnershipId, { from, to })
        if (format === 'csv') {
          await mkdir(options.out, { recursive: true })
          for (const file of annexACsvFiles(lists)) await writeFile(join(options.out, file.name), file.text)
        } else {
          const partial = `${options.out}.partial`
          const stream = createWriteStream(partial)
          try {
            await writeAnnexAWorkbook(lists, stream)
            if (!stream.writableFinished) await once(stream, 'finish')
            await rename(partial, options.out)
          } catch (err) {
            stream.destroy()
            await rm(partial, { force: true })
            throw err
          }
        }
        const rows = Object.fromEntries(lists.map((l) => [`list ${l.list.list}`, l.rows.length]))
        await appendAuditCommitted(database.db, {
          partnershipId,
          actorUserId: null,
          action: 'returns:annex-a-export',
          recordType: 'annex-a',
          recordId: `${from}..${to}`,
          detail: { from, to, via: 'cli', format, rows },
          occurredAt: new Date(),
        })
        process.stdout.write(`${JSON.stringify({ out: options.out, format, from, to, rows })}\n`)
      })
    })
}
