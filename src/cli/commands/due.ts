import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { Command } from 'commander'
import { UsageError } from '../errors.ts'

type Timescales = typeof import('../../domain/timescales/index.ts')
type Calendar = typeof import('../../domain/timescales/calendar/index.ts')

interface DueOptions {
  rule?: string
  start?: string
  edition?: string
  batch?: boolean
}

/**
 * `together due`: the due date of one timescale, or of a stream of them with --batch.
 * Output and exit codes are a contract other tools rely on (docs/timescales.md).
 */
export function registerDueCommand(program: Command): void {
  program
    .command('due')
    .description('print the due date of a statutory timescale as JSON')
    .option('--rule <id>', 'rule id (see "together rules")')
    .option('--start <date>', 'date of the starting event, YYYY-MM-DD')
    .option('--edition <year>', 'edition of Working Together to apply (default: the one in force on the start date)')
    .option('--batch', 'read JSON lines {"rule","start","edition"?} on stdin and write one JSON line per input')
    .action(async (options: DueOptions) => {
      // Loaded here, not at the top, so other commands do not pay for the calendar.
      const [timescales, calendar] = await Promise.all([
        import('../../domain/timescales/index.ts'),
        import('../../domain/timescales/calendar/index.ts'),
      ])
      const answer = answerer(timescales, calendar)
      if (options.batch) {
        if (options.rule !== undefined || options.start !== undefined || options.edition !== undefined) {
          throw new UsageError('due --batch reads rule, start and edition from stdin: do not also give --rule, --start or --edition')
        }
        await runBatch(answer, process.stdin, process.stdout)
        return
      }
      if (options.rule === undefined || options.start === undefined) {
        throw new UsageError('due needs --rule and --start (or --batch)')
      }
      const result = answer(options.rule, options.start, options.edition)
      if ('error' in result) throw new UsageError(result.error)
      process.stdout.write(`${JSON.stringify(result)}\n`)
    })
}

type Answer = ReturnType<Timescales['dueDate']> | { rule: string | null; start: string | null; error: string }

/** Answers one query, turning bad input into an error object (anything else is a bug and is thrown). */
function answerer(timescales: Timescales, calendar: Calendar) {
  const isInputError = (err: unknown): err is Error =>
    err instanceof timescales.TimescaleError ||
    err instanceof calendar.InvalidDateError ||
    err instanceof calendar.CalendarRangeError ||
    err instanceof UsageError

  return (rule: unknown, start: unknown, edition: unknown): Answer => {
    const echo = { rule: typeof rule === 'string' ? rule : null, start: typeof start === 'string' ? start : null }
    try {
      if (echo.rule === null) throw new UsageError('rule is missing or not a string')
      if (echo.start === null) throw new UsageError('start is missing or not a string')
      return timescales.dueDate({ rule: echo.rule, start: echo.start, edition: parseEdition(edition) })
    } catch (err) {
      if (isInputError(err)) return { ...echo, error: err.message }
      throw err
    }
  }
}

/** An edition is a year: 2018 or "2018"; absent (or null in batch input) means the one in force. */
function parseEdition(edition: unknown): number | undefined {
  if (edition === undefined || edition === null) return undefined
  if (typeof edition === 'number' && Number.isInteger(edition)) return edition
  if (typeof edition === 'string' && /^\d{4}$/.test(edition)) return Number(edition)
  throw new UsageError(`edition must be a year such as 2018, not ${JSON.stringify(edition)}`)
}

const FLUSH_AT = 64 * 1024

/** One output line per input line, in order; output is written in large chunks, honouring backpressure. */
async function runBatch(answer: ReturnType<typeof answerer>, input: Readable, output: Writable): Promise<void> {
  let chunk = ''
  const lines = createInterface({ input, crlfDelay: Infinity })
  for await (const line of lines) {
    chunk += `${JSON.stringify(answerLine(answer, line))}\n`
    if (chunk.length >= FLUSH_AT) {
      const ok = output.write(chunk)
      chunk = ''
      if (!ok) await once(output, 'drain')
    }
  }
  if (chunk !== '') output.write(chunk)
}

function answerLine(answer: ReturnType<typeof answerer>, line: string): Answer {
  let query: unknown
  try {
    query = JSON.parse(line)
  } catch {
    return { rule: null, start: null, error: line.trim() === '' ? 'empty line' : 'not valid JSON' }
  }
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    return { rule: null, start: null, error: 'each line must be a JSON object {"rule","start","edition"?}' }
  }
  const { rule, start, edition } = query as Record<string, unknown>
  return answer(rule, start, edition)
}
