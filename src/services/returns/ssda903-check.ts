/**
 * A performance analyst's check of an SSDA903 file set from anywhere (another system's files, or
 * the zip the 903 page downloads), with last year's set for the rules that compare the two years:
 * the files as uploaded, CSV files or zips of them, read by the same code as `together validate
 * ssda903` (domain/returns/ssda903/files.ts). Nothing in them is stored. The run is audited as the
 * census file check is: the year and the counts, never a child's details. A CHILD id in a file is
 * another system's id, not a reference to our records, so no finding names a case.
 */
import { type NamedFile, FILE_NAMES, readNamedFiles, tableOfFile } from '../../domain/returns/ssda903/files.ts'
import { Ssda903FileError } from '../../domain/returns/ssda903/csv.ts'
import { LA_AREA_CODE, type FileSet, type Finding } from '../../domain/returns/ssda903/model.ts'
import type { Ssda903Summary } from '../../domain/returns/ssda903/validate.ts'
import { auditGrouped } from '../access/audit.ts'
import { authorityArea } from '../care/placements.ts'
import { ValidationFailed, type ServiceContext } from '../common/context.ts'
import { mayRunReturns } from './cin-census-export.ts'
import { SSDA903_YEARS, validateFileSets } from './ssda903-export/index.ts'

export interface UploadedFile {
  /** The name it was uploaded with. */
  name: string
  content: Uint8Array
}

export interface Ssda903CheckInput {
  /** The collection year as given (the year the return ends in). */
  year: string | undefined
  /** The authority's 9-character area code; blank: the partnership's (as the postcode lookup names it). */
  la: string | undefined
  /** This year's files: CSV files named as DfE names them, or zips of them. */
  files: readonly UploadedFile[]
  /** Last year's, the same way (none: the rules that compare the years do not run). */
  previous: readonly UploadedFile[]
}

/** A file set's 903 files must be at most this large, unzipped (a zip says how large its files are; a zip bomb is refused). */
export const SSDA903_FILES_MAX_BYTES = 200 * 1024 * 1024

const isZip = (f: UploadedFile) => /\.zip$/i.test(f.name) || (f.content[0] === 0x50 && f.content[1] === 0x4b && f.content[2] === 0x03 && f.content[3] === 0x04)

/** A zip's 903 files, each named `zip/entry` so that a message names both; other entries (and macOS's `._` copies) are ignored. */
async function unzip(upload: UploadedFile, budget: { left: number }): Promise<NamedFile[]> {
  const { default: JSZip } = await import('jszip')
  let zip: InstanceType<typeof JSZip>
  try {
    zip = await JSZip.loadAsync(upload.content)
  } catch {
    throw new Ssda903FileError(upload.name, undefined, 'is not a zip file that can be opened')
  }
  const entries = Object.values(zip.files).filter((e) => !e.dir && !/(^|\/)__MACOSX\/|(^|\/)\.[^/]*$/.test(e.name) && tableOfFile(e.name) !== undefined)
  if (entries.length === 0) throw new Ssda903FileError(upload.name, undefined, `holds none of the 903 files (${FILE_NAMES.join(', ')})`)
  const files: NamedFile[] = []
  for (const entry of entries) files.push({ name: `${upload.name}/${entry.name}`, content: await inflate(entry, `${upload.name}/${entry.name}`, budget) })
  return files
}

/** One zip entry's bytes, stopping as soon as the set would be over its size. */
function inflate(entry: import('jszip').JSZipObject, name: string, budget: { left: number }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const stream = entry.nodeStream('nodebuffer')
    stream
      .on('data', (chunk: Buffer) => {
        budget.left -= chunk.length
        if (budget.left >= 0) return void chunks.push(chunk)
        stream.pause()
        reject(new Ssda903FileError(name, undefined, `the files are larger than ${SSDA903_FILES_MAX_BYTES / 1024 / 1024} MB unzipped`))
      })
      .on('error', () => reject(new Ssda903FileError(name, undefined, 'could not be unzipped')))
      .on('end', () => resolve(Buffer.concat(chunks)))
  })
}

/** The 903 files of an upload: CSV files as they are, zips opened. */
async function namedFiles(uploads: readonly UploadedFile[]): Promise<NamedFile[]> {
  const budget = { left: SSDA903_FILES_MAX_BYTES }
  const files: NamedFile[] = []
  for (const upload of uploads) files.push(...(isZip(upload) ? await unzip(upload, budget) : [{ name: upload.name, content: upload.content }]))
  return files
}

/** Reads one set, a bad file a message on the set's field (naming the file and the line). */
async function readSet(field: 'files' | 'previous', uploads: readonly UploadedFile[], set: string, alongside?: FileSet): Promise<FileSet> {
  try {
    return readNamedFiles(await namedFiles(uploads), set, alongside)
  } catch (err) {
    if (err instanceof Ssda903FileError) throw new ValidationFailed({ [field]: `${err.message}. Nothing was checked: correct the file and upload the files again.` })
    throw err
  }
}

/** Checks the year, the LA code and that files were given; every problem at once. */
function checkInput(input: Ssda903CheckInput): { year: number; la: string | undefined } {
  const errors: Record<string, string> = {}
  const year = input.year !== undefined && /^\d{4}$/.test(input.year) ? Number(input.year) : NaN
  if (!SSDA903_YEARS.includes(year)) errors.year = `Select the collection year (Together has the 903 rules for ${SSDA903_YEARS.map((y) => `${y - 1}-${String(y).slice(2)}`).join(', ')})`
  const la = input.la?.trim() ? input.la.trim().toUpperCase() : undefined
  if (la !== undefined && !LA_AREA_CODE.test(la)) errors.la = 'Enter the authority’s 9-character area code, like E06000999, or leave it blank for ours'
  if (input.files.length === 0) errors.files = 'Select this year’s 903 files (the CSV files, or a zip of them)'
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
  return { year, la }
}

/** The analyst's check of uploaded 903 files: the summary and every finding, as `together validate ssda903 --json` gives them. */
export async function checkUploadedSsda903(ctx: ServiceContext, input: Ssda903CheckInput): Promise<{ summary: Ssda903Summary; findings: Finding[] }> {
  mayRunReturns(ctx)
  const { year, la } = checkInput(input)
  const set = await readSet('files', input.files, 'This year’s files')
  const last = input.previous.length === 0 ? undefined : await readSet('previous', input.previous, 'Last year’s files', set)
  const { summary, findings } = validateFileSets(set, last, { year, la: la ?? (await authorityArea(ctx.db, ctx.actor.partnershipId)) })
  const { children, errors, queries } = summary
  await auditGrouped(ctx, { action: 'returns:ssda903-check-file', recordType: 'ssda903', recordId: String(year), detail: { year, children, errors, queries, lastYear: last !== undefined } })
  return { summary, findings: findings.map(({ caseId: _none, ...f }) => f) }
}
