/**
 * `together match`: JSON lines of queries on stdin ({"given_name","family_name","date_of_birth",
 * "sex","nhs_number","postcode"}, any absent), one JSON line per query on stdout, in order:
 * {"candidates":[{"person_id","source_ids":[...],"score","band"}]}, best first, at most 10. The
 * score is the match weight in bits. `together match calibrate` re-estimates the weights.
 */
import { createInterface } from 'node:readline'
import type { Command } from 'commander'

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
      const { appendAudit } = await import('../../services/audit.ts')
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

  match
    .command('calibrate')
    .description('re-estimate the match weights from the partnership’s own records and reviewers’ decisions; prints what changed')
    .option('--partnership <id-or-name>', 'the partnership (needed when there are several)')
    .option('--sample <n>', 'records to sample (default 2000)', (v) => Number.parseInt(v, 10))
    .action(async (options: MatchOptions & { sample?: number }) => {
      const { withDatabase } = await import('../database.ts')
      const { choosePartnership } = await import('./match-partnership.ts')
      const { calibrateWeights } = await import('../../services/person-index/calibration.ts')
      const { createProgress } = await import('../progress.ts')
      await withDatabase(async (database) => {
        const { id: partnershipId } = await choosePartnership(database.db, options.partnership ?? match.opts<MatchOptions>().partnership)
        const progress = createProgress('Estimating', { unit: 'records' })
        const result = await calibrateWeights(database.db, partnershipId, { now: new Date(), sample: options.sample, onProgress: (d, t) => progress.update(d, t) })
        progress.finish()
        process.stdout.write(`${JSON.stringify(result)}\n`)
      })
    })
}
