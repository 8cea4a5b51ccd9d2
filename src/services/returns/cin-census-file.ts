/** Checking a census file from anywhere (another system's, or last year's) against our rules. */
import { isAscii } from 'node:buffer'
import { createReadStream } from 'node:fs'
import { TextDecoder } from 'node:util'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/index.ts'
import type { CensusHeader, Finding } from '../../domain/returns/cin-census/model.ts'
import { CensusFileError, CensusReader } from '../../domain/returns/cin-census/parse.ts'
import { CensusValidator, CensusYearError, headerYear, type CensusSummary } from '../../domain/returns/cin-census/validate.ts'
import type { ServiceContext } from '../common/context.ts'

export interface FileCheckOptions {
  /** The census year; by default the one the file's header gives. */
  year?: number
  draft?: boolean
}

/**
 * Validates a census arriving as text chunks: the header's year is read first (it comes before
 * any child), then each child is checked as it is read. Throws CensusFileError for an unreadable
 * file, CensusYearError when no year is given or known.
 */
export async function validateCensusChunks(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: FileCheckOptions,
  onFinding: (finding: Finding) => void,
): Promise<CensusSummary> {
  let validator: CensusValidator | undefined
  let header: CensusHeader | undefined
  const start = (h: CensusHeader | undefined) => {
    header = h
    const year = options.year ?? headerYear(h)
    if (year === undefined) throw new CensusYearError('the file does not say its census year (header <Year>): give the year')
    validator = new CensusValidator({ year, draft: options.draft, calendar: defaultBankHolidayCalendar() }, onFinding)
    validator.setHeader(h)
  }
  const reader = new CensusReader({
    onHeader: (h) => start(h),
    onChild: (child) => {
      if (!validator) start(header)
      validator!.child(child)
    },
  })
  for await (const chunk of chunks) reader.write(chunk)
  reader.end()
  if (!validator) start(header)
  return validator!.finish()
}

/** Validates a census file on disk, streamed. */
export function validateCensusFile(path: string, options: FileCheckOptions, onFinding: (finding: Finding) => void): Promise<CensusSummary> {
  return validateCensusChunks(utf8Text(createReadStream(path, { highWaterMark: 1 << 20 })), options, onFinding)
}

/**
 * The text of a UTF-8 byte stream. Census files are nearly always plain ASCII, which is read as
 * Latin-1 (the same characters, several times faster than decoding UTF-8); from the first chunk
 * that is not, the rest goes through a UTF-8 decoder (which keeps a byte-order mark, as a
 * `utf8` read stream does, and replaces bad bytes with U+FFFD).
 */
export async function* utf8Text(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined
  for await (const chunk of bytes) {
    if (decoder === undefined && isAscii(chunk)) yield chunk.toString('latin1')
    else yield (decoder ??= new TextDecoder('utf-8', { ignoreBOM: true })).decode(chunk, { stream: true })
  }
  const rest = decoder?.decode()
  if (rest) yield rest
}

/** A performance analyst's check of an uploaded census file; nothing in it is stored. */
export async function checkUploadedCensus(
  ctx: ServiceContext,
  xml: string | AsyncIterable<string>,
  options: FileCheckOptions,
): Promise<{ summary: CensusSummary; findings: Finding[] }> {
  // Loaded here, not at the top: `together validate` uses this module without a database, and the
  // export's imports (the database driver, the audit, the policy) would double its start-up time.
  const { auditCensusRun, mayRunReturns } = await import('./cin-census-export.ts')
  mayRunReturns(ctx)
  const findings: Finding[] = []
  const summary = await validateCensusChunks(typeof xml === 'string' ? [xml] : xml, options, (f) => findings.push(f))
  await auditCensusRun(ctx, 'returns:cin-census-check-file', summary)
  return { summary, findings }
}

export { CensusFileError, CensusYearError }
