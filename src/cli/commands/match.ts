/**
 * `together match`: JSON lines of queries on stdin ({"given_name","family_name","date_of_birth",
 * "sex","nhs_number","postcode"}, any absent), one JSON line per query on stdout, in order:
 * {"candidates":[{"person_id","source_ids":[...],"score","band"}]}, best first, at most 10. The
 * score is the match weight in bits. `together match calibrate` re-estimates the weights;
 * `together match reindex` re-keys every record.
 */
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import type { Db } from '../../db/connection.ts'
import { unstorableTextPath } from '../../services/common/storable-text.ts'

interface MatchOptions {
  partnership?: string
}

export function registerMatchCommand(program: Command): void {
  const match = program
    .command('match')
    .description('find people in the person index: JSON lines of queries on stdin, candidates on stdout')
    .option('--partnership <id-or-name>', 'the partnership to search (needed when there are several)')
    .action(async (options: MatchOptions) => {
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      const { addMissingJourneyRecords, currentModel, findCandidates, indexPending } = await import('../../services/person-index/store.ts')
      const { appendAudit } = await import('../../services/access/audit.ts')
      await withDatabase(async (database) => {
        const db = database.db
        const { id: partnershipId } = await choosePartnership(db, options.partnership)
        await addMissingJourneyRecords(db, partnershipId)
        while ((await indexPending(db, partnershipId, 2000)) > 0);
        const { model } = await currentModel(db, partnershipId)
        let queries = 0
        for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
          if (line.trim() === '') continue
          queries++
          let q: Record<string, unknown>
          try {
            q = JSON.parse(line) as Record<string, unknown>
            if (typeof q !== 'object' || q === null || Array.isArray(q)) throw new Error('not a JSON object')
            const unstorable = unstorableTextPath(q)
            if (unstorable) throw new Error(`${String(unstorable[0])} holds a character that cannot be searched (a null character or a broken symbol)`)
          } catch (err) {
            process.stdout.write(`${JSON.stringify({ candidates: [], error: `line ${queries}: ${(err as Error).message}` })}\n`)
            continue
          }
          const text = (k: string) => (typeof q[k] === 'string' && (q[k] as string).trim() !== '' ? (q[k] as string) : null)
          const found = await findCandidates(db, partnershipId, {
            givenName: text('given_name'),
            familyName: text('family_name'),
            dateOfBirth: text('date_of_birth'),
            sex: text('sex'),
            nhsNumber: text('nhs_number'),
            postcode: text('postcode'),
          }, model, { limit: 10 })
          const candidates = found.map((c) => ({
            person_id: c.personId,
            source_ids: c.records.map((r) => r.sourceId),
            score: Math.round(c.best.weight * 100) / 100,
            band: c.best.band,
          }))
          process.stdout.write(`${JSON.stringify({ candidates })}\n`)
        }
        await appendAudit(db, { partnershipId, actorUserId: null, action: 'person.match-batch', detail: { queries }, occurredAt: new Date() })
      })
    })

  /** Runs `work` in the chosen partnership with a progress bar on stderr, then prints its result as one JSON line. */
  const withProgress =
    (label: string, work: (db: Db, partnershipId: string, onProgress: (done: number, total: number) => void, options: MatchOptions & { sample?: number }) => Promise<unknown>) =>
    async (options: MatchOptions & { sample?: number }) => {
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      const { createProgress } = await import('../progress.ts')
      await withDatabase(async (database) => {
        const { id: partnershipId } = await choosePartnership(database.db, options.partnership ?? match.opts<MatchOptions>().partnership)
        const progress = createProgress(label, { unit: 'records' })
        const result = await work(database.db, partnershipId, (d, t) => progress.update(d, t), options)
        progress.finish()
        process.stdout.write(`${JSON.stringify(result)}\n`)
      })
    }

  match
    .command('reindex')
    .description('standardise and re-key every source record again (after an upgrade that changes the blocking keys); prints how many')
    .option('--partnership <id-or-name>', 'the partnership (needed when there are several)')
    .action(
      withProgress('Re-indexing', async (db, partnershipId, onProgress) => {
        const { reindexAll } = await import('../../services/person-index/store.ts')
        return { records: await reindexAll(db, partnershipId, onProgress) }
      }),
    )

  match
    .command('calibrate')
    .description('re-estimate the match weights from the partnership’s own records and reviewers’ decisions; prints what changed')
    .option('--partnership <id-or-name>', 'the partnership (needed when there are several)')
    .option('--sample <n>', 'records to sample (default 2000)', (v) => Number.parseInt(v, 10))
    .action(
      withProgress('Estimating', async (db, partnershipId, onProgress, options) => {
        const { calibrateWeights } = await import('../../services/person-index/calibration.ts')
        return calibrateWeights(db, partnershipId, { now: new Date(), sample: options.sample, onProgress })
      }),
    )
}
