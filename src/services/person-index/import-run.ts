/**
 * Running an import (`together import people FILE.csv`): rows in transactions, each transaction's
 * new records matched and written set-wise (import-batch.ts) or, in mode 'row', one at a time
 * (import.ts's importOne), with the same decisions.
 */
import type { Db } from '../../db/connection.ts'
import { databaseRefusal } from '../../logger.ts'
import type { LinkActor } from './links.ts'
import { importRun } from './import-batch.ts'
import { importOne, importRow, rowProblem, type ImportOneResult, type ImportRow } from './import.ts'
import { currentModel, indexPending } from './store.ts'

export interface ImportSummary {
  rows: number
  created: number
  updated: number
  linked: number
  reviews: number
  skipped: { line: number; problem: string }[]
}

export interface ImportLine {
  line: number
  record: Record<string, string>
  /** Found wrong before parsing its fields (e.g. the wrong number of them): reported and skipped. */
  problem?: string
}

/**
 * Imports rows in transactions of `batch`. By default (mode 'batch') each transaction's new records
 * are matched and written set-wise (import-batch.ts), with the decisions the row-at-a-time path
 * makes; mode 'row' takes the rows one at a time. Either way each row the database refuses is
 * reported and skipped while the rest load.
 */
export async function importRows(
  db: Db,
  who: LinkActor,
  lines: AsyncIterable<ImportLine> | Iterable<ImportLine>,
  options: { today: string; batch?: number; mode?: 'batch' | 'row'; onRow?: (summary: ImportSummary) => void },
): Promise<ImportSummary> {
  const summary: ImportSummary = { rows: 0, created: 0, updated: 0, linked: 0, reviews: 0, skipped: [] }
  const mode = options.mode ?? 'batch'
  // Journey people written since the last search are indexed first, so new records can be matched to them.
  while ((await indexPending(db, who.partnershipId, 500)) > 0);
  const { model, weightsId } = await currentModel(db, who.partnershipId, who.now.getTime())
  const count = (result: ImportOneResult) => {
    summary[result.outcome] += 1
    summary.reviews += result.reviews
  }
  /** One row in a savepoint of its own. */
  const one = async (tx: Db, line: number, row: ImportRow) => {
    try {
      count(await tx.transaction((sp) => importOne(sp as unknown as Db, who, row, model, weightsId)))
    } catch (err) {
      // Named by code only: the database's message quotes the values it refused.
      summary.skipped.push({ line, problem: `the database refused it (${databaseRefusal(err) ?? (err as Error).name})` })
    }
  }
  /** Rows together; when the database refuses the run, again one at a time. */
  const run = async (tx: Db, rows: { line: number; row: ImportRow }[]) => {
    if (rows.length === 0) return
    try {
      const results = await tx.transaction((sp) => importRun(sp as unknown as Db, who, rows.map((r) => r.row), model, weightsId))
      results.forEach(count)
    } catch (err) {
      if (databaseRefusal(err) === null) throw err
      for (const { line, row } of rows) await one(tx, line, row)
    }
  }
  let pending: ImportLine[] = []
  const flush = async () => {
    if (pending.length === 0) return
    const lines = pending
    pending = []
    await db.transaction(async (tx) => {
      const valid: { line: number; row: ImportRow }[] = []
      for (const { line, record, problem: found } of lines) {
        const problem = found ?? rowProblem(record, options.today)
        if (problem) summary.skipped.push({ line, problem })
        else valid.push({ line, row: importRow.parse(record) })
      }
      if (mode === 'row') {
        for (const { line, row } of valid) await one(tx as unknown as Db, line, row)
        return
      }
      await run(tx as unknown as Db, valid)
    })
    // Refusals found when a run was loaded again come after the problems found first: in file order, as the row path lists them.
    summary.skipped.sort((a, b) => a.line - b.line)
    options.onRow?.(summary)
  }
  for await (const line of lines) {
    summary.rows += 1
    pending.push(line)
    if (pending.length >= (options.batch ?? (mode === 'row' ? 200 : 5000))) await flush()
  }
  await flush()
  return summary
}
