/**
 * `together csc-feed --out FILE.json` writes today's DfE daily data feed payload (the first run a
 * full snapshot, then changed children and purges); `together csc-feed --send` sends it to DfE's
 * API configured by the TOGETHER_CSC_* variables. What was written or sent is remembered for the
 * next run only when the run succeeds.
 */
import { writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { UsageError } from '../errors.ts'
import { choosePartnership } from './export.ts'

export function registerCscFeedCommand(program: Command): void {
  program
    .command('csc-feed')
    .description('the DfE children’s social care daily data feed: write the payload to a file, or send it')
    .option('--out <file>', 'write the payload (a JSON array of child records) to this file')
    .option('--send', 'send it to DfE’s API (TOGETHER_CSC_API_URL, _TOKEN_URL, _CLIENT_ID, _CLIENT_SECRET, _SCOPE, _SUPPLIER_KEY)')
    .option('--partnership <id>', 'which partnership (needed when the database holds several)')
    .action(async (options: { out?: string; send?: boolean; partnership?: string }) => {
      if (!options.out === !options.send) throw new UsageError('give either --out FILE or --send')
      const { prepareFeed, commitFeed, sendFeed, feedEndpointFromEnv } = await import('../../services/returns/csc-feed.ts')
      const { laCodeOf } = await import('../../services/returns/la-code.ts')
      const { londonDate } = await import('../../domain/timescales/calendar/london-time.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        const partnershipId = await choosePartnership(database.db, options.partnership)
        const now = new Date()
        const endpoint = options.send ? feedEndpointFromEnv(process.env, await laCodeOf(database.db, partnershipId)) : null
        if (options.send && !endpoint) throw new UsageError('the feed is not configured: set TOGETHER_CSC_API_URL, TOGETHER_CSC_TOKEN_URL, TOGETHER_CSC_CLIENT_ID, TOGETHER_CSC_CLIENT_SECRET and an LA code')
        const selection = await prepareFeed(database.db, partnershipId, londonDate(now))
        let receipts: string[] = []
        if (options.out) await writeFile(options.out, `${JSON.stringify(selection.records)}\n`)
        else receipts = await sendFeed(selection.records, endpoint!)
        await commitFeed(database.db, partnershipId, selection, { destination: options.out ? 'file' : 'dfe', receipts, now, actorUserId: null })
        const purged = selection.records.filter((r) => r.purge).length
        process.stdout.write(`${JSON.stringify({ kind: selection.kind, children: selection.records.length - purged, purged, unchanged: selection.unchanged, batches: receipts.length })}\n`)
      })
    })
}
