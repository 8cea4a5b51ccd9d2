/**
 * A 903 file set given as named files (a directory's, an upload's, a zip's entries): each file is
 * recognised by its name as DfE names them (header.csv, episodes.csv ...), wherever it came from.
 * The command line and the analyst's page read their files through here.
 */
import { readFileSet, Ssda903FileError } from './csv.ts'
import { TABLES, type FileSet, type TableName } from './model.ts'

export interface NamedFile {
  /** The file's name, or its path (only the last part names the table). */
  name: string
  content: string | Uint8Array
}

export const FILE_NAMES = Object.values(TABLES).map((t) => t.file)

const baseName = (name: string) => name.replace(/^.*[\\/]/, '')

/** Which table a file is, by its name as DfE names them (header.csv ...); any folder is ignored. */
export function tableOfFile(name: string): TableName | undefined {
  const base = baseName(name).toLowerCase()
  return (Object.keys(TABLES) as TableName[]).find((t) => TABLES[t].file === base)
}

/**
 * Reads named files as one file set (`alongside`: this year's set, when these are last year's).
 * Every file must be one of the 903 files, each table at most once, and at least one given; `set`
 * names the set in the message when none is (a directory, "last year's files").
 */
export function readNamedFiles(files: readonly NamedFile[], set: string, alongside?: FileSet): FileSet {
  const texts: Parameters<typeof readFileSet>[0] = {}
  for (const f of files) {
    const table = tableOfFile(f.name)
    if (table === undefined) throw new Ssda903FileError(f.name, undefined, `not one of the 903 files (${FILE_NAMES.join(', ')})`)
    const before = texts[table]
    if (before !== undefined) throw new Ssda903FileError(f.name, undefined, `${TABLES[table].file} is given twice (also ${before.file})`)
    texts[table] = { text: f.content, file: f.name }
  }
  if (Object.keys(texts).length === 0) throw new Ssda903FileError(set, undefined, `none of the 903 files (${FILE_NAMES.join(', ')})`)
  return readFileSet(texts, alongside)
}
